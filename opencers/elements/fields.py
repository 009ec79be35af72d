"""Field tables: one declaration per data-dictionary field, used everywhere.

An element's fields are declared once, as ``FieldSpec`` rows carrying the state's XML element name
(``RegulatorFacilitySubmittal.xsd``), the UPDD number, the plain-language label and help, the kind of
value, its length or digits, its codes and whether it is required. From that one table come the model
columns, the forms, the generic validation rules (required, length, code, number), the spreadsheet
template columns, the XML and the API. Element-specific rules (average ≤ maximum, CAS check digit, …)
live in the element's ``validation.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT, YESNO, CODE, DECIMAL, INTEGER, DATE = "text", "yesno", "code", "decimal", "integer", "date"
YES_NO = (("Y", gettext_lazy("Yes")), ("N", gettext_lazy("No")))


@dataclass(frozen=True)
class FieldSpec:
    xml: str
    label: Any
    kind: str = TEXT
    max_length: int | None = None
    min_length: int = 0
    required: bool = False
    codes: tuple[tuple[str, Any], ...] = ()
    updd: str = ""
    help: Any = ""
    group: str = ""
    total_digits: int | None = None
    decimal_places: int = 4
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    check: str = ""  # a shared format check: "phone", "zip", "email", "epa_id", "naics", "cas"
    attr: str = field(default="")

    @cached_property
    def name(self) -> str:
        # Cached: the model attribute is read for every field of every row (forms, rules, imports).
        return self.attr or snake(self.xml)

    def code_label(self, value: str) -> str:
        for code, label in self.codes or (YES_NO if self.kind == YESNO else ()):
            if code == value:
                return str(label)
        return value


def snake(name: str) -> str:
    """``FHCPhysicalFlammable`` → ``fhc_physical_flammable``; ``HC1PercentByWeight`` → ``hc1_percent_by_weight``."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def model_fields(specs: Iterable[FieldSpec]) -> dict[str, models.Field]:  # type: ignore[type-arg]
    """Django model fields for a field table (all optional at the database level: drafts are partial)."""
    result: dict[str, models.Field] = {}  # type: ignore[type-arg]
    for spec in specs:
        if spec.kind in (TEXT, CODE, YESNO):
            length = spec.max_length or (
                1 if spec.kind == YESNO else max((len(c) for c, _l in spec.codes), default=20)
            )
            result[spec.name] = models.CharField(spec.label, max_length=length, blank=True, default="")
        elif spec.kind == DECIMAL:
            digits = max(spec.total_digits or 15, spec.decimal_places + 1)
            result[spec.name] = models.DecimalField(
                spec.label,
                max_digits=digits + spec.decimal_places,
                decimal_places=spec.decimal_places,
                null=True,
                blank=True,
            )
        elif spec.kind == INTEGER:
            result[spec.name] = models.BigIntegerField(spec.label, null=True, blank=True)
        elif spec.kind == DATE:
            result[spec.name] = models.DateField(spec.label, null=True, blank=True)
        else:
            raise ValueError(f"Unknown kind {spec.kind!r} for {spec.xml}")
    return result


def is_empty(value: Any) -> bool:
    return value is None or value == ""


def content_of(instance: Any, specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """The filled fields of a row as ``{XML name: plain value}`` (decimals as strings, dates ISO)."""
    result: dict[str, Any] = {}
    for spec in specs:
        value = getattr(instance, spec.name)
        if is_empty(value):
            continue
        result[spec.xml] = plain(value)
    return result


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        normalized = value.normalize()
        return format(normalized, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def copy_values(source: Any, target: Any, specs: Iterable[FieldSpec]) -> None:
    for spec in specs:
        setattr(target, spec.name, getattr(source, spec.name))


# --- Parsing and generic checks (forms, spreadsheets and the API use the same functions) ----------------


class FieldProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


YES_WORDS = {"y", "yes", "true", "1", "x"}
NO_WORDS = {"n", "no", "false", "0"}


def parse_value(spec: FieldSpec, raw: Any) -> Any:
    """Turn user input (text from a form, a spreadsheet cell, JSON) into the stored value.

    Raises ``FieldProblem`` with a message saying what is wrong and how to fix it. Empty input gives
    the empty value ("" or None); whether it is allowed is ``check_required``'s business.
    """
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None if spec.kind in (DECIMAL, INTEGER, DATE) else ""
    if spec.kind == YESNO:
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return "Y" if raw else "N"
        if text in YES_WORDS:
            return "Y"
        if text in NO_WORDS:
            return "N"
        raise FieldProblem(_("“%(value)s” is not Y or N.") % {"value": raw})
    if spec.kind == CODE:
        text = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        for code, label in spec.codes:
            if text.lower() == code.lower() or text.lower() == str(label).lower():
                return code
        allowed = "; ".join(f"{code} ({label})" for code, label in spec.codes)
        raise FieldProblem(
            _("“%(value)s” is not one of the codes: %(allowed)s.") % {"value": raw, "allowed": allowed}
        )
    if spec.kind == DECIMAL:
        return _parse_decimal(spec, raw)
    if spec.kind == INTEGER:
        number = _parse_decimal(spec, raw)
        if number != number.to_integral_value():
            raise FieldProblem(_("“%(value)s” must be a whole number.") % {"value": raw})
        return int(number)
    if spec.kind == DATE:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(raw).strip())
            if match:
                try:
                    return date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
                except ValueError:
                    pass
            raise FieldProblem(
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-01.") % {"value": raw}
            ) from None
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if spec.max_length and len(text) > spec.max_length:
        raise FieldProblem(
            _("This is %(length)d characters long; at most %(max)d are allowed. Shorten it.")
            % {"length": len(text), "max": spec.max_length}
        )
    return text


def _parse_decimal(spec: FieldSpec, raw: Any) -> Decimal:
    text = str(raw).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldProblem(
            _("“%(value)s” is not a number. Use digits only, e.g. 1500 or 12.5.") % {"value": raw}
        ) from None
    if not number.is_finite():
        raise FieldProblem(_("“%(value)s” is not a number.") % {"value": raw})
    if spec.minimum is not None and number < spec.minimum:
        raise FieldProblem(
            _("%(value)s is too small: the lowest allowed is %(min)s.") % {"value": raw, "min": spec.minimum}
        )
    if spec.maximum is not None and number > spec.maximum:
        raise FieldProblem(
            _("%(value)s is too large: the highest allowed is %(max)s.") % {"value": raw, "max": spec.maximum}
        )
    if spec.minimum is None and number < 0:
        raise FieldProblem(_("%(value)s is negative; amounts cannot be below zero.") % {"value": raw})
    exponent = number.normalize().as_tuple().exponent
    fraction_digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if fraction_digits > spec.decimal_places:
        raise FieldProblem(
            _("%(value)s has too many decimal places (at most %(places)d).")
            % {"value": raw, "places": spec.decimal_places}
        )
    integer_digits = len(str(int(abs(number)))) if abs(number) >= 1 else 0
    if spec.total_digits and integer_digits + fraction_digits > spec.total_digits:
        raise FieldProblem(
            _("%(value)s has too many digits (at most %(digits)d).")
            % {"value": raw, "digits": spec.total_digits}
        )
    return number.normalize() if fraction_digits else number.quantize(Decimal(1))


_WELL_FORMED: set[tuple[str, str]] = set()  # (check, value) pairs found well-formed: no message to translate
_WELL_FORMED_MAX = 100_000


def check_format(spec: FieldSpec, value: Any) -> str | None:
    """The shared format check of a filled value (phone, ZIP, e-mail, EPA ID, NAICS, CAS).

    Well-formed values are remembered (an inventory repeats the same CAS numbers on many rows)."""
    if is_empty(value) or not spec.check:
        return None
    key = (spec.check, str(value))
    if key in _WELL_FORMED:
        return None
    message = _check_format(spec, value)
    if message is None:
        if len(_WELL_FORMED) >= _WELL_FORMED_MAX:
            _WELL_FORMED.clear()
        _WELL_FORMED.add(key)
    return message


def _check_format(spec: FieldSpec, value: Any) -> str | None:
    from opencers.core import validators

    checker = {
        "phone": validators.check_phone,
        "zip": validators.check_zip,
        "email": validators.check_email,
        "epa_id": validators.check_epa_id,
        "naics": validators.check_naics,
        "cas": validators.check_cas,
    }[spec.check]
    return checker(str(value))


def form_field(spec: FieldSpec) -> Any:
    """A Django form field for a spec (validation is done by ``parse_value`` in the form's clean)."""
    from django import forms

    common = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.kind == YESNO:
        return forms.ChoiceField(
            choices=[("", gettext_lazy("Not answered")), *YES_NO], widget=forms.RadioSelect, **common
        )
    if spec.kind == CODE:
        return forms.ChoiceField(
            choices=[("", gettext_lazy("Choose…")), *[(c, f"{label}") for c, label in spec.codes]], **common
        )
    if spec.kind == DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind in (DECIMAL, INTEGER):
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    widget = forms.Textarea(attrs={"rows": 3}) if (spec.max_length or 0) > 200 else forms.TextInput()
    return forms.CharField(max_length=None, widget=widget, **common)
