"""The six ways to provide a document, uploads all or nothing, removal, copies to new drafts."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.core.models import AuditEvent
from opencers.documents.models import Document, DocumentFile, DocumentOption
from opencers.documents.services import (
    MAX_FILES_PER_SLOT,
    Upload,
    document_file_remove,
    document_files_upload,
    document_set_option,
    document_upload,
)
from opencers.documents.tests import corpus
from opencers.documents.tests.conftest import stored_paths
from opencers.documents.tests.factories import PLANS, submitted_plans
from opencers.submittals.content import element_content
from opencers.submittals.models import LocalRequirement
from opencers.submittals.rules import element_guidance
from opencers.submittals.services import draft_get_or_create, draft_start_from

SLOT = "emergency_response_plan"


@pytest.fixture
def draft(world: World, media: Path) -> Any:
    return draft_get_or_create(facility=world.facility, element=PLANS, actor=world.users["lead"])


def _upload(draft: Any, actor: Any, name: str, data: bytes, slot: str = SLOT) -> DocumentFile:
    return document_upload(
        element=draft, slot=slot, actor=actor, name=name, stream=io.BytesIO(data), size=len(data)
    )


def _state(draft: Any) -> list[tuple[Any, ...]]:
    return [
        (
            d.slot,
            d.option,
            d.other_element,
            d.date_provided,
            d.public_url,
            d.comment,
            [f.sha256 for f in d.files.all()],
        )
        for d in Document.objects.filter(element=draft).prefetch_related("files")
    ]


# --- The six options -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"option": "mailed"}, "option", "Choose how this document is provided."),
        (
            {"option": "other_element"},
            "other_element",
            "Choose the submittal element that contains this document.",
        ),
        (
            {"option": "other_element", "other_element": 3},
            "other_element",
            "Choose another element than this one.",
        ),
        (
            {"option": "other_element", "other_element": 99},
            "other_element",
            "Choose the submittal element that contains this document.",
        ),
        (
            {"option": "provided_to_regulator"},
            "date_provided",
            "Give the date you provided the document to the regulator.",
        ),
        (
            {"option": "provided_to_regulator", "date_provided": timezone.localdate() + timedelta(days=1)},
            "date_provided",
            "The date cannot be in the future.",
        ),
        (
            {"option": "public_url", "public_url": "www.example.com/plan"},
            "public_url",
            "Give the full internet address, starting with https://.",
        ),
        (
            {"option": "public_url", "public_url": "javascript:alert(1)"},
            "public_url",
            "Give the full internet address, starting with https://.",
        ),
        (
            {"option": "exempt", "comment": " no "},
            "comment",
            "Explain in a few words why this document is exempt.",
        ),
        (
            {"option": "stored_at_facility", "comment": "x" * 501},
            "comment",
            "Keep the comment to 500 characters at most.",
        ),
    ],
)
def test_each_option_needs_its_details(
    world: World, draft: Any, values: dict[str, Any], field: str, message: str
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        document_set_option(element=draft, slot=SLOT, actor=world.users["editor"], **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert Document.objects.count() == 0
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"option": "other_element", "other_element": 2}, ("other_element", 2, None, "", "")),
        (
            {"option": "provided_to_regulator", "date_provided": date(2025, 3, 1)},
            ("provided_to_regulator", None, date(2025, 3, 1), "", ""),
        ),
        (
            {"option": "public_url", "public_url": " https://acme.example.com/plans/erp.pdf "},
            ("public_url", None, None, "https://acme.example.com/plans/erp.pdf", ""),
        ),
        (
            {"option": "stored_at_facility", "comment": "Binder in the main office"},
            ("stored_at_facility", None, None, "", "Binder in the main office"),
        ),
        (
            {
                "option": "exempt",
                "comment": "Fewer than 10 employees",
                "other_element": 2,
                "public_url": "https://x.example",
            },
            ("exempt", None, None, "", "Fewer than 10 employees"),
        ),
    ],
)
def test_an_option_keeps_only_its_own_details(
    world: World, draft: Any, values: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    document = document_set_option(element=draft, slot=SLOT, actor=world.users["editor"], **values)
    document.refresh_from_db()
    assert (
        document.option,
        document.other_element,
        document.date_provided,
        document.public_url,
        document.comment,
    ) == expected
    assert document.title == "Emergency Response / Contingency Plan"
    event = AuditEvent.objects.filter(action="document.option_set").get()
    assert (event.data["slot"], event.data["option"]) == (SLOT, values["option"])


def test_choosing_another_option_removes_the_uploaded_files(
    world: World, draft: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given a slot with an uploaded file
    stored = _upload(draft, world.users["editor"], "plan.pdf", corpus.pdf())
    assert stored_paths(media) == [stored.storage_key]
    # when the editor says the plan is stored at the facility instead
    with django_capture_on_commit_callbacks(execute=True):
        document_set_option(
            element=draft, slot=SLOT, actor=world.users["editor"], option="stored_at_facility"
        )
    # then the file row and the stored object are gone, and the log says which files went
    assert DocumentFile.objects.count() == 0
    assert stored_paths(media) == []
    event = AuditEvent.objects.filter(action="document.option_set").get()
    assert event.data["files_removed"] == ["plan.pdf"]


def test_an_unknown_slot_is_refused(world: World, draft: Any) -> None:
    with pytest.raises(DomainError) as refused:
        document_set_option(
            element=draft,
            slot="site_map",
            actor=world.users["editor"],
            option="exempt",
            comment="Not needed here",
        )
    assert (refused.value.field, refused.value.message) == ("slot", "This element has no such document.")


def test_a_submitted_version_cannot_change(world: World, media: Path) -> None:
    version = submitted_plans(world.facility, world.users["lead"])
    before = _state(version)
    stored = DocumentFile.objects.filter(document__element=version).first()
    message = "This version was submitted and can no longer change. Start a new draft to make changes."
    with pytest.raises(InvalidTransition) as refused:
        document_set_option(
            element=version, slot=SLOT, actor=world.users["lead"], option="exempt", comment="No longer needed"
        )
    assert refused.value.message == message
    with pytest.raises(InvalidTransition):
        _upload(version, world.users["lead"], "new.pdf", corpus.pdf("new"))
    with pytest.raises(InvalidTransition):
        document_file_remove(stored=stored, actor=world.users["lead"])
    assert _state(version) == before
    assert len(stored_paths(media)) == 2


def test_a_draft_object_submitted_meanwhile_is_refused(world: World, media: Path) -> None:
    # given a draft object read before the element was submitted (a stale copy in another request)
    stale = draft_get_or_create(facility=world.facility, element=PLANS, actor=world.users["lead"])
    submitted_plans(world.facility, world.users["lead"])
    assert stale.is_draft
    # when a change arrives through the stale object, then the locked row decides
    with pytest.raises(InvalidTransition):
        document_set_option(
            element=stale, slot=SLOT, actor=world.users["lead"], option="exempt", comment="Too late now"
        )


# --- Uploads ---------------------------------------------------------------------------------------------


def test_several_files_are_stored_all_or_nothing(world: World, draft: Any, media: Path) -> None:
    uploads = [
        Upload("plan.pdf", io.BytesIO(corpus.pdf()), len(corpus.pdf())),
        Upload("evacuation-map.png", io.BytesIO(corpus.png()), len(corpus.png())),
        Upload("contacts.docx", io.BytesIO(corpus.pdf()), len(corpus.pdf())),
    ]
    with pytest.raises(DomainError) as refused:
        document_files_upload(element=draft, slot=SLOT, actor=world.users["editor"], uploads=uploads)
    assert (
        refused.value.message
        == "contacts.docx is really a PDF file: rename it to .pdf or upload the right file."
    )
    assert (Document.objects.count(), DocumentFile.objects.count(), stored_paths(media)) == (0, 0, [])
    # and without the wrong one, both are stored in the order given
    stored = document_files_upload(element=draft, slot=SLOT, actor=world.users["editor"], uploads=uploads[:2])
    assert [f.original_name for f in stored] == ["plan.pdf", "evacuation-map.png"]
    assert [f.original_name for f in DocumentFile.objects.all()] == ["plan.pdf", "evacuation-map.png"]
    assert sorted(stored_paths(media)) == sorted(f.storage_key for f in stored)
    assert Document.objects.get().option == DocumentOption.UPLOAD
    assert AuditEvent.objects.filter(action="document.uploaded").count() == 2


def test_the_same_content_twice_in_a_slot_is_refused(world: World, draft: Any, media: Path) -> None:
    _upload(draft, world.users["editor"], "plan.pdf", corpus.pdf())
    with pytest.raises(DomainError) as refused:
        _upload(draft, world.users["editor"], "plan (1).pdf", corpus.pdf())
    assert refused.value.message == "plan (1).pdf is already uploaded here (as plan.pdf)."
    assert DocumentFile.objects.count() == 1
    assert len(stored_paths(media)) == 1


def test_a_slot_holds_a_limited_number_of_files(world: World, draft: Any, media: Path) -> None:
    uploads = [
        Upload(f"page-{i}.txt", io.BytesIO(b"page %d" % i), 6 + len(str(i)))
        for i in range(MAX_FILES_PER_SLOT)
    ]
    document_files_upload(element=draft, slot=SLOT, actor=world.users["editor"], uploads=uploads)
    with pytest.raises(DomainError) as refused:
        _upload(draft, world.users["editor"], "one-more.txt", b"one more")
    assert (
        refused.value.message
        == "A document can have at most 20 files: remove some, or combine them into one PDF."
    )
    assert DocumentFile.objects.count() == MAX_FILES_PER_SLOT
    assert len(stored_paths(media)) == MAX_FILES_PER_SLOT


def test_uploading_to_a_slot_provided_otherwise_switches_it_to_upload(world: World, draft: Any) -> None:
    document_set_option(
        element=draft,
        slot=SLOT,
        actor=world.users["editor"],
        option="public_url",
        public_url="https://acme.example/erp",
    )
    _upload(draft, world.users["editor"], "plan.pdf", corpus.pdf())
    document = Document.objects.get()
    assert (document.option, document.public_url) == ("upload", "")


def test_the_name_is_cleaned_and_never_used_for_storage(world: World, draft: Any, media: Path) -> None:
    stored = _upload(draft, world.users["editor"], '../../etc/a"b;\r\n<script>.pdf', corpus.pdf())
    assert stored.original_name == "abscript.pdf"
    assert stored_paths(media) == [stored.storage_key]
    assert stored.storage_key.startswith("documents/") and "script" not in stored.storage_key


def test_a_locally_required_document_is_a_slot_of_the_element(world: World, draft: Any, media: Path) -> None:
    requirement = LocalRequirement.objects.create(
        regulator=world.sac,
        element=Element.EMERGENCY_RESPONSE_TRAINING,
        title="Hazardous waste contingency plan",
    )
    slot = f"local:{requirement.public_id}"
    stored = _upload(draft, world.users["editor"], "contingency.pdf", corpus.pdf(), slot=slot)
    assert Document.objects.get(slot=slot).title == "Hazardous waste contingency plan"
    assert stored.document.slot == slot


# --- Removal and copies ----------------------------------------------------------------------------------


def test_removing_the_only_file_deletes_the_stored_object_after_commit(
    world: World, draft: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    stored = _upload(draft, world.users["editor"], "plan.pdf", corpus.pdf())
    with django_capture_on_commit_callbacks(execute=True):
        document_file_remove(stored=stored, actor=world.users["editor"])
    assert DocumentFile.objects.count() == 0
    assert stored_paths(media) == []
    assert AuditEvent.objects.filter(action="document.file_removed").get().data["name"] == "plan.pdf"
    # and the slot now asks for a file
    messages = [g.message for g in element_guidance(draft)]
    assert (
        "Emergency Response / Contingency Plan: upload the file, or choose another way to provide it."
        in messages
    )


def test_a_new_draft_shares_the_stored_files_of_the_version_it_copies(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given submitted plans with two files
    version = submitted_plans(world.facility, world.users["lead"])
    # when a new draft starts from it
    copy = draft_start_from(facility=world.facility, element=PLANS, source=version, actor=world.users["lead"])
    # then the documents are the same content (same digest part), pointing at the same stored objects
    assert element_content(copy)["documents"] == element_content(version)["documents"]
    keys = sorted(
        DocumentFile.objects.filter(document__element=version).values_list("storage_key", flat=True)
    )
    assert (
        sorted(DocumentFile.objects.filter(document__element=copy).values_list("storage_key", flat=True))
        == keys
    )
    assert (
        DocumentFile.objects.filter(document__element=copy)
        .exclude(public_id__in=DocumentFile.objects.filter(document__element=version).values("public_id"))
        .count()
        == 2
    )
    # and removing a file from the draft keeps the object the submitted version still refers to
    with django_capture_on_commit_callbacks(execute=True):
        document_file_remove(
            stored=DocumentFile.objects.filter(document__element=copy).first(), actor=world.users["lead"]
        )
    assert sorted(stored_paths(media)) == keys
    assert DocumentFile.objects.filter(document__element=version).count() == 2


def test_the_sweep_deletes_only_old_objects_that_no_file_refers_to(world: World, media: Path) -> None:
    import os
    import time

    from django.core.management import call_command

    from opencers.documents.services import documents_sweep
    from opencers.submittals.services import draft_discard

    # given submitted plans, and a new draft from them with one more file, then discarded
    version = submitted_plans(world.facility, world.users["lead"])
    draft = draft_start_from(
        facility=world.facility, element=PLANS, source=version, actor=world.users["lead"]
    )
    orphan = _upload(draft, world.users["lead"], "notes.txt", b"only in the discarded draft").storage_key
    draft_discard(draft=draft, actor=world.users["lead"])
    kept = sorted(
        DocumentFile.objects.filter(document__element=version).values_list("storage_key", flat=True)
    )
    assert sorted(stored_paths(media)) == sorted([*kept, orphan])
    # when the sweep runs while the orphan is recent, nothing goes
    assert documents_sweep() == []
    # when every object is two days old, only the orphan goes
    two_days_ago = time.time() - 2 * 86400
    for path in stored_paths(media):
        os.utime(media / path, (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("sweep_documents", stdout=out)
    assert out.getvalue() == "Deleted 1 stored files no document refers to.\n"
    assert sorted(stored_paths(media)) == kept
    assert documents_sweep() == []
