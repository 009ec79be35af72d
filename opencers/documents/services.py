"""Filling document slots: the six options, uploads (checked by content), copying to a new draft.

Every write locks the element's row first: a submission (which locks the same row) either happens
before, and the write is refused because the version is no longer a draft, or after, and includes it.
Uploaded files are stored under a key the server generates; the name the person gave is kept only for
display and as the download's file name. A stored object may be shared by the copies of a document
in later drafts, so it is deleted only when no file row refers to it any more.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.documents.checks import Detected, check_upload
from opencers.documents.models import Document, DocumentFile, DocumentOption
from opencers.documents.names import safe_display_name
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.registry import DocumentSlot
from opencers.submittals.rules import document_slots

__all__ = [
    "MAX_FILES_PER_SLOT",
    "Upload",
    "document_file_remove",
    "document_files_upload",
    "document_set_option",
    "document_upload",
    "documents_content",
    "documents_copy",
    "documents_sweep",
    "safe_display_name",
    "slot_of",
]

MAX_FILES_PER_SLOT = 20
STORAGE_PREFIX = "documents"
logger = logging.getLogger(__name__)
_URL = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the person gave, its bytes (seekable) and its size."""

    name: str
    stream: IO[bytes]
    size: int


# --- Reads used by the framework ---------------------------------------------------------------------


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
                    {"name": f.original_name, "sha256": f.sha256, "size": f.size, "kind": f.kind}
                    for f in document.files.all()
                ],
            }
        )
    return result


def slot_of(element: Any, slot: str) -> DocumentSlot:
    """The slot ``slot`` of the element (its type's slots and its regulator's local documents)."""
    for candidate in document_slots(element):
        if candidate.key == slot:
            return candidate
    raise DomainError(_("This element has no such document."), field="slot")


# --- Copying to a new draft --------------------------------------------------------------------------


def documents_copy(source: Any, target: Any) -> None:
    """Copy every document to a new draft. File rows are copied; the stored objects are shared (immutable)."""
    if not target.is_draft:
        raise InvalidTransition(_("Documents can only be copied into a draft."))
    for document in source.documents.all().prefetch_related("files"):
        files = list(document.files.all())
        document.pk = None
        document.public_id = uuid.uuid4()
        document.element = target
        document._state.adding = True
        document.save()
        DocumentFile.objects.bulk_create(
            [
                DocumentFile(
                    document=document,
                    original_name=stored.original_name,
                    storage_key=stored.storage_key,
                    size=stored.size,
                    sha256=stored.sha256,
                    content_type=stored.content_type,
                    kind=stored.kind,
                    uploaded_by_id=stored.uploaded_by_id,
                )
                for stored in files
            ]
        )


# --- Choosing how a slot is provided -----------------------------------------------------------------


def _lock_draft(element: Any) -> SubmittalElement:
    """The element's row, locked; refused unless it is still a draft."""
    locked = (
        SubmittalElement.objects.select_for_update().select_related("facility").filter(pk=element.pk).first()
    )
    if locked is None or locked.status != Status.DRAFT:
        raise InvalidTransition(
            _("This version was submitted and can no longer change. Start a new draft to make changes.")
        )
    return locked


@transaction.atomic
def document_set_option(
    *,
    element: Any,
    slot: str,
    option: str,
    actor: Any,
    other_element: int | None = None,
    date_provided: date | None = None,
    public_url: str = "",
    comment: str = "",
    description: str = "",
) -> Document:
    """Choose how a slot is satisfied; the fields each option needs are checked here.

    Choosing anything but an upload removes the slot's uploaded files.
    """
    draft = _lock_draft(element)
    spec = slot_of(draft, slot)
    comment, description, public_url = comment.strip(), description.strip(), public_url.strip()
    if option not in DocumentOption.values:
        raise DomainError(_("Choose how this document is provided."), field="option")
    if option == DocumentOption.OTHER_ELEMENT:
        if other_element not in Element.values:
            raise DomainError(
                _("Choose the submittal element that contains this document."), field="other_element"
            )
        if other_element == draft.element:
            raise DomainError(_("Choose another element than this one."), field="other_element")
    if option == DocumentOption.PROVIDED_TO_REGULATOR:
        if date_provided is None:
            raise DomainError(
                _("Give the date you provided the document to the regulator."), field="date_provided"
            )
        if date_provided > timezone.localdate():
            raise DomainError(_("The date cannot be in the future."), field="date_provided")
    if option == DocumentOption.PUBLIC_URL:
        try:
            _URL(public_url)
        except ValidationError:
            raise DomainError(
                _("Give the full internet address, starting with https://."), field="public_url"
            ) from None
        if len(public_url) > 1000:
            raise DomainError(
                _("The internet address is too long (at most 1,000 characters)."), field="public_url"
            )
    if option == DocumentOption.EXEMPT and len(comment) < 5:
        raise DomainError(_("Explain in a few words why this document is exempt."), field="comment")
    if len(comment) > 500:
        raise DomainError(_("Keep the comment to 500 characters at most."), field="comment")
    if len(description) > 500:
        raise DomainError(_("Keep the description to 500 characters at most."), field="description")
    document = Document.objects.select_for_update().filter(element=draft, slot=slot).first()
    if document is None:
        document = Document(element=draft, slot=slot)
    document.title = str(spec.label)[:150]
    document.option = option
    document.other_element = other_element if option == DocumentOption.OTHER_ELEMENT else None
    document.date_provided = date_provided if option == DocumentOption.PROVIDED_TO_REGULATOR else None
    document.public_url = public_url if option == DocumentOption.PUBLIC_URL else ""
    document.comment = comment
    document.description = description
    document.save()
    removed = []
    if option != DocumentOption.UPLOAD:
        for stored in list(document.files.all()):
            removed.append(stored.original_name)
            _delete_file(stored)
    audit_log(
        draft,
        "document.option_set",
        actor=actor,
        data={
            "slot": slot,
            "option": option,
            "other_element": document.other_element,
            "date_provided": document.date_provided.isoformat() if document.date_provided else None,
            "public_url": document.public_url,
            "comment": document.comment,
            "files_removed": removed,
        },
    )
    return document


# --- Uploads -----------------------------------------------------------------------------------------


def document_upload(
    *, element: Any, slot: str, actor: Any, name: str, stream: IO[bytes], size: int
) -> DocumentFile:
    """Store one uploaded file after checking its size and content. Nothing is stored when refused."""
    return document_files_upload(
        element=element, slot=slot, actor=actor, uploads=[Upload(name, stream, size)]
    )[0]


def document_files_upload(
    *, element: Any, slot: str, actor: Any, uploads: Sequence[Upload]
) -> list[DocumentFile]:
    """Store several files in a slot, all or nothing: one refused file (named in the message) stores none.

    Every file is checked by its content (``checks.check_upload``) before anything is written.
    """
    if not uploads:
        raise DomainError(_("Choose at least one file to upload."), field="file")
    checked: list[tuple[Upload, Detected, str]] = []
    for upload in uploads:
        detected = check_upload(name=upload.name, stream=upload.stream, size=upload.size)
        checked.append((upload, detected, _sha256(upload.stream)))
    written: list[str] = []
    try:
        with transaction.atomic():
            draft = _lock_draft(element)
            spec = slot_of(draft, slot)
            document = Document.objects.select_for_update().filter(element=draft, slot=slot).first()
            existing = {f.sha256: f.original_name for f in document.files.all()} if document else {}
            if len(existing) + len(checked) > MAX_FILES_PER_SLOT:
                raise DomainError(
                    _("A document can have at most %(max)d files: remove some, or combine them into one PDF.")
                    % {"max": MAX_FILES_PER_SLOT},
                    field="file",
                )
            for upload, _detected, digest in checked:
                if digest in existing:
                    raise DomainError(
                        _("%(name)s is already uploaded here (as %(existing)s).")
                        % {"name": safe_display_name(upload.name), "existing": existing[digest]},
                        field="file",
                    )
                existing[digest] = safe_display_name(upload.name)
            if document is None:
                document = Document(element=draft, slot=slot, option=DocumentOption.UPLOAD)
            document.title = str(spec.label)[:150]
            if document.option != DocumentOption.UPLOAD:
                document.option = DocumentOption.UPLOAD
                document.other_element = None
                document.date_provided = None
                document.public_url = ""
            document.save()
            stored_files = []
            for upload, detected, digest in checked:
                upload.stream.seek(0)
                key = default_storage.save(
                    f"{STORAGE_PREFIX}/{uuid.uuid4().hex}.{detected.extension}", upload.stream
                )
                written.append(key)
                stored = DocumentFile.objects.create(
                    document=document,
                    original_name=safe_display_name(upload.name),
                    storage_key=key,
                    size=_size_of(upload.stream),
                    sha256=digest,
                    content_type=detected.content_type,
                    kind=detected.kind,
                    uploaded_by=actor if getattr(actor, "pk", None) else None,
                )
                stored_files.append(stored)
                audit_log(
                    draft,
                    "document.uploaded",
                    actor=actor,
                    data={
                        "slot": slot,
                        "name": stored.original_name,
                        "sha256": digest,
                        "size": stored.size,
                        "kind": stored.kind,
                    },
                )
    except BaseException:
        for key in written:
            default_storage.delete(key)
        raise
    return stored_files


@transaction.atomic
def document_file_remove(*, stored: DocumentFile, actor: Any) -> None:
    """Remove one uploaded file from a draft's document (the stored object goes once nothing refers to it)."""
    draft = _lock_draft(stored.document.element)
    current = (
        DocumentFile.objects.select_related("document").filter(pk=stored.pk, document__element=draft).first()
    )
    if current is None:
        raise DomainError(_("This file was already removed."), field="file")
    stored = current
    audit_log(
        draft,
        "document.file_removed",
        actor=actor,
        data={"slot": stored.document.slot, "name": stored.original_name, "sha256": stored.sha256},
    )
    _delete_file(stored)


def _delete_file(stored: DocumentFile) -> None:
    key = stored.storage_key
    stored.delete()
    if not DocumentFile.objects.filter(storage_key=key).exists():
        transaction.on_commit(lambda: default_storage.delete(key))


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def documents_sweep(*, older_than: timedelta = timedelta(days=1)) -> list[str]:
    """Delete stored objects that no file row refers to any more, and return their keys.

    They are left by drafts that were discarded (their rows go with the draft) and by uploads whose
    transaction was rolled back after the object was written. Objects younger than ``older_than`` are
    kept: their upload may still be committing.
    """
    try:
        _folders, names = default_storage.listdir(STORAGE_PREFIX)
    except FileNotFoundError:
        return []
    cutoff = timezone.now() - older_than
    deleted: list[str] = []
    for start in range(0, len(names), 500):
        keys = [f"{STORAGE_PREFIX}/{name}" for name in names[start : start + 500]]
        referenced = set(
            DocumentFile.objects.filter(storage_key__in=keys).values_list("storage_key", flat=True)
        )
        for key in keys:
            if key in referenced or default_storage.get_modified_time(key) > cutoff:
                continue
            default_storage.delete(key)
            deleted.append(key)
    if deleted:
        logger.info("deleted %d stored documents no file refers to", len(deleted))
    return deleted
