"""Downloads: who may fetch a file, and how it is sent (attachment, checked type, safe name, nosniff)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse

from conftest import World
from opencers.documents.models import DocumentFile
from opencers.documents.names import content_disposition, safe_display_name
from opencers.documents.services import document_upload
from opencers.documents.tests import corpus
from opencers.documents.tests.factories import first_file, plans_draft_with_files, submitted_plans


def _business_url(world: World, stored: DocumentFile) -> str:
    return reverse(
        "business:document_download",
        kwargs={"cers_id": world.facility.cers_id, "public_id": stored.public_id},
    )


def _regulator_url(code: int, stored: DocumentFile) -> str:
    return reverse("regulator:document_download", kwargs={"code": code, "public_id": stored.public_id})


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_member_downloads_a_draft_file_as_an_attachment(world: World, media: Path) -> None:
    # given a plans draft with an uploaded PDF
    draft = plans_draft_with_files(world.facility, world.users["editor"])
    stored = first_file(draft)
    # when a Viewer of the business downloads it
    response = world.client_for("viewer").get(_business_url(world, stored))
    # then it is streamed from storage, as an attachment, with the type found in its content
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"emergency_response_plan.pdf\"; filename*=UTF-8''emergency_response_plan.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(stored.size)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert _body(response) == corpus.pdf("emergency response plan")


@pytest.mark.parametrize(
    "persona", ["regulator", "regulator_viewer", "other_business", "other_regulator", "state_admin"]
)
def test_nobody_outside_the_business_sees_a_draft_file(world: World, media: Path, persona: str) -> None:
    stored = first_file(plans_draft_with_files(world.facility, world.users["editor"]))
    client = world.client_for(persona)
    assert client.get(_business_url(world, stored)).status_code == 404
    assert client.get(_regulator_url(world.sac.code, stored)).status_code == 404
    assert client.get(_regulator_url(world.kern.code, stored)).status_code == 404


def test_the_regulator_of_the_facility_downloads_after_submission(world: World, media: Path) -> None:
    stored = first_file(submitted_plans(world.facility, world.users["lead"]))
    for persona in ("regulator", "regulator_viewer"):
        client = world.client_for(persona)
        from_regulator_portal = client.get(_regulator_url(world.sac.code, stored))
        assert from_regulator_portal.status_code == 200
        assert from_regulator_portal["Content-Disposition"].startswith("attachment; ")
        assert _body(from_regulator_portal) == corpus.pdf("emergency response plan")
        assert client.get(_business_url(world, stored)).status_code == 200
    # the business keeps access to its submitted versions
    assert world.client_for("viewer").get(_business_url(world, stored)).status_code == 200


@pytest.mark.parametrize("persona", ["other_business", "other_regulator", "anonymous"])
def test_outsiders_get_nothing_of_a_submitted_file(world: World, media: Path, persona: str) -> None:
    stored = first_file(submitted_plans(world.facility, world.users["lead"]))
    client = world.client_for(persona)
    expected = 302 if persona == "anonymous" else 404  # anonymous: to the sign-in page
    assert client.get(_business_url(world, stored)).status_code == expected
    assert client.get(_regulator_url(world.sac.code, stored)).status_code == expected
    assert client.get(_regulator_url(world.kern.code, stored)).status_code == expected


def test_a_file_id_under_another_facility_is_not_found(world: World, media: Path) -> None:
    stored = first_file(plans_draft_with_files(world.facility, world.users["editor"]))
    url = reverse(
        "business:document_download",
        kwargs={"cers_id": world.other_facility.cers_id, "public_id": stored.public_id},
    )
    assert world.client_for("lead").get(url).status_code == 404
    assert world.client_for("other_business").get(url).status_code == 404


def test_a_missing_stored_object_answers_404(world: World, media: Path) -> None:
    stored = first_file(plans_draft_with_files(world.facility, world.users["editor"]))
    default_storage.delete(stored.storage_key)
    assert world.client_for("lead").get(_business_url(world, stored)).status_code == 404


def test_a_hostile_name_cannot_break_the_header(world: World, media: Path) -> None:
    # given a file uploaded under a name with a quote, a semicolon and a line break
    from opencers.submittals.services import draft_get_or_create

    draft = draft_get_or_create(facility=world.facility, element=3, actor=world.users["editor"])
    data = corpus.pdf()
    stored = document_upload(
        element=draft,
        slot="employee_training_plan",
        actor=world.users["editor"],
        name='a"b;\r\n.pdf',
        stream=io.BytesIO(data),
        size=len(data),
    )
    # when it is downloaded, then the header holds one clean name
    response = world.client_for("editor").get(_business_url(world, stored))
    assert response["Content-Disposition"] == "attachment; filename=\"ab.pdf\"; filename*=UTF-8''ab.pdf"
    assert _body(response) == data


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ('a"b;\r\n.pdf', "attachment; filename=\"ab.pdf\"; filename*=UTF-8''ab.pdf"),
        (
            "Plan d\u2019urgence é.pdf",
            (
                'attachment; filename="Plan durgence e.pdf"; '
                "filename*=UTF-8''Plan%20d%E2%80%99urgence%20%C3%A9.pdf"
            ),
        ),
        (
            "应急预案.pdf",
            (
                'attachment; filename="document.pdf"; '
                "filename*=UTF-8''%E5%BA%94%E6%80%A5%E9%A2%84%E6%A1%88.pdf"
            ),
        ),
        ("..\\..\\boot.ini", "attachment; filename=\"boot.ini\"; filename*=UTF-8''boot.ini"),
        (
            "%0d%0aSet-Cookie: x=1.pdf",
            (
                'attachment; filename="0d_0aSet-Cookie x_1.pdf"; '
                "filename*=UTF-8''%250d%250aSet-Cookie%20x%3D1.pdf"
            ),
        ),
        ("\u202etxt.exe.pdf", "attachment; filename=\"txt.exe.pdf\"; filename*=UTF-8''txt.exe.pdf"),
    ],
)
def test_content_disposition_encodes_any_name_safely(name: str, header: str) -> None:
    assert content_disposition(name) == header
    assert "\r" not in header and "\n" not in header


def test_a_long_name_keeps_its_extension() -> None:
    name = "x" * 300 + ".pdf"
    assert safe_display_name(name) == "x" * 196 + ".pdf"
