"""Importing rows: every problem of every row at once (row and column as Excel shows them), all or nothing.

Given a facility's editor and a workbook, when the file is imported, then either every row is written,
or, if any row has a problem marked Required, nothing changes and every problem is listed with its row,
column, value and message.
"""

from __future__ import annotations

from typing import Any

from opencers.core.elements import Element
from opencers.spreadsheets.columns import TEMPLATE_COLUMNS
from opencers.spreadsheets.services import inventory_import
from opencers.spreadsheets.tests.helpers import (
    ACETONE,
    SULFURIC_ACID,
    inventory_rows,
    row,
    snapshot,
    workbook,
)
from opencers.submittals.selectors import draft_of

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def _import(
    world: Any, content: bytes, *, persona: str = "editor", mode: str = "replace", **scope: Any
) -> Any:
    if not scope:
        scope = {"facility": world.facility}
    return inventory_import(
        content=content, file_name="inventory.xlsx", actor=world.users[persona], mode=mode, **scope
    )


def _required(result: Any) -> list[tuple[Any, ...]]:
    return [
        (problem.row, problem.column, problem.cell, problem.value, problem.message)
        for problem in result.problems
        if problem.level == "required"
    ]


def test_a_good_file_is_imported_into_a_new_draft(world: Any) -> None:
    cers_id = world.facility.cers_id
    content = workbook([row(cers_id), row(cers_id, ACETONE)])

    result = _import(world, content)

    assert result.imported is True
    assert [w.added for w in result.written] == [2]
    draft = draft_of(world.facility, INVENTORY)
    assert inventory_rows(draft) == [
        {
            "ChemicalLocation": "Plating line 1",
            "ChemicalName": "Sulfuric acid",
            "CommonName": "Sulfuric acid 93%",
            "EHS": "N",
            "CASNumber": "7664-93-9",
            "HMType": "a",
            "PhysicalState": "b",
            "AverageDailyAmount": "800",
            "MaximumDailyAmount": "1200",
            "Units": "a",
            "DaysOnSite": 365,
        },
        {
            "ChemicalLocation": "Paint room",
            "CommonName": "Acetone",
            "EHS": "N",
            "CASNumber": "67-64-1",
            "PFCodeHazardClass": "9",
            "HMType": "a",
            "PhysicalState": "b",
            "AverageDailyAmount": "30",
            "MaximumDailyAmount": "55",
            "Units": "a",
        },
    ]


def test_every_bad_cell_is_reported_with_row_column_value_and_message_and_nothing_changes(world: Any) -> None:
    cers_id = world.facility.cers_id
    content = workbook(
        [
            row(cers_id),
            row(cers_id, ACETONE, MaximumDailyAmount="lots"),  # wrong type
            row(cers_id, ACETONE, ChemicalLocation="Shed", PhysicalState="x", EHS="maybe"),  # bad codes
            row(cers_id, SULFURIC_ACID, ChemicalLocation="Tank farm", CASNumber="7664-93-8"),  # bad CAS
            row(
                cers_id, SULFURIC_ACID, ChemicalLocation="Dock", AverageDailyAmount=1300
            ),  # average > maximum
            row(cers_id, ACETONE, ChemicalLocation="Lab", DaysOnSite=400, HC1PercentByWeight=20),
        ]
    )
    before = snapshot()

    result = _import(world, content)

    assert result.imported is False
    assert _required(result) == [
        (
            3,
            "MaximumDailyAmount",
            "BC3",
            "lots",
            "“lots” is not a number. Use digits only, e.g. 1500 or 12.5.",
        ),
        (4, "EHS", "J4", "maybe", "“maybe” is not Y or N."),
        (4, "PhysicalState", "W4", "x", "“x” is not one of the codes: a (Solid); b (Liquid); c (Gas)."),
        (
            5,
            "CASNumber",
            "K5",
            "7664-93-8",
            "The CAS number 7664-93-8 has a wrong check digit (it should end in 9). Copy the number again from the Safety Data Sheet.",
        ),
        (
            6,
            "AverageDailyAmount",
            "BB6",
            "1300",
            "The average daily amount (1300) is larger than the maximum (1200). The average cannot exceed the largest amount on site.",
        ),
        (7, "DaysOnSite", "BG7", "400", "400 is too large: the highest allowed is 365."),
        (7, "HC1Name", "CD7", "", "Component 1 has a percentage but no name."),
    ]
    assert snapshot() == before


def test_cers_ids_the_user_cannot_edit_are_refused_row_by_row_without_saying_whether_they_exist(
    world: Any,
) -> None:
    cers_id = world.facility.cers_id
    other = world.other_facility.cers_id
    content = workbook(
        [row(cers_id), row(10000099, ACETONE), row(other, ACETONE, ChemicalLocation="Barn"), row(None)]
    )
    before = snapshot()

    result = _import(world, content)

    assert result.imported is False
    assert _required(result) == [
        (
            3,
            "CERSID",
            "A3",
            "10000099",
            "CERSID 10000099 is not a facility you can edit. Check the CERS ID; if it is right, ask the facility's Lead User to give you access.",
        ),
        (
            4,
            "CERSID",
            "A4",
            str(other),
            f"CERSID {other} is not a facility you can edit. Check the CERS ID; if it is right, ask the facility's Lead User to give you access.",
        ),
        (
            5,
            "CERSID",
            "A5",
            "",
            "CERSID is empty. Give the CERS ID of the facility where this material is stored.",
        ),
    ]
    assert snapshot() == before


def test_missing_columns_extra_columns_title_rows_and_free_column_order(world: Any) -> None:
    columns = [
        "  commonname ",
        "Notes",
        "cersid",
        "PHYSICALSTATE",
        "EHS",
        "MaximumDailyAmount",
        "ChemicalLocation",
    ]
    content = workbook(
        [
            {
                "CommonName": "Acetone",
                "Notes": "keep away from heat",
                "CERSID": world.facility.cers_id,
                "PhysicalState": "b",
                "EHS": "N",
                "MaximumDailyAmount": 55,
                "ChemicalLocation": "Lab",
            },
        ],
        columns=columns,
        title_rows=["Acme Plating: inventory 2026", ""],
    )
    before = snapshot()

    result = _import(world, content)

    assert result.imported is False
    assert _required(result) == [
        (
            3,
            "Units",
            "",
            "",
            "The required column Units is missing. Add a column named Units to the header row (row 3) and fill it in for every material.",
        )
    ]
    optional = [
        name
        for name in TEMPLATE_COLUMNS
        if name
        not in {
            "CERSID",
            "CommonName",
            "EHS",
            "PhysicalState",
            "MaximumDailyAmount",
            "Units",
            "ChemicalLocation",
        }
    ]
    assert result.notices == [
        "Column Notes is not part of the template and was ignored.",
        "These template columns are not in the file and were treated as empty: " + ", ".join(optional) + ".",
    ]
    assert snapshot() == before


def test_problems_name_the_rows_excel_shows_below_title_rows(world: Any) -> None:
    cers_id = world.facility.cers_id
    content = workbook(
        [row(cers_id), row(cers_id, ACETONE, Units="kg")],
        title_rows=["Hazardous materials", "Updated 2026-01-05", "", ""],
    )

    result = _import(world, content)

    assert _required(result) == [
        (
            7,
            "Units",
            "BF7",
            "kg",
            "“kg” is not one of the codes: a (Gallons); b (Cubic feet); c (Pounds); d (Tons).",
        ),
    ]


def test_warnings_do_not_block_and_are_reported_by_excel_row(world: Any) -> None:
    cers_id = world.facility.cers_id
    waste = {
        "CommonName": "Used oil",
        "EHS": "N",
        "HMType": "c",
        "PhysicalState": "b",
        "Units": "a",
        "MaximumDailyAmount": 200,
        "ChemicalLocation": "Shop",
    }
    content = workbook([row(cers_id, waste), row(cers_id, ACETONE), row(cers_id, ACETONE)])

    result = _import(world, content)

    assert result.imported is True
    messages = [(p.level, p.row, p.column, p.message) for p in result.problems]
    assert (
        "warning",
        2,
        "StateWasteCode",
        "Give the 3-digit California waste code of this waste (e.g. 221 for waste oil).",
    ) in messages
    assert (
        "warning",
        4,
        "CommonName",
        "Same material and location as row 3. Combine the two rows, or tell the locations apart.",
    ) in messages
    assert len(inventory_rows(draft_of(world.facility, INVENTORY))) == 3


def test_cells_as_people_type_them(world: Any) -> None:
    """Dropdown choices ("b - Liquid"), Y/N words, numbers typed as text with thousands separators, text
    cells escaped against formulas, and rows with nothing but a CERSID."""
    cers_id = world.facility.cers_id
    content = workbook(
        [
            row(
                cers_id,
                ACETONE,
                PhysicalState="b - Liquid",
                HMType="Pure",
                EHS="no",
                MaximumDailyAmount="1,200.50",
                AverageDailyAmount="  30 ",
                ChemicalLocation="'=Cabinet 2",
                ChemicalDescriptionComment="'' quoted",
                MapNumber=7,
            ),
            {"CERSID": cers_id},
            {"CERSID": cers_id},
        ]
    )

    result = _import(world, content)

    assert result.imported is True
    assert result.notices == ["2 rows have only a CERSID and were skipped."]
    (stored,) = inventory_rows(draft_of(world.facility, INVENTORY))
    assert stored["PhysicalState"] == "b"
    assert stored["HMType"] == "a"
    assert stored["EHS"] == "N"
    assert stored["MaximumDailyAmount"] == "1200.5"
    assert stored["AverageDailyAmount"] == "30"
    assert stored["ChemicalLocation"] == "=Cabinet 2"
    assert stored["ChemicalDescriptionComment"] == "' quoted"
    assert stored["MapNumber"] == "7"


def test_a_file_without_materials_is_refused(world: Any) -> None:
    before = snapshot()

    result = _import(world, workbook([]))

    assert _required(result) == [
        (
            1,
            "",
            "",
            "",
            "There are no materials below the header row (row 1). Add one row per material and storage location, then import again.",
        )
    ]
    assert snapshot() == before


def test_a_column_given_twice_is_a_problem(world: Any) -> None:
    columns = [*TEMPLATE_COLUMNS, "units"]
    result = _import(world, workbook([row(world.facility.cers_id)], columns=columns))

    assert result.imported is False
    assert _required(result) == [
        (
            1,
            "Units",
            "DA1",
            "units",
            "The column Units appears twice (columns BF and DA). Keep one of them and delete the other.",
        )
    ]


def test_a_draft_marked_not_applicable_is_not_imported_into(world: Any) -> None:
    from opencers.submittals.services import draft_get_or_create, draft_mark_not_applicable

    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    draft_mark_not_applicable(
        draft=draft, actor=world.users["editor"], not_applicable=True, reason="No hazardous materials"
    )
    before = snapshot()

    result = _import(world, workbook([row(world.facility.cers_id)]))

    assert _required(result) == [
        (
            None,
            "CERSID",
            "",
            "",
            f"The draft inventory of Acme Plating (CERS ID {world.facility.cers_id}) is marked not applicable. Clear that mark on its inventory page, then import again.",
        )
    ]
    assert snapshot() == before


def test_a_nul_character_is_refused_rather_than_failing_in_the_database(world: Any) -> None:
    before = snapshot()

    content = workbook(
        [row(world.facility.cers_id, ChemicalLocation="Shed\x00 4", MaximumDailyAmount="12\x00")]
    )

    result = _import(world, content)

    assert _required(result) == [
        (
            2,
            "ChemicalLocation",
            "C2",
            "Shed\u2400 4",
            "This cell contains a NUL character, which cannot be stored. Type the value again.",
        ),
        (
            2,
            "MaximumDailyAmount",
            "BC2",
            "12\u2400",
            "This cell contains a NUL character, which cannot be stored. Type the value again.",
        ),
    ]
    assert snapshot() == before
