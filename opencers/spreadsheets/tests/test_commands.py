"""The command line: ``import_inventory`` (as the system, all or nothing, exit status 1 when refused) and
``export_inventory``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.spreadsheets.management.commands.import_inventory import Command as ImportCommand
from opencers.spreadsheets.tests.helpers import ACETONE, inventory_rows, row, snapshot, workbook
from opencers.submittals.selectors import draft_of

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def _file(tmp_path: Path, content: bytes, name: str = "inventory.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_import_inventory_writes_the_rows_as_the_system(world: Any, tmp_path: Path) -> None:
    cers_id = world.facility.cers_id
    path = _file(tmp_path, workbook([row(cers_id), row(cers_id, ACETONE)]))
    out = io.StringIO()

    call_command("import_inventory", "--cersid", str(cers_id), "--mode", "replace", path, stdout=out)

    assert out.getvalue().splitlines() == [
        f"Imported 2 rows into the draft inventory of Acme Plating (CERS ID {cers_id}), replace; 0 rows replaced."
    ]
    assert len(inventory_rows(draft_of(world.facility, INVENTORY))) == 2
    (event,) = AuditEvent.objects.filter(action="inventory.imported")
    assert (event.actor, event.actor_label) == (None, "manage.py import_inventory")


def test_import_inventory_prints_every_problem_and_changes_nothing(world: Any, tmp_path: Path) -> None:
    cers_id = world.facility.cers_id
    path = _file(
        tmp_path,
        workbook([row(cers_id), row(cers_id, ACETONE, MaximumDailyAmount="lots"), row(10000099, ACETONE)]),
    )
    out = io.StringIO()
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_inventory", "--cersid", str(cers_id), "--mode", "append", path, stdout=out)

    assert str(refused.value) == "Refused: 2 problems to correct. Nothing was changed."
    assert out.getvalue().splitlines() == [
        "Required: row 3, column MaximumDailyAmount: “lots” is not a number. Use digits only, e.g. 1500 or 12.5.",
        f"Required: row 4, column CERSID: CERSID 10000099 is not the facility of this import (Acme Plating, CERS ID {cers_id}). Correct the CERS ID, or import the rows of other facilities from their own inventory pages or with an organization-wide import.",
    ]
    assert snapshot() == before


def test_import_inventory_exits_with_status_1_when_the_file_is_refused(
    world: Any, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    path = _file(tmp_path, b"CERSID,CommonName\n1,x\n")
    before = snapshot()
    # run_from_argv closes every connection when it ends, the test's own included: keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        ImportCommand().run_from_argv(
            [
                "manage.py",
                "import_inventory",
                "--cersid",
                str(world.facility.cers_id),
                "--mode",
                "replace",
                path,
            ]
        )

    assert exited.value.code == 1
    assert capsys.readouterr().err.strip() == (
        "CommandError: Refused: inventory.xlsx is not an Excel workbook (.xlsx): its content is of another type "
        "(for example CSV, text or PDF). Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload that "
        "file. Nothing was changed."
    )
    assert snapshot() == before


def test_import_inventory_needs_an_existing_facility(world: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, workbook([row(10000099)]))

    with pytest.raises(CommandError) as refused:
        call_command("import_inventory", "--cersid", "10000099", "--mode", "replace", path)

    assert str(refused.value) == "There is no facility with CERS ID 10000099."


def test_export_then_import_on_the_command_line_keeps_the_inventory(world: Any, tmp_path: Path) -> None:
    cers_id = world.facility.cers_id
    call_command(
        "import_inventory",
        "--cersid",
        str(cers_id),
        "--mode",
        "replace",
        _file(tmp_path, workbook([row(cers_id), row(cers_id, ACETONE)])),
        stdout=io.StringIO(),
    )
    before = inventory_rows(draft_of(world.facility, INVENTORY))
    exported = tmp_path / "export.xlsx"
    out = io.StringIO()

    call_command("export_inventory", "--cersid", str(cers_id), str(exported), stdout=out)
    call_command(
        "import_inventory", "--cersid", str(cers_id), "--mode", "replace", str(exported), stdout=io.StringIO()
    )

    assert out.getvalue().strip() == (
        f"Exported 2 rows of the Hazardous Materials Inventory draft of Acme Plating (CERS ID {cers_id}) to {exported}."
    )
    assert inventory_rows(draft_of(world.facility, INVENTORY)) == before


def test_export_inventory_without_an_inventory(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("export_inventory", "--cersid", str(world.facility.cers_id), str(tmp_path / "x.xlsx"))

    assert (
        str(refused.value)
        == f"Acme Plating (CERS ID {world.facility.cers_id}) has no such inventory to export."
    )
