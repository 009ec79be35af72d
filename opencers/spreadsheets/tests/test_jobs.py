"""Import jobs: inline for small files, in the job queue for large ones (with an e-mail at the end),
cancellable before writing, idempotent, with the problems kept for the page and an annotated copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from openpyxl import load_workbook

from opencers.core.elements import Element
from opencers.core.errors import InvalidTransition, NotPermitted
from opencers.core.models import AuditEvent
from opencers.elements.inventory.models import InventoryItem
from opencers.notifications.models import EmailMessage
from opencers.spreadsheets.models import ImportJob, ImportProblem, ImportStatus
from opencers.spreadsheets.services import (
    _Progress,
    import_annotated_copy,
    import_cancel,
    import_run,
    import_start,
)
from opencers.spreadsheets.tasks import run_import
from opencers.spreadsheets.tests.conftest import stored_paths
from opencers.spreadsheets.tests.helpers import ACETONE, row, snapshot, workbook
from opencers.submittals.selectors import draft_of

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def _start(world: Any, content: bytes, *, persona: str = "editor", mode: str = "replace") -> ImportJob:
    return import_start(
        user=world.users[persona],
        content=content,
        file_name="inventory.xlsx",
        mode=mode,
        facility=world.facility,
    )


def _queued() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, (args->>'job_id')::int FROM procrastinate_jobs "
            "WHERE task_name = 'spreadsheets.run_import' ORDER BY id"
        )
        return list(cursor.fetchall())


def test_a_small_file_is_imported_during_the_request(world: Any, media: Path) -> None:
    cers_id = world.facility.cers_id

    job = _start(world, workbook([row(cers_id), row(cers_id, ACETONE)]))

    assert (job.status, job.background, job.rows_total, job.rows_validated, job.rows_written) == (
        ImportStatus.DONE,
        False,
        2,
        2,
        2,
    )
    assert job.result == [{"cers_id": cers_id, "facility": "Acme Plating", "added": 2, "removed": 0}]
    assert InventoryItem.objects.filter(element=draft_of(world.facility, INVENTORY)).count() == 2
    assert stored_paths(media) == [job.file_key]
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-4:] == [
        "inventory.import_started",
        "element.draft_created",
        "inventory.imported",
        "inventory.import_finished",
    ]
    assert _queued() == []
    assert not EmailMessage.objects.filter(kind="inventory_import_finished").exists()


def test_a_large_file_runs_in_the_queue_and_the_user_is_emailed(world: Any, settings: Any) -> None:
    settings.SPREADSHEET_INLINE_MAX_BYTES = 1000
    content = workbook([row(world.facility.cers_id)])

    job = _start(world, content)

    assert (job.status, job.background) == (ImportStatus.QUEUED, True)
    assert _queued() == [("spreadsheets.run_import", job.pk)]
    assert InventoryItem.objects.count() == 0

    assert run_import(job_id=job.pk) == "done"

    job.refresh_from_db()
    assert (job.status, job.rows_written) == (ImportStatus.DONE, 1)
    (message,) = EmailMessage.objects.filter(kind="inventory_import_finished")
    assert message.to_address == "editor@example.com"
    assert message.subject == "Inventory imported: inventory.xlsx"
    assert (
        "The file inventory.xlsx was imported (replace the draft inventory): 1 row written." in message.body
    )
    assert f"- Acme Plating (CERS ID {world.facility.cers_id}): 1 added" in message.body
    assert f"/facilities/{world.facility.cers_id}/" in message.body


def test_running_a_job_again_changes_nothing(world: Any, settings: Any) -> None:
    settings.SPREADSHEET_INLINE_MAX_BYTES = 1000
    job = _start(world, workbook([row(world.facility.cers_id)]), mode="append")
    import_run(job_id=job.pk)
    before = snapshot()

    again = import_run(job_id=job.pk)

    assert again.status == ImportStatus.DONE
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="inventory.imported").count() == 1


def test_a_failed_background_import_keeps_every_problem_and_an_annotated_copy(
    world: Any, settings: Any
) -> None:
    settings.SPREADSHEET_INLINE_MAX_BYTES = 1000
    cers_id = world.facility.cers_id
    job = _start(
        world,
        workbook([row(cers_id), row(cers_id, ACETONE, MaximumDailyAmount="lots"), row(10000099, ACETONE)]),
    )

    run_import(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_written, job.problems_required) == (
        ImportStatus.FAILED,
        3,
        0,
        2,
    )
    assert (
        job.message == "Nothing was imported: correct the problems marked Required and upload the file again."
    )
    assert list(
        ImportProblem.objects.filter(job=job, level="required").values_list(
            "row", "column", "column_index", "value", "message"
        )
    ) == [
        (3, "MaximumDailyAmount", 54, "lots", "“lots” is not a number. Use digits only, e.g. 1500 or 12.5."),
        (
            4,
            "CERSID",
            0,
            "10000099",
            "CERSID 10000099 is not a facility you can edit. Check the CERS ID; if it is right, ask the facility's Lead User to give you access.",
        ),
    ]
    assert InventoryItem.objects.count() == 0
    assert job.annotated_key
    (message,) = EmailMessage.objects.filter(kind="inventory_import_finished")
    assert message.subject == "Inventory not imported: problems to correct: inventory.xlsx"
    assert "2 problems must be corrected first." in message.body

    book = load_workbook(io.BytesIO(import_annotated_copy(job=job)))
    sheet = book["Inventory"]
    assert sheet["BC3"].fill.fgColor.rgb == "00FFC7CE"
    assert (
        sheet["BC3"].comment.text == "Required: “lots” is not a number. Use digits only, e.g. 1500 or 12.5."
    )
    assert sheet["A4"].comment.text.startswith("Required: CERSID 10000099 is not a facility you can edit.")
    assert sheet["A2"].comment is None
    listing = list(book["Problems"].iter_rows(values_only=True))
    assert listing[0] == ("Row", "Column", "Cell", "Value", "Level", "Message")
    assert listing[1] == (
        3,
        "MaximumDailyAmount",
        "BC3",
        "lots",
        "Required",
        "“lots” is not a number. Use digits only, e.g. 1500 or 12.5.",
    )


def test_a_queued_job_can_be_cancelled_by_its_user_and_then_writes_nothing(
    world: Any, settings: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SPREADSHEET_INLINE_MAX_BYTES = 1000
    job = _start(world, workbook([row(world.facility.cers_id)]))

    with pytest.raises(NotPermitted):
        import_cancel(job_id=job.pk, actor=world.users["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = import_cancel(job_id=job.pk, actor=world.users["editor"])
    run_import(job_id=job.pk)

    cancelled.refresh_from_db()
    assert cancelled.status == ImportStatus.CANCELLED
    assert InventoryItem.objects.count() == 0
    assert stored_paths(media) == []
    assert AuditEvent.objects.filter(action="inventory.import_cancelled").count() == 1


def test_a_finished_import_cannot_be_cancelled(world: Any) -> None:
    job = _start(world, workbook([row(world.facility.cers_id)]))

    with pytest.raises(InvalidTransition) as refused:
        import_cancel(job_id=job.pk, actor=world.users["editor"])

    assert refused.value.message == "This import has finished; there is nothing to cancel."


def test_a_cancel_during_validation_stops_the_run(world: Any, settings: Any) -> None:
    settings.SPREADSHEET_INLINE_MAX_BYTES = 1000
    job = _start(world, workbook([row(world.facility.cers_id)]))
    progress = _Progress(job)
    progress(0, 2)
    job.refresh_from_db()
    assert (job.rows_validated, job.rows_total) == (0, 2)
    import_cancel(job_id=job.pk, actor=world.users["editor"])

    with pytest.raises(Exception) as stopped:
        progress(2, 2)

    assert type(stopped.value).__name__ == "ImportCancelled"


def test_a_viewer_cannot_start_an_import_and_nothing_is_kept(world: Any, media: Path) -> None:
    before = snapshot()

    with pytest.raises(NotPermitted):
        _start(world, workbook([row(world.facility.cers_id)]), persona="viewer")

    assert snapshot() == before
    assert ImportJob.objects.count() == 0
    assert stored_paths(media) == []


def test_an_organization_wide_job_writes_every_facility(world: Any) -> None:
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.services import facility_create

    east = facility_create(
        actor=world.users["lead"],
        name="Acme Plating East",
        address=address_wash(street="1500 J Street", city="", zip_code="95814"),
        organization=world.organization,
    )
    content = workbook([row(world.facility.cers_id), row(east.cers_id, ACETONE)])

    job = import_start(
        user=world.users["lead"],
        content=content,
        file_name="all.xlsx",
        mode="append",
        organization=world.organization,
    )

    assert (job.status, job.facility, job.organization) == (ImportStatus.DONE, None, world.organization)
    assert sorted(job.result, key=lambda each: each["cers_id"]) == sorted(
        [
            {"cers_id": world.facility.cers_id, "facility": "Acme Plating", "added": 1, "removed": 0},
            {"cers_id": east.cers_id, "facility": "Acme Plating East", "added": 1, "removed": 0},
        ],
        key=lambda each: each["cers_id"],
    )


def test_the_annotated_copy_marks_missing_columns_on_the_header_below_title_rows(world: Any) -> None:
    from opencers.spreadsheets.services import annotated_copy, inventory_import

    columns = ["CERSID", "CommonName", "EHS", "PhysicalState", "MaximumDailyAmount"]
    content = workbook(
        [
            {
                "CERSID": world.facility.cers_id,
                "CommonName": "Acetone",
                "EHS": "N",
                "PhysicalState": "q",
                "MaximumDailyAmount": 5,
            }
        ],
        columns=columns,
        title_rows=["Inventory 2026"],
    )
    result = inventory_import(
        content=content,
        file_name="inventory.xlsx",
        actor=world.users["editor"],
        mode="append",
        facility=world.facility,
    )

    sheet = load_workbook(io.BytesIO(annotated_copy(original=content, problems=result.problems)))["Inventory"]

    assert sheet["A2"].comment.text == (
        "Required: Units: The required column Units is missing. Add a column named Units to the header row (row 2) "
        "and fill it in for every material."
    )
    assert (
        sheet["D3"].comment.text == "Required: “q” is not one of the codes: a (Solid); b (Liquid); c (Gas)."
    )
    assert sheet["D3"].fill.fgColor.rgb == "00FFC7CE"
    assert sheet["A1"].value == "Inventory 2026"
