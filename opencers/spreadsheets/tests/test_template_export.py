"""The template (header, explanations, dropdowns) and the export's formula escaping."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from opencers.core.elements import Element
from opencers.elements.inventory.fields import CHEMICAL_FIELDS, FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.tests.helpers import submitted_inventory
from opencers.spreadsheets.columns import escape_text, unescape_text
from opencers.spreadsheets.services import inventory_export, inventory_import, template_build
from opencers.spreadsheets.tests.helpers import inventory_rows
from opencers.submittals.selectors import draft_of
from opencers.submittals.services import draft_get_or_create

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def _book(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def test_the_header_is_cersid_and_the_chemical_type_elements_in_the_schemas_order() -> None:
    book = _book(template_build())
    sheet = book["Inventory"]

    header = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]

    assert header == ["CERSID", *[spec.xml for spec in CHEMICAL_FIELDS]]
    assert "ChemicalRegulatorKey" not in header
    assert len(header) == 104
    assert book.sheetnames == ["Inventory", "Columns", "Codes"]
    assert book["Codes"].sheet_state == "hidden"
    assert sheet.freeze_panes == "A2"


def test_the_columns_sheet_explains_every_column() -> None:
    sheet = _book(template_build())["Columns"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0] and row[2] is not None}

    assert rows["Column"] == ("Column", "What it is", "UPDD", "Required", "Allowed values", "Format", "Help")
    assert set(rows) - {"Column"} == {"CERSID", *FIELDS_BY_XML}
    assert rows["PhysicalState"][:6] == (
        "PhysicalState",
        "Physical state",
        "214",
        "Required",
        "a = Solid; b = Liquid; c = Gas",
        "One of the codes (the dropdown shows them with their meaning; the code alone is enough).",
    )
    assert rows["CLConfidential"][3:5] == ("Optional", "Y = Yes; N = No")
    assert rows["DaysOnSite"][5] == "Whole number from 1 to 365."
    assert (
        rows["MaximumDailyAmount"][5]
        == "Number, 0 or more, with at most 15 digits, 4 of them after the decimal point."
    )
    assert rows["CASNumber"][5] == (
        "Text, at most 15 characters. A CAS number in three groups of digits, e.g. 7664-93-9 (its check digit is verified)."
    )


def test_every_coded_and_yes_no_column_has_a_dropdown() -> None:
    book = _book(template_build())
    sheet = book["Inventory"]
    header = [cell.value for cell in sheet[1]]
    dropdowns = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        (cell_range,) = validation.sqref.ranges
        dropdowns[header[cell_range.min_col - 1]] = (validation.formula1, str(cell_range))
    coded = [spec.xml for spec in CHEMICAL_FIELDS if spec.kind in ("code", "yesno")]

    assert sorted(dropdowns) == sorted(coded)
    assert dropdowns["EHS"] == ('"Y,N"', "J2:J1048576")
    formula, _range = dropdowns["PhysicalState"]
    codes = book["Codes"]
    column = formula.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [codes[f"{column}{n}"].value for n in range(1, 5)] == [
        "PhysicalState",
        "a - Solid",
        "b - Liquid",
        "c - Gas",
    ]


def test_a_facility_template_offers_its_cers_id(world: Any) -> None:
    book = _book(template_build(facility=world.facility))
    sheet = book["Inventory"]
    (validation,) = [v for v in sheet.data_validations.dataValidation if str(v.sqref) == "A2:A1048576"]

    assert validation.type == "list"
    assert validation.formula1 == "Codes!$A$2:$A$2"
    assert book["Codes"]["A2"].value == world.facility.cers_id
    assert book["Columns"]["A3"].value == f"Template for Acme Plating, CERS ID {world.facility.cers_id}."


def test_the_empty_template_imports_as_a_file_without_materials(world: Any) -> None:
    result = inventory_import(
        content=template_build(facility=world.facility),
        file_name="template.xlsx",
        actor=world.users["editor"],
        mode="append",
        facility=world.facility,
    )

    assert [(p.row, p.message) for p in result.problems] == [
        (
            1,
            "There are no materials below the header row (row 1). Add one row per material and storage location, then import again.",
        )
    ]
    assert result.notices == []


def test_formula_escaping_is_undone_exactly_once() -> None:
    for original in ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'", "''x", "'=1", "plain", ""]:
        escaped = escape_text(original)
        assert unescape_text(escaped) == original
        assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert escape_text("=1+1") == "'=1+1"
    assert escape_text("'quoted") == "''quoted"
    assert unescape_text("'hello") == "'hello"  # an apostrophe before ordinary text is kept


def test_exported_text_starting_like_a_formula_is_escaped_and_numbers_are_numbers(world: Any) -> None:
    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    InventoryItem.objects.create(
        element=draft,
        position=1,
        common_name='=HYPERLINK("http://example.com")',
        chemical_location="@Dock",
        map_number="-3",
        grid_number="'B",
        ehs="N",
        physical_state="b",
        units="a",
        maximum_daily_amount=Decimal("1200.5"),
        days_on_site=365,
    )

    sheet = _book(inventory_export(facility=world.facility))["Inventory"]
    header = [cell.value for cell in sheet[1]]
    values = {name: sheet.cell(row=2, column=index + 1).value for index, name in enumerate(header)}

    assert values["CERSID"] == world.facility.cers_id
    assert values["CommonName"] == '\'=HYPERLINK("http://example.com")'
    assert values["ChemicalLocation"] == "'@Dock"
    assert values["MapNumber"] == "'-3"
    assert values["GridNumber"] == "''B"
    assert values["MaximumDailyAmount"] == 1200.5
    assert values["DaysOnSite"] == 365
    assert values["EHS"] == "N"
    assert sheet.cell(row=2, column=header.index("CommonName") + 1).data_type == "s"


def test_an_organization_export_lists_each_facilitys_rows_in_cers_id_order(world: Any) -> None:
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.services import facility_create
    from opencers.submittals.tests.factories import add_material

    east = facility_create(
        actor=world.users["lead"],
        name="Acme Plating East",
        address=address_wash(street="1500 J Street", city="", zip_code="95814"),
        organization=world.organization,
    )
    for facility, names in ((world.facility, ["Nickel", "Chrome"]), (east, ["Argon"])):
        draft = draft_get_or_create(facility=facility, element=INVENTORY, actor=world.users["lead"])
        for position, name in enumerate(names, start=1):
            add_material(draft, position=position, common_name=name)

    sheet = _book(inventory_export(organization=world.organization))["Inventory"]
    rows = [(row[0], row[8]) for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert rows == [
        (world.facility.cers_id, "Nickel"),
        (world.facility.cers_id, "Chrome"),
        (east.cers_id, "Argon"),
    ]


def test_a_submitted_version_can_be_exported_and_imported_into_a_new_draft(world: Any) -> None:
    submitted, _item = submitted_inventory(world)

    content = inventory_export(facility=world.facility, element_versions=[submitted])
    result = inventory_import(
        content=content,
        file_name="v1.xlsx",
        actor=world.users["lead"],
        mode="replace",
        facility=world.facility,
    )

    assert result.imported is True
    assert inventory_rows(draft_of(world.facility, INVENTORY)) == inventory_rows(submitted)
