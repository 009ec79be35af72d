"""Regulator portal: downloading a file of a submitted element version owned by the regulator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from opencers.core.permissions import permission_required
from opencers.documents.downloads import file_response
from opencers.documents.selectors import regulator_file_get
from opencers.regulators.selectors import regulator_get_for_user


@permission_required("regulator:view")
@require_http_methods(["GET", "HEAD"])
def document_download(request: HttpRequest, code: int, public_id: str) -> HttpResponse:
    """Only files of submitted versions routed to this regulator; drafts and other agencies' files: 404."""
    regulator = regulator_get_for_user(user=request.user, code=code)
    stored = regulator_file_get(user=request.user, regulator=regulator, public_id=public_id)
    return file_response(stored)  # type: ignore[return-value]  # a streaming response


urlpatterns = [
    path("<int:code>/files/<uuid:public_id>/", document_download, name="document_download"),
]
