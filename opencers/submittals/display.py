"""Element content laid out for people: sections of labelled values, and rows for inventories."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opencers.submittals.content import Change
from opencers.submittals.registry import element_type


@dataclass
class Section:
    key: str
    heading: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    is_rows: bool = False


def _display(spec: Any, value: Any) -> str:
    return spec.code_label(str(value)) if hasattr(spec, "code_label") else str(value)


def content_sections(element_code: int, content: dict[str, Any]) -> list[Section]:
    etype = element_type(element_code)
    data = content.get("data", {})
    sections: list[Section] = []
    if etype is None:
        return sections
    for key, (heading, specs) in etype.sections.items():
        value = data.get(key)
        section = Section(key=key, heading=str(heading))
        if isinstance(value, list):
            section.is_rows = True
            row_key = etype.row_keys.get(key)
            for row in value:
                title = row_key(row) if row_key else ""
                section.rows.append(
                    (
                        title,
                        [
                            (str(spec.label), _display(spec, row[spec.xml]))
                            for spec in specs
                            if spec.xml in row
                        ],
                    )
                )
        elif isinstance(value, dict):
            section.fields = [
                (str(spec.label), _display(spec, value[spec.xml])) for spec in specs if spec.xml in value
            ]
        sections.append(section)
    return sections


def change_rows(changes: list[Change]) -> list[dict[str, Any]]:
    """Changes flattened for a table: what, where, before, after, significant."""
    rows = []
    for change in changes:
        if change.section in ("Chemicals",) and change.kind in ("added", "removed"):
            rows.append(
                {
                    "kind": change.kind,
                    "where": change.key,
                    "field": "",
                    "before": "",
                    "after": "",
                    "significant": change.significant,
                }
            )
        else:
            rows.append(
                {
                    "kind": change.kind,
                    "where": change.key if change.field else "",
                    "field": change.field or change.label,
                    "before": "" if change.before is None else change.before,
                    "after": "" if change.after is None else change.after,
                    "significant": change.significant,
                }
            )
    return rows
