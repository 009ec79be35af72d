"""The problems of an import: as a table for the page, and marked in a copy of the user's own file.

``annotated_copy`` opens the uploaded workbook with openpyxl in a child process (``_annotate_child.py``,
limited to twice the parser's memory and five times its time, as openpyxl needs more of both than
python-calamine), highlights every problem cell (red for Required, yellow for Warning, blue for
Advisory), puts the messages in a comment on the cell and adds a sheet "Problems" listing them all.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from opencers.spreadsheets.columns import cell_name
from opencers.spreadsheets.safety import FileRefused

CHILD = Path(__file__).with_name("_annotate_child.py")
LEVEL_ORDER = {"required": 0, "warning": 1, "advisory": 2}


def _fields(problem: Any) -> dict[str, Any]:
    """A problem (``importer.Problem``, ``ImportProblem`` or a dict) as plain fields."""
    if isinstance(problem, dict):
        get = problem.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(problem, name, default)

    row, column_index = get("row"), get("column_index")
    return {
        "row": row,
        "column": get("column", "") or "",
        "cell": cell_name(row, column_index),
        "value": get("value", "") or "",
        "level": str(get("level", "")),
        "message": str(get("message", "")),
        "column_index": column_index,
    }


def problems_table(problems: Iterable[Any], *, order_by: str = "row") -> list[dict[str, Any]]:
    """The problems as rows of a table (row, column, cell, value, level, message), sorted by ``order_by``:
    ``row`` (then column), ``column``, ``level`` (Required first) or ``message``; ``-`` reverses."""
    rows = [_fields(problem) for problem in problems]
    reverse = order_by.startswith("-")
    key_name = order_by.lstrip("-")

    def position(item: dict[str, Any]) -> tuple[int, int]:
        return (item["row"] or 0, item["column_index"] if item["column_index"] is not None else -1)

    keys = {
        "row": lambda item: (*position(item), LEVEL_ORDER.get(item["level"], 9)),
        "column": lambda item: (item["column"].lower(), *position(item)),
        "level": lambda item: (LEVEL_ORDER.get(item["level"], 9), *position(item)),
        "message": lambda item: (item["message"].lower(), *position(item)),
    }
    if key_name not in keys:
        raise ValueError(f"Unknown order {order_by!r}")
    return sorted(rows, key=keys[key_name], reverse=reverse)


def annotated_copy(*, original: bytes, problems: Iterable[Any]) -> bytes:
    """The user's workbook with every problem cell highlighted and commented, and a "Problems" sheet."""
    records = [
        (item["row"], item["column_index"], item["level"], item["message"], item["column"], item["value"])
        for item in problems_table(problems)
    ]
    limit = 2 * settings.SPREADSHEET_PARSE_MEMORY_BYTES
    seconds = 5 * settings.SPREADSHEET_PARSE_SECONDS
    process = subprocess.Popen(  # noqa: S603 (our own script, run by the same interpreter)
        [sys.executable, "-I", str(CHILD), str(limit)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        output, _errors = process.communicate(marshal.dumps((original, records)), timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise FileRefused(
            _(
                "The annotated copy of this file could not be made within %(seconds)d seconds. Use the list of problems instead."
            )
            % {"seconds": seconds}
        ) from None
    if process.returncode != 0 or not output.startswith(b"PK"):
        raise FileRefused(
            _(
                "The annotated copy of this file could not be made (the file is too large or cannot be rewritten). Use the list of problems instead."
            )
        )
    return output
