"""Generic rules from a field table: required fields, lengths, codes, numbers and shared formats.

Element-specific rules (in each element's ``validation.py``) add to these. Every message names the field
(its XML name) and, for inventory rows, the row; and it says how to fix the problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from opencers.elements.fields import FieldProblem, FieldSpec, check_format, is_empty, parse_value
from opencers.submittals.guidance import REQUIRED, Guidance


def required_message(spec: FieldSpec) -> str:
    return _("%(label)s is required. Fill it in.") % {"label": spec.label}


_CHECKED: dict[int, tuple[tuple[FieldSpec, ...], tuple[FieldSpec, ...]]] = {}


def _checked_specs(specs: Iterable[FieldSpec]) -> Iterable[FieldSpec]:
    """The specs these rules can say something about (required, or with a format check), in order.

    Field tables are module-level tuples, so the subset is kept per table: an inventory of 50,000 rows
    is checked against its 11 such columns rather than all 108."""
    if not isinstance(specs, tuple):
        return [spec for spec in specs if spec.required or spec.check]
    cached = _CHECKED.get(id(specs))
    if cached is None or cached[0] is not specs:
        cached = (specs, tuple(spec for spec in specs if spec.required or spec.check))
        _CHECKED[id(specs)] = cached
    return cached[1]


def stored_row_guidance(
    instance: Any, specs: Iterable[FieldSpec], *, row: int | None = None
) -> list[Guidance]:
    """Rules for values already stored (parsed): required fields and shared formats."""
    messages = []
    for spec in _checked_specs(specs):
        value = getattr(instance, spec.name)
        if is_empty(value):
            if spec.required:
                messages.append(
                    Guidance(REQUIRED, spec.xml, required_message(spec), row=row, label=str(spec.label))
                )
            continue
        problem = check_format(spec, value)
        if problem:
            messages.append(Guidance(REQUIRED, spec.xml, problem, row=row, label=str(spec.label)))
    return messages


def parse_row(raw: dict[str, Any], specs: Iterable[FieldSpec]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse raw input keyed by XML name into stored values keyed by model attribute.

    Returns ``(values, problems)``; ``problems`` maps XML names to messages. Unknown keys are ignored.
    """
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in specs:
        if spec.xml not in raw:
            continue
        try:
            values[spec.name] = parse_value(spec, raw[spec.xml])
        except FieldProblem as problem:
            problems[spec.xml] = problem.message
    return values, problems
