"""The OpenAPI schema, the documentation page, and schemathesis against the schema.

schemathesis generates requests for every operation from the schema and checks each answer: no server
error, a documented status code, content type and body, and authentication that is not ignored (a
successful request is repeated without a token and with a wrong one, which must be refused). It runs
with a business token (a Lead User's personal token), an agency token, and no token at all; examples
are few and derandomized so the run stays short and repeatable.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from opencers.core.elements import Element
from opencers.exchange.tests.api_support import agency_token, call, personal_token
from opencers.submittals.services import draft_get_or_create, facility_submit
from opencers.submittals.tests.factories import add_material, complete_facility_info

INVALID_TOKEN = "oc_not-a-valid-token"


def _header(headers, name: str) -> str | None:
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) else value
    return None


def auth_enforced(ctx, response, case):
    """No token: 401 with a challenge. A success with a token: the same request without a token, and with
    an invalid one, is refused with 401 (schemathesis's own ``ignored_auth`` does the same when it can
    tell how the request was authenticated; this one always runs)."""
    if _header(response.request.headers, "Authorization") is None:
        assert response.status_code == 401, (
            f"{case.operation.label} answered {response.status_code} without a token"
        )
        assert _header(response.headers, "WWW-Authenticate") == 'Bearer realm="OpenCERS"'
    elif 200 <= response.status_code < 300:
        for probe in (case.call(), case.call(headers={"Authorization": f"Bearer {INVALID_TOKEN}"})):
            assert probe.status_code == 401, f"{case.operation.label} ignored a missing or invalid token"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
    auth_enforced,
]
EXAMPLES = 4


def test_the_schema_is_openapi_3_and_documents_bearer_auth(db):
    response = call("GET", "/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert "/api/v1/facilities/{cers_id}/elements/inventory/draft/rows/" in schema["paths"]
    rows = schema["paths"]["/api/v1/facilities/{cers_id}/elements/inventory/draft/rows/"]
    assert sorted(rows) == ["get", "parameters", "post", "put"] or sorted(rows) == ["get", "post", "put"]
    assert {p["name"] for p in rows["put"]["parameters"]} >= {"If-Match", "Idempotency-Key"}
    assert all(
        operation.get("security") == [{"bearerAuth": []}]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    )


def test_the_documentation_page_loads_its_assets_from_this_site(db):
    response = call("GET", "/api/v1/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    html = response.content.decode()
    assert "<script>" not in html  # no inline script: the policy would block it
    assert "<style" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(sources) == 5
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")) is not None, source


@pytest.fixture
def api_world(world):
    """A facility with drafts of Facility Information and the inventory, and one submitted version."""
    lead = world.users["lead"]
    complete_facility_info(world.facility, lead)
    facility_submit(
        facility=world.facility,
        actor=lead,
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    complete_facility_info(world.facility, lead)
    inventory = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=lead
    )
    add_material(inventory)
    add_material(inventory, position=2, common_name="Diesel", cas_number="", ehs="N", units="a")
    return world


def _checker(strategy, headers: dict[str, str]):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    return check


def _run(schema, world, token: str | None) -> list[str]:
    """Every operation with a few generated requests; returns the failures (operation: error)."""
    failures: list[str] = []
    path_parameters = {"cers_id": world.facility.cers_id, "code": world.sac.code}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for result in schema.get_all_operations():
        operation = result.ok()
        known = {name: value for name, value in path_parameters.items() if f"{{{name}}}" in operation.path}
        try:
            _checker(operation.as_strategy(path_parameters=known or None), headers)()
        except Exception as error:  # collect them all, then fail once with the list
            failures.append(f"{operation.label}: {error}")
    return failures


@pytest.fixture
def schema(api_world, settings):
    """The schema, loaded through the WSGI application that schemathesis then calls in-process.

    As Django's test client does, the request signals must not close the database connection: the test
    runs inside a transaction that the requests share.
    """
    settings.API_RATE_LIMIT = 100000
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_schemathesis_with_a_business_token(api_world, schema):
    failures = _run(schema, api_world, personal_token(api_world, "lead"))
    assert failures == []


@pytest.mark.slow
def test_schemathesis_with_an_agency_token(api_world, schema):
    failures = _run(schema, api_world, agency_token(api_world))
    assert failures == []


@pytest.mark.slow
def test_schemathesis_without_a_token(api_world, schema):
    failures = _run(schema, api_world, None)
    assert failures == []
