"""Facility Information as a submittal element (registered with the element framework)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.elements.facility_info.fields import (
    ACTIVITY_QUESTIONS,
    BUSINESS_ACTIVITIES_FIELDS,
    OWNER_OPERATOR_FIELDS,
)
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.facility_info.validation import business_activities_guidance, owner_operator_guidance
from opencers.elements.fields import content_of, copy_values
from opencers.submittals.guidance import Guidance, sort_guidance
from opencers.submittals.registry import ElementType, register


def _activities(element: Any) -> BusinessActivities | None:
    return BusinessActivities.objects.filter(element=element).first()


def _owner(element: Any) -> OwnerOperator | None:
    return OwnerOperator.objects.filter(element=element).first()


def content(element: Any) -> dict[str, Any]:
    activities, owner = _activities(element), _owner(element)
    return {
        "BusinessActivities": content_of(activities, BUSINESS_ACTIVITIES_FIELDS) if activities else {},
        "OwnerOperatorInformation": content_of(owner, OWNER_OPERATOR_FIELDS) if owner else {},
    }


def copy(source: Any, target: Any) -> None:
    activities, owner = _activities(source), _owner(source)
    if activities is not None:
        new = BusinessActivities(element=target)
        copy_values(activities, new, BUSINESS_ACTIVITIES_FIELDS)
        new.save()
    if owner is not None:
        new_owner = OwnerOperator(element=target)
        copy_values(owner, new_owner, OWNER_OPERATOR_FIELDS)
        new_owner.save()


def guidance(element: Any) -> list[Guidance]:
    return sort_guidance(
        [*business_activities_guidance(_activities(element)), *owner_operator_guidance(_owner(element))]
    )


def applicable_elements(facility: Any) -> set[Element]:
    """Elements the facility's latest Business Activities answers make required (draft first)."""
    from opencers.submittals.models import Status, SubmittalElement

    draft = SubmittalElement.objects.filter(
        facility=facility, element=Element.FACILITY_INFORMATION, status=Status.DRAFT
    ).first()
    element = draft or (
        SubmittalElement.objects.filter(
            facility=facility, element=Element.FACILITY_INFORMATION, version__isnull=False
        )
        .order_by("-version")
        .first()
    )
    activities = _activities(element) if element else None
    required: set[Element] = {Element.FACILITY_INFORMATION}
    if activities is None:
        return required | {Element.HAZARDOUS_MATERIALS_INVENTORY, Element.EMERGENCY_RESPONSE_TRAINING}
    for xml, _updd, _question, _help, elements in ACTIVITY_QUESTIONS:
        spec = next(s for s in BUSINESS_ACTIVITIES_FIELDS if s.xml == xml)
        if getattr(activities, spec.name) == "Y":
            required.update(elements)
    return required


LABELS = {spec.xml: spec.label for spec in (*BUSINESS_ACTIVITIES_FIELDS, *OWNER_OPERATOR_FIELDS)}


def register_element() -> None:
    from opencers.submittals.selectors import set_applicability

    register(
        ElementType(
            element=Element.FACILITY_INFORMATION,
            content=content,
            copy=copy,
            guidance=guidance,
            labels=LABELS,
            edit_url_name="business:facility_info",
            sections={
                "BusinessActivities": (_("Business Activities"), BUSINESS_ACTIVITIES_FIELDS),
                "OwnerOperatorInformation": (_("Owner/Operator Identification"), OWNER_OPERATOR_FIELDS),
            },
        )
    )
    set_applicability(applicable_elements)
