"""Reads of documents and files, scoped to the acting user (404 for "does not exist" and "not yours")."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from opencers.documents.models import Document, DocumentFile
from opencers.submittals.selectors import element_get_for_user, regulator_element_get


def _file(**filters: Any) -> DocumentFile:
    stored = (
        DocumentFile.objects.select_related("document", "document__element", "document__element__facility")
        .filter(**filters)
        .first()
    )
    if stored is None:
        raise Http404
    return stored


def file_get_for_user(*, user: Any, cers_id: int, public_id: Any) -> DocumentFile:
    """A file of one of the facility's element versions, as the version page shows it.

    Members of the facility's organization see drafts and submitted versions; the facility's regulators
    (and state staff) see submitted versions only; everyone else gets 404.
    """
    stored = _file(public_id=public_id, document__element__facility__cers_id=cers_id)
    element_get_for_user(user=user, cers_id=cers_id, public_id=stored.document.element.public_id)
    return stored


def regulator_file_get(*, user: Any, regulator: Any, public_id: Any) -> DocumentFile:
    """A file of a submitted version owned by ``regulator``, for its staff (drafts never)."""
    stored = _file(public_id=public_id, document__element__regulator=regulator)
    regulator_element_get(user=user, regulator=regulator, public_id=stored.document.element.public_id)
    return stored


def documents_by_slot(element: Any) -> dict[str, Document]:
    """The element's documents keyed by slot, files prefetched."""
    if element is None or element.pk is None:
        return {}
    return {document.slot: document for document in element.documents.prefetch_related("files")}
