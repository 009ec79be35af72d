from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from opencers.accounts.api_clients import (
    agency_client_create,
    api_client_authenticate,
    api_client_revoke,
    organization_client_create,
    personal_token_create,
)
from opencers.accounts.models import ApiClient
from opencers.core.errors import DomainError
from opencers.organizations.selectors import facilities_for_user, lead_users
from opencers.regulators.selectors import regulator_staff


def test_agency_client_token_is_shown_once_and_stored_hashed(world):
    client, token = agency_client_create(
        regulator=world.sac, actor=world.users["regulator"], name="County system", scopes=["query", "action"]
    )
    assert token.startswith("oc_") and len(token) > 40
    assert token not in client.token_digest and client.token_digest != token
    assert ApiClient.objects.filter(token_digest__contains=token[3:20]).count() == 0
    api = api_client_authenticate(token)
    assert api is not None and api.client == client and api.has_scope("query") and not api.has_scope("cme")


def test_agency_identity_sees_only_its_jurisdiction(world):
    _client, token = agency_client_create(
        regulator=world.sac, actor=None, name="County system", scopes=["query"]
    )
    identity = api_client_authenticate(token).user
    assert list(facilities_for_user(user=identity)) == [world.facility]
    assert identity.is_service_account and not identity.has_usable_password()
    assert identity not in regulator_staff(regulator=world.sac, permission="regulator:view")


def test_organization_client_acts_with_the_group_its_scopes_need(world):
    _client, token = organization_client_create(
        organization=world.organization,
        actor=world.users["lead"],
        name="ERP",
        scopes=["business:read", "business:write"],
    )
    identity = api_client_authenticate(token).user
    assert list(facilities_for_user(user=identity, permission="facility:edit")) == [world.facility]
    assert list(facilities_for_user(user=identity, permission="facility:submit")) == []
    assert identity not in lead_users(organization=world.organization)


def test_expired_and_revoked_tokens_are_refused(world):
    client, token = personal_token_create(user=world.users["lead"], name="script", scopes=["business:read"])
    assert api_client_authenticate(token) is not None
    ApiClient.objects.filter(pk=client.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client_authenticate(token) is None
    client2, token2 = personal_token_create(user=world.users["lead"], name="script", scopes=["business:read"])
    api_client_revoke(client=client2, actor=world.users["lead"])
    assert api_client_authenticate(token2) is None
    assert api_client_authenticate("oc_not-a-token") is None
    assert api_client_authenticate("Basic abc") is None


@pytest.mark.parametrize("scopes", [[], ["query", "nonsense"], ["business:write"]])
def test_agency_scopes_are_checked(world, scopes):
    with pytest.raises(DomainError):
        agency_client_create(regulator=world.sac, actor=None, name="x", scopes=scopes)
    assert ApiClient.objects.count() == 0


def test_cli_creates_lists_and_revokes(world):
    out = StringIO()
    call_command(
        "edt_client",
        "create",
        "--regulator",
        "3400",
        "--scopes",
        "library,query",
        "--name",
        "County system",
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    assert api_client_authenticate(token) is not None
    listing = StringIO()
    call_command("edt_client", "list", "--regulator", "3400", stdout=listing)
    assert "County system" in listing.getvalue() and token not in listing.getvalue()
    client = ApiClient.objects.get()
    call_command("edt_client", "revoke", str(client.public_id), stdout=StringIO())
    assert api_client_authenticate(token) is None
