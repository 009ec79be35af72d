"""Reads of regulator data, always scoped to the acting user (404 for "not yours")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from opencers.core.elements import Element
from opencers.core.permissions import user_has_global
from opencers.regulators.models import ElementDelegation, JurisdictionZip, Regulator, RegulatorMembership
from opencers.regulators.roles import roles_granting


def regulators_for_user(*, user: Any, permission: str = "regulator:view") -> QuerySet[Regulator]:
    """The regulators where the user holds a role granting ``permission``.

    State staff see every regulator (``state:view``) and help desk and system admins manage every one
    (``state:admin``), but only a regulator's own staff review submittals and record inspections.
    """
    if not user.is_authenticated:
        return Regulator.objects.none()
    state_permission = {"regulator:view": "state:view", "regulator:admin": "state:admin"}.get(permission)
    if state_permission and user_has_global(user, state_permission):
        return Regulator.objects.all()
    return Regulator.objects.filter(
        memberships__user=user, memberships__role__in=roles_granting(permission)
    ).distinct()


def regulator_get_for_user(*, user: Any, code: int, permission: str = "regulator:view") -> Regulator:
    regulator = regulators_for_user(user=user, permission=permission).filter(code=code).first()
    if regulator is None:
        raise Http404
    return regulator


def regulator_memberships_of(*, user: Any) -> QuerySet[RegulatorMembership]:
    return RegulatorMembership.objects.filter(user=user).select_related("regulator")


def cupa_for_zip(zip_code: str) -> Regulator | None:
    row = JurisdictionZip.objects.select_related("regulator").filter(zip_code=zip_code[:5]).first()
    return row.regulator if row else None


def regulator_for_element(*, zip_code: str, element: Element | int) -> Regulator | None:
    """The owner of one element at a ZIP: a delegated participating agency, else the ZIP's CUPA."""
    delegation = (
        ElementDelegation.objects.select_related("regulator")
        .filter(zip_code=zip_code[:5], element=element)
        .first()
    )
    if delegation is not None:
        return delegation.regulator
    return cupa_for_zip(zip_code)


def element_owners(zip_code: str) -> dict[int, Regulator]:
    """For each element, its owning regulator at a ZIP code (delegated agency, else the CUPA)."""
    cupa = cupa_for_zip(zip_code)
    owners: dict[int, Regulator] = {int(element): cupa for element in Element} if cupa else {}
    for delegation in ElementDelegation.objects.select_related("regulator").filter(zip_code=zip_code[:5]):
        owners[delegation.element] = delegation.regulator
    return owners


def next_annual_due_date(regulator: Regulator, after: date) -> date:
    """The regulator's annual HMBP due date (default March 1) next after ``after``."""
    candidate = date(after.year, regulator.hmbp_due_month, regulator.hmbp_due_day)
    if candidate <= after:
        candidate = date(after.year + 1, regulator.hmbp_due_month, regulator.hmbp_due_day)
    return candidate


def regulator_staff(*, regulator: Regulator, permission: str) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        regulator_memberships__regulator=regulator,
        regulator_memberships__role__in=roles_granting(permission),
        is_active=True,
        is_service_account=False,
    )
