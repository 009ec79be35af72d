"""The base of every JSON API view: bearer authentication, scopes, rate limits, idempotency, ETags.

* Authentication: ``Authorization: Bearer <token>`` (``opencers.exchange.auth``); 401 with
  ``WWW-Authenticate`` when missing or invalid, 403 when the token lacks the scope of the method.
* Rate limit: a fixed-window counter per client in PostgreSQL (one atomic upsert per request), shared by
  every process; over the limit the answer is 429 with ``Retry-After``.
* Idempotency: a POST, PUT or PATCH with an ``Idempotency-Key`` inserts the key's record as the first
  statement of the request's transaction. A concurrent request with the same key blocks on the unique
  index until the first commits, then replays its response; the same key with another body is refused
  with 422. A request that fails with a server error rolls back, key included, so it can be retried.
* Every write runs in one transaction: the If-Match check of a draft (under its row lock) and the change
  commit together, so a stale write (412) changes nothing and two writers never both win.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, NotAuthenticated, ParseError
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from opencers.accounts.api_clients import Authenticated
from opencers.exchange.api.errors import ApiError, PreconditionFailed, PreconditionRequired
from opencers.exchange.auth import BearerAuthentication, HasScope
from opencers.exchange.models import IdempotencyRecord

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
WITH_BODY = ("POST", "PUT", "PATCH")
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("ETag", "Location")
# Refusals before any work was attempted (malformed request, missing or stale If-Match): the key is not
# kept, so the same key can be sent again with the corrected request.
NOT_REMEMBERED = (400, 412, 413, 428)


# --- Rate limits -------------------------------------------------------------------------------------


def rate_limit_hit(client_id: int, *, now: float | None = None) -> tuple[int, int, float]:
    """Count one request of the client; returns (hits in this window, limit, seconds left in it)."""
    limit = settings.API_RATE_LIMIT
    window = settings.API_RATE_LIMIT_WINDOW_SECONDS
    now = time.time() if now is None else now
    start = math.floor(now / window) * window
    window_start = datetime.fromtimestamp(start, tz=UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO exchange_ratelimitcounter (client_id, window_start, hits) VALUES (%s, %s, 1) "
            "ON CONFLICT (client_id, window_start) "
            "DO UPDATE SET hits = exchange_ratelimitcounter.hits + 1 RETURNING hits",
            [client_id, window_start],
        )
        hits = cursor.fetchone()[0]
        if hits == 1:  # a new window: forget this client's older ones
            cursor.execute(
                "DELETE FROM exchange_ratelimitcounter WHERE client_id = %s AND window_start < %s",
                [client_id, window_start],
            )
    return hits, limit, start + window - now


class ClientRateThrottle(BaseThrottle):
    """Requests per client per window, counted in PostgreSQL (safe across processes and servers)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        api = request.auth
        if not isinstance(api, Authenticated):
            return True
        hits, limit, left = rate_limit_hit(api.client.pk)
        self.seconds_left = left
        view.rate_limit_headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - hits)),
            "X-RateLimit-Reset": str(max(1, math.ceil(left))),
        }
        return hits <= limit

    def wait(self) -> float:
        return max(1, math.ceil(self.seconds_left))


# --- ETags of drafts ---------------------------------------------------------------------------------


def draft_etag(draft: Any) -> str:
    """A strong ETag of a draft's current state.

    Built from the draft's ``updated_at`` (every change of its data, rows and parts goes through
    ``draft_touch`` or saves the draft) and a summary of its documents (their count, last change and
    files), which change without touching the draft row. Read from the database, never from a possibly
    stale object.
    """
    from opencers.documents.models import Document
    from opencers.submittals.models import SubmittalElement

    row = SubmittalElement.objects.filter(pk=draft.pk).values("updated_at", "status").first()
    if row is None:
        return '"gone"'
    documents = Document.objects.filter(element_id=draft.pk).aggregate(
        doc_count=Count("id", distinct=True),
        doc_last=Max("updated_at"),
        file_count=Count("files"),
        file_last=Max("files__id"),
    )
    raw = "|".join(
        str(part)
        for part in (
            draft.public_id,
            row["status"],
            row["updated_at"].isoformat(),
            documents["doc_count"],
            documents["doc_last"].isoformat() if documents["doc_last"] else "",
            documents["file_count"],
            documents["file_last"] or "",
        )
    )
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:40] + '"'


def check_if_match(request: Any, draft: Any) -> None:
    """Refuse a write unless ``If-Match`` names the draft's current ETag (or ``*``). Call with the draft locked."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    current = draft_etag(draft)
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(current)


def lock_draft(draft: Any) -> Any:
    """The draft's row, locked for the rest of the request's transaction."""
    from opencers.submittals.models import SubmittalElement

    return (
        SubmittalElement.objects.select_for_update(of=("self",)).select_related("facility").get(pk=draft.pk)
    )


# --- Idempotency -------------------------------------------------------------------------------------


def _fingerprint(request: Any) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0")
    digest.update(request.get_full_path().encode())
    digest.update(b"\0")
    data: Any = request.data
    files: Any = getattr(request, "FILES", None) or {}
    if files:
        plain = {key: data.getlist(key) for key in data if key not in files}
        digest.update(json.dumps(plain, sort_keys=True, default=str).encode())
        for name in sorted(files):
            for upload in files.getlist(name):
                digest.update(f"\0{name}\0{upload.name}\0{upload.size}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode())
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    for name, value in (record.headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(api: Authenticated, key: str, request: Any, fingerprint: str) -> IdempotencyRecord | None:
    """Insert the key's record (inside the open transaction); None if it is ours now, else the first one's."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO exchange_idempotencyrecord "
            "(client_id, key, fingerprint, method, path, status_code, content_type, body, headers, created_at) "
            "VALUES (%s, %s, %s, %s, %s, 0, '', ''::bytea, '{}'::jsonb, %s) "
            "ON CONFLICT (client_id, key) DO NOTHING RETURNING id",
            [api.client.pk, key, fingerprint, request.method, request.get_full_path()[:2000], now],
        )
        inserted = cursor.fetchone()
    if inserted is not None:
        # Forget this client's keys older than the retention period (they would be accepted again anyway).
        IdempotencyRecord.objects.filter(
            client=api.client, created_at__lt=now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        ).delete()
        return None
    record = IdempotencyRecord.objects.filter(client=api.client, key=key).first()
    if record is None:  # the first request rolled back after we waited: run this one
        return _claim(api, key, request, fingerprint)
    if record.created_at < now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS):
        record.delete()  # an expired key is free again
        return _claim(api, key, request, fingerprint)
    return record


class _Refused(Exception):
    def __init__(self, response: Any) -> None:
        self.response = response


# --- The base view -----------------------------------------------------------------------------------


class ApiView(APIView):
    # Base of every API endpoint. Subclasses set ``required_scopes = {"GET": "business:read", …}``.
    # (Comments, not docstrings: the schema would show a docstring as every endpoint's description.)

    permission = "api"  # for the authorization matrix (opencers.core.permissions)
    authentication_classes = [BearerAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "delete"]
    required_scopes: dict[str, str] = {}
    rate_limit_headers: dict[str, str] = {}

    @property
    def api(self) -> Authenticated:
        return self.request.auth  # type: ignore[return-value]

    def permission_denied(
        self, request: Any, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated()
        raise ApiError(
            message or _("The token does not have the scope needed here."),
            status_code=403,
            code="insufficient_scope",
        )

    def check_permissions(self, request: Any) -> None:
        if isinstance(request.auth, Authenticated) and not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in WITH_BODY:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if request.content_type.startswith("application/json") and length > settings.API_MAX_JSON_BYTES:
                raise ApiError(
                    _("The request body is larger than %(max)d bytes. Send the rows in several requests.")
                    % {"max": settings.API_MAX_JSON_BYTES},
                    status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                    code="too_large",
                )

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # APIView.dispatch, with the handler of a write run in one transaction (and idempotent with a key).
        self.args = args
        self.kwargs = kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            self.initial(request, *args, **kwargs)
            handler = getattr(self, request.method.lower(), None)
            if handler is None or request.method.lower() not in self.http_method_names:
                handler = self.http_method_not_allowed
            if request.method in UNSAFE:
                response = self._write(request, handler, *args, **kwargs)
            else:
                response = handler(request, *args, **kwargs)
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        for name, value in self.rate_limit_headers.items():
            self.response[name] = value
        return self.response

    def _write(self, request: Any, handler: Any, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key")
        if key is not None and request.method in WITH_BODY:
            if not KEY_PATTERN.match(key):
                raise ApiError(
                    _("An Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID."),
                    status_code=400,
                    code="invalid_idempotency_key",
                    field="Idempotency-Key",
                )
            fingerprint = _fingerprint(request)
        else:
            key = None
        with transaction.atomic():
            if key is not None:
                first = _claim(self.api, key, request, fingerprint)
                if first is not None:
                    if first.fingerprint != fingerprint:
                        raise ApiError(
                            _(
                                "This Idempotency-Key was already used for a different request. Use a new key for a new request."
                            ),
                            status_code=422,
                            code="idempotency_key_reused",
                            field="Idempotency-Key",
                        )
                    return _replay(first)
            try:
                with transaction.atomic():  # a refusal undoes whatever the handler changed before it
                    response = handler(request, *args, **kwargs)
                    if response.status_code >= 400:
                        raise _Refused(response)
            except _Refused as refused:
                response = refused.response
            except Exception as exc:
                response = self.handle_exception(exc)  # re-raises what is not a refusal: a 500, rolled back
            if key is not None and response.status_code in NOT_REMEMBERED:
                transaction.set_rollback(True)  # the key stays free for the corrected request
            elif key is not None:
                response = self.finalize_response(request, response, *args, **kwargs)
                response.render()
                IdempotencyRecord.objects.filter(client=self.api.client, key=key).update(
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "application/json"),
                    body=response.content,
                    headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
                )
            return response


class UploadMixin:
    # For endpoints taking files: multipart/form-data.

    parser_classes: Sequence[type[BaseParser]] = [MultiPartParser]


def json_object(request: Any) -> dict[str, Any]:
    """The request body, which must be a JSON object."""
    data = request.data
    if not isinstance(data, dict):
        raise ParseError(_("Send a JSON object."))
    return data
