"""Marking the problems in a copy of the user's workbook with openpyxl, run as a child process.

Started by ``opencers.spreadsheets.annotate`` as ``python -I _annotate_child.py <memory limit>`` with a
``marshal`` record on standard input: ``(workbook bytes, problems)``, each problem a tuple
``(row, column index, level, message, column name, value)`` (row and column index may be None). It
imports nothing of the project. On the inventory sheet (the first with a ``CERSID`` header cell in its
first 20 rows) every problem cell gets a fill by level and a comment with the messages; problems without
a cell go on the row's (or the header's) CERSID cell. A sheet "Problems" lists them all, with a filter
for sorting. The annotated workbook goes to standard output.
"""

from __future__ import annotations

import io
import marshal
import resource
import sys
from typing import Any

HEADER_SEARCH_ROWS = 20
FILLS = {"required": "FFC7CE", "warning": "FFEB9C", "advisory": "DDEBF7"}
LEVEL_NAMES = {"required": "Required", "warning": "Warning", "advisory": "Advisory"}
ORDER = {"required": 0, "warning": 1, "advisory": 2}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _text(value: object) -> object:
    """Text that a spreadsheet could take for a formula gets a leading apostrophe (as in the export)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header(workbook: Any) -> tuple[Any, int, int] | None:
    """(sheet, header row, CERSID column), 1-based, preferring a header that also has CommonName."""
    found = None
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
            names = {str(cell.value).strip().lower(): cell for cell in row if isinstance(cell.value, str)}
            cell = names.get("cersid")
            if cell is None:
                continue
            if "commonname" in names:
                return sheet, cell.row, cell.column
            if found is None:
                found = (sheet, cell.row, cell.column)
            break
    return found


def annotate(data: bytes, problems: list[tuple[Any, ...]]) -> bytes:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = load_workbook(io.BytesIO(data))
    del data
    located = _header(workbook)
    by_cell: dict[tuple[int, int], list[tuple[str, str]]] = {}
    if located is not None:
        sheet, header_row, cersid_column = located
        for row, column_index, level, message, column, _value in problems:
            if row is not None and column_index is not None:
                key = (int(row), int(column_index) + 1)
            elif row is not None and row != header_row:
                key = (int(row), cersid_column)
                message = f"{column}: {message}" if column else message
            else:
                key = (header_row, cersid_column)
                message = f"{column}: {message}" if column else message
            by_cell.setdefault(key, []).append((str(level), str(message)))
        for (row, column), messages in by_cell.items():
            cell = sheet.cell(row=row, column=column)
            worst = min((level for level, _m in messages), key=lambda level: ORDER.get(level, 9))
            cell.fill = PatternFill("solid", fgColor=FILLS.get(worst, FILLS["advisory"]))
            text = "\n".join(f"{LEVEL_NAMES.get(level, level)}: {message}" for level, message in messages)
            comment = Comment(text[:30000], "OpenCERS")
            comment.width = 400
            comment.height = min(60 + 18 * len(text) // 50, 600)
            cell.comment = comment
    listing = workbook.create_sheet("Problems")
    headings = ("Row", "Column", "Cell", "Value", "Level", "Message")
    listing.append(headings)
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for row, column_index, level, message, column, value in problems:
        reference = (
            f"{get_column_letter(int(column_index) + 1)}{row}"
            if row is not None and column_index is not None
            else ""
        )
        listing.append(
            (row, _text(column), reference, _text(value), LEVEL_NAMES.get(str(level), level), _text(message))
        )
    listing.auto_filter.ref = f"A1:F{len(problems) + 1}"
    listing.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (8, 28, 8, 24, 10, 100), strict=True):
        listing.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def main() -> None:
    import openpyxl  # noqa: F401 (loaded before the limit: the limit is for the work)

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        data, problems = marshal.loads(sys.stdin.buffer.read())  # noqa: S302 (written by our parent)
        result = annotate(data, problems)
    except MemoryError:
        sys.exit(3)
    sys.stdout.buffer.write(result)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
