"""One JSON error format for every refusal of the API (docs/api/errors.md).

Every error answer has this body::

    {"code": "field_problems", "message": "2 fields need correcting. Nothing was saved.",
     "errors": [{"code": "invalid", "message": "…", "field": "Units", "row": 3}, …]}

``code`` is a stable word a program can test; ``message`` is written for a person. ``errors`` lists
each problem (at least one) with the field (the state's XML name where there is one) and, for inventory
rows, the 1-based row number of the request; both are null when they do not apply.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from opencers.core.errors import DomainError, InvalidTransition, NotPermitted


def problem(message: str, *, code: str = "invalid", field: str | None = None, row: int | None = None) -> dict:
    return {"code": code, "message": str(message), "field": field, "row": row}


def error_body(code: str, message: str, errors: list[dict] | None = None, **one: Any) -> dict[str, Any]:
    return {
        "code": code,
        "message": str(message),
        "errors": errors if errors else [problem(message, code=code, **one)],
    }


class ApiError(exceptions.APIException):
    """A refusal with our error body; ``headers`` are added to the response (e.g. ``ETag``)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str,
        field: str | None = None,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.body = error_body(code, message, errors, field=field)
        self.headers = headers or {}


class PreconditionFailed(ApiError):
    def __init__(self, current_etag: str) -> None:
        super().__init__(
            _(
                "The draft changed since you read it (its ETag is now %(etag)s). Read it again, apply your change to the current version, and send it with the new ETag in If-Match."
            )
            % {"etag": current_etag},
            status_code=status.HTTP_412_PRECONDITION_FAILED,
            code="precondition_failed",
            field="If-Match",
            headers={"ETag": current_etag},
        )


class PreconditionRequired(ApiError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Send the draft's ETag in an If-Match header (read the draft first), so that no one else's change is overwritten."
            ),
            status_code=428,
            code="precondition_required",
            field="If-Match",
        )


def _domain_error(error: DomainError) -> tuple[int, dict[str, Any]]:
    problems = getattr(error, "problems", None)
    if isinstance(problems, dict):  # field problems of one row or one part
        errors = [problem(message, field=field) for field, message in problems.items()]
        return 422, error_body(error.code, error.message, errors)
    rows = getattr(error, "row_problems", None)
    if rows is not None:  # bulk rows: a list of (row, field, message)
        errors = [problem(message, field=field, row=row) for row, field, message in rows]
        return 422, error_body(error.code, error.message, errors)
    if isinstance(error, NotPermitted):
        return 403, error_body(error.code, error.message, field=error.field)
    if isinstance(error, InvalidTransition):
        return 409, error_body(error.code, error.message, field=error.field)
    return 422, error_body(error.code, error.message, field=error.field)


def _drf_errors(detail: Any, field: str | None = None) -> list[dict]:
    """Flatten DRF's nested validation details into our problem list."""
    if isinstance(detail, dict):
        result = []
        for name, inner in detail.items():
            inner_field = name if name != "non_field_errors" else field
            if field and name != "non_field_errors":
                inner_field = f"{field}.{name}"
            result.extend(_drf_errors(inner, inner_field))
        return result
    if isinstance(detail, list):
        result = []
        for index, inner in enumerate(detail):
            if isinstance(inner, dict | list):
                result.extend(_drf_errors(inner, f"{field}[{index}]" if field else f"[{index}]"))
            else:
                result.extend(_drf_errors(inner, field))
        return result
    return [problem(str(detail), code=getattr(detail, "code", "invalid") or "invalid", field=field)]


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in our format (unexpected errors still raise: a 500)."""
    if isinstance(exc, ApiError):
        return Response(exc.body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, DomainError):
        status_code, body = _domain_error(exc)
        return Response(body, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    code = _CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        errors = _drf_errors(exc.detail)
        message = (
            errors[0]["message"]
            if len(errors) == 1
            else _("%(count)d problems in the request.") % {"count": len(errors)}
        )
        response.data = error_body("invalid_request", message, errors)
        return response
    if isinstance(exc, exceptions.Throttled):
        message = _("Too many requests from this client. Wait %(seconds)s seconds, then try again.") % {
            "seconds": int(getattr(exc, "wait", None) or 1)
        }
    elif isinstance(exc, exceptions.AuthenticationFailed):
        code = "invalid_token"
        message = _(
            "The token is not valid: unknown, expired or revoked. Ask your administrator for a new one."
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        message = _("Send your token in an 'Authorization: Bearer <token>' header.")
    else:
        message = str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc.default_detail)
    response.data = error_body(code, message)
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other path under /api/v1/: a 404 in the API's format (not the portal's HTML page)."""
    message = _("There is no such API endpoint. The endpoints are listed at /api/v1/docs/.")
    return JsonResponse(error_body("not_found", message), status=404)


not_found.permission = "public"  # type: ignore[attr-defined]
