"""Authentication and authorization of the JSON API: tokens, scopes, tenants (404 for "not yours")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opencers.accounts.api_clients import api_client_revoke, personal_token_create
from opencers.accounts.models import ApiClient
from opencers.exchange.tests.api_support import (
    agency_token,
    body,
    call,
    organization_token,
    personal_token,
)

FACILITIES = "/api/v1/facilities/"


def _facility(world) -> str:
    return f"/api/v1/facilities/{world.facility.cers_id}/"


def test_no_token_is_refused_with_401_and_a_challenge(world):
    response = call("GET", FACILITIES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
    assert body(response) == {
        "code": "not_authenticated",
        "message": "Send your token in an 'Authorization: Bearer <token>' header.",
        "errors": [
            {
                "code": "not_authenticated",
                "message": "Send your token in an 'Authorization: Bearer <token>' header.",
                "field": None,
                "row": None,
            }
        ],
    }


def test_a_signed_in_browser_session_is_not_an_api_credential(world):
    response = world.client_for("lead").get(FACILITIES)
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer oc_unknown-token", "Bearer nonsense", "Basic dXNlcjpwYXNz"])
def test_unknown_tokens_are_refused(world, header):
    response = call("GET", FACILITIES, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
    assert body(response)["code"] in ("invalid_token", "not_authenticated")


def test_expired_token_is_refused(world):
    client, token = personal_token_create(user=world.users["lead"], name="script", scopes=["business:read"])
    assert call("GET", FACILITIES, token).status_code == 200
    ApiClient.objects.filter(pk=client.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = call("GET", FACILITIES, token)
    assert response.status_code == 401
    assert body(response)["code"] == "invalid_token"


def test_revoked_token_is_refused(world):
    client, token = personal_token_create(user=world.users["lead"], name="script", scopes=["business:read"])
    api_client_revoke(client=client, actor=world.users["lead"])
    response = call("GET", FACILITIES, token)
    assert response.status_code == 401
    assert body(response)["code"] == "invalid_token"


def test_a_revoked_organization_client_cannot_act_any_more(world):
    token = organization_token(world, ["business:read"])
    client = ApiClient.objects.get(organization=world.organization)
    api_client_revoke(client=client, actor=world.users["lead"])
    assert call("GET", FACILITIES, token).status_code == 401


def test_scopes_are_enforced_per_method(world):
    read_only = personal_token(world, "lead", ["business:read"])
    draft_url = _facility(world) + "elements/inventory/draft/"
    assert call("GET", _facility(world), read_only).status_code == 200
    response = call("POST", draft_url, read_only, {})
    assert response.status_code == 403
    assert body(response)["code"] == "insufficient_scope"
    assert body(response)["message"] == "The token does not have the 'business:write' scope needed here."
    assert world.facility.elements.count() == 0
    submit = call(
        "POST",
        _facility(world) + "submittals/",
        personal_token(world, "lead", ["business:read", "business:write"]),
        {"elements": ["facility-information"], "signer_name": "Lena", "signer_title": "Owner"},
    )
    assert submit.status_code == 403
    assert body(submit)["message"] == "The token does not have the 'business:submit' scope needed here."


def test_a_business_token_never_reaches_regulator_endpoints(world):
    token = personal_token(world, "lead")
    organization = organization_token(world)
    for url in (
        "/api/v1/regulators/",
        f"/api/v1/regulators/{world.sac.code}/queue/",
        f"/api/v1/regulators/{world.sac.code}/facilities/",
        f"/api/v1/regulators/{world.sac.code}/facilities/{world.facility.cers_id}/",
    ):
        for credential in (token, organization):
            response = call("GET", url, credential)
            assert response.status_code == 403, url
            assert body(response)["code"] == "insufficient_scope"


def test_an_agency_token_never_reaches_business_endpoints(world):
    token = agency_token(world)
    response = call("GET", _facility(world), token)
    assert response.status_code == 403
    assert body(response)["code"] == "insufficient_scope"


def test_an_agency_token_never_sees_another_jurisdiction(world):
    kern = agency_token(world, regulator=world.kern)
    for url in (
        f"/api/v1/regulators/{world.sac.code}/queue/",
        f"/api/v1/regulators/{world.sac.code}/facilities/",
        f"/api/v1/regulators/{world.sac.code}/facilities/{world.facility.cers_id}/",
        f"/api/v1/regulators/{world.kern.code}/facilities/{world.facility.cers_id}/",
    ):
        response = call("GET", url, kern)
        assert response.status_code == 404, url
        assert body(response)["code"] == "not_found"
    own = call("GET", f"/api/v1/regulators/{world.kern.code}/facilities/", kern)
    assert [f["cers_id"] for f in body(own)["results"]] == [world.other_facility.cers_id]


def test_a_business_token_never_sees_another_business(world):
    other = personal_token(world, "other_business")
    response = call("GET", _facility(world), other)
    assert response.status_code == 404
    listing = call("GET", FACILITIES, other)
    assert [f["cers_id"] for f in body(listing)["results"]] == [world.other_facility.cers_id]
    foreign_client = organization_token(world, organization=world.other_organization)
    assert call("GET", _facility(world), foreign_client).status_code == 404


def test_a_regulators_personal_token_with_business_scopes_sees_no_business_data(world):
    _client, token = personal_token_create(
        user=world.users["regulator"], name="script", scopes=["business:read", "regulator:read"]
    )
    assert body(call("GET", FACILITIES, token))["results"] == []
    assert call("GET", _facility(world), token).status_code == 404
    queue = call("GET", f"/api/v1/regulators/{world.sac.code}/queue/", token)
    assert queue.status_code == 200


def test_the_identitys_permission_group_limits_writes(world):
    viewer = personal_token(world, "viewer")  # business:write scope, but a Viewer in the organization
    response = call("POST", _facility(world) + "elements/inventory/draft/", viewer, {})
    assert response.status_code == 403
    assert body(response)["code"] == "not_permitted"
    assert world.facility.elements.count() == 0
    reader_client = organization_token(world, ["business:read"])
    assert call("GET", _facility(world), reader_client).status_code == 200


def test_unsupported_methods_answer_405(world):
    token = personal_token(world, "lead")
    response = call("DELETE", FACILITIES, token)
    assert response.status_code == 405
    assert body(response)["code"] == "method_not_allowed"
