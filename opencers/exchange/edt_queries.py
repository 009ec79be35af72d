"""EDT query services (tiers 1 and 2): libraries, the authentication test, and the regulator queries.

Paths mirror the state's (``/EDT/Library/…``, ``/EDT/Regulator/…``) so a CUPA's system switches by
changing the host. Every call needs ``Authorization: Bearer <token>`` with the service's scope (``library``
or ``query``); a regulator query reads through the client's identity, so an agency sees only its own
jurisdiction and another agency's ``regulatorCode`` answers 404. Every response carries its transaction
key and status (in the document where the schema has room for them, and in the ``X-Transaction-Key`` and
``X-Transaction-Status`` headers); refusals are ``RegulatorFacilitySubmittalResponse`` documents saying
why. Every authenticated call is written to the transaction log.

Large answers stream: the facility submittal query and the chemical library are written while they are
sent, in constant memory. The facility submittal query returns at most ``limit`` (at most 1,000) facility
submittals per response; when more match, the document says so in a comment, and the ``Link`` header
(``rel="next"``) and ``X-Continuation-Key`` give the request for the next ones (``after=…``).

Dates in parameters are written ``MM-DD-YYYY`` (the state's form) or ``YYYY-MM-DD``, optionally with a
time ``HH:MM[:SS]``, in California time; a start without a time means 00:00:00, an end 23:59:59.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from datetime import time as day_time
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencers.documents.downloads import file_response
from opencers.documents.selectors import regulator_file_get
from opencers.edt import queries, rfsq
from opencers.edt.codes import STATUS_BY_CODE
from opencers.edt.models import TransactionStatus
from opencers.edt.services import transaction_complete, transaction_record
from opencers.exchange.auth import scope_required
from opencers.library.models import Chemical
from opencers.regulators.selectors import regulator_get_for_user

XML = "application/xml; charset=utf-8"
ACCEPTED, REJECTED = TransactionStatus.ACCEPTED, TransactionStatus.REJECTED


class ParameterProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Responses and the transaction log ----------------------------------------------------------------------


def _headers(response: HttpResponse | StreamingHttpResponse, key: Any, status: str) -> None:
    response["X-Transaction-Key"] = str(key)
    response["X-Transaction-Status"] = status
    response["Cache-Control"] = "private, no-store"


def _refusal(message: str, status: int, *, code: int, key: Any = None) -> HttpResponse:
    key = key or uuid.uuid4()
    body = queries.refusal_document(key=key, message=message, code=code, received=timezone.now())
    response = HttpResponse(body, status=status, content_type=XML)
    _headers(response, key, REJECTED)
    return response


def _unauthorized(message: str, status: int) -> HttpResponse:
    """Refusals of ``scope_required`` (no token, a bad token, a missing scope), in the exchange's format."""
    return _refusal(
        message, status, code=queries.CODE_AUTHENTICATION if status == 401 else queries.CODE_SCOPE
    )


def _log(
    request: HttpRequest,
    *,
    key: Any,
    started: float,
    status: str,
    http_status: int,
    regulator: Any = None,
    records: int = 0,
    response_bytes: int = 0,
    messages: list[dict[str, Any]] | None = None,
) -> None:
    api = request.api  # type: ignore[attr-defined]
    transaction_record(
        key=key,
        endpoint=(request.resolver_match.url_name if request.resolver_match else None) or request.path,
        method=request.method or "GET",
        status=status,
        http_status=http_status,
        client=api.client,
        regulator=regulator or api.client.regulator,
        query=request.META.get("QUERY_STRING", ""),
        messages=messages,
        records=records,
        response_bytes=response_bytes,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


def _document(
    request: HttpRequest, body: bytes, *, key: Any, started: float, regulator: Any = None, records: int = 0
) -> HttpResponse:
    response = HttpResponse(body, content_type=XML)
    _headers(response, key, ACCEPTED)
    _log(
        request,
        key=key,
        started=started,
        status=ACCEPTED,
        http_status=200,
        regulator=regulator,
        records=records,
        response_bytes=len(body),
    )
    return response


def _refused(
    request: HttpRequest,
    message: str,
    status: int,
    *,
    code: int,
    key: Any,
    started: float,
    regulator: Any = None,
) -> HttpResponse:
    response = _refusal(message, status, code=code, key=key)
    _log(
        request,
        key=key,
        started=started,
        status=REJECTED,
        http_status=status,
        regulator=regulator,
        response_bytes=len(response.content),
        messages=[{"level": "required", "code": code, "message": message}],
    )
    return response


def _streamed(
    request: HttpRequest,
    chunks: Iterator[bytes],
    *,
    key: Any,
    started: float,
    regulator: Any,
    counter: list[int],
    messages: list[dict[str, Any]] | None = None,
    extra_headers: dict[str, str] | None = None,
) -> StreamingHttpResponse:
    """A streamed document. Logged before the first byte; its size, duration and count once it is sent."""
    _log(
        request,
        key=key,
        started=started,
        status=ACCEPTED,
        http_status=200,
        regulator=regulator,
        messages=messages,
    )

    def logged() -> Iterator[bytes]:
        size, finished, problem = 0, False, ""
        try:
            for chunk in chunks:
                size += len(chunk)
                yield chunk
            finished = True
        except Exception as error:
            problem = f"The stream broke off: {error}"
            raise
        finally:
            if not finished and not problem:
                problem = "The client stopped reading before the end of the document."
            transaction_complete(
                key=key,
                response_bytes=size,
                duration_ms=int((time.monotonic() - started) * 1000),
                records=counter[0],
                status=TransactionStatus.ERRORS if problem else None,
                messages=[*(messages or []), {"level": "error", "message": problem}] if problem else None,
            )

    response = StreamingHttpResponse(logged(), content_type=XML)
    _headers(response, key, ACCEPTED)
    for name, value in (extra_headers or {}).items():
        response[name] = value
    return response


# --- Parameters ---------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%m-%d-%Y", "%Y-%m-%d", "%m/%d/%Y")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")


def _when(request: HttpRequest, name: str, *, end: bool) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    day_text, _sep, time_text = raw.replace("T", " ").partition(" ")
    parsed_day = None
    for pattern in _DATE_FORMATS:
        try:
            parsed_day = datetime.strptime(day_text, pattern).date()
            break
        except ValueError:
            continue
    if parsed_day is None:
        raise ParameterProblem(
            _(
                "%(name)s: “%(value)s” is not a date. Write it as MM-DD-YYYY, e.g. 07-29-2024, optionally with a time 13:00:00."
            )
            % {"name": name, "value": raw}
        )
    moment = day_time(23, 59, 59) if end else day_time(0, 0, 0)
    if time_text.strip():
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(time_text.strip(), pattern).time()
                break
            except ValueError:
                continue
        else:
            raise ParameterProblem(
                _("%(name)s: “%(value)s” has a time that is not HH:MM:SS (24-hour clock).")
                % {"name": name, "value": raw}
            )
    return timezone.make_aware(datetime.combine(parsed_day, moment))


def _number(request: HttpRequest, name: str, *, minimum: int = 1, maximum: int = 999_999_999) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise ParameterProblem(
            _("%(name)s: “%(value)s” must be a whole number from %(min)d to %(max)d.")
            % {"name": name, "value": raw, "min": minimum, "max": maximum}
        )
    return int(raw)


def _parameter(request: HttpRequest, *names: str) -> str:
    """The first of ``names`` given (the state's parameter names are not consistent in case)."""
    for name in names:
        if name in request.GET:
            return name
    return names[0]


def _regulator(request: HttpRequest) -> Any:
    """The regulator named by ``regulatorCode``; Http404 unless the client's identity belongs to it."""
    code = _number(request, "regulatorCode", minimum=1000, maximum=9999)
    if code is None:
        raise ParameterProblem(
            _("regulatorCode is required: the code of your agency, e.g. regulatorCode=1500.")
        )
    return regulator_get_for_user(user=request.user, code=code)


def query_view(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An EDT query view: GET only, the scope checked, and parameter problems and 404s answered in XML."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key, started = uuid.uuid4(), time.monotonic()
            try:
                return view(request, *args, key=key, started=started, **kwargs)
            except ParameterProblem as problem:
                return _refused(
                    request, problem.message, 400, code=queries.CODE_PARAMETER, key=key, started=started
                )
            except Http404:
                return _refused(
                    request,
                    _("Not found, or not in your agency's jurisdiction."),
                    404,
                    code=queries.CODE_NOT_FOUND,
                    key=key,
                    started=started,
                )

        return require_GET(scope_required(scope, unauthorized=_unauthorized)(wrapper))

    return decorator


# --- Tier 1: libraries ------------------------------------------------------------------------------------

QUERY_ENDPOINTS = (
    queries.EndpointInfo(
        "Regulator Authentication Test",
        1,
        "RAT",
        "Library",
        "/EDT/Library/AuthenticationTest",
        "Checks the token and lists the services it reaches.",
        "library",
        "EndpointMetadata",
    ),
    queries.EndpointInfo(
        "Violation Library Query",
        1,
        "VLQ",
        "Library",
        "/EDT/Library/Violations",
        "The violation library.",
        "library",
        "ViolationLibraryQuery",
    ),
    queries.EndpointInfo(
        "Chemical Library Query",
        1,
        "CLQ",
        "Library",
        "/EDT/Library/Chemicals",
        "The chemical library, or one substance: /EDT/Library/Chemicals/{CAS number or CCLID}.",
        "library",
        "ChemicalLibraryQuery",
    ),
    queries.EndpointInfo(
        "Data Dictionary Query",
        1,
        "DDQ",
        "Library",
        "/EDT/Library/DataDictionary",
        "The fields of the submittal elements and their code lists (?xmlTag= for one field).",
        "library",
        "DictionaryDataQuery",
    ),
    queries.EndpointInfo(
        "Regulator Facility Submittal Query",
        2,
        "RFSQ",
        "Query",
        "/EDT/Regulator/FacilitySubmittal/Query",
        "Submitted elements of the agency's facilities.",
        "query",
        "RegulatorFacilitySubmittalQuery",
    ),
    queries.EndpointInfo(
        "Regulator Facility Submittal Document Query",
        2,
        "RFSDQ",
        "Query",
        "/EDT/Regulator/FacilitySubmittal/Document/{CERSUniqueKey}",
        "A document file of a submitted element.",
        "query",
        "RegulatorFacilitySubmittalQuery",
    ),
    queries.EndpointInfo(
        "Regulator Facility Query",
        2,
        "RFQ",
        "Query",
        "/EDT/Regulator/Facility/Query",
        "The agency's facilities.",
        "query",
        "RegulatorFacilityQuery",
    ),
    queries.EndpointInfo(
        "Regulator Organization Query",
        2,
        "ROQ",
        "Query",
        "/EDT/Regulator/Organization/Query",
        "The organizations owning the agency's facilities.",
        "query",
        "RegulatorOrganizationQuery",
    ),
    queries.EndpointInfo(
        "Regulator Facility Transfer Query",
        2,
        "RFTQ",
        "Query",
        "/EDT/Regulator/FacilityTransfer/Query",
        "Facility transfers in the agency's jurisdiction.",
        "query",
        "RegulatorFacilityTransferQuery",
    ),
)


@query_view("library")
def authentication_test(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """The token works: the query services, each marked available or not to this client."""
    body = queries.endpoints_document(
        endpoints=QUERY_ENDPOINTS,
        scopes=request.api.client.scopes,  # type: ignore[attr-defined]
        base_url=request.build_absolute_uri("/"),
        generated_at=timezone.now(),
    )
    return _document(request, body, key=key, started=started)


@query_view("library")
def violation_library(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """The violation library (empty until one is loaded)."""
    return _document(
        request, queries.violation_library_document(generated_at=timezone.now()), key=key, started=started
    )


@query_view("library")
def chemical_library(request: HttpRequest, *, key: Any, started: float) -> StreamingHttpResponse:
    """The whole chemical library, streamed in CCLID order."""
    counter = [0]
    chunks = queries.chemical_library_stream(
        chemicals=Chemical.objects.all(), generated_at=timezone.now(), counter=counter
    )
    return _streamed(request, chunks, key=key, started=started, regulator=None, counter=counter)


@query_view("library")
def chemical(request: HttpRequest, identifier: str, *, key: Any, started: float) -> HttpResponse:
    """One substance by CAS number (7664-93-9) or library id (CCLID)."""
    found = queries.chemical_find(identifier)
    if found is None:
        raise Http404
    body = b"".join(
        queries.chemical_library_stream(
            chemicals=Chemical.objects.filter(pk=found.pk), generated_at=timezone.now()
        )
    )
    return _document(request, body, key=key, started=started, records=1)


@query_view("library")
def data_dictionary(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """The data dictionary of the element field tables, with their code lists."""
    xml_tag = request.GET.get(_parameter(request, "xmlTag", "xmltag"), "").strip()
    body = queries.data_dictionary_document(generated_at=timezone.now(), xml_tag=xml_tag)
    return _document(request, body, key=key, started=started)


# --- Tier 2: regulator queries ------------------------------------------------------------------------------


def _submittal_filters(request: HttpRequest) -> rfsq.SubmittalFilters:
    status_text = request.GET.get("status", "").strip()
    if status_text and status_text not in STATUS_BY_CODE:
        raise ParameterProblem(
            _(
                "status: “%(value)s” is not a submittal status: 2 Submitted, 3 Under review, 4 Accepted, 5 Not accepted, 6 Not applicable (drafts are never returned)."
            )
            % {"value": status_text}
        )
    return rfsq.SubmittalFilters(
        cers_id=_number(
            request, _parameter(request, "CERSID", "cersid", "cersId"), minimum=10000001, maximum=99999999
        ),
        organization_code=_number(request, "organizationCode"),
        status=STATUS_BY_CODE.get(status_text),
        element=_number(request, "submittalElement", maximum=10),
        submitted_from=_when(request, "submittedOnStart", end=False),
        submitted_to=_when(request, "submittedOnEnd", end=True),
        action_from=_when(request, "submittalActionOnStart", end=False),
        action_to=_when(request, "submittalActionOnEnd", end=True),
    )


@query_view("query")
def facility_submittal_query(request: HttpRequest, *, key: Any, started: float) -> StreamingHttpResponse:
    """RFSQ: the submitted elements of the agency's facilities, by facility submittal, streamed."""
    regulator = _regulator(request)
    filters = _submittal_filters(request)
    limit = _number(request, "limit", maximum=rfsq.MAX_RESULTS) or rfsq.MAX_RESULTS
    elements = rfsq.rfsq_elements(user=request.user, regulator=regulator, filters=filters)
    try:
        page = rfsq.rfsq_page(elements, after=request.GET.get("after", "").strip() or None, limit=limit)
    except rfsq.UnknownContinuation:
        raise ParameterProblem(_("after: the continuation key names no facility submittal.")) from None
    headers: dict[str, str] = {}
    note = ""
    messages = None
    if page.more:
        query = request.GET.copy()
        query["after"] = page.next_after or ""
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))
        note = (
            f"This response holds the first {len(page.submittal_ids)} facility submittals matching the query; "
            f"more follow. Ask for the next ones with after={page.next_after} (also in the Link header)."
        )
        headers = {"Link": f'<{next_url}>; rel="next"', "X-Continuation-Key": page.next_after or ""}
        messages = [{"level": "advisory", "message": note}]
    counter = [0]
    chunks = rfsq.rfsq_stream(
        elements=elements,
        page=page,
        regulator=regulator,
        transaction_key=key,
        generated_at=timezone.now(),
        note=note,
        counter=counter,
    )
    return _streamed(
        request,
        chunks,
        key=key,
        started=started,
        regulator=regulator,
        counter=counter,
        messages=messages,
        extra_headers=headers,
    )


@query_view("query")
def facility_submittal_document(
    request: HttpRequest, key_text: uuid.UUID, *, key: Any, started: float
) -> Any:
    """RFSDQ: a document file of one of the agency's submitted elements, by its CERSUniqueKey."""
    regulator = _regulator(request)
    stored = regulator_file_get(user=request.user, regulator=regulator, public_id=key_text)
    if not stored.storage_key:
        return _refused(
            request,
            _(
                "This document was migrated from the state's system as a description only: its file is not held here."
            ),
            404,
            code=queries.CODE_NOT_FOUND,
            key=key,
            started=started,
            regulator=regulator,
        )
    response = file_response(stored)
    _headers(response, key, ACCEPTED)
    _log(
        request,
        key=key,
        started=started,
        status=ACCEPTED,
        http_status=200,
        regulator=regulator,
        records=1,
        response_bytes=stored.size,
    )
    return response


@query_view("query")
def facility_query(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """RFQ: the agency's facilities (at most 1,000 per response, by CERS ID; ``after`` a CERS ID for more)."""
    regulator = _regulator(request)
    facilities = queries.facility_query(
        queries.jurisdiction_facilities(user=request.user, regulator=regulator),
        queries.FacilityFilters(
            cers_id=_number(
                request, _parameter(request, "CERSID", "cersid", "cersId"), minimum=10000001, maximum=99999999
            ),
            organization_code=_number(request, "organizationCode"),
            created_from=_when(request, "createdOnStart", end=False),
            created_to=_when(request, "createdOnEnd", end=True),
        ),
    )
    after = _number(request, "after", minimum=10000001, maximum=99999999)
    if after is not None:
        facilities = facilities.filter(cers_id__gt=after)
    body, returned, _total = queries.facility_query_document(
        facilities=facilities, regulator=regulator, key=key, generated_at=timezone.now()
    )
    return _document(request, body, key=key, started=started, regulator=regulator, records=returned)


@query_view("query")
def organization_query(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """ROQ: the organizations owning the agency's facilities, each with those facilities."""
    regulator = _regulator(request)
    body, returned = queries.organization_query_document(
        facilities=queries.jurisdiction_facilities(user=request.user, regulator=regulator),
        filters=queries.OrganizationFilters(
            organization_code=_number(request, "organizationCode"),
            cers_id=_number(
                request, _parameter(request, "CERSID", "cersid", "cersId"), minimum=10000001, maximum=99999999
            ),
            name=request.GET.get(_parameter(request, "organizationName", "name"), "").strip()[:100],
            created_from=_when(request, "createdOnStart", end=False),
        ),
        key=key,
        generated_at=timezone.now(),
    )
    return _document(request, body, key=key, started=started, regulator=regulator, records=returned)


@query_view("query")
def facility_transfer_query(request: HttpRequest, *, key: Any, started: float) -> HttpResponse:
    """RFTQ: facility transfers of the agency's jurisdiction (none are recorded yet)."""
    regulator = _regulator(request)
    _when(request, "occurredOnStart", end=False)
    _when(request, "occurredOnEnd", end=True)
    body = queries.facility_transfer_document(key=key, generated_at=timezone.now())
    return _document(request, body, key=key, started=started, regulator=regulator)


urlpatterns = [
    path("EDT/Library/AuthenticationTest", authentication_test, name="edt_authentication_test"),
    path("EDT/Library/Violations", violation_library, name="edt_violation_library"),
    path("EDT/Library/Chemicals", chemical_library, name="edt_chemical_library"),
    path("EDT/Library/Chemicals/<str:identifier>", chemical, name="edt_chemical"),
    path("EDT/Library/DataDictionary", data_dictionary, name="edt_data_dictionary"),
    path(
        "EDT/Regulator/FacilitySubmittal/Query", facility_submittal_query, name="edt_facility_submittal_query"
    ),
    path(
        "EDT/Regulator/FacilitySubmittal/Document/<uuid:key_text>",
        facility_submittal_document,
        name="edt_facility_submittal_document",
    ),
    path("EDT/Regulator/Facility/Query", facility_query, name="edt_facility_query"),
    path("EDT/Regulator/Organization/Query", organization_query, name="edt_organization_query"),
    path("EDT/Regulator/FacilityTransfer/Query", facility_transfer_query, name="edt_facility_transfer_query"),
]
