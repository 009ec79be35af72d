"""The inventory template (.xlsx) and the export of inventories in the same layout.

``template_build`` gives an empty template: the sheet "Inventory" with the header row (``CERSID`` and
the ``ChemicalType`` element names in the schema's order), a dropdown on every coded and Y/N column
(and checks of numbers and lengths, as warnings: Excel still lets people type a code or its meaning),
the sheet "Columns" explaining every column (label, UPDD number, required or not, allowed codes and their
meanings, format) and a hidden sheet "Codes" holding the dropdown lists.

``inventory_export`` writes inventories (drafts or submitted versions) into that template, one row per
material, so that importing the export gives the identical inventory back. Text that a spreadsheet
program could take for a formula (starting with = + - @, a tab or a carriage return), and text starting
with an apostrophe, gets one leading apostrophe, which the import removes again. Numbers are written as
numbers when a spreadsheet reads them back exactly (up to 15 significant digits), else as text.

The workbook (formats, dropdowns, the two other sheets) is made with XlsxWriter; the data rows are
written straight into the sheet's XML as one stream, which is several times faster than XlsxWriter's
cell-by-cell interface for tens of thousands of rows (see bench/inventory_export.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import xlsxwriter
from django.db import connection
from django.utils.translation import gettext as _

from opencers.core.elements import Element
from opencers.elements.fields import CODE, DECIMAL, INTEGER, TEXT, YES_NO, YESNO, FieldSpec
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.models import Facility, Organization
from opencers.spreadsheets.columns import (
    CERSID_SPEC,
    TEMPLATE_SPECS,
    column_letter,
    escape_text,
)
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.selectors import last_accepted_or_submitted

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
SHEET = "Inventory"
COLUMNS_SHEET = "Columns"
CODES_SHEET = "Codes"
MAX_ROW = 1_048_575  # the last row of a sheet (zero-based)
SHEET_PART = "xl/worksheets/sheet1.xml"
EXPORT_COMPRESSION = 1  # zlib level of the data rows: fast, and the files are still small


def template_build(*, organization: Organization | None = None, facility: Facility | None = None) -> bytes:
    """An empty inventory template; for a facility or an organization the CERSID dropdown offers its
    CERS IDs."""
    return _workbook(
        _cers_ids(organization=organization, facility=facility), facility=facility, organization=organization
    )


def _cers_ids(*, organization: Organization | None, facility: Facility | None) -> list[int]:
    if facility is not None:
        return [facility.cers_id]
    if organization is not None:
        return list(
            Facility.objects.filter(organization=organization, archived=False)
            .order_by("cers_id")
            .values_list("cers_id", flat=True)
        )
    return []


# --- The workbook --------------------------------------------------------------------------------------


def _format_text(spec: FieldSpec) -> str:
    if spec is CERSID_SPEC:
        return _("Whole number: the facility's 8-digit CERS ID, e.g. 10123456.")
    if spec.kind == YESNO:
        return _("Y or N.")
    if spec.kind == CODE:
        return _("One of the codes (the dropdown shows them with their meaning; the code alone is enough).")
    if spec.kind == INTEGER:
        if spec.minimum is not None and spec.maximum is not None:
            return _("Whole number from %(min)s to %(max)s.") % {"min": spec.minimum, "max": spec.maximum}
        return _("Whole number.")
    if spec.kind == DECIMAL:
        if spec.minimum is not None and spec.maximum is not None:
            return _("Number from %(min)s to %(max)s, with at most %(places)d decimal places.") % {
                "min": spec.minimum,
                "max": spec.maximum,
                "places": spec.decimal_places,
            }
        return _(
            "Number, 0 or more, with at most %(digits)d digits, %(places)d of them after the decimal point."
        ) % {
            "digits": spec.total_digits or 15,
            "places": spec.decimal_places,
        }
    text = _("Text, at most %(length)d characters.") % {"length": spec.max_length or 0}
    if spec.check == "cas":
        text += " " + _(
            "A CAS number in three groups of digits, e.g. 7664-93-9 (its check digit is verified)."
        )
    return text


def _codes(spec: FieldSpec) -> Sequence[tuple[str, Any]]:
    return YES_NO if spec.kind == YESNO else spec.codes


def _choice(code: str, label: Any) -> str:
    return code if str(label) == code else f"{code} - {label}"


def _workbook(
    cers_ids: list[int],
    *,
    facility: Facility | None = None,
    organization: Organization | None = None,
    last_row: int = 0,
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"title": _("Hazardous Materials Inventory"), "author": "OpenCERS"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DFE1E2", "border": 1, "locked": False})
    required_format = workbook.add_format({"bold": True, "bg_color": "#FFD7A8", "border": 1})
    text_format = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})

    sheet = workbook.add_worksheet(SHEET)
    columns = workbook.add_worksheet(COLUMNS_SHEET)
    codes = workbook.add_worksheet(CODES_SHEET)
    codes.hide()

    code_column = 0
    for index, spec in enumerate(TEMPLATE_SPECS):
        sheet.write_string(0, index, spec.xml, required_format if spec.required else header_format)
        width = max(len(spec.xml) + 2, 10)
        is_text = spec.kind in (TEXT, CODE, YESNO)
        sheet.set_column(index, index, min(width, 40), text_format if is_text else None)
        message = str(spec.label)
        if spec.help:
            message = f"{message}. {spec.help}"
        validation: dict[str, Any] = {
            "ignore_blank": True,
            "error_type": "warning",
            "input_title": spec.xml[:32],
            "input_message": message[:255],
            "error_title": spec.xml[:32],
        }
        if spec is CERSID_SPEC and cers_ids:
            codes.write_string(0, code_column, spec.xml)
            for row, cers_id in enumerate(cers_ids, start=1):
                codes.write_number(row, code_column, cers_id)
            letter = column_letter(code_column)
            validation.update(
                validate="list",
                source=f"={CODES_SHEET}!${letter}$2:${letter}${len(cers_ids) + 1}",
                error_message=_("Use the CERS ID of a facility you import into.")[:255],
            )
            code_column += 1
        elif spec.kind == YESNO:
            validation.update(validate="list", source=["Y", "N"], error_message=_("Answer Y or N.")[:255])
        elif spec.kind == CODE:
            codes.write_string(0, code_column, spec.xml)
            for row, (code, label) in enumerate(spec.codes, start=1):
                codes.write_string(row, code_column, _choice(code, label))
            letter = column_letter(code_column)
            validation.update(
                validate="list",
                source=f"={CODES_SHEET}!${letter}$2:${letter}${len(spec.codes) + 1}",
                error_message=_("Choose one of the codes in the list.")[:255],
            )
            code_column += 1
        elif spec.kind in (DECIMAL, INTEGER):
            minimum = spec.minimum if spec.minimum is not None else 0
            if spec.maximum is not None:
                validation.update(criteria="between", minimum=float(minimum), maximum=float(spec.maximum))
            else:
                validation.update(criteria=">=", value=float(minimum))
            validation.update(
                validate="integer" if spec.kind == INTEGER else "decimal",
                error_message=_format_text(spec)[:255],
            )
        else:
            validation.update(
                validate="length",
                criteria="<=",
                value=spec.max_length or 255,
                error_message=_format_text(spec)[:255],
            )
        sheet.data_validation(1, index, MAX_ROW, index, validation)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, None, None)

    _explain(columns, facility=facility, organization=organization, wrap=wrap, bold=bold, title=title)
    workbook.close()
    return buffer.getvalue()


def _explain(
    sheet: Any,
    *,
    facility: Facility | None,
    organization: Organization | None,
    wrap: Any,
    bold: Any,
    title: Any,
) -> None:
    """The sheet explaining the template and every column."""
    sheet.write_string(0, 0, _("Hazardous Materials Inventory: how to fill in this template"), title)
    notes = [
        _(
            "One row per material per storage location, on the sheet “Inventory”. The first row names the columns; rows of titles above it are allowed, and the columns may be in any order."
        ),
        _(
            "CERSID says which facility the row belongs to. A file for one facility has its CERS ID on every row; a file for an organization may mix its facilities."
        ),
        _(
            "Columns marked “Required” must be filled in on every row. Columns that are not part of the template are ignored; columns of the template that are left out count as empty."
        ),
        _(
            "Importing checks the whole file first: if any row has a problem to correct, nothing changes and every problem is listed (row, column, value, what to do). “Replace” replaces the draft inventory; “Add” adds the rows after it."
        ),
        _(
            "Text starting with = + - @ or an apostrophe is exported with one extra apostrophe in front, so that no spreadsheet takes it for a formula; importing removes that apostrophe again."
        ),
    ]
    if facility is not None:
        notes.insert(
            0,
            _("Template for %(facility)s, CERS ID %(cers_id)s.")
            % {"facility": facility.name, "cers_id": facility.cers_id},
        )
    elif organization is not None:
        notes.insert(
            0, _("Template for the facilities of %(organization)s.") % {"organization": organization.name}
        )
    row = 2
    for note in notes:
        sheet.write_string(row, 0, note)
        row += 1
    row += 1
    headings = [
        _("Column"),
        _("What it is"),
        _("UPDD"),
        _("Required"),
        _("Allowed values"),
        _("Format"),
        _("Help"),
    ]
    for index, heading in enumerate(headings):
        sheet.write_string(row, index, heading, bold)
    for spec in TEMPLATE_SPECS:
        row += 1
        allowed = "; ".join(f"{code} = {label}" for code, label in _codes(spec))
        values = [
            spec.xml,
            str(spec.label),
            spec.updd,
            _("Required") if spec.required else _("Optional"),
            allowed,
            _format_text(spec),
            str(spec.help or ""),
        ]
        for index, value in enumerate(values):
            sheet.write_string(row, index, value, wrap)
    for index, width in enumerate((34, 40, 8, 10, 60, 50, 60)):
        sheet.set_column(index, index, width)


# --- Export --------------------------------------------------------------------------------------------


def inventory_export(
    *,
    facility: Facility | None = None,
    organization: Organization | None = None,
    element_versions: Iterable[SubmittalElement] | None = None,
    source: str = "draft",
) -> bytes:
    """The inventories as the template, one row per material, in each inventory's order.

    ``element_versions`` names the inventories (any versions, e.g. one submitted version); otherwise
    the inventories of ``facility`` or of every facility of ``organization``: their drafts
    (``source="draft"``), or their last accepted or submitted versions (``source="latest"``), or the
    draft where there is one and else the last version (``source="current"``). Facilities in CERS ID order.
    """
    if element_versions is not None:
        elements = list(element_versions)
        for element in elements:
            if element.element != INVENTORY:
                raise ValueError("Only Hazardous Materials Inventory versions can be exported.")
    else:
        elements = inventory_elements(facility=facility, organization=organization, source=source)
    facilities = Facility.objects.in_bulk([element.facility_id for element in elements])
    ordered = sorted(elements, key=lambda element: (facilities[element.facility_id].cers_id, element.pk))
    cers_ids = sorted({facility.cers_id for facility in facilities.values()})
    if facility is not None:
        cers_ids = [facility.cers_id]
    template = _workbook(cers_ids, facility=facility, organization=organization)
    return _splice(template, _rows(ordered, facilities))


def inventory_elements(
    *, facility: Facility | None, organization: Organization | None, source: str
) -> list[SubmittalElement]:
    if source not in ("draft", "latest", "current"):
        raise ValueError(f"Unknown source {source!r}")
    if facility is not None:
        facility_list = [facility]
    elif organization is not None:
        facility_list = list(Facility.objects.filter(organization=organization).order_by("cers_id"))
    else:
        raise ValueError("Give the facility, the organization or the element versions to export.")
    drafts = {
        element.facility_id: element
        for element in SubmittalElement.objects.filter(
            facility__in=facility_list, element=INVENTORY, status=Status.DRAFT
        )
    }
    result = []
    for each in facility_list:
        element = drafts.get(each.pk) if source in ("draft", "current") else None
        if element is None and source in ("latest", "current"):
            element = last_accepted_or_submitted(each, INVENTORY)
        if element is not None:
            result.append(element)
    return result


COLUMNS = {field.name: str(field.column) for field in InventoryItem._meta.concrete_fields}


def _rows(elements: list[SubmittalElement], facilities: dict[int, Facility]) -> Iterator[list[str | None]]:
    """Each inventory row as text per template column (numbers as their plain decimal text)."""
    specs = TEMPLATE_SPECS[1:]
    selects = []
    for spec in specs:
        column = COLUMNS[spec.name]
        if spec.kind == DECIMAL:
            selects.append(f"trim_scale({column})::text")
        elif spec.kind == INTEGER:
            selects.append(f"{column}::text")
        else:
            selects.append(column)
    table = InventoryItem._meta.db_table
    sql = f"SELECT {', '.join(selects)} FROM {table} WHERE element_id = %s ORDER BY position, id"  # noqa: S608
    with connection.cursor() as cursor:
        for element in elements:
            cers_id = str(facilities[element.facility_id].cers_id)
            cursor.execute(sql, [element.pk])
            while batch := cursor.fetchmany(5000):
                for row in batch:
                    yield [cers_id, *row]


# Cell XML. Text is escaped for XML; characters XML cannot hold, and a carriage return (which XML
# readers turn into a line feed), are written as Excel's _xHHHH_ escapes; text that looks like such an
# escape gets its underscore escaped, so that every reader gives back exactly the stored text.
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _escape_match(match: re.Match[str]) -> str:
    text = match.group(0)
    if text == "&":
        return "&amp;"
    if text == "<":
        return "&lt;"
    if text == ">":
        return "&gt;"
    if len(text) == 1:
        return f"_x{ord(text):04X}_"
    return "_x005F" + text


def _xml_text(text: str) -> str:
    return _NEEDS_ESCAPE.sub(_escape_match, text) if _NEEDS_ESCAPE.search(text) else text


def _number_cell(text: str) -> bool:
    """Numbers up to 15 digits come back exactly from a spreadsheet; longer ones go as text."""
    return len(text) - ("." in text) - text.startswith("-") <= 15


def _row_xml(number: int, row: Sequence[str | None], letters: Sequence[str], numeric: Sequence[bool]) -> str:
    cells = [f'<row r="{number}">']
    append = cells.append
    for letter, is_number, value in zip(letters, numeric, row, strict=True):
        if value is None or value == "":
            continue
        if is_number and _number_cell(value):
            append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            continue
        text = escape_text(value) if not is_number else value
        text = _xml_text(text)
        if text[0] in " \t\n" or text[-1] in " \t\n":
            append(f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        else:
            append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
    append("</row>")
    return "".join(cells)


def _splice(template: bytes, rows: Iterable[Sequence[str | None]]) -> bytes:
    """The template with ``rows`` written below the header row of its first sheet.

    The sheet's ``dimension`` (an optional hint of the used range) is left out, since the rows are
    streamed and their number is known only at the end; spreadsheet programs work the range out."""
    letters = [column_letter(index) for index in range(len(TEMPLATE_SPECS))]
    numeric = [spec.kind in (DECIMAL, INTEGER) for spec in TEMPLATE_SPECS]
    source = zipfile.ZipFile(io.BytesIO(template))
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != SHEET_PART:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, found, tail = source.read(info).decode("utf-8").partition("</sheetData>")
            if not found:
                raise RuntimeError("The template's sheet has no sheetData element.")
            head = re.sub(r'<dimension ref="[^"]*"/>', "", head, count=1)
            entry = zipfile.ZipInfo(SHEET_PART, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry._compresslevel = EXPORT_COMPRESSION  # type: ignore[attr-defined]
            with target.open(entry, "w", force_zip64=True) as stream:
                stream.write(head.encode("utf-8"))
                buffer: list[str] = []
                for number, row in enumerate(rows, start=2):
                    buffer.append(_row_xml(number, row, letters, numeric))
                    if len(buffer) >= 2000:
                        stream.write("".join(buffer).encode("utf-8"))
                        buffer.clear()
                if buffer:
                    stream.write("".join(buffer).encode("utf-8"))
                stream.write(("</sheetData>" + tail).encode("utf-8"))
    return output.getvalue()
