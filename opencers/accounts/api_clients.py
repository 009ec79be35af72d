"""API clients: hashed, expiring, revocable bearer tokens with scopes.

Scopes of the state's data exchange tiers (EDT) and of the JSON API:

* ``library``: chemical and violation libraries, data dictionary, authentication test;
* ``query``: facility submittals, facilities, organizations, transfers, documents (regulator side);
* ``cme``: inspections, violations and enforcement;
* ``action``: regulator actions on submitted elements;
* ``facility_create``: create facilities;
* ``submittal_submit``: forward a facility submittal made in a local portal;
* ``business:read`` / ``business:write`` / ``business:submit``: a business's own data through the JSON API;
* ``regulator:read`` / ``regulator:act``: the review queue and actions through the JSON API.

What a client may reach is decided twice: by its scopes, and by the permissions its identity (the
service account of an agency or organization client, or the person of a personal token) holds in the
portal. An agency client therefore sees only its agency's jurisdiction.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.accounts.models import ApiClient, ApiClientKind, User
from opencers.core.audit import audit_log
from opencers.core.errors import DomainError

EDT_SCOPES = ("library", "query", "cme", "action", "facility_create", "submittal_submit")
BUSINESS_SCOPES = ("business:read", "business:write", "business:submit")
REGULATOR_SCOPES = ("regulator:read", "regulator:act")
ALL_SCOPES = (*EDT_SCOPES, *BUSINESS_SCOPES, *REGULATOR_SCOPES)
AGENCY_SCOPES = (*EDT_SCOPES, *REGULATOR_SCOPES)
TOKEN_PREFIX = "oc_"  # noqa: S105 (a marker, not a secret)
MAX_LIFETIME_DAYS = 730
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_scopes(scopes: list[str], allowed: tuple[str, ...]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in allowed]
    if unknown:
        raise DomainError(
            _("Unknown or not allowed scope(s): %(unknown)s. Choose from: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)},
            field="scopes",
        )
    if not scopes:
        raise DomainError(_("Choose at least one scope."), field="scopes")
    return scopes


def _service_account(name: str) -> User:
    user = User(
        email=f"client-{uuid.uuid4().hex}@clients.opencers.invalid",
        full_name=f"API client: {name}"[:150],
        is_active=True,
        is_service_account=True,
    )
    user.set_unusable_password()
    user.save()
    return user


def _expiry(days: int) -> Any:
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise DomainError(
            _("A token lasts between 1 and %(max)d days.") % {"max": MAX_LIFETIME_DAYS},
            field="expires_in_days",
        )
    return timezone.now() + timedelta(days=days)


def _issue(**fields: Any) -> tuple[ApiClient, str]:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(token_prefix=raw[:10], token_digest=_digest(raw), **fields)
    return client, raw


@transaction.atomic
def agency_client_create(
    *, regulator: Any, actor: Any, name: str, scopes: list[str], expires_in_days: int = 365
) -> tuple[ApiClient, str]:
    """A client for a CUPA's own system. Returns the client and the token (shown once, never stored)."""
    from opencers.regulators.models import RegulatorMembership, RegulatorRole

    if not name.strip():
        raise DomainError(_("Give the client a name, e.g. the system that will use it."), field="name")
    scopes = _check_scopes(scopes, AGENCY_SCOPES)
    identity = _service_account(name)
    acts = {"action", "regulator:act", "facility_create", "submittal_submit"} & set(scopes)
    inspects = "cme" in scopes
    role = (
        RegulatorRole.ADMIN
        if acts and inspects
        else RegulatorRole.APPROVER
        if acts
        else RegulatorRole.INSPECTOR
        if inspects
        else RegulatorRole.VIEWER
    )
    RegulatorMembership.objects.create(user=identity, regulator=regulator, role=role)
    client, raw = _issue(
        name=name.strip()[:100],
        kind=ApiClientKind.AGENCY,
        identity=identity,
        regulator=regulator,
        scopes=scopes,
        created_by=actor if getattr(actor, "pk", None) else None,
        expires_at=_expiry(expires_in_days),
    )
    audit_log(
        client,
        "api_client.created",
        actor=actor,
        data={"name": client.name, "scopes": scopes, "kind": client.kind},
    )
    return client, raw


@transaction.atomic
def organization_client_create(
    *, organization: Any, actor: Any, name: str, scopes: list[str], expires_in_days: int = 365
) -> tuple[ApiClient, str]:
    """A client for a business's own system, acting with the permission group its scopes need."""
    from opencers.organizations.models import Membership, PermissionGroup

    if not name.strip():
        raise DomainError(_("Give the client a name, e.g. the system that will use it."), field="name")
    scopes = _check_scopes(scopes, BUSINESS_SCOPES)
    identity = _service_account(name)
    group = (
        PermissionGroup.APPROVER
        if "business:submit" in scopes
        else PermissionGroup.EDITOR
        if "business:write" in scopes
        else PermissionGroup.VIEWER
    )
    Membership.objects.create(organization=organization, user=identity, group=group)
    client, raw = _issue(
        name=name.strip()[:100],
        kind=ApiClientKind.ORGANIZATION,
        identity=identity,
        organization=organization,
        scopes=scopes,
        created_by=actor,
        expires_at=_expiry(expires_in_days),
    )
    audit_log(
        client,
        "api_client.created",
        actor=actor,
        data={"name": client.name, "scopes": scopes, "kind": client.kind},
    )
    return client, raw


@transaction.atomic
def personal_token_create(
    *, user: User, name: str, scopes: list[str], expires_in_days: int = 90
) -> tuple[ApiClient, str]:
    """A token that acts as the person (with their permissions, limited to the scopes)."""
    scopes = _check_scopes(scopes, (*BUSINESS_SCOPES, *REGULATOR_SCOPES))
    client, raw = _issue(
        name=(name.strip() or "Personal token")[:100],
        kind=ApiClientKind.PERSONAL,
        identity=user,
        scopes=scopes,
        created_by=user,
        expires_at=_expiry(expires_in_days),
    )
    audit_log(
        client,
        "api_client.created",
        actor=user,
        data={"name": client.name, "scopes": scopes, "kind": client.kind},
    )
    return client, raw


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor: Any) -> ApiClient:
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        if client.kind != ApiClientKind.PERSONAL:
            User.objects.filter(pk=client.identity_id).update(is_active=False)
        audit_log(client, "api_client.revoked", actor=actor, data={"name": client.name})
    return client


@dataclass(frozen=True)
class Authenticated:
    client: ApiClient
    user: User  # the identity the client acts as

    def has_scope(self, scope: str) -> bool:
        return scope in self.client.scopes


def api_client_authenticate(raw_token: str) -> Authenticated | None:
    """The client of a bearer token, or None when the token is unknown, expired or revoked."""
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    client = ApiClient.objects.select_related("identity").filter(token_digest=_digest(raw_token)).first()
    now = timezone.now()
    if (
        client is None
        or client.revoked_at is not None
        or client.expires_at <= now
        or not client.identity.is_active
    ):
        return None
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return Authenticated(client=client, user=client.identity)
