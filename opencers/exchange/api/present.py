"""Plain JSON values of facilities, elements, drafts, versions and documents (the API's answers)."""

from __future__ import annotations

from typing import Any

from opencers.core.elements import ELEMENT_SLUGS, Element
from opencers.documents.selectors import documents_by_slot
from opencers.exchange.api.base import draft_etag
from opencers.submittals.content import element_content
from opencers.submittals.guidance import Guidance
from opencers.submittals.rules import document_slots
from opencers.submittals.selectors import facility_elements
from opencers.submittals.services import guidance_of


def named(obj: Any) -> dict[str, Any] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def facility_dict(facility: Any) -> dict[str, Any]:
    return {
        "cers_id": facility.cers_id,
        "name": facility.name,
        "street": facility.street,
        "city": facility.city,
        "zip_code": facility.zip_code,
        "organization": named(facility.organization),
        "cupa": named(facility.cupa),
    }


def element_names(code: int) -> dict[str, Any]:
    element = Element(code)
    return {"element": int(element), "slug": ELEMENT_SLUGS[element], "name": str(element.label)}


def version_summary(version: Any) -> dict[str, Any]:
    submitted_by = version.submitted_by
    return {
        "id": str(version.public_id),
        "version": version.version,
        "status": version.status,
        "submitted_at": version.submitted_at.isoformat() if version.submitted_at else None,
        "submitted_by": submitted_by.full_name if submitted_by is not None else "",
        "regulator": named(version.regulator),
        "action": {
            "status": version.status,
            "action_at": version.action_at.isoformat() if version.action_at else None,
            "agent_name": version.action_agent_name,
            "comments": version.action_comments,
            "resubmit_due": version.resubmit_due.isoformat() if version.resubmit_due else None,
        },
        "digest": version.digest,
    }


def draft_summary(draft: Any) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {
        "id": str(draft.public_id),
        "updated_at": draft.updated_at.isoformat(),
        "etag": draft_etag(draft),
        "not_applicable": draft.not_applicable,
    }


def facility_detail(facility: Any, *, with_drafts: bool) -> dict[str, Any]:
    elements = []
    for summary in facility_elements(facility):
        elements.append(
            {
                **element_names(summary.element),
                "required": summary.required,
                "supported": summary.supported,
                "status": summary.status,
                "next_due": summary.next_due.isoformat() if summary.next_due else None,
                "draft": draft_summary(summary.draft) if with_drafts else None,
                "latest": version_summary(summary.latest) if summary.latest else None,
            }
        )
    return {**facility_dict(facility), "elements": elements}


def guidance_list(messages: list[Guidance]) -> list[dict[str, Any]]:
    return [
        {
            "level": str(m.level),
            "field": m.field,
            "row": m.row,
            "message": str(m.message),
            "label": str(m.label),
        }
        for m in messages
    ]


def documents_list(element: Any) -> list[dict[str, Any]]:
    """Every document slot of the element (its type's and its regulator's), filled or not."""
    existing = documents_by_slot(element)
    result = []
    for slot in document_slots(element):
        document = existing.get(slot.key)
        result.append(
            {
                "slot": slot.key,
                "title": str(slot.label),
                "help": str(slot.help),
                "required": slot.required,
                "option": document.option if document else None,
                "other_element": document.other_element if document else None,
                "date_provided": document.date_provided.isoformat()
                if document and document.date_provided
                else None,
                "public_url": document.public_url if document else "",
                "comment": document.comment if document else "",
                "description": document.description if document else "",
                "files": [
                    {
                        "id": str(f.public_id),
                        "name": f.original_name,
                        "size": f.size,
                        "sha256": f.sha256,
                        "kind": f.kind,
                    }
                    for f in (document.files.all() if document else [])
                ],
            }
        )
    return result


def draft_dict(draft: Any, *, etag: str | None = None) -> dict[str, Any]:
    return {
        "id": str(draft.public_id),
        "facility": draft.facility.cers_id,
        "element": int(draft.element),
        "slug": ELEMENT_SLUGS[Element(draft.element)],
        "status": draft.status,
        "updated_at": draft.updated_at.isoformat(),
        "etag": etag or draft_etag(draft),
        "based_on_version": draft.based_on.version if draft.based_on_id else None,
        "content": element_content(draft),
        "guidance": guidance_list(guidance_of(draft)),
        "documents": documents_list(draft),
    }


def version_dict(version: Any) -> dict[str, Any]:
    return {
        **version_summary(version),
        "facility": version.facility.cers_id,
        "element": int(version.element),
        "slug": ELEMENT_SLUGS[Element(version.element)],
        "submitter_comments": version.submitter_comments,
        "content": element_content(version),
        "guidance": guidance_list(guidance_of(version)),
    }


def page_of(items: list[Any], total: int, page: int, size: int) -> dict[str, Any]:
    return {"count": total, "page": page, "pages": max(1, -(-total // size)), "results": items}
