"""Writes to organizations, facilities, memberships, access requests and invitations (DESIGN rule 1)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.accounts.models import User, normalize_email
from opencers.core.audit import audit_log
from opencers.core.elements import HMBP_ELEMENTS
from opencers.core.errors import DomainError, InvalidTransition, NotPermitted
from opencers.core.validators import check_email, check_phone, normalize_phone
from opencers.notifications.services import email_send, emails_send, notification_create
from opencers.organizations.addresses import WashedAddress, address_wash
from opencers.organizations.models import (
    CERS_ID_SEQUENCE,
    ORGANIZATION_CODE_SEQUENCE,
    AccessRequest,
    AccessRequestStatus,
    DecidedBy,
    Facility,
    FacilityElementRoute,
    Invitation,
    Membership,
    Organization,
    OrganizationOrigin,
    PermissionGroup,
)
from opencers.organizations.selectors import lead_users
from opencers.regulators.models import County
from opencers.regulators.selectors import cupa_for_zip, element_owners, next_annual_due_date, regulator_staff


def _next_value(sequence: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        return int(cursor.fetchone()[0])


def cers_id_allocate() -> int:
    """The next CERS ID (10000001 upwards). A PostgreSQL sequence: safe under concurrency, never reused."""
    return _next_value(CERS_ID_SEQUENCE)


def organization_code_allocate() -> int:
    return _next_value(ORGANIZATION_CODE_SEQUENCE)


@transaction.atomic
def organization_create(
    *, name: str, actor: Any = None, origin: str = OrganizationOrigin.BUSINESS, headquarters: str = ""
) -> Organization:
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the business name."), field="organization_name")
    organization = Organization.objects.create(
        code=organization_code_allocate(), name=name[:100], headquarters=headquarters[:200], origin=origin
    )
    audit_log(organization, "organization.created", actor=actor, data={"name": organization.name})
    return organization


def _route_elements(facility: Facility) -> None:
    """Give each element of a new facility its owning regulator (CUPA or delegated agency)."""
    today = timezone.localdate()
    FacilityElementRoute.objects.bulk_create(
        [
            FacilityElementRoute(
                facility=facility,
                element=element,
                regulator=regulator,
                next_due_date=next_annual_due_date(regulator, today) if element in HMBP_ELEMENTS else None,
            )
            for element, regulator in element_owners(facility.zip_code).items()
        ]
    )


@transaction.atomic
def facility_create(
    *,
    actor: User,
    name: str,
    address: WashedAddress,
    organization: Organization | None = None,
    new_organization_name: str = "",
    origin: str = OrganizationOrigin.BUSINESS,
) -> Facility:
    """Create a facility with a new CERS ID in ``organization``, or in a new organization that the
    actor then leads. The caller has shown the actor the possible duplicates first (wizard step 2)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Enter the facility name, as people on site call it."), field="name")
    if len(name) > 100:
        raise DomainError(_("The facility name can have at most 100 characters."), field="name")
    if organization is None:
        organization = organization_create(name=new_organization_name or name, actor=actor, origin=origin)
        if origin == OrganizationOrigin.BUSINESS:
            Membership.objects.create(organization=organization, user=actor, group=PermissionGroup.LEAD)
            audit_log(
                organization, "membership.created", actor=actor, data={"user": actor.email, "group": "lead"}
            )
    county = County.objects.filter(name=address.county_name).first()
    facility = Facility.objects.create(
        cers_id=cers_id_allocate(),
        organization=organization,
        name=name,
        street=address.street,
        street_entered=address.entered[:200],
        city=address.city,
        zip_code=address.zip_code,
        county=county,
        address_key=address.key,
        latitude=address.latitude,
        longitude=address.longitude,
        cupa=cupa_for_zip(address.zip_code),
    )
    _route_elements(facility)
    audit_log(
        facility,
        "facility.created",
        actor=actor,
        data={"cers_id": facility.cers_id, "name": facility.name, "address": facility.address_line},
    )
    emails_send(
        recipients=lead_users(organization=organization),
        kind="facility_added",
        context={"facility": facility, "actor": actor, "link": settings.SITE_URL + facility_url(facility)},
    )
    return facility


def facility_url(facility: Facility) -> str:
    return reverse("business:facility", kwargs={"cers_id": facility.cers_id})


def facility_address_wash(*, street: str, city: str, zip_code: str) -> WashedAddress:
    return address_wash(street=street, city=city, zip_code=zip_code)


# --- Access requests ---------------------------------------------------------------------------------


@transaction.atomic
def access_request_create(
    *, user: User, facility: Facility, phone: str, title: str, message: str = ""
) -> AccessRequest:
    """Ask for access to an existing facility. Goes to its Lead Users, else its regulator, else the state."""
    phone_problem = check_phone(phone)
    if phone_problem:
        raise DomainError(phone_problem, field="phone")
    if not title.strip():
        raise DomainError(_("Enter your job title, so the Lead User knows who is asking."), field="title")
    if Membership.objects.filter(organization=facility.organization, user=user).exists():
        raise DomainError(_("You already have access to this facility's organization."))
    if AccessRequest.objects.filter(
        facility=facility, user=user, status=AccessRequestStatus.PENDING
    ).exists():
        raise DomainError(
            _("You already asked for access to this facility; the request is waiting for a decision.")
        )
    leads = list(lead_users(organization=facility.organization))
    if leads:
        routed_to = DecidedBy.LEAD
    elif facility.cupa_id and regulator_staff(regulator=facility.cupa, permission="regulator:admin").exists():
        routed_to = DecidedBy.REGULATOR
    else:
        routed_to = DecidedBy.STATE
    request = AccessRequest.objects.create(
        facility=facility,
        user=user,
        phone=normalize_phone(phone),
        title=title.strip()[:50],
        message=message.strip()[:1000],
        routed_to=routed_to,
    )
    audit_log(
        request,
        "access_request.created",
        actor=user,
        data={"facility": facility.cers_id, "routed_to": routed_to},
    )
    deciders = _deciders(request)
    link = settings.SITE_URL + reverse("web:access_request", kwargs={"public_id": request.public_id})
    emails_send(
        recipients=deciders, kind="access_request_received", context={"request": request, "link": link}
    )
    for decider in deciders:
        notification_create(
            user=decider,
            kind="access_request",
            message=_("%(name)s asks for access to %(facility)s.")
            % {"name": user.full_name, "facility": facility.name},
            link=reverse("web:access_request", kwargs={"public_id": request.public_id}),
        )
    return request


def _deciders(request: AccessRequest) -> list[User]:
    if request.routed_to == DecidedBy.LEAD:
        return list(lead_users(organization=request.facility.organization))
    if request.routed_to == DecidedBy.REGULATOR and request.facility.cupa_id:
        return list(regulator_staff(regulator=request.facility.cupa, permission="regulator:admin"))
    return list(User.objects.filter(state_role__in=["helpdesk", "sysadmin"], is_active=True))


@transaction.atomic
def access_request_decide(
    *, request_id: int, actor: User, accept: bool, group: str = PermissionGroup.VIEWER, reason: str = ""
) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().select_related("facility", "user").get(pk=request_id)
    if request.status != AccessRequestStatus.PENDING:
        raise InvalidTransition(_("This request was already decided."))
    if accept and group not in PermissionGroup.values:
        raise DomainError(_("Choose the permission group to give."), field="group")
    if not accept and not reason.strip():
        raise DomainError(_("Say why the request is rejected; the person will read it."), field="reason")
    request.status = AccessRequestStatus.ACCEPTED if accept else AccessRequestStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.reason = reason.strip()[:1000]
    request.granted_group = group if accept else ""
    request.save()
    if accept:
        Membership.objects.get_or_create(
            organization=request.facility.organization, user=request.user, defaults={"group": group}
        )
        audit_log(
            request.facility.organization,
            "membership.created",
            actor=actor,
            data={"user": request.user.email, "group": group, "via": "access_request"},
        )
    audit_log(
        request,
        "access_request.accepted" if accept else "access_request.rejected",
        actor=actor,
        data={"group": group if accept else None, "reason": request.reason},
    )
    email_send(
        to=request.user.email,
        kind="access_request_accepted" if accept else "access_request_rejected",
        user=request.user,
        context={
            "request": request,
            "group_label": PermissionGroup(group).label if accept else "",
            "link": settings.SITE_URL + facility_url(request.facility),
        },
    )
    notification_create(
        user=request.user,
        kind="access_request_decided",
        message=(
            _("Your access to %(facility)s was accepted.")
            if accept
            else _("Your access request for %(facility)s was rejected.")
        )
        % {"facility": request.facility.name},
        link=facility_url(request.facility) if accept else reverse("web:dashboard"),
    )
    return request


@transaction.atomic
def access_request_cancel(*, request_id: int, actor: User) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request_id, user=actor)
    if request.status != AccessRequestStatus.PENDING:
        raise InvalidTransition(_("Only a request that is still waiting can be cancelled."))
    request.status = AccessRequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    audit_log(request, "access_request.cancelled", actor=actor)
    return request


# --- People ------------------------------------------------------------------------------------------


def _lock_membership_and_leads(membership_id: int) -> tuple[Membership, list[Membership]]:
    """Lock the organization's Lead Users (in id order), then the membership to change.

    Always taking the locks in this order lets two Lead Users who step down or remove each other at the
    same moment wait for one another (the second is then refused) instead of deadlocking.
    """
    organization_id = Membership.objects.values_list("organization_id", flat=True).get(pk=membership_id)
    # Only Lead Users who can still sign in count: a deactivated one cannot manage anything.
    leads = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organization_id=organization_id, group=PermissionGroup.LEAD, user__is_active=True)
        .order_by("pk")
    )
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organization", "user")
        .get(pk=membership_id)
    )
    return membership, leads


@transaction.atomic
def membership_change_group(*, membership_id: int, actor: User, group: str) -> Membership:
    membership, leads = _lock_membership_and_leads(membership_id)
    if group not in PermissionGroup.values:
        raise DomainError(_("Choose one of the permission groups."), field="group")
    if membership.group == PermissionGroup.LEAD and group != PermissionGroup.LEAD and len(leads) <= 1:
        raise NotPermitted(
            _("%(name)s is the only Lead User. Make someone else Lead User first.")
            % {"name": membership.user.full_name}
        )
    previous = membership.group
    membership.group = group
    membership.save(update_fields=["group", "updated_at"])
    audit_log(
        membership,
        "membership.group_changed",
        actor=actor,
        data={"user": membership.user.email, "from": previous, "to": group},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership_id: int, actor: User) -> None:
    membership, leads = _lock_membership_and_leads(membership_id)
    if membership.group == PermissionGroup.LEAD and len(leads) <= 1:
        raise NotPermitted(
            _("%(name)s is the only Lead User and cannot be removed. Make someone else Lead User first.")
            % {"name": membership.user.full_name}
        )
    audit_log(
        membership.organization,
        "membership.removed",
        actor=actor,
        data={"user": membership.user.email, "group": membership.group},
    )
    membership.delete()


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, organization: Organization, actor: User, email: str, group: str) -> Invitation:
    email = normalize_email(email)
    problem = check_email(email)
    if problem:
        raise DomainError(problem, field="email")
    if group not in PermissionGroup.values:
        raise DomainError(_("Choose the permission group to give."), field="group")
    if Membership.objects.filter(organization=organization, user__email=email).exists():
        raise DomainError(
            _("%(email)s is already a member of %(org)s.") % {"email": email, "org": organization.name},
            field="email",
        )
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        group=group,
        invited_by=actor,
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TOKEN_DAYS),
    )
    audit_log(invitation, "invitation.created", actor=actor, data={"email": email, "group": group})
    email_send(
        to=email,
        kind="invitation",
        user=User.objects.filter(email=email).first(),
        context={
            "invitation": invitation,
            "actor": actor,
            "group_label": PermissionGroup(group).label,
            "days": settings.INVITATION_TOKEN_DAYS,
            "link": settings.SITE_URL + reverse("web:invitation", kwargs={"token": raw}),
        },
    )
    return invitation


def invitation_find(*, token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organization").filter(digest=_digest(token)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(
            _("This invitation is not valid. Ask the person who invited you to send a new one.")
        )
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired. Ask the person who invited you to send a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_find(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if normalize_email(user.email) != invitation.email:
        raise NotPermitted(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"group": invitation.group}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_log(invitation, "invitation.accepted", actor=user, data={"group": membership.group, "new": created})
    return membership


@transaction.atomic
def invitation_revoke(*, invitation_id: int, actor: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_log(invitation, "invitation.revoked", actor=actor, data={"email": invitation.email})


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, name: str, headquarters: str
) -> Organization:
    if not name.strip():
        raise DomainError(_("Enter the business name."), field="name")
    before = {"name": organization.name, "headquarters": organization.headquarters}
    organization.name = name.strip()[:100]
    organization.headquarters = headquarters.strip()[:200]
    organization.save(update_fields=["name", "headquarters", "updated_at"])
    audit_log(organization, "organization.updated", actor=actor, data={"before": before})
    return organization
