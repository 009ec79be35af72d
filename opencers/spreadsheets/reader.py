"""Reading an uploaded inventory workbook: structure checks first, then the parser in a limited child.

``read_workbook(content=, name=)`` runs ``safety.check_workbook`` (no parser has seen the file yet), then
python-calamine in a child process of its own (``_child.py``), which limits its address space to
``SPREADSHEET_PARSE_MEMORY_BYTES`` before parsing and is killed after ``SPREADSHEET_PARSE_SECONDS``. A
crafted file can therefore exhaust only that child. The child sends back only the non-empty cells below
the header row, column by column.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from opencers.documents.names import safe_display_name
from opencers.spreadsheets.columns import HEADER_SEARCH_ROWS
from opencers.spreadsheets.safety import FileRefused, check_workbook

CHILD = Path(__file__).with_name("_child.py")
PLAIN = (str, float, int, bool)


@dataclass
class Sheet:
    """The inventory sheet of a workbook: its header row and the non-empty cells below it."""

    name: str
    header_row: int  # the header's row number as Excel shows it
    first_column: int  # zero-based sheet column of ``header[0]``
    header: list[Any]
    row_count: int  # rows below the header, up to the last one with a value
    columns: dict[int, tuple[list[int], list[Any]]]  # column → (row offsets below the header, values)
    timings: dict[str, float] = field(default_factory=dict)
    child_peak_rss: int = 0  # bytes, when the platform reports it

    def excel_row(self, offset: int) -> int:
        """The row number Excel shows for the ``offset``-th row below the header (0-based)."""
        return self.header_row + 1 + offset


def read_workbook(*, content: bytes, name: str) -> Sheet:
    """Check and parse the workbook; ``FileRefused`` with a clear message for anything unreadable."""
    started = time.perf_counter()
    check_workbook(content=content, name=name)
    checked = time.perf_counter()
    record, peak = _parse_in_child(content, safe_display_name(name or "workbook.xlsx"))
    sheet = _sheet_from(record, safe_display_name(name or "workbook.xlsx"))
    sheet.timings = {"check": checked - started, "parse": time.perf_counter() - checked}
    sheet.child_peak_rss = peak
    return sheet


def _parse_in_child(content: bytes, shown: str) -> tuple[Any, int]:
    limit = settings.SPREADSHEET_PARSE_MEMORY_BYTES
    seconds = settings.SPREADSHEET_PARSE_SECONDS
    process = subprocess.Popen(  # noqa: S603 (our own script, run by the same interpreter)
        [sys.executable, "-I", str(CHILD), str(limit)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        output, _errors = process.communicate(content, timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise FileRefused(
            _(
                "%(name)s could not be read within %(seconds)d seconds, the time allowed for an inventory file. If it is a very large inventory, split it into several files (for example one per facility) and import them one after the other with “Add”."
            )
            % {"name": shown, "seconds": seconds}
        ) from None
    if process.returncode != 0 or not output:
        # Out of memory: MemoryError (exit 3) in Python, or an aborted allocation in the parser.
        raise FileRefused(
            _(
                "%(name)s could not be read within the memory allowed for an inventory file (%(limit)d MB). If it is a very large inventory, split it into several files (for example one per facility) and import them one after the other with “Add”; if not, the file may be damaged: save it again in Excel and upload the new file."
            )
            % {"name": shown, "limit": limit // (1024 * 1024)}
        )
    try:
        peak_kilobytes, record = marshal.loads(output)  # noqa: S302 (our child's record; shape checked)
    except (EOFError, ValueError, TypeError):
        raise _malformed(shown) from None
    return record, int(peak_kilobytes) * 1024 if isinstance(peak_kilobytes, int) else 0


def _malformed(shown: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s could not be read. Save it again in Excel as an Excel Workbook (.xlsx) and upload the new file."
        )
        % {"name": shown}
    )


def _sheet_from(record: Any, shown: str) -> Sheet:
    if not isinstance(record, tuple) or not record or not isinstance(record[0], str):
        raise _malformed(shown)
    if record[0] == "error":
        raise FileRefused(
            _(
                "%(name)s could not be read as an Excel workbook: its content is damaged or not what Excel writes. Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
            )
            % {"name": shown}
        )
    if record[0] == "no_header":
        raise FileRefused(
            _(
                "%(name)s has no header row: no sheet has a cell “CERSID” in its first %(rows)d rows. Use the inventory template: its first row names the columns, starting with CERSID."
            )
            % {"name": shown, "rows": HEADER_SEARCH_ROWS}
        )
    if record[0] != "ok" or len(record) != 8:
        raise _malformed(shown)
    _ok, name, first_row, first_column, header_offset, header, row_count, columns = record
    if not (
        isinstance(name, str)
        and all(isinstance(n, int) and n >= 0 for n in (first_row, first_column, header_offset, row_count))
        and isinstance(header, list)
        and all(isinstance(cell, PLAIN) for cell in header)
        and isinstance(columns, dict)
    ):
        raise _malformed(shown)
    for index, pair in columns.items():
        if not (
            isinstance(index, int)
            and isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], list)
            and isinstance(pair[1], list)
            and len(pair[0]) == len(pair[1])
        ):
            raise _malformed(shown)
        if not all(type(value) in PLAIN for value in pair[1]):
            raise _malformed(shown)
    return Sheet(
        name=name,
        header_row=first_row + header_offset + 1,
        first_column=first_column,
        header=header,
        row_count=row_count,
        columns=columns,
    )
