"""The EDT write services: action notification, facility create and the facility submittal pass-through.

Paths mirror the state's (``/EDT/Regulator/...``) so that a regulator's system switches by changing the host.
Each request carries ``Authorization: Bearer <token>`` of an agency client with the service's scope, and an
XML document (the pass-through also takes a ZIP archive holding the XML and the attached files). Each answer
is an XML response document with the transaction key, the status (Accepted or Rejected) and the messages:

* 200 Accepted (a facility create trial too); 400 the document cannot be read (every problem is listed);
* 401 no valid token; 403 a token without the scope, or a facility outside the client's jurisdiction;
* 404 a facility or submitted element the client's agency cannot reach (another agency's is "not found");
* 405 not a POST; 409 a conflict (an exact duplicate address, the facility's reporting channel);
* 413 too large; 422 the rules refuse it (a Required guidance message, Not accepted without comments…).

Every call is logged (``opencers.edt.services.transaction_record``), refused ones too, and the agency sees
its log in the regulator portal.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from opencers.edt.actions import actions_apply, parse_action_notification
from opencers.edt.facility_create import facility_create_process, parse_facility_create
from opencers.edt.incoming import REQUIRED, EdtMessage, EdtRejected, rejected
from opencers.edt.models import TransactionStatus
from opencers.edt.responses import (
    ACCEPTED,
    REJECTED,
    TransactionInfo,
    facility_create_response,
    submittal_response,
)
from opencers.edt.services import transaction_record
from opencers.edt.submit import MAX_ARCHIVE_BYTES, package_read, parse_submittal, submittal_pass_through
from opencers.exchange.auth import authenticate_request, scope_required

XML = "application/xml; charset=utf-8"
CODE_ACCESS = 170  # the token, its scope or its agency


@dataclass
class Result:
    http_status: int
    body: bytes
    status: str
    messages: list[EdtMessage] = field(default_factory=list)
    records: int = 0


Document = Callable[[TransactionInfo, list[EdtMessage]], bytes]


def edt_write(*, endpoint: str, scope: str, refusal: Document) -> Callable[..., Any]:
    """An EDT write service: bearer token with ``scope``, an XML answer always, every call logged."""

    def decorator(handler: Callable[[HttpRequest, TransactionInfo], Result]) -> Callable[..., HttpResponse]:
        @wraps(handler)
        def view(request: HttpRequest) -> HttpResponse:
            started = time.monotonic()
            info = TransactionInfo()
            outcome: dict[str, Result] = {}

            def unauthorized(message: str, status: int) -> HttpResponse:
                info.status = REJECTED
                messages = [EdtMessage(REQUIRED, message, CODE_ACCESS)]
                outcome["result"] = Result(status, refusal(info, messages), REJECTED, messages)
                return HttpResponse(outcome["result"].body, status=status, content_type=XML)

            def authorized(request: HttpRequest) -> HttpResponse:
                if request.method != "POST":
                    result = _refused(
                        info, refusal, rejected(_("Send the document with POST."), http_status=405)
                    )
                else:
                    result = handler(request, info)
                outcome["result"] = result
                return HttpResponse(result.body, status=result.http_status, content_type=XML)

            try:
                response = scope_required(scope, unauthorized=unauthorized)(authorized)(request)
            except Exception:
                # A failure of ours: logged for the agency too, then left to the error handling (500).
                _record(request, endpoint, info, Result(500, b"", REJECTED, [FAILED]), 500, 0, started)
                raise
            if response.status_code == 405:
                response["Allow"] = "POST"
            result = outcome["result"]
            _record(request, endpoint, info, result, response.status_code, len(response.content), started)
            return response

        view.permission = "api"  # type: ignore[attr-defined]
        view.scope = scope  # type: ignore[attr-defined]
        return csrf_exempt(view)

    return decorator


FAILED = EdtMessage(REQUIRED, "The service failed while processing the request; nothing was changed.", 999)


def _record(
    request: HttpRequest,
    endpoint: str,
    info: TransactionInfo,
    result: Result,
    http_status: int,
    response_bytes: int,
    started: float,
) -> None:
    """Log the call (in its own statement: a refused request's rollback does not take the entry with it)."""
    api = getattr(request, "api", None) or authenticate_request(request)
    client = api.client if api is not None else None
    transaction_record(
        endpoint=endpoint,
        method=request.method or "",
        status=TransactionStatus.ACCEPTED if result.status == ACCEPTED else TransactionStatus.REJECTED,
        http_status=http_status,
        client=client,
        regulator=client.regulator if client is not None else None,
        query=request.META.get("QUERY_STRING", ""),
        regulator_transaction_key=info.regulator_transaction_key,
        messages=[m.as_dict() for m in result.messages],
        request_bytes=_content_length(request),
        response_bytes=response_bytes,
        records=result.records,
        duration_ms=round((time.monotonic() - started) * 1000),
        key=info.key,
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _refused(info: TransactionInfo, document: Document, refusal: EdtRejected) -> Result:
    info.status = REJECTED
    return Result(refusal.http_status, document(info, refusal.messages), REJECTED, refusal.messages)


def _body(request: HttpRequest, limit: int) -> tuple[IO[bytes], int]:
    """The request body in a spooled temporary file (memory, then disk), refused past ``limit`` bytes."""
    if _content_length(request) > limit:
        raise _too_large(limit)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the caller closes it)
    size = 0
    while chunk := request.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _too_large(limit)
        spool.write(chunk)
    spool.seek(0)
    return spool, size


def _too_large(limit: int) -> EdtRejected:
    return rejected(
        _("The request is larger than %(limit).0f MB, the most this service accepts.")
        % {"limit": limit / 1024 / 1024},
        http_status=413,
    )


def _small_body(request: HttpRequest) -> bytes:
    spool, _size = _body(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    with spool:
        return spool.read()


def _agency(request: HttpRequest) -> Any:
    """The client's agency: only an agency client acts on its jurisdiction through these services."""
    client = request.api.client  # type: ignore[attr-defined]
    if client.regulator_id is None:
        raise rejected(
            _("Only a regulator's client can use this service; this token belongs to %(name)s.")
            % {"name": client.name},
            code=CODE_ACCESS,
            http_status=403,
        )
    return client


# --- Submittal action notification ------------------------------------------------------------------------


def _submittal_refusal(info: TransactionInfo, messages: list[EdtMessage]) -> bytes:
    return submittal_response(info, messages, processed=False)


@edt_write(
    endpoint="/EDT/Regulator/FacilitySubmittal/ActionNotification",
    scope="action",
    refusal=_submittal_refusal,
)
def action_notification(request: HttpRequest, info: TransactionInfo) -> Result:
    try:
        data = _small_body(request)
        parsed = parse_action_notification(data)
        info.regulator_transaction_key = parsed.regulator_transaction_key
        client = _agency(request)
        outcome = actions_apply(request=parsed, client=client, actor=request.user)
    except EdtRejected as refusal:
        return _refused(info, _submittal_refusal, refusal)
    info.status = ACCEPTED
    body = submittal_response(info, outcome.messages)
    return Result(200, body, ACCEPTED, outcome.messages, records=len(outcome.elements))


# --- Facility create --------------------------------------------------------------------------------------


def _create_refusal(info: TransactionInfo, messages: list[EdtMessage], mode: str = "") -> bytes:
    return facility_create_response(info, mode=mode, messages=messages)


@edt_write(endpoint="/EDT/Regulator/Facility/Create", scope="facility_create", refusal=_create_refusal)
def facility_create(request: HttpRequest, info: TransactionInfo) -> Result:
    mode = ""
    try:
        parsed = parse_facility_create(_small_body(request))
        mode = parsed.mode
        info.regulator_transaction_key = parsed.regulator_transaction_key
        client = _agency(request)
        outcome = facility_create_process(request=parsed, client=client, actor=request.user)
    except EdtRejected as refusal:
        info.status = REJECTED
        body = _create_refusal(info, refusal.messages, mode)
        return Result(refusal.http_status, body, REJECTED, refusal.messages)
    info.status = ACCEPTED if outcome.accepted else REJECTED
    body = facility_create_response(
        info, mode=mode, messages=outcome.messages, facility=outcome.facility, duplicates=outcome.duplicates
    )
    return Result(
        outcome.status_code, body, info.status, outcome.messages, records=1 if outcome.facility else 0
    )


# --- Facility submittal (pass-through from a local portal) -----------------------------------------------


@edt_write(
    endpoint="/EDT/Regulator/FacilitySubmittal/Submit", scope="submittal_submit", refusal=_submittal_refusal
)
def facility_submittal(request: HttpRequest, info: TransactionInfo) -> Result:
    spool: IO[bytes] | None = None
    try:
        spool, size = _body(request, MAX_ARCHIVE_BYTES)
        package = package_read(spool, size)
        parsed = parse_submittal(package.xml)
        info.regulator_transaction_key = parsed.regulator_transaction_key
        client = _agency(request)
        outcome = submittal_pass_through(
            request=parsed, package=package, client=client, actor=request.user, transaction_key=str(info.key)
        )
    except EdtRejected as refusal:
        return _refused(info, _submittal_refusal, refusal)
    finally:
        if spool is not None:
            spool.close()
    info.status = ACCEPTED
    body = submittal_response(
        info, outcome.messages, entity_keys=outcome.entity_keys, element_keys=outcome.element_keys
    )
    return Result(200, body, ACCEPTED, outcome.messages, records=len(outcome.element_keys))


urlpatterns = [
    path(
        "EDT/Regulator/FacilitySubmittal/ActionNotification",
        action_notification,
        name="edt_action_notification",
    ),
    path("EDT/Regulator/Facility/Create", facility_create, name="edt_facility_create"),
    path("EDT/Regulator/FacilitySubmittal/Submit", facility_submittal, name="edt_facility_submittal"),
]
