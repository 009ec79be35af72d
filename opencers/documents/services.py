"""Filling document slots: the six options, uploads (checked by content), copying to a new draft."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError, InvalidTransition
from opencers.documents.checks import check_upload
from opencers.documents.models import Document, DocumentFile, DocumentOption


def _require_draft(element: Any) -> None:
    if not element.is_draft:
        raise InvalidTransition(_("This version was submitted and can no longer change. Start a new draft to make changes."))


def documents_content(element: Any) -> list[dict[str, Any]]:
    """The documents of an element as plain data, for digests and comparisons (file content by SHA-256)."""
    result = []
    for document in element.documents.all().prefetch_related("files"):
        result.append(
            {
                "slot": document.slot,
                "title": document.title,
                "option": document.option,
                "other_element": document.other_element,
                "date_provided": document.date_provided.isoformat() if document.date_provided else None,
                "public_url": document.public_url,
                "comment": document.comment,
                "description": document.description,
                "files": [
                    {"name": f.original_name, "sha256": f.sha256, "size": f.size, "kind": f.kind} for f in document.files.all()
                ],
            }
        )
    return result


def documents_copy(source: Any, target: Any) -> None:
    """Copy every document (files included: they share the immutable stored object) to a new draft."""
    for document in source.documents.all().prefetch_related("files"):
        files = list(document.files.all())
        document.pk = None
        document.public_id = uuid.uuid4()
        document.element = target
        document.save()
        for stored in files:
            stored.pk = None
            stored.public_id = uuid.uuid4()
            stored.document = document
            stored.save()


@transaction.atomic
def document_set_option(
    *,
    element: Any,
    slot: str,
    title: str,
    option: str,
    actor: Any,
    other_element: int | None = None,
    date_provided: date | None = None,
    public_url: str = "",
    comment: str = "",
    description: str = "",
) -> Document:
    """Choose how a slot is satisfied; the fields each option needs are checked here."""
    _require_draft(element)
    if option not in DocumentOption.values:
        raise DomainError(_("Choose how this document is provided."), field="option")
    if option == DocumentOption.OTHER_ELEMENT and not other_element:
        raise DomainError(_("Choose the submittal element that contains this document."), field="other_element")
    if option == DocumentOption.PROVIDED_TO_REGULATOR and not date_provided:
        raise DomainError(_("Give the date you provided the document to the regulator."), field="date_provided")
    if option == DocumentOption.PUBLIC_URL and not public_url.startswith(("https://", "http://")):
        raise DomainError(_("Give the full internet address, starting with https://."), field="public_url")
    if option == DocumentOption.EXEMPT and len(comment.strip()) < 5:
        raise DomainError(_("Explain in a few words why this document is exempt."), field="comment")
    document, _created = Document.objects.select_for_update().get_or_create(
        element=element, slot=slot, defaults={"title": title, "option": option}
    )
    document.title = title
    document.option = option
    document.other_element = other_element if option == DocumentOption.OTHER_ELEMENT else None
    document.date_provided = date_provided if option == DocumentOption.PROVIDED_TO_REGULATOR else None
    document.public_url = public_url if option == DocumentOption.PUBLIC_URL else ""
    document.comment = comment.strip()[:500]
    document.description = description.strip()[:500]
    document.save()
    if option != DocumentOption.UPLOAD:
        for stored in list(document.files.all()):
            _delete_file(stored)
    audit_log(element, "document.option_set", actor=actor, data={"slot": slot, "option": option})
    return document


@transaction.atomic
def document_upload(*, element: Any, slot: str, title: str, actor: Any, name: str, stream: IO[bytes], size: int) -> DocumentFile:
    """Store an uploaded file after checking its size and content. Nothing is stored when refused."""
    _require_draft(element)
    if size > settings.DOCUMENT_MAX_BYTES:
        raise DomainError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB. Reduce it (e.g. print to PDF at a lower resolution) or split it.")
            % {"name": name, "size": size / 1_048_576, "limit": settings.DOCUMENT_MAX_BYTES // 1_048_576},
            field="file",
        )
    detected = check_upload(name=name, stream=stream, size=size)
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    key = f"documents/{uuid.uuid4().hex}.{detected.extension}"
    saved_key = default_storage.save(key, stream)
    document, _created = Document.objects.select_for_update().get_or_create(
        element=element, slot=slot, defaults={"title": title, "option": DocumentOption.UPLOAD}
    )
    if document.option != DocumentOption.UPLOAD:
        document.option = DocumentOption.UPLOAD
        document.other_element = None
        document.date_provided = None
        document.public_url = ""
        document.save()
    stored = DocumentFile.objects.create(
        document=document,
        original_name=safe_display_name(name),
        storage_key=saved_key,
        size=size,
        sha256=digest.hexdigest(),
        content_type=detected.content_type,
        kind=detected.kind,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_log(element, "document.uploaded", actor=actor, data={"slot": slot, "name": stored.original_name, "sha256": stored.sha256})
    return stored


def _delete_file(stored: DocumentFile) -> None:
    key = stored.storage_key
    stored.delete()
    if not DocumentFile.objects.filter(storage_key=key).exists():
        transaction.on_commit(lambda: default_storage.delete(key))


@transaction.atomic
def document_file_remove(*, stored: DocumentFile, actor: Any) -> None:
    _require_draft(stored.document.element)
    audit_log(stored.document.element, "document.file_removed", actor=actor, data={"slot": stored.document.slot, "name": stored.original_name})
    _delete_file(stored)


def safe_display_name(name: str) -> str:
    """The user's file name without any path, control or quoting characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?;')
    return (cleaned.strip(" .") or "document")[:200]
