"""The OpenAPI schema and the browsable documentation (Swagger UI served from our own static files).

The documentation page loads only same-origin scripts and styles (the Swagger UI distribution of
drf-spectacular-sidecar and a small start-up script), so it works under the site's Content Security Policy.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    permission = "public"


def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/api_docs.html", {"schema_url": reverse("exchange:api:schema")})


docs.permission = "public"  # type: ignore[attr-defined]


def schema_view() -> Any:
    return SchemaView.as_view()


class BearerScheme(OpenApiAuthenticationExtension):
    """Documents ``BearerAuthentication`` as the HTTP bearer scheme of the schema."""

    target_class = "opencers.exchange.auth.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (oc_…): a personal token or an organization client made in the "
            "business portal, or an agency client (regulator portal or `manage.py edt_client`).",
        }
