"""Canonical content of an element version, its SHA-256 digest, and comparisons between versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from opencers.documents.services import documents_content
from opencers.submittals.registry import element_type


def element_content(element: Any) -> dict[str, Any]:
    etype = element_type(element.element)
    return {
        "element": int(element.element),
        "not_applicable": element.not_applicable,
        "not_applicable_reason": element.not_applicable_reason,
        "data": etype.content(element) if etype and not element.not_applicable else {},
        "documents": documents_content(element) if not element.not_applicable else [],
    }


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"Not serializable: {type(value).__name__}")


def canonical_bytes(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode()


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    section: str  # "data", a row list name (e.g. "chemicals"), or "documents"
    key: str  # the field name, or the row's key
    label: str
    before: Any = None
    after: Any = None
    field: str = ""  # for a changed field inside a row
    significant: bool = False


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_default))


def _label(labels: dict[str, Any], name: str) -> str:
    return str(labels.get(name, name))


def compare(old: dict[str, Any] | None, new: dict[str, Any], *, element: int) -> list[Change]:
    """What changed from ``old`` to ``new`` (``old`` None: everything is new)."""
    etype = element_type(element)
    labels = etype.labels if etype else {}
    row_keys = etype.row_keys if etype else {}
    old = _plain(old) if old else {"data": {}, "documents": [], "not_applicable": False}
    new = _plain(new)
    changes: list[Change] = []
    if old.get("not_applicable") != new.get("not_applicable"):
        changes.append(
            Change(
                "changed",
                "element",
                "not_applicable",
                "Not applicable",
                old.get("not_applicable"),
                new.get("not_applicable"),
                significant=True,
            )
        )
    old_data, new_data = old.get("data", {}), new.get("data", {})
    for name in dict.fromkeys([*old_data, *new_data]):
        before, after = old_data.get(name), new_data.get(name)
        if isinstance(before, list) or isinstance(after, list):
            changes.extend(_compare_rows(name, before or [], after or [], row_keys.get(name), labels))
        elif isinstance(before, dict) or isinstance(after, dict):
            heading = str(etype.sections[name][0]) if etype and name in etype.sections else name
            changes.extend(_compare_fields(name, heading, before or {}, after or {}, labels))
        elif before != after:
            kind = "added" if before in (None, "") else "removed" if after in (None, "") else "changed"
            changes.append(Change(kind, "data", name, _label(labels, name), before, after))
    old_docs = {d["slot"]: d for d in old.get("documents", [])}
    new_docs = {d["slot"]: d for d in new.get("documents", [])}
    for slot in dict.fromkeys([*old_docs, *new_docs]):
        before, after = old_docs.get(slot), new_docs.get(slot)
        if before == after:
            continue
        title = (after or before or {}).get("title", slot)
        kind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(
            Change(
                kind, "documents", slot, title, _doc_summary(before), _doc_summary(after), significant=True
            )
        )
    return changes


def _compare_fields(
    section: str, heading: str, before: dict[str, Any], after: dict[str, Any], labels: dict[str, Any]
) -> list[Change]:
    """Field by field changes of a part made of single values (e.g. Owner/Operator Identification)."""
    changes: list[Change] = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        kind = "added" if old in (None, "") else "removed" if new in (None, "") else "changed"
        label = _label(labels, name)
        changes.append(Change(kind, section, heading, label, old, new, field=label))
    return changes


def _doc_summary(document: dict[str, Any] | None) -> str | None:
    if document is None:
        return None
    files = ", ".join(f["name"] for f in document.get("files", []))
    return f"{document['option']}{': ' + files if files else ''}"


def _compare_rows(
    section: str,
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    key_of: Any,
    labels: dict[str, str],
) -> list[Change]:
    key_of = key_of or (lambda row: json.dumps(row, sort_keys=True))
    old_rows: dict[str, dict[str, Any]] = {}
    for row in before:
        old_rows.setdefault(key_of(row), row)
    new_rows: dict[str, dict[str, Any]] = {}
    for row in after:
        new_rows.setdefault(key_of(row), row)
    changes: list[Change] = []
    for key, row in new_rows.items():
        if key not in old_rows:
            changes.append(Change("added", section, key, key, None, row, significant=True))
            continue
        previous = old_rows[key]
        for name in dict.fromkeys([*previous, *row]):
            if previous.get(name) != row.get(name):
                changes.append(
                    Change(
                        "changed",
                        section,
                        key,
                        key,
                        previous.get(name),
                        row.get(name),
                        field=_label(labels, name),
                        significant=_doubled(name, previous.get(name), row.get(name)),
                    )
                )
    for key, row in old_rows.items():
        if key not in new_rows:
            changes.append(Change("removed", section, key, key, row, None, significant=True))
    return changes


def _doubled(name: str, before: Any, after: Any) -> bool:
    """A 100 % increase of an amount is a significant change (HSC 25508)."""
    if name not in ("MaximumDailyAmount", "AverageDailyAmount"):
        return False
    try:
        return Decimal(str(after)) >= 2 * Decimal(str(before)) > 0
    except (ArithmeticError, ValueError, TypeError):
        return False
