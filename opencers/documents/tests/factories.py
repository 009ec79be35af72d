"""Elements with documents, for tests across apps (the authorization matrix uses them too)."""

from __future__ import annotations

import io
from typing import Any

from opencers.core.elements import Element
from opencers.documents.models import DocumentFile
from opencers.documents.services import document_upload
from opencers.documents.tests import corpus
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_get_or_create, facility_submit
from opencers.submittals.tests.factories import complete_facility_info

PLANS = Element.EMERGENCY_RESPONSE_TRAINING
PLAN_SLOTS = ("emergency_response_plan", "employee_training_plan")


def plans_draft_with_files(facility: Any, actor: Any) -> SubmittalElement:
    """A plans draft with a PDF uploaded to each of its two slots."""
    draft = draft_get_or_create(facility=facility, element=PLANS, actor=actor)
    for slot in PLAN_SLOTS:
        data = corpus.pdf(slot.replace("_", " "))
        document_upload(
            element=draft, slot=slot, actor=actor, name=f"{slot}.pdf", stream=io.BytesIO(data), size=len(data)
        )
    return draft


def submitted_plans(facility: Any, actor: Any) -> SubmittalElement:
    """Facility Information and the plans (with their files), submitted together; the plans version."""
    complete_facility_info(facility, actor)
    draft = plans_draft_with_files(facility, actor)
    facility_submit(
        facility=facility,
        actor=actor,
        element_codes=[Element.FACILITY_INFORMATION, PLANS],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    return SubmittalElement.objects.get(pk=draft.pk)


def first_file(element: SubmittalElement) -> DocumentFile:
    return (
        DocumentFile.objects.filter(document__element=element)
        .order_by("document__slot", "created_at")
        .first()
    )  # type: ignore[return-value]
