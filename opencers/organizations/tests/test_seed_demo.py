"""``manage.py seed_demo``: counties, county CUPAs, two businesses, a persona for every role; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencers.accounts.models import StateRole, TotpDevice, User
from opencers.core.models import AuditEvent
from opencers.notifications.models import EmailMessage
from opencers.organizations.demo import DEMO_PASSWORD
from opencers.organizations.models import (
    Facility,
    FacilityElementRoute,
    Membership,
    Organization,
    PermissionGroup,
)
from opencers.regulators.models import (
    County,
    ElementDelegation,
    JurisdictionZip,
    Regulator,
    RegulatorKind,
    RegulatorMembership,
    RegulatorRole,
)

COUNTED = (
    County,
    Regulator,
    JurisdictionZip,
    ElementDelegation,
    Organization,
    Facility,
    FacilityElementRoute,
    Membership,
    RegulatorMembership,
    User,
    TotpDevice,
    AuditEvent,
    EmailMessage,
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_seed_demo_loads_counties_cupas_businesses_and_personas(settings):
    settings.DEMO_MODE = True

    output = _seed()

    assert output == "demo data ready: 2 organizations, 3 facilities, 16 users\n"
    # 58 counties, each with its county CUPA; Kern (county 15) is CUPA 1500.
    assert County.objects.count() == 58
    assert Regulator.objects.filter(kind=RegulatorKind.CUPA).count() == 58
    assert set(
        Regulator.objects.filter(kind=RegulatorKind.CUPA).values_list("county__name", flat=True)
    ) == set(County.objects.values_list("name", flat=True))
    kern = Regulator.objects.get(code=1500)
    assert (kern.name, kern.county.name, kern.county.number) == ("Kern County CUPA", "Kern", 15)
    assert Regulator.objects.get(code=3400).name == "Sacramento County CUPA"
    assert JurisdictionZip.objects.get(zip_code="93301").regulator == kern
    # Two businesses with their facilities, each routed to its CUPA.
    assert sorted(Organization.objects.values_list("name", flat=True)) == [
        "Acme Plating Inc.",
        "Brightwater Farms LLC",
    ]
    assert sorted(Facility.objects.values_list("organization__name", "street", "zip_code", "cupa__code")) == [
        ("Acme Plating Inc.", "1001 I ST", "95814", 3400),
        ("Acme Plating Inc.", "2500 DEL PASO BLVD", "95815", 3400),
        ("Brightwater Farms LLC", "1200 TRUXTUN AVE", "93301", 1500),
    ]


@pytest.mark.django_db
def test_seed_demo_has_a_persona_for_every_role(settings):
    settings.DEMO_MODE = True

    _seed()

    assert set(Membership.objects.values_list("group", flat=True)) == set(PermissionGroup.values)
    assert set(RegulatorMembership.objects.values_list("role", flat=True)) == set(RegulatorRole.values)
    state_roles = {role for role in StateRole.values if role}
    assert set(User.objects.exclude(state_role="").values_list("state_role", flat=True)) == state_roles
    # Every persona can sign in with the published password; agency staff have two-step sign-in set up.
    for user in User.objects.all():
        assert user.is_active, user.email
        assert user.check_password(DEMO_PASSWORD), user.email
        staff = user.state_role != "" or RegulatorMembership.objects.filter(user=user).exists()
        assert TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists() is staff, user.email


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEMO_MODE = True
    _seed()
    first = _counts()

    output = _seed()

    assert _counts() == first
    assert output == "demo data ready: 2 organizations, 3 facilities, 16 users\n"


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_without_demo_mode(settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError) as refused:
        _seed()

    assert (
        str(refused.value) == "seed_demo only runs with DEMO_MODE on: its personas have published passwords."
    )
    assert all(count == 0 for count in _counts().values())
