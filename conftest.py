"""Test set-up shared by every test: a real PostgreSQL (the embedded cluster unless DATABASE_URL is set),
a throwaway test database per run (created and dropped by pytest-django), fast password hashing, and
e-mail captured by Django's in-memory backend."""

from __future__ import annotations

import os

import pytest

# The browser fixtures (one Chromium per test process, shared by every browser test wherever it lives).
pytest_plugins = ["tests.browser.fixtures"]

_started_here = False


def pytest_configure(config: pytest.Config) -> None:
    global _started_here
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        from opencers.core import embedded_db

        _started_here = embedded_db.start()
        port = embedded_db.default_cluster().port()
        settings.DATABASES["default"]["PORT"] = port
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"


def pytest_unconfigure(config: pytest.Config) -> None:
    # Leave a cluster running that someone else started. In CI, stop the one this run started, from the
    # controlling process only (xdist workers have PYTEST_XDIST_WORKER set); on a developer's machine it
    # stays up for the next run.
    if _started_here and not os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("CI"):
        from opencers.core import embedded_db

        embedded_db.stop()


# --- The personas of the authorization matrix (DESIGN rule 9) -------------------------------------------

PASSWORD = "a long enough test password 123"  # noqa: S105

PERSONAS = (
    "lead",  # Lead User of Acme (the facility's organization)
    "approver",  # Approver of Acme
    "editor",  # Editor of Acme
    "viewer",  # Viewer of Acme
    "other_business",  # Lead User of another business (Brightwater)
    "regulator",  # Admin of the facility's CUPA (Sacramento County)
    "regulator_viewer",  # Viewer of the facility's CUPA
    "other_regulator",  # Admin of another CUPA (Kern County)
    "state_admin",  # state help desk admin
    "state_viewer",  # statewide viewer (read-only)
    "anonymous",
)


class World:
    """Two CUPAs, two businesses with a facility each, and one user per persona."""

    def __init__(self) -> None:
        from django.utils import timezone

        from opencers.accounts.models import TotpDevice, User
        from opencers.organizations.addresses import address_wash
        from opencers.organizations.models import Membership, PermissionGroup
        from opencers.organizations.services import facility_create
        from opencers.regulators.models import (
            County,
            JurisdictionZip,
            Regulator,
            RegulatorKind,
            RegulatorMembership,
        )

        self.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
        sacramento = County.objects.create(number=34, name="Sacramento")
        kern = County.objects.create(number=15, name="Kern")
        self.sac = Regulator.objects.create(
            code=3400, name="Sacramento County CUPA", kind=RegulatorKind.CUPA, county=sacramento
        )
        self.kern = Regulator.objects.create(
            code=1500, name="Kern County CUPA", kind=RegulatorKind.CUPA, county=kern
        )
        for zip_code in ("95814", "95815", "95816"):
            JurisdictionZip.objects.create(regulator=self.sac, zip_code=zip_code)
        for zip_code in ("93301", "93304"):
            JurisdictionZip.objects.create(regulator=self.kern, zip_code=zip_code)

        def user(key: str, **extra: object) -> User:
            created = User.objects.create_user(
                f"{key}@example.com",
                PASSWORD,
                full_name=key.replace("_", " ").title(),
                is_active=True,
                **extra,
            )
            return created

        self.users: dict[str, User | None] = {"anonymous": None}
        for key in PERSONAS[:-1]:
            self.users[key] = user(
                key, state_role={"state_admin": "helpdesk", "state_viewer": "viewer"}.get(key, "")
            )
        for key in ("regulator", "regulator_viewer", "other_regulator", "state_admin", "state_viewer"):
            TotpDevice.objects.create(
                user=self.users[key], secret=self.totp_secret, confirmed_at=timezone.now()
            )

        lead = self.users["lead"]
        self.facility = facility_create(
            actor=lead,
            name="Acme Plating",
            address=address_wash(street="1001 I Street", city="", zip_code="95814"),
            new_organization_name="Acme Plating Inc.",
        )
        self.organization = self.facility.organization
        for key, group in (
            ("approver", PermissionGroup.APPROVER),
            ("editor", PermissionGroup.EDITOR),
            ("viewer", PermissionGroup.VIEWER),
        ):
            Membership.objects.create(organization=self.organization, user=self.users[key], group=group)
        self.other_facility = facility_create(
            actor=self.users["other_business"],
            name="Brightwater Farms",
            address=address_wash(street="1200 Truxtun Avenue", city="", zip_code="93301"),
            new_organization_name="Brightwater Farms LLC",
        )
        self.other_organization = self.other_facility.organization
        RegulatorMembership.objects.create(user=self.users["regulator"], regulator=self.sac, role="admin")
        RegulatorMembership.objects.create(
            user=self.users["regulator_viewer"], regulator=self.sac, role="viewer"
        )
        RegulatorMembership.objects.create(
            user=self.users["other_regulator"], regulator=self.kern, role="admin"
        )

    def client_for(self, persona: str, *, enforce_csrf_checks: bool = False):  # type: ignore[no-untyped-def]
        return signed_in_client(self.users[persona], enforce_csrf_checks=enforce_csrf_checks)


def signed_in_client(user, *, enforce_csrf_checks: bool = False):  # type: ignore[no-untyped-def]
    """A test client with a fresh session of ``user`` (anonymous for None), as after a real sign-in."""
    import time

    from django.test import Client

    from opencers.accounts.sessions import REAUTH_AT, SEEN_AT, SIGNED_IN_AT

    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    if user is not None:
        client.force_login(user, backend="opencers.accounts.backends.EmailBackend")
        session = client.session
        now = int(time.time())
        session[SIGNED_IN_AT] = now
        session[SEEN_AT] = now
        session[REAUTH_AT] = now
        session.save()
    return client


@pytest.fixture
def world(db: None) -> World:
    return World()
