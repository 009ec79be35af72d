"""Reading an uploaded inventory workbook: structure checks first, then the parser in a limited child.

``read_workbook(content=, name=)`` runs ``safety.check_workbook`` (no parser has seen the file yet), then
python-calamine in a child process of its own (``_child.py``), which limits its address space to
``SPREADSHEET_PARSE_MEMORY_BYTES`` before parsing and is killed after ``SPREADSHEET_PARSE_SECONDS``. A
crafted file can therefore exhaust only that child. The child sends back only the non-empty cells below
the header row, column by column; ``Sheet.columns()`` hands them over as they arrive, so that the first
columns are checked while the child still prepares the next ones.
"""

from __future__ import annotations

import marshal
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from opencers.documents.names import safe_display_name
from opencers.spreadsheets.columns import HEADER_SEARCH_ROWS
from opencers.spreadsheets.safety import FileRefused, check_workbook

CHILD = Path(__file__).with_name("_child.py")
PLAIN = (str, float, int, bool)
PLAIN_TYPES = frozenset(PLAIN)
MAX_RECORD = 1 << 34


@dataclass
class Sheet:
    """The inventory sheet of a workbook: its header row, then its non-empty cells column by column."""

    name: str
    header_row: int  # the header's row number as Excel shows it
    first_column: int  # zero-based sheet column of ``header[0]``
    header: list[Any]
    row_count: int  # rows below the header, up to the last one with a value
    timings: dict[str, float] = field(default_factory=dict)
    child_peak_rss: int = 0  # bytes, when the platform reports it
    _child: _Child | None = None

    def excel_row(self, offset: int) -> int:
        """The row number Excel shows for the ``offset``-th row below the header (0-based)."""
        return self.header_row + 1 + offset

    def close(self) -> None:
        """Stop the child if its columns were never read."""
        if self._child is not None:
            self._child.close()
            self._child = None

    def columns(self) -> Generator[tuple[int, list[int], list[Any]]]:
        """``(column index, row offsets, values)`` of every column with a value below the header.

        ``FileRefused`` if the child stops part-way (memory or time limit)."""
        if self._child is None:
            return
        child, self._child = self._child, None
        try:
            while True:
                record = child.record()
                if record[0] == "end":
                    self.child_peak_rss = child.finish(record)
                    self.timings["parse"] = time.perf_counter() - child.started
                    return
                if record[0] == "error":
                    raise _unreadable(child.shown)
                yield _column(record, child.shown, self.row_count)
        finally:
            child.close()


def read_workbook(*, content: bytes, name: str) -> Sheet:
    """Check the workbook and start parsing it; the header comes back now, the columns through
    ``Sheet.columns()``. ``FileRefused`` with a clear message for anything unreadable."""
    shown = safe_display_name(name or "workbook.xlsx")
    started = time.perf_counter()
    check_workbook(content=content, name=shown)
    checked = time.perf_counter()
    child = _Child(content, shown)
    try:
        record = child.record()
        if record[0] == "error":
            raise _unreadable(shown)
        if record[0] == "no_header":
            raise FileRefused(
                _(
                    "%(name)s has no header row: no sheet has a cell “CERSID” in its first %(rows)d rows. Use the inventory template: its first row names the columns, starting with CERSID."
                )
                % {"name": shown, "rows": HEADER_SEARCH_ROWS}
            )
        sheet = _sheet(record, shown)
    except BaseException:
        child.close()
        raise
    sheet.timings = {"check": checked - started, "header": time.perf_counter() - checked}
    sheet._child = child
    return sheet


class _Child:
    """The parsing child: its input written, its records read one by one, killed at the time limit."""

    def __init__(self, content: bytes, shown: str) -> None:
        self.shown = shown
        self.limit = settings.SPREADSHEET_PARSE_MEMORY_BYTES
        self.seconds = settings.SPREADSHEET_PARSE_SECONDS
        self.started = time.perf_counter()
        self.timed_out = False
        self.process = subprocess.Popen(  # noqa: S603 (our own script, run by the same interpreter)
            [sys.executable, "-I", str(CHILD), str(self.limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.timer = threading.Timer(self.seconds, self._kill)
        self.timer.daemon = True
        self.timer.start()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdout: IO[bytes] = self.process.stdout
        # A thread empties the pipe as the child writes, so that the child never waits for us.
        self.frames: queue.Queue[bytes | None] = queue.Queue()
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()
        try:
            self.process.stdin.write(content)
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child stopped early (e.g. out of memory): reading says so

    def _kill(self) -> None:
        self.timed_out = True
        self.process.kill()

    def _pump(self) -> None:
        """Read the child's length-prefixed records into the queue; None at the end of its output."""
        try:
            while True:
                head = self.stdout.read(8)
                if not head or len(head) != 8:
                    break
                length = int.from_bytes(head, "little")
                if length <= 0 or length > MAX_RECORD:
                    break
                data = self.stdout.read(length)
                if data is None or len(data) != length:
                    break
                self.frames.put(data)
        except (OSError, ValueError):
            pass
        self.frames.put(None)

    def record(self) -> tuple[Any, ...]:
        data = self.frames.get()
        if data is None:
            raise self._stopped()
        try:
            record = marshal.loads(data)  # noqa: S302 (our child's record; shape checked)
        except (EOFError, ValueError, TypeError):
            raise _malformed(self.shown) from None
        if not isinstance(record, tuple) or not record or not isinstance(record[0], str):
            raise _malformed(self.shown)
        return record

    def _stopped(self) -> FileRefused:
        self.process.wait()
        self.timer.cancel()
        if self.timed_out:
            return FileRefused(
                _(
                    "%(name)s could not be read within %(seconds)d seconds, the time allowed for an inventory file. If it is a very large inventory, split it into several files (for example one per facility) and import them one after the other with “Add”."
                )
                % {"name": self.shown, "seconds": self.seconds}
            )
        # Out of memory: MemoryError (exit 3) in Python, or an aborted allocation in the parser.
        return FileRefused(
            _(
                "%(name)s could not be read within the memory allowed for an inventory file (%(limit)d MB). If it is a very large inventory, split it into several files (for example one per facility) and import them one after the other with “Add”; if not, the file may be damaged: save it again in Excel and upload the new file."
            )
            % {"name": self.shown, "limit": self.limit // (1024 * 1024)}
        )

    def finish(self, record: tuple[Any, ...]) -> int:
        """The end record: the child's peak memory; the child must then exit normally."""
        if len(record) != 2 or not isinstance(record[1], int):
            raise _malformed(self.shown)
        if self.process.wait() != 0:
            raise self._stopped()
        self.timer.cancel()
        return record[1] * 1024

    def close(self) -> None:
        self.timer.cancel()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.pump.join()
        self.stdout.close()


def _malformed(shown: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s could not be read. Save it again in Excel as an Excel Workbook (.xlsx) and upload the new file."
        )
        % {"name": shown}
    )


def _unreadable(shown: str) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s could not be read as an Excel workbook: its content is damaged or not what Excel writes. Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
        )
        % {"name": shown}
    )


def _sheet(record: tuple[Any, ...], shown: str) -> Sheet:
    if record[0] != "sheet" or len(record) != 7:
        raise _malformed(shown)
    _kind, name, first_row, first_column, header_offset, header, row_count = record
    if not (
        isinstance(name, str)
        and all(isinstance(n, int) and n >= 0 for n in (first_row, first_column, header_offset, row_count))
        and isinstance(header, list)
        and set(map(type, header)) <= PLAIN_TYPES
    ):
        raise _malformed(shown)
    return Sheet(
        name=name,
        header_row=first_row + header_offset + 1,
        first_column=first_column,
        header=header,
        row_count=row_count,
    )


def _column(record: tuple[Any, ...], shown: str, row_count: int) -> tuple[int, list[int], list[Any]]:
    if record[0] != "column" or len(record) != 4:
        raise _malformed(shown)
    _kind, index, indices, values = record
    if not (
        isinstance(index, int)
        and index >= 0
        and isinstance(indices, list)
        and isinstance(values, list)
        and len(indices) == len(values)
        and set(map(type, indices)) <= {int}
        and set(map(type, values)) <= PLAIN_TYPES
        and (not indices or (min(indices) >= 0 and max(indices) < row_count))
    ):
        raise _malformed(shown)
    return index, indices, values
