"""Emergency Response and Training Plans: two document slots (registered with the element framework)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.submittals.guidance import Guidance
from opencers.submittals.registry import DocumentSlot, ElementType, register

EMERGENCY_RESPONSE_PLAN = DocumentSlot(
    key="emergency_response_plan",
    label=_("Emergency Response / Contingency Plan"),
    help=_(
        "What staff do in a release, fire or earthquake: alarms, evacuation, who to call, emergency equipment and its location."
    ),
    xml_name="EmergencyResponseContingencyPlanDocument",
)
TRAINING_PLAN = DocumentSlot(
    key="employee_training_plan",
    label=_("Employee Training Plan"),
    help=_(
        "How and how often employees are trained in safe handling and emergency response, and how training is recorded."
    ),
    xml_name="EmployeeTrainingPlanDocument",
)


def content(element: Any) -> dict[str, Any]:
    return {}


def copy(source: Any, target: Any) -> None:
    """Nothing beyond the documents, which the framework copies."""


def guidance(element: Any) -> list[Guidance]:
    return []


def register_element() -> None:
    register(
        ElementType(
            element=Element.EMERGENCY_RESPONSE_TRAINING,
            content=content,
            copy=copy,
            guidance=guidance,
            document_slots=(EMERGENCY_RESPONSE_PLAN, TRAINING_PLAN),
            edit_url_name="business:plans",
        )
    )
