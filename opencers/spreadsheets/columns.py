"""The columns of the inventory template and how cell text is escaped and written.

The header row is ``CERSID`` followed by the ``ChemicalType`` element names of
RegulatorFacilitySubmittal.xsd in the schema's order (the inventory field table, ``CHEMICAL_FIELDS``),
so that files made for the state's system import unchanged. Column names are matched without regard to
case or surrounding spaces.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from opencers.elements.fields import INTEGER, FieldSpec
from opencers.elements.inventory.fields import CHEMICAL_FIELDS

CERSID = "CERSID"
CERSID_SPEC = FieldSpec(
    CERSID,
    _("CERS ID of the facility"),
    INTEGER,
    required=True,
    updd="1a",
    help=_("The 8-digit CERS ID of the facility the material is stored at."),
)
TEMPLATE_SPECS: tuple[FieldSpec, ...] = (CERSID_SPEC, *CHEMICAL_FIELDS)
TEMPLATE_COLUMNS: tuple[str, ...] = tuple(spec.xml for spec in TEMPLATE_SPECS)
SPECS_BY_KEY: dict[str, FieldSpec] = {spec.xml.lower(): spec for spec in TEMPLATE_SPECS}
REQUIRED_COLUMNS: tuple[str, ...] = tuple(spec.xml for spec in TEMPLATE_SPECS if spec.required)

# The header row is looked for in the first rows of each sheet (title rows may come first).
HEADER_SEARCH_ROWS = 20

# Text a spreadsheet program could take for a formula (or that starts with an apostrophe, which is how
# the escape is written) is exported with one leading apostrophe; import removes exactly one again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = frozenset((*FORMULA_STARTS, "'"))


def column_key(text: Any) -> str:
    """How a header cell is compared: trimmed, case-insensitive."""
    return str(text).strip().lower() if text is not None else ""


def escape_text(text: str) -> str:
    """A leading apostrophe for text that starts like a formula, or with an apostrophe."""
    if text and (text[0] in ESCAPED_STARTS):
        return "'" + text
    return text


def unescape_text(text: str) -> str:
    """Undo ``escape_text``: remove one leading apostrophe put before a formula start or an apostrophe."""
    if len(text) > 1 and text[0] == "'" and text[1] in ESCAPED_STARTS:
        return text[1:]
    return text


def column_letter(index: int) -> str:
    """Zero-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int | None, column_index: int | None) -> str:
    if row is None or column_index is None:
        return ""
    return f"{column_letter(column_index)}{row}"


def display_value(raw: Any) -> str:
    """A cell value as people see it in a message (whole numbers without ".0")."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 1e16:
            return str(int(raw))
        return repr(raw)
    return str(raw).replace("\x00", "\u2400")  # no database text can hold a NUL: shown as ␀


CODE_WITH_LABEL = re.compile(r"^\s*(\S+)\s+[-–—]\s+(.+?)\s*$")


def code_from_choice(spec: FieldSpec, text: str) -> str:
    """The dropdowns offer "code - meaning" (e.g. "b - Mixture"); such a choice stands for its code."""
    match = CODE_WITH_LABEL.match(text)
    if match is None:
        return text
    code, label = match.groups()
    for known, known_label in spec.codes:
        if known.lower() == code.lower() and str(known_label).lower() == label.lower():
            return known
    return text
