"""The document slot page, the plans page, and the document links of the element and version pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from conftest import World
from opencers.core.models import AuditEvent
from opencers.documents.models import Document, DocumentFile
from opencers.documents.tests import corpus
from opencers.documents.tests.conftest import stored_paths
from opencers.documents.tests.factories import PLANS, first_file, plans_draft_with_files, submitted_plans
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_get_or_create

SLUG = "emergency-response-plans"
SLOT = "emergency_response_plan"


def _slot_url(world: World, slot: str = SLOT, slug: str = SLUG) -> str:
    return reverse(
        "business:document_slot", kwargs={"cers_id": world.facility.cers_id, "slug": slug, "slot": slot}
    )


def _drafts(world: World) -> int:
    return SubmittalElement.objects.filter(facility=world.facility, element=PLANS, status="draft").count()


def _pdf(name: str, text: str = "plan") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.pdf(text), content_type="application/octet-stream")


# --- The slot page -----------------------------------------------------------------------------------------


def test_the_slot_page_shows_the_slot_and_never_writes_on_get(world: World, media: Path) -> None:
    before = (AuditEvent.objects.count(), _drafts(world))
    response = world.client_for("editor").get(_slot_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emergency Response / Contingency Plan" in html
    assert "What staff do in a release, fire or earthquake" in html
    assert "Not provided yet." in html
    assert "There is no draft of this element yet" in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html and "multiple" in html
    for label in (
        "Upload a file",
        "Provided in another submittal element",
        "Provided to the regulator",
        "Available at a public internet address",
        "Stored at the facility",
        "Exempt",
    ):
        assert label in html
    assert (AuditEvent.objects.count(), _drafts(world)) == before


def test_unknown_slots_and_elements_are_not_found(world: World, media: Path) -> None:
    client = world.client_for("editor")
    assert client.get(_slot_url(world, slot="site_map")).status_code == 404
    assert client.get(_slot_url(world, slug="no-such-element")).status_code == 404
    assert client.get(_slot_url(world, slug="underground-storage-tanks", slot=SLOT)).status_code == 404


def test_choosing_an_option_starts_the_draft_and_saves(world: World, media: Path) -> None:
    response = world.client_for("editor").post(
        _slot_url(world), {"action": "option", "option": "exempt", "comment": "Fewer than ten employees"}
    )
    assert response.status_code == 302 and response["Location"] == _slot_url(world)
    document = Document.objects.get(element__facility=world.facility, slot=SLOT)
    assert (document.option, document.comment, document.element.status) == (
        "exempt",
        "Fewer than ten employees",
        "draft",
    )
    page = world.client_for("editor").get(_slot_url(world)).content.decode()
    assert "Fewer than ten employees" in page


def test_a_refused_option_shows_the_message_and_starts_no_draft(world: World, media: Path) -> None:
    response = world.client_for("editor").post(
        _slot_url(world), {"action": "option", "option": "exempt", "comment": ""}
    )
    assert response.status_code == 200
    assert "Explain in a few words why this document is exempt." in response.content.decode()
    assert _drafts(world) == 0
    assert Document.objects.count() == 0


def test_several_files_are_uploaded_at_once_and_listed(world: World, media: Path) -> None:
    client = world.client_for("editor")
    response = client.post(
        _slot_url(world), {"action": "upload", "file": [_pdf("plan.pdf", "one"), _pdf("annex.pdf", "two")]}
    )
    assert response.status_code == 302
    files = list(DocumentFile.objects.order_by("created_at"))
    assert [f.original_name for f in files] == ["plan.pdf", "annex.pdf"]
    assert sorted(stored_paths(media)) == sorted(f.storage_key for f in files)
    page = client.get(_slot_url(world)).content.decode()
    for stored in files:
        assert (
            reverse(
                "business:document_download",
                kwargs={"cers_id": world.facility.cers_id, "public_id": stored.public_id},
            )
            in page
        )


def test_a_refused_upload_is_shown_and_stores_nothing(world: World, media: Path) -> None:
    response = world.client_for("editor").post(
        _slot_url(world), {"action": "upload", "file": [_pdf("plan.pdf"), _pdf("site-map.docx")]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The upload was refused: nothing was stored" in html
    assert "site-map.docx is really a PDF file: rename it to .pdf or upload the right file." in html
    assert (DocumentFile.objects.count(), stored_paths(media), _drafts(world)) == (0, [], 0)


def test_an_upload_over_the_limit_is_refused_by_name_before_it_is_kept(world: World, media: Path) -> None:
    # given a generated 25 MB + 1 byte file that otherwise looks like a PDF
    size = 25 * 1024 * 1024 + 1
    big = corpus.GeneratedStream(size)
    big.name = "big.pdf"  # type: ignore[attr-defined]
    # when it is posted, then the size is refused by the file's name and nothing is stored
    response = world.client_for("editor").post(_slot_url(world), {"action": "upload", "file": big})
    assert response.status_code == 200
    assert (
        "big.pdf is 25.1 MB, larger than the 25 MB limit. Make it smaller (for a scan: a lower "
        "resolution, or black and white) or split it into several files."
    ) in response.content.decode()
    assert (DocumentFile.objects.count(), stored_paths(media)) == (0, [])


RECEIVED: list[int] = []


class RecordingHandler(FileUploadHandler):
    """Placed before Django's own handlers: counts the bytes that reach them."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RECEIVED.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def test_the_bytes_past_the_limit_never_reach_memory_or_disk(
    world: World, media: Path, settings: Any
) -> None:
    # given a limit of 1 MB and Django's handlers behind one that records what reaches them
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "opencers.documents.tests.test_views.RecordingHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    RECEIVED.clear()
    big = corpus.GeneratedStream(5 * 1024 * 1024)
    big.name = "scan.pdf"  # type: ignore[attr-defined]
    # when a 5 MB file is posted
    response = world.client_for("editor").post(_slot_url(world), {"action": "upload", "file": big})
    # then it is refused by name and size, and no byte past the limit went on to memory or disk
    assert "scan.pdf is 5.0 MB, larger than the 1 MB limit." in response.content.decode()
    assert 1024 * 1024 - 64 * 1024 < sum(RECEIVED) <= 1024 * 1024
    assert (DocumentFile.objects.count(), stored_paths(media)) == (0, [])


def test_an_upload_without_a_file_asks_for_one(world: World, media: Path) -> None:
    response = world.client_for("editor").post(_slot_url(world), {"action": "upload"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_removing_a_file(world: World, media: Path, django_capture_on_commit_callbacks: Any) -> None:
    draft = plans_draft_with_files(world.facility, world.users["editor"])
    stored = DocumentFile.objects.get(document__element=draft, document__slot=SLOT)
    client = world.client_for("editor")
    # a file of another slot, or no file id at all, is not found from this slot's page
    other = DocumentFile.objects.get(document__element=draft, document__slot="employee_training_plan")
    assert (
        client.post(_slot_url(world), {"action": "remove", "file": str(other.public_id)}).status_code == 404
    )
    assert client.post(_slot_url(world), {"action": "remove", "file": "not-a-uuid"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_slot_url(world), {"action": "remove", "file": str(stored.public_id)})
    assert response.status_code == 302
    assert not DocumentFile.objects.filter(pk=stored.pk).exists()
    assert stored_paths(media) == [other.storage_key]


def test_a_viewer_cannot_change_a_slot(world: World, media: Path) -> None:
    draft = plans_draft_with_files(world.facility, world.users["editor"])
    stored = first_file(draft)
    client = world.client_for("viewer")
    assert client.get(_slot_url(world)).status_code == 404
    assert (
        client.post(_slot_url(world), {"action": "remove", "file": str(stored.public_id)}).status_code == 404
    )
    assert client.post(_slot_url(world), {"action": "upload", "file": [_pdf("x.pdf")]}).status_code == 404
    assert DocumentFile.objects.filter(document__element=draft).count() == 2


# --- The plans page and the element overview --------------------------------------------------------------


def test_the_plans_page_without_a_draft_offers_to_start_one(world: World, media: Path) -> None:
    url = reverse("business:plans", kwargs={"cers_id": world.facility.cers_id})
    response = world.client_for("editor").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no draft." in html and 'data-testid="start-draft"' in html
    assert "Emergency Response / Contingency Plan" in html and "Employee Training Plan" in html
    assert _drafts(world) == 0
    # a Viewer sees the page without the button
    viewer_html = world.client_for("viewer").get(url).content.decode()
    assert "There is no draft." in viewer_html and 'data-testid="start-draft"' not in viewer_html
    # and the editor's POST starts the draft
    assert world.client_for("editor").post(url).status_code == 302
    assert _drafts(world) == 1


def test_the_plans_page_lists_both_slots_with_their_state_and_links(world: World, media: Path) -> None:
    draft = draft_get_or_create(facility=world.facility, element=PLANS, actor=world.users["editor"])
    world.client_for("editor").post(_slot_url(world), {"action": "upload", "file": [_pdf("erp.pdf")]})
    html = (
        world.client_for("editor")
        .get(reverse("business:plans", kwargs={"cers_id": world.facility.cers_id}))
        .content.decode()
    )
    assert _slot_url(world) in html
    assert _slot_url(world, slot="employee_training_plan") in html
    assert "erp.pdf" in html and "Not provided yet" in html
    assert "Employee Training Plan: upload it, or say how it is provided" in html
    assert draft.documents.count() == 1


def test_starting_the_plans_from_the_last_version_copies_the_files(world: World, media: Path) -> None:
    version = submitted_plans(world.facility, world.users["lead"])
    url = reverse("business:plans", kwargs={"cers_id": world.facility.cers_id})
    assert world.client_for("editor").post(url, {"source": str(version.public_id)}).status_code == 302
    draft = SubmittalElement.objects.get(facility=world.facility, element=PLANS, status="draft")
    assert draft.based_on_id == version.pk
    assert DocumentFile.objects.filter(document__element=draft).count() == 2


def test_the_element_overview_links_the_drafts_document_slots(world: World, media: Path) -> None:
    plans_draft_with_files(world.facility, world.users["editor"])
    url = reverse("business:element", kwargs={"cers_id": world.facility.cers_id, "slug": SLUG})
    html = world.client_for("editor").get(url).content.decode()
    assert 'data-testid="document-slots"' in html
    assert _slot_url(world) in html and _slot_url(world, slot="employee_training_plan") in html
    assert "emergency_response_plan.pdf" in html
    # a Viewer sees the slots but no link to change them
    viewer_html = world.client_for("viewer").get(url).content.decode()
    assert 'data-testid="document-slots"' in viewer_html and _slot_url(world) not in viewer_html


def test_the_version_pages_link_files_to_their_portals_download(world: World, media: Path) -> None:
    version = submitted_plans(world.facility, world.users["lead"])
    stored = first_file(version)
    business_page = world.client_for("viewer").get(
        reverse(
            "business:element_version",
            kwargs={"cers_id": world.facility.cers_id, "public_id": version.public_id},
        )
    )
    business_link = reverse(
        "business:document_download",
        kwargs={"cers_id": world.facility.cers_id, "public_id": stored.public_id},
    )
    regulator_link = reverse(
        "regulator:document_download", kwargs={"code": world.sac.code, "public_id": stored.public_id}
    )
    assert business_link in business_page.content.decode()
    assert regulator_link not in business_page.content.decode()
    regulator_page = world.client_for("regulator").get(
        reverse("regulator:element", kwargs={"code": world.sac.code, "public_id": version.public_id})
    )
    assert regulator_link in regulator_page.content.decode()
    assert business_link not in regulator_page.content.decode()


def test_the_inventory_site_map_has_its_slot_page(world: World, media: Path) -> None:
    url = _slot_url(world, slug="inventory", slot="site_map")
    response = world.client_for("editor").get(url)
    assert response.status_code == 200
    assert "<h1>Site map" in response.content.decode()
    response = world.client_for("editor").post(url, {"action": "upload", "file": [_pdf("site-map.pdf")]})
    assert response.status_code == 302
    assert DocumentFile.objects.get().document.element.element == 2
