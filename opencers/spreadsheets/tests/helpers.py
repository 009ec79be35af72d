"""Workbooks made in the tests: good ones, wrong ones and hostile ones."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter

from opencers.core.models import AuditEvent
from opencers.elements.fields import content_of
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.spreadsheets.columns import TEMPLATE_COLUMNS

# A complete row keyed by column name (CERSID is added by ``row``).
SULFURIC_ACID: dict[str, Any] = {
    "CommonName": "Sulfuric acid 93%",
    "ChemicalName": "Sulfuric acid",
    "CASNumber": "7664-93-9",
    "EHS": "N",
    "HMType": "a",
    "PhysicalState": "b",
    "Units": "a",
    "MaximumDailyAmount": 1200,
    "AverageDailyAmount": 800,
    "DaysOnSite": 365,
    "ChemicalLocation": "Plating line 1",
}
ACETONE: dict[str, Any] = {
    "CommonName": "Acetone",
    "CASNumber": "67-64-1",
    "EHS": "N",
    "HMType": "a",
    "PhysicalState": "b",
    "Units": "a",
    "MaximumDailyAmount": 55,
    "AverageDailyAmount": 30,
    "ChemicalLocation": "Paint room",
    "PFCodeHazardClass": "9",
}


def row(cers_id: int | str | None, base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    values = {"CERSID": cers_id, **(base if base is not None else SULFURIC_ACID)}
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def workbook(
    rows: Iterable[dict[str, Any]],
    *,
    columns: Sequence[str] = TEMPLATE_COLUMNS,
    title_rows: Sequence[str] = (),
    sheet: str = "Inventory",
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """An .xlsx file: optional title rows, the header row of ``columns``, then one row per dict."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    for name in extra_sheets:
        book.add_worksheet(name).write_string(0, 0, "Notes")
    worksheet = book.add_worksheet(sheet)
    number = 0
    for title in title_rows:
        worksheet.write_string(number, 0, title)
        number += 1
    for index, name in enumerate(columns):
        worksheet.write_string(number, index, name)
    position = {name.strip().lower(): index for index, name in enumerate(columns)}
    for values in rows:
        number += 1
        for name, value in values.items():
            index = position.get(name.lower())
            if index is None:
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(number, index, value)
            elif isinstance(value, int | float):
                worksheet.write_number(number, index, value)
            else:
                worksheet.write_string(number, index, str(value))
    book.close()
    return buffer.getvalue()


def rezip(
    content: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The same workbook with parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return output.getvalue()


def inventory_rows(draft: Any) -> list[dict[str, Any]]:
    return [
        content_of(item, CHEMICAL_FIELDS)
        for item in InventoryItem.objects.filter(element=draft).order_by("position", "id")
    ]


def snapshot() -> tuple[int, int, list[tuple[Any, ...]]]:
    """What an import could change: the inventory rows, the audit log and the drafts."""
    from opencers.submittals.models import SubmittalElement

    return (
        InventoryItem.objects.count(),
        AuditEvent.objects.count(),
        list(SubmittalElement.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    )
