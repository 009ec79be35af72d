"""Making and revoking API tokens in the business portal, and using them against the API."""

from __future__ import annotations

import re

from django.urls import reverse

from opencers.accounts.models import ApiClient, ApiClientKind
from opencers.core.models import AuditEvent
from opencers.exchange.tests.api_support import body, call


def _token_in(page: str) -> str:
    found = re.search(r'id="new-token" type="text" readonly value="(oc_[^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_person_makes_a_token_sees_it_once_and_uses_it(world):
    browser = world.client_for("lead")
    url = reverse("business:api_tokens")
    page = browser.get(url).content.decode()
    assert 'value="regulator:read"' not in page  # a business user is offered business scopes only
    response = browser.post(
        url, {"name": "Nightly sync", "scopes": ["business:read"], "expires_in_days": "30"}
    )
    assert response.status_code == 200
    token = _token_in(response.content.decode())
    client = ApiClient.objects.get(kind=ApiClientKind.PERSONAL, identity=world.users["lead"])
    assert (client.name, client.scopes) == ("Nightly sync", ["business:read"])
    assert token.startswith(client.token_prefix)
    again = browser.get(url).content.decode()
    assert token not in again
    assert f"{client.token_prefix}…" in again
    listing = call("GET", "/api/v1/facilities/", token)
    assert [f["cers_id"] for f in body(listing)["results"]] == [world.facility.cers_id]


def test_a_regulator_is_offered_the_regulator_scopes(world):
    page = world.client_for("regulator").get(reverse("business:api_tokens")).content.decode()
    assert 'value="regulator:act"' in page


def test_refused_input_makes_no_token(world):
    browser = world.client_for("lead")
    response = browser.post(reverse("business:api_tokens"), {"name": "x", "expires_in_days": "9999"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_person_revokes_their_token_and_no_one_else_can(world):
    browser = world.client_for("lead")
    page = browser.post(
        reverse("business:api_tokens"),
        {"name": "Script", "scopes": ["business:read"], "expires_in_days": "30"},
    ).content.decode()
    token = _token_in(page)
    client = ApiClient.objects.get()
    revoke = reverse("business:api_token_revoke", kwargs={"public_id": client.public_id})
    assert world.client_for("viewer").post(revoke).status_code == 404
    client.refresh_from_db()
    assert client.revoked_at is None
    assert browser.post(revoke).status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert call("GET", "/api/v1/facilities/", token).status_code == 401
    assert AuditEvent.objects.filter(action="api_client.revoked").count() == 1


def test_a_lead_user_makes_an_organization_client(world):
    url = reverse("business:api_clients", kwargs={"code": world.organization.code})
    assert world.client_for("editor").get(url).status_code == 404
    browser = world.client_for("lead")
    response = browser.post(
        url, {"name": "ERP", "scopes": ["business:read", "business:write"], "expires_in_days": "365"}
    )
    assert response.status_code == 200
    token = _token_in(response.content.decode())
    client = ApiClient.objects.get(kind=ApiClientKind.ORGANIZATION)
    assert client.organization == world.organization
    assert client.identity.memberships.get().group == "editor"
    assert call("GET", f"/api/v1/facilities/{world.facility.cers_id}/", token).status_code == 200
    revoke = reverse(
        "business:api_client_revoke", kwargs={"code": world.organization.code, "public_id": client.public_id}
    )
    assert world.client_for("other_business").post(revoke).status_code == 404
    assert browser.post(revoke).status_code == 302
    assert call("GET", f"/api/v1/facilities/{world.facility.cers_id}/", token).status_code == 401


def test_the_account_and_organization_pages_link_to_the_token_pages(world):
    account = world.client_for("lead").get(reverse("web:account")).content.decode()
    assert reverse("business:api_tokens") in account
    organization = world.client_for("lead").get(
        reverse("business:organization", kwargs={"code": world.organization.code})
    )
    assert (
        reverse("business:api_clients", kwargs={"code": world.organization.code})
        in organization.content.decode()
    )
