"""Guidance messages: what a rule says about an element, at one of three levels.

* Required: blocks submission.
* Warning: probably wrong; the submitter should look.
* Advisory: worth knowing.
Each message names the field (the state's XML element name, e.g. ``MaximumDailyAmount``) and, for
inventory rows, the row, and says how to fix the problem. The same rules serve the forms, the
spreadsheet import, the API and the submit page (DESIGN rule 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opencers.submittals.models import GuidanceLevel

REQUIRED = GuidanceLevel.REQUIRED
WARNING = GuidanceLevel.WARNING
ADVISORY = GuidanceLevel.ADVISORY

_ORDER = {REQUIRED: 0, WARNING: 1, ADVISORY: 2}


@dataclass(frozen=True)
class Guidance:
    level: str
    field: str
    message: str
    row: int | None = None  # inventory row (1-based position), when the message is about one row
    label: str = ""  # the field's label for people, when different from the XML name

    @property
    def blocks_submission(self) -> bool:
        return self.level == REQUIRED

    def as_dict(self) -> dict[str, object]:
        return {
            "level": str(self.level),
            "field": self.field,
            "row": self.row,
            "message": self.message,
            "label": self.label,
        }


def sort_guidance(messages: Iterable[Guidance]) -> list[Guidance]:
    return sorted(messages, key=lambda g: (_ORDER.get(g.level, 9), g.row or 0, g.field))


def has_required(messages: Iterable[Guidance]) -> bool:
    return any(message.level == REQUIRED for message in messages)


def counts(messages: Iterable[Guidance]) -> dict[str, int]:
    result = {str(REQUIRED): 0, str(WARNING): 0, str(ADVISORY): 0}
    for message in messages:
        result[str(message.level)] += 1
    return result
