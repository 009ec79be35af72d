"""Reading a workbook with python-calamine, run as a child process under a memory limit.

Started by ``opencers.spreadsheets.reader`` as ``python -I _child.py <memory limit in bytes>`` with the
workbook on standard input. It imports nothing of the project (no Django): only the standard library and
python-calamine. It limits its own address space, reads the workbook, then writes ``marshal`` records to
standard output, each preceded by its length (8 bytes, little-endian), so that the parent can check the
first columns while the next ones are still being prepared:

* ``("sheet", name, first_row, first_column, header_offset, header, row_count)``: the inventory sheet, the
  first with a ``CERSID`` cell in its first 20 rows (one whose header also names ``CommonName`` is
  preferred, so that a sheet explaining the columns is not taken for it). ``first_row`` and
  ``first_column`` are the zero-based sheet position of the data's top-left cell, ``header_offset`` the
  header's row within the data, ``header`` the header row's cells, ``row_count`` the rows below it;
* then ``("column", index, row offsets, values)`` for each column (index within the data) with a
  non-empty cell below the header: the offsets (0 = the row below the header) and values of those cells;
* or ``("no_header", sheet_names)`` when no sheet has a ``CERSID`` cell in its first rows;
* or ``("error", detail)`` when python-calamine cannot read the file;
* and last ``("end", peak resident memory in kilobytes)``.

Cells hold only str, float, int and bool (dates and times become ISO text), so that ``marshal`` can carry
them; the parent checks every record's shape before using it.
"""

from __future__ import annotations

import io
import marshal
import resource
import sys
from itertools import compress, repeat
from operator import ne
from typing import Any

HEADER_SEARCH_ROWS = 20
PLAIN = (str, float, int, bool)


def _header_row(rows: list[list[Any]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for value in row:
            if isinstance(value, str) and value.strip().lower() == "cersid":
                return index
    return None


def _plain(value: object) -> object:
    if isinstance(value, PLAIN):
        return value
    isoformat = getattr(value, "isoformat", None)
    if isoformat is not None:
        text = isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def _emit(record: tuple[Any, ...]) -> None:
    data = marshal.dumps(record)
    out = sys.stdout.buffer
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)


def _header_cells(rows: list[list[Any]], offset: int) -> set[str]:
    return {value.strip().lower() for value in rows[offset] if isinstance(value, str)}


def read(data: bytes) -> None:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    del data
    kinds = {meta.name: meta.typ for meta in workbook.sheets_metadata}
    chosen = None
    for index, name in enumerate(workbook.sheet_names):
        if kinds.get(name) not in (None, SheetTypeEnum.WorkSheet):
            continue
        sheet = workbook.get_sheet_by_index(index)
        start = sheet.start
        rows = sheet.to_python(skip_empty_area=True)
        del sheet
        header_offset = _header_row(rows)
        if header_offset is None:
            del rows
            continue
        candidate = (name, start if start is not None else (0, 0), header_offset, rows)
        if "commonname" in _header_cells(rows, header_offset):
            chosen = candidate
            break
        if chosen is None:
            chosen = candidate
        del rows, candidate
    if chosen is None:
        _emit(("no_header", list(workbook.sheet_names)))
        return
    del workbook
    name, (first_row, first_column), header_offset, rows = chosen
    del chosen
    header = [_plain(value) for value in rows[header_offset]]
    body = rows[header_offset + 1 :]
    del rows
    row_count = len(body)
    _emit(("sheet", name, first_row, first_column, header_offset, header, row_count))
    if not row_count:
        return
    for column_index, column in enumerate(zip(*body, strict=False)):
        if column.count("") == row_count:
            continue
        present = list(map(ne, column, repeat("")))
        indices = list(compress(range(row_count), present))
        values = list(compress(column, present))
        if any(type(value) not in PLAIN for value in values):
            values = [_plain(value) for value in values]
        _emit(("column", column_index, indices, values))


def _peak_kilobytes() -> int:
    """This process's peak resident memory (VmHWM: ``ru_maxrss`` would include the parent's from before exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    import python_calamine  # noqa: F401 (loaded before the limit: the limit is for the parsing)

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        read(sys.stdin.buffer.read())
    except MemoryError:
        sys.exit(3)
    except Exception as error:  # python-calamine's errors: the file cannot be read as a workbook
        _emit(("error", f"{type(error).__name__}: {error}"[:300]))
    _emit(("end", _peak_kilobytes()))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
