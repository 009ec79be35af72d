"""Demo data: two businesses with facilities, and a persona for every role (demo mode only).

The personas and their password are published in the README. ``seed_demo`` refuses to run unless
``DEMO_MODE`` is on, so these accounts never exist in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from opencers.accounts.models import TotpDevice, User
from opencers.core.elements import Element
from opencers.organizations.addresses import address_wash
from opencers.organizations.models import Facility, Membership, Organization, PermissionGroup
from opencers.organizations.services import facility_create, organization_create
from opencers.regulators.models import (
    ElementDelegation,
    Regulator,
    RegulatorKind,
    RegulatorMembership,
    RegulatorRole,
)
from opencers.regulators.reference import load_counties_and_cupas

DEMO_PASSWORD = "correct horse battery staple demo"  # noqa: S105 (published demo credential)
# Regulator and state staff must use two-step sign-in; the demo personas share this published key.
DEMO_TOTP_SECRET = "OPENCERSDEMOKEYFORSTAFFONLY23456"  # 32 base32 characters  # noqa: S105


@dataclass(frozen=True)
class Persona:
    email: str
    name: str
    role: str


BUSINESS_PERSONAS = [
    # (organization, group)
    (Persona("lead@acme.example", "Lena Lead", "Lead User, Acme Plating"), "acme", PermissionGroup.LEAD),
    (
        Persona("approver@acme.example", "Aaron Approver", "Approver, Acme Plating"),
        "acme",
        PermissionGroup.APPROVER,
    ),
    (Persona("editor@acme.example", "Edith Editor", "Editor, Acme Plating"), "acme", PermissionGroup.EDITOR),
    (Persona("viewer@acme.example", "Victor Viewer", "Viewer, Acme Plating"), "acme", PermissionGroup.VIEWER),
    (
        Persona("lead@brightwater.example", "Bea Brightwater", "Lead User, Brightwater Farms"),
        "brightwater",
        PermissionGroup.LEAD,
    ),
]

SACRAMENTO_CUPA = 3400  # Sacramento is county 34
KERN_CUPA = 1500
SACRAMENTO_FIRE_PA = 3401

REGULATOR_PERSONAS = [
    (
        Persona("admin@saccounty.example", "Ada Admin", "Admin, Sacramento County CUPA"),
        SACRAMENTO_CUPA,
        RegulatorRole.ADMIN,
    ),
    (
        Persona("approver@saccounty.example", "Paul Approver", "Approver, Sacramento County CUPA"),
        SACRAMENTO_CUPA,
        RegulatorRole.APPROVER,
    ),
    (
        Persona("inspector@saccounty.example", "Ines Inspector", "Inspector, Sacramento County CUPA"),
        SACRAMENTO_CUPA,
        RegulatorRole.INSPECTOR,
    ),
    (
        Persona("viewer@saccounty.example", "Val Viewer", "Viewer, Sacramento County CUPA"),
        SACRAMENTO_CUPA,
        RegulatorRole.VIEWER,
    ),
    (
        Persona(
            "responder@saccounty.example", "Rita Responder", "Emergency responder, Sacramento County CUPA"
        ),
        SACRAMENTO_CUPA,
        RegulatorRole.EMERGENCY_RESPONDER,
    ),
    (
        Persona("uploader@saccounty.example", "Uma Uploader", "Data uploader, Sacramento County CUPA"),
        SACRAMENTO_CUPA,
        RegulatorRole.DATA_UPLOADER,
    ),
    (
        Persona(
            "ust@sacfire.example", "Ulysses Tank", "Approver, Sacramento Fire (participating agency, UST)"
        ),
        SACRAMENTO_FIRE_PA,
        RegulatorRole.APPROVER,
    ),
    (
        Persona("approver@kerncounty.example", "Kim Kern", "Approver, Kern County CUPA"),
        KERN_CUPA,
        RegulatorRole.APPROVER,
    ),
]

STATE_PERSONAS = [
    (Persona("helpdesk@calepa.example", "Hal Helpdesk", "State help desk admin"), "helpdesk"),
    (Persona("viewer@calepa.example", "Stella Statewide", "Statewide viewer"), "viewer"),
    (Persona("sysadmin@calepa.example", "Sid Sysadmin", "State system admin"), "sysadmin"),
]

FACILITIES = [
    ("acme", "Acme Plating – Sacramento", "2500 Del Paso Blvd", "95815"),
    ("acme", "Acme Plating – Downtown Warehouse", "1001 I Street", "95814"),
    ("brightwater", "Brightwater Farms – Bakersfield", "1200 Truxtun Avenue", "93301"),
]

ORGANIZATIONS = {"acme": "Acme Plating Inc.", "brightwater": "Brightwater Farms LLC"}


def _user(persona: Persona, *, staff: bool = False, state_role: str = "") -> User:
    user = User.objects.filter(email=persona.email).first()
    if user is None:
        user = User.objects.create_user(persona.email, DEMO_PASSWORD, full_name=persona.name, is_active=True)
        user.activated_at = timezone.now()
        user.title = persona.role[:50]
        user.state_role = state_role
        user.save()
    if staff:
        TotpDevice.objects.update_or_create(
            user=user, defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": timezone.now()}
        )
    return user


@transaction.atomic
def seed_demo() -> dict[str, int]:
    load_counties_and_cupas()
    sacramento = Regulator.objects.get(code=SACRAMENTO_CUPA)
    fire, _created = Regulator.objects.get_or_create(
        code=SACRAMENTO_FIRE_PA,
        defaults={
            "name": "Sacramento Fire Department (UST program)",
            "kind": RegulatorKind.PA,
            "county": sacramento.county,
            "parent": sacramento,
        },
    )
    for zip_code in ("95814", "95815", "95816", "95817", "95818", "95819"):
        ElementDelegation.objects.get_or_create(
            element=Element.UST, zip_code=zip_code, defaults={"regulator": fire}
        )

    organizations: dict[str, Organization] = {}
    leads: dict[str, User] = {}
    for persona, org_key, group in BUSINESS_PERSONAS:
        user = _user(persona)
        if org_key not in organizations:
            existing = Organization.objects.filter(name=ORGANIZATIONS[org_key]).first()
            organizations[org_key] = existing or organization_create(name=ORGANIZATIONS[org_key], actor=user)
        Membership.objects.get_or_create(
            organization=organizations[org_key], user=user, defaults={"group": group}
        )
        if group == PermissionGroup.LEAD:
            leads[org_key] = user
    for org_key, name, street, zip_code in FACILITIES:
        washed = address_wash(street=street, city="", zip_code=zip_code)
        if not Facility.objects.filter(address_key=washed.key).exists():
            facility_create(
                actor=leads[org_key], name=name, address=washed, organization=organizations[org_key]
            )

    for persona, code, role in REGULATOR_PERSONAS:
        user = _user(persona, staff=True)
        RegulatorMembership.objects.get_or_create(
            user=user, regulator=Regulator.objects.get(code=code), defaults={"role": role}
        )
    for persona, state_role in STATE_PERSONAS:
        _user(persona, staff=True, state_role=state_role)

    return {
        "organizations": Organization.objects.count(),
        "facilities": Facility.objects.count(),
        "users": User.objects.count(),
    }
