"""Many inventory rows in one write: replace the whole draft inventory, or append to it.

For the JSON API (and any import that has its rows as data keyed by XML name). Every row is parsed and
checked exactly like a row saved from the material form (``services._parse``: the field table's
``parse_value``, CAS normalization, required fields, shared formats); every problem of every row is
collected, and one problem anywhere refuses the whole request with nothing saved. Rules between fields
and across rows (``validation.inventory_guidance``) are guidance, reported after the save as for the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError
from opencers.core.validators import normalize_cas
from opencers.elements.fields import FieldProblem, check_format, is_empty, parse_value
from opencers.elements.inventory.fields import CHEMICAL_FIELDS, FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import _lock_draft
from opencers.elements.validation import required_message
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_touch

MAX_ROWS = 20000


class BulkRowProblems(DomainError):
    """Rows refused with nothing saved: ``row_problems`` lists (row number, XML field, message)."""

    def __init__(self, row_problems: list[tuple[int, str | None, str]]) -> None:
        rows = len({row for row, _field, _message in row_problems})
        super().__init__(
            ngettext(
                "%(count)d row needs correcting. Nothing was saved.",
                "%(count)d rows need correcting. Nothing was saved.",
                rows,
            )
            % {"count": rows},
            code="row_problems",
        )
        self.row_problems = row_problems


# The fields the second pass of ``services._parse`` looks at: the others can be neither missing nor malformed.
_CHECKED = tuple(spec for spec in CHEMICAL_FIELDS if spec.required or spec.check)


def parse_row(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """One new row: exactly ``services._parse(raw, InventoryItem())`` (the same functions, the same
    messages; a test holds them equal), without building a model instance, which matters for thousands
    of rows. Returns stored values by model attribute and problems by XML name."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for xml, given in raw.items():
        spec = FIELDS_BY_XML.get(xml)
        if spec is None:
            continue
        try:
            value = parse_value(spec, given)
        except FieldProblem as problem:
            problems[xml] = problem.message
            continue
        if spec.check == "cas" and value:
            value = normalize_cas(value)
        values[spec.name] = value
    for spec in _CHECKED:
        if spec.xml in problems:
            continue
        value = values.get(spec.name)
        if is_empty(value):
            if spec.required:
                problems[spec.xml] = required_message(spec)
            continue
        message = check_format(spec, value)
        if message:
            problems[spec.xml] = message
    return values, problems


def parse_rows(rows: Sequence[Any]) -> tuple[list[dict[str, Any]], list[tuple[int, str | None, str]]]:
    """Stored values of each row (by model attribute), and every problem as (row number, field, message)."""
    parsed: list[dict[str, Any]] = []
    problems: list[tuple[int, str | None, str]] = []
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, Mapping):
            problems.append((number, None, _("Each row is an object of field names and values.")))
            continue
        for name in raw:
            if name not in FIELDS_BY_XML:
                problems.append(
                    (
                        number,
                        str(name),
                        _(
                            "“%(name)s” is not a field of an inventory row. Check the spelling (e.g. CommonName)."
                        )
                        % {"name": name},
                    )
                )
        values, row_problems = parse_row(raw)
        problems.extend((number, field, message) for field, message in row_problems.items())
        parsed.append(values)
    return parsed, problems


def _copy_rows(draft: SubmittalElement, parsed: list[dict[str, Any]], first_position: int) -> None:
    """Insert the rows with PostgreSQL's COPY (the same columns and defaults as the model's save)."""
    meta = InventoryItem._meta
    fields = [cast(Field, meta.get_field(spec.name)) for spec in CHEMICAL_FIELDS]
    columns = [
        "public_id",
        "created_at",
        "updated_at",
        "element_id",
        "position",
        *(str(f.column) for f in fields),
    ]
    empty = [None if field.null else "" for field in fields]
    now = timezone.now()
    names = [spec.name for spec in CHEMICAL_FIELDS]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for offset, values in enumerate(parsed):
            copy.write_row(
                (
                    uuid.uuid4(),
                    now,
                    now,
                    draft.pk,
                    first_position + offset,
                    *(values.get(name, blank) for name, blank in zip(names, empty, strict=True)),
                )
            )


@transaction.atomic
def inventory_rows_write(*, draft: SubmittalElement, actor: Any, rows: Sequence[Any], replace: bool) -> int:
    """Replace every row of the draft inventory with ``rows`` (``replace``), or add them at its end.

    All or nothing: raises ``BulkRowProblems`` naming each refused row and field, with nothing saved.
    Rows keep the order given. Library links are not made (rows carry the library ID, ``CCLID``, as given).
    Returns the number of rows written.
    """
    draft = _lock_draft(draft)
    if len(rows) > MAX_ROWS:
        raise DomainError(
            _("At most %(max)d rows can be sent at once; this request has %(count)d.")
            % {"max": MAX_ROWS, "count": len(rows)},
            field="rows",
        )
    parsed, problems = parse_rows(rows)
    if problems:
        raise BulkRowProblems(problems)
    removed = 0
    if replace:
        removed, _detail = InventoryItem.objects.filter(element=draft).delete()
        last = 0
    else:
        last = InventoryItem.objects.filter(element=draft).aggregate(last=Max("position"))["last"] or 0
    _copy_rows(draft, parsed, last + 1)
    audit_log(
        draft,
        "inventory.rows_replaced" if replace else "inventory.rows_appended",
        actor=actor,
        data={"rows": len(parsed), "removed": removed},
    )
    draft_touch(draft)
    return len(parsed)
