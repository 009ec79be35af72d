"""Reads of submittal elements, scoped to the acting user (drafts are never shown to regulators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from opencers.core.elements import ELEMENT_SLUGS, HMBP_ELEMENTS, Element
from opencers.organizations.models import Facility
from opencers.organizations.roles import groups_granting
from opencers.organizations.selectors import facilities_for_user
from opencers.regulators.selectors import regulators_for_user
from opencers.submittals.guidance import Guidance
from opencers.submittals.models import SUBMITTED_STATUSES, Status, SubmittalElement
from opencers.submittals.registry import supported_elements

_applicability: list[Any] = []


def set_applicability(function: Any) -> None:
    """The Facility Information element provides: facility → elements its answers make required."""
    _applicability[:] = [function]


def required_elements(facility: Facility) -> set[int]:
    """Facility Information always; others as the last Business Activities answers say (HMBP by default)."""
    if _applicability:
        return {int(e) for e in _applicability[0](facility)} | {int(Element.FACILITY_INFORMATION)}
    return {int(e) for e in HMBP_ELEMENTS}


def draft_of(facility: Facility, element: int) -> SubmittalElement | None:
    return SubmittalElement.objects.filter(facility=facility, element=element, status=Status.DRAFT).first()


def versions_of(facility: Facility, element: int) -> QuerySet[SubmittalElement]:
    return (
        SubmittalElement.objects.filter(facility=facility, element=element, status__in=SUBMITTED_STATUSES)
        .select_related("submitted_by", "regulator", "facility_submittal")
        .order_by("-version")
    )


def latest_submitted(facility: Facility, element: int) -> SubmittalElement | None:
    return versions_of(facility, element).first()


def last_accepted_or_submitted(facility: Facility, element: int) -> SubmittalElement | None:
    versions = versions_of(facility, element)
    return versions.filter(status=Status.ACCEPTED).first() or versions.first()


@dataclass
class ElementSummary:
    element: Element
    required: bool
    supported: bool
    draft: SubmittalElement | None
    latest: SubmittalElement | None
    guidance: list[Guidance] | None = None
    next_due: date | None = None

    @property
    def slug(self) -> str:
        return ELEMENT_SLUGS[self.element]

    @property
    def blocked(self) -> bool:
        return bool(self.guidance) and any(g.level == "required" for g in self.guidance or [])

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else "not_submitted"


def facility_elements(facility: Facility) -> list[ElementSummary]:
    """For the facility page: each element that applies or has history, its draft and latest version."""
    required = required_elements(facility)
    supported = {int(e) for e in supported_elements()}
    drafts = {e.element: e for e in SubmittalElement.objects.filter(facility=facility, status=Status.DRAFT)}
    latest: dict[int, SubmittalElement] = {}
    for element in (
        SubmittalElement.objects.filter(facility=facility, status__in=SUBMITTED_STATUSES)
        .select_related("regulator")
        .order_by("element", "-version")
    ):
        latest.setdefault(element.element, element)
    due = {route.element: route.next_due_date for route in facility.routes.all()}
    codes = sorted(required | set(drafts) | set(latest))
    return [
        ElementSummary(
            Element(code),
            code in required,
            code in supported,
            drafts.get(code),
            latest.get(code),
            next_due=due.get(code),
        )
        for code in codes
    ]


def element_get_for_user(
    *, user: Any, cers_id: int, public_id: Any, permission: str = "facility:view"
) -> SubmittalElement:
    """One version. The business sees its drafts and history; regulators only submitted versions."""
    facility = Facility.objects.filter(cers_id=cers_id).first()
    if facility is None:
        raise Http404
    element = (
        SubmittalElement.objects.filter(facility=facility, public_id=public_id)
        .select_related("facility", "facility__organization", "regulator", "facility_submittal")
        .first()
    )
    if element is None:
        raise Http404
    if (
        user.is_authenticated
        and facility.organization.memberships.filter(
            user=user, group__in=groups_granting(permission)
        ).exists()
    ):
        return element
    if element.status == Status.DRAFT or permission != "facility:view":
        raise Http404
    if not facilities_for_user(user=user, permission="facility:view").filter(pk=facility.pk).exists():
        raise Http404
    return element


def review_queue(
    *,
    user: Any,
    regulator: Any,
    element: int | None = None,
    status: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
) -> QuerySet[SubmittalElement]:
    """Submitted elements owned by the regulator, newest first (drafts never appear)."""
    if not regulators_for_user(user=user).filter(pk=regulator.pk).exists():
        raise Http404
    queryset = SubmittalElement.objects.filter(regulator=regulator, status__in=SUBMITTED_STATUSES)
    if element:
        queryset = queryset.filter(element=element)
    if status:
        queryset = queryset.filter(status=status)
    if submitted_from:
        queryset = queryset.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        queryset = queryset.filter(submitted_at__date__lte=submitted_to)
    return queryset.select_related("facility", "facility__organization", "submitted_by").order_by(
        "-submitted_at", "element"
    )


def regulator_element_get(*, user: Any, regulator: Any, public_id: Any) -> SubmittalElement:
    element = (
        SubmittalElement.objects.filter(
            Q(regulator=regulator), public_id=public_id, status__in=SUBMITTED_STATUSES
        )
        .select_related("facility", "facility__organization", "facility_submittal", "submitted_by")
        .first()
    )
    if element is None or not regulators_for_user(user=user).filter(pk=regulator.pk).exists():
        raise Http404
    return element
