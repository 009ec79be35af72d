"""Inventory spreadsheet export benchmark: a 50,000-row draft inventory written as the template.

Measures ``inventory_export`` (read the rows, write the workbook with its dropdowns and explanation
sheets), target ≤ 5 s, and for comparison the time XlsxWriter's cell-by-cell interface (constant_memory
mode) takes to write the same cells, which is why the export streams the rows into the sheet itself.
The export is also read back with python-calamine to check that it holds every row.

Runs against the embedded PostgreSQL cluster in a database of its own (``opencers_bench``, created and
migrated on first use), or against ``DATABASE_URL``. The 50,000 rows are imported once into the draft of
a facility of their own ("Bench Export").

    .venv/bin/python bench/inventory_export.py
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ROWS = 50_000
RUNS = 3
TARGET_S = 5.0


def export_facility() -> Any:
    """The facility whose draft holds the 50,000 rows (imported once)."""
    from bench.inventory_import import bench_facility, bench_file
    from opencers.core.elements import Element
    from opencers.elements.inventory.models import InventoryItem
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.models import Facility
    from opencers.organizations.services import facility_create
    from opencers.spreadsheets.services import inventory_import
    from opencers.submittals.selectors import draft_of

    user, first = bench_facility()
    facility = Facility.objects.filter(name="Bench Export", organization=first.organization).first()
    if facility is None:
        facility = facility_create(
            actor=user,
            name="Bench Export",
            address=address_wash(street="1010 J Street", city="", zip_code="95814"),
            organization=first.organization,
        )
    draft = draft_of(facility, Element.HAZARDOUS_MATERIALS_INVENTORY)
    if draft is None or InventoryItem.objects.filter(element=draft).count() != ROWS:
        content = bench_file(ROWS, facility.cers_id).read_bytes()
        result = inventory_import(
            content=content, file_name="bench.xlsx", actor=user, mode="replace", facility=facility
        )
        if not result.imported:
            raise SystemExit(f"The benchmark rows have problems: {result.problems[:5]}")
    return facility


def xlsxwriter_cell_api(rows: list[list[Any]]) -> float:
    """Seconds XlsxWriter (constant_memory) takes to write the same cells one call per cell."""
    import xlsxwriter

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        book = xlsxwriter.Workbook(str(Path(directory) / "cells.xlsx"), {"constant_memory": True})
        sheet = book.add_worksheet("Inventory")
        write_string, write_number = sheet.write_string, sheet.write_number
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    write_string(number, column, value)
                else:
                    write_number(number, column, value)
        book.close()
    return time.perf_counter() - started


def run() -> dict[str, Any]:
    from bench.inventory_import import _setup_django

    _setup_django()
    from python_calamine import CalamineWorkbook

    from opencers.spreadsheets.services import inventory_export

    facility = export_facility()
    inventory_export(facility=facility)  # warm up
    timings = []
    content = b""
    for _run in range(RUNS):
        started = time.perf_counter()
        content = inventory_export(facility=facility)
        timings.append(time.perf_counter() - started)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    if len(rows) != ROWS + 1:
        raise SystemExit(f"The export holds {len(rows) - 1} rows, not {ROWS}.")
    cell_api = xlsxwriter_cell_api(rows[1:])
    median = statistics.median(timings)
    return {
        "benchmark": "inventory_export",
        "rows": ROWS,
        "runs": RUNS,
        "median_s": round(median, 3),
        "best_s": round(min(timings), 3),
        "file_bytes": len(content),
        "xlsxwriter_cell_api_s": round(cell_api, 3),
        "summary": [
            {"figure": "50,000 rows: export", "value": round(median, 2), "unit": "s", "target": TARGET_S},
            {
                "figure": "50,000 rows: XlsxWriter cell by cell, for comparison",
                "value": round(cell_api, 2),
                "unit": "s",
                "target": None,
            },
        ],
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
