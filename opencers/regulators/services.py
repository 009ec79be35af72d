"""Writes to regulators and their staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from opencers.accounts.models import User, normalize_email
from opencers.core.audit import audit_log
from opencers.core.errors import DomainError, NotPermitted
from opencers.notifications.services import email_send
from opencers.regulators.models import Regulator, RegulatorMembership, RegulatorRole


@transaction.atomic
def staff_add(*, regulator: Regulator, actor: Any, email: str, role: str) -> RegulatorMembership:
    if role not in RegulatorRole.values:
        raise DomainError(_("Choose one of the roles."), field="role")
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        raise DomainError(
            _("No active account uses %(email)s. Ask the person to create an account first, then add them.")
            % {"email": email},
            field="email",
        )
    membership, created = RegulatorMembership.objects.get_or_create(
        user=user, regulator=regulator, defaults={"role": role}
    )
    if not created:
        raise DomainError(_("%(name)s is already on the staff.") % {"name": user.full_name}, field="email")
    audit_log(membership, "regulator.staff_added", actor=actor, data={"user": user.email, "role": role})
    email_send(
        to=user.email,
        kind="regulator_staff_added",
        user=user,
        context={
            "user": user,
            "regulator": regulator,
            "role_label": RegulatorRole(role).label,
            "link": settings.SITE_URL + reverse("web:login"),
        },
    )
    return membership


def _lock_membership_and_admins(membership_id: int) -> tuple[RegulatorMembership, list[RegulatorMembership]]:
    """Lock the regulator's Admins (in id order), then the membership to change.

    One lock order: two Admins who step down or remove each other at the same moment wait for one another
    (the second is then refused) instead of deadlocking.
    """
    regulator_id = RegulatorMembership.objects.values_list("regulator_id", flat=True).get(pk=membership_id)
    admins = list(
        RegulatorMembership.objects.select_for_update()
        .filter(regulator_id=regulator_id, role=RegulatorRole.ADMIN)
        .order_by("pk")
    )
    membership = (
        RegulatorMembership.objects.select_for_update(of=("self",))
        .select_related("user", "regulator")
        .get(pk=membership_id)
    )
    return membership, admins


@transaction.atomic
def staff_change_role(*, membership_id: int, actor: Any, role: str) -> RegulatorMembership:
    membership, admins = _lock_membership_and_admins(membership_id)
    if role not in RegulatorRole.values:
        raise DomainError(_("Choose one of the roles."), field="role")
    if membership.role == RegulatorRole.ADMIN and role != RegulatorRole.ADMIN and len(admins) <= 1:
        raise NotPermitted(
            _("%(name)s is the only Admin. Make someone else Admin first.")
            % {"name": membership.user.full_name}
        )
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log(
        membership,
        "regulator.staff_role_changed",
        actor=actor,
        data={"user": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def staff_remove(*, membership_id: int, actor: Any) -> None:
    membership, admins = _lock_membership_and_admins(membership_id)
    if membership.role == RegulatorRole.ADMIN and len(admins) <= 1:
        raise NotPermitted(
            _("%(name)s is the only Admin and cannot be removed.") % {"name": membership.user.full_name}
        )
    audit_log(
        membership.regulator,
        "regulator.staff_removed",
        actor=actor,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
