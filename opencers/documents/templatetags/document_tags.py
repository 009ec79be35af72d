"""Template helpers for document slots: ``{% slot_rows element slots as rows %}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from opencers.documents.models import Document, DocumentOption
from opencers.documents.selectors import documents_by_slot
from opencers.submittals.registry import DocumentSlot

register = template.Library()


@dataclass(frozen=True)
class SlotRow:
    slot: DocumentSlot
    document: Document | None

    @property
    def files(self) -> list[Any]:
        return list(self.document.files.all()) if self.document else []

    @property
    def complete(self) -> bool:
        """Provided in some way (an upload needs at least one file)."""
        if self.document is None:
            return False
        return self.document.option != DocumentOption.UPLOAD or bool(self.files)


@register.simple_tag
def slot_rows(element: Any, slots: list[DocumentSlot]) -> list[SlotRow]:
    documents = documents_by_slot(element)
    return [SlotRow(slot, documents.get(slot.key)) for slot in slots]
