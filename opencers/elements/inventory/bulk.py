"""Many inventory rows in one write: replace the whole draft inventory, or append to it.

For the JSON API (and any import that has its rows as data keyed by XML name). Every row is parsed and
checked exactly like a row saved from the material form (``services._parse``: the field table's
``parse_value``, CAS normalization, required fields, shared formats); every problem of every row is
collected, and one problem anywhere refuses the whole request with nothing saved. Rules between fields
and across rows (``validation.inventory_guidance``) are guidance, reported after the save as for the form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencers.core.audit import audit_log
from opencers.core.errors import DomainError
from opencers.elements.inventory.fields import FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import _lock_draft, _parse
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


def parse_rows(rows: Sequence[Any]) -> tuple[list[InventoryItem], list[tuple[int, str | None, str]]]:
    """Unsaved rows from raw input keyed by XML name, and every problem as (row number, field, message)."""
    items: list[InventoryItem] = []
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
        item = InventoryItem()
        values, row_problems = _parse(dict(raw), item)
        problems.extend((number, field, message) for field, message in row_problems.items())
        for name, value in values.items():
            setattr(item, name, value)
        items.append(item)
    return items, problems


@transaction.atomic
def inventory_rows_write(
    *, draft: SubmittalElement, actor: Any, rows: Sequence[Any], replace: bool
) -> list[InventoryItem]:
    """Replace every row of the draft inventory with ``rows`` (``replace``), or add them at its end.

    All or nothing: raises ``BulkRowProblems`` naming each refused row and field, with nothing saved.
    Rows keep the order given. Library links are not made (rows carry the library ID, ``CCLID``, as given).
    """
    draft = _lock_draft(draft)
    if len(rows) > MAX_ROWS:
        raise DomainError(
            _("At most %(max)d rows can be sent at once; this request has %(count)d.")
            % {"max": MAX_ROWS, "count": len(rows)},
            field="rows",
        )
    items, problems = parse_rows(rows)
    if problems:
        raise BulkRowProblems(problems)
    removed = 0
    if replace:
        removed, _detail = InventoryItem.objects.filter(element=draft).delete()
        last = 0
    else:
        last = InventoryItem.objects.filter(element=draft).aggregate(last=Max("position"))["last"] or 0
    for offset, item in enumerate(items, start=1):
        item.element = draft
        item.position = last + offset
    InventoryItem.objects.bulk_create(items, batch_size=1000)
    audit_log(
        draft,
        "inventory.rows_replaced" if replace else "inventory.rows_appended",
        actor=actor,
        data={"rows": len(items), "removed": removed},
    )
    draft_touch(draft)
    return items
