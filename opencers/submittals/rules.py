"""Guidance for a whole element: its own rules, its document slots and the regulator's local requirements."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from opencers.documents.models import DocumentOption
from opencers.submittals.guidance import REQUIRED, Guidance, sort_guidance
from opencers.submittals.models import LocalRequirement
from opencers.submittals.registry import DocumentSlot, element_type


def local_slots(element: Any) -> list[DocumentSlot]:
    """Documents the element's regulator requires locally, as extra slots."""
    route = element.facility.routes.filter(element=element.element).first()
    if route is None:
        return []
    return [
        DocumentSlot(
            key=f"local:{req.public_id}", label=req.title, help=req.description, required=req.required
        )
        for req in LocalRequirement.objects.filter(
            regulator_id=route.regulator_id, element=element.element, active=True
        )
    ]


def document_slots(element: Any) -> list[DocumentSlot]:
    etype = element_type(element.element)
    return [*(etype.document_slots if etype else ()), *local_slots(element)]


def element_guidance(element: Any) -> list[Guidance]:
    if element.not_applicable:
        return []
    etype = element_type(element.element)
    messages = list(etype.guidance(element)) if etype else []
    documents = {d.slot: d for d in element.documents.all().prefetch_related("files")}
    for slot in document_slots(element):
        document = documents.get(slot.key)
        if document is None:
            if slot.required:
                messages.append(
                    Guidance(
                        REQUIRED,
                        slot.xml_name or slot.key,
                        _(
                            "%(title)s: upload it, or say how it is provided (e.g. stored at the facility or exempt)."
                        )
                        % {"title": slot.label},
                        label=str(slot.label),
                    )
                )
        elif document.option == DocumentOption.UPLOAD and not document.files.all():
            messages.append(
                Guidance(
                    REQUIRED,
                    slot.xml_name or slot.key,
                    _("%(title)s: upload the file, or choose another way to provide it.")
                    % {"title": slot.label},
                    label=str(slot.label),
                )
            )
    return sort_guidance(messages)
