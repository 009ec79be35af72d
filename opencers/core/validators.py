"""Shared validators for the data dictionary's common formats.

Each ``check_*`` function returns ``None`` when the value is acceptable, or a plain-language message
that says what is wrong and how to fix it. The Django validators wrap them for model and form fields.
The same functions serve forms, spreadsheet imports and the API (DESIGN rule 7).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")
EPA_ID_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]\d{9}$")
NAICS_RE = re.compile(r"^\d{2,6}$")
PHONE_DIGITS_RE = re.compile(r"\d")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def cas_check_digit(body: str) -> int:
    """The CAS Registry check digit of the digits before it (hyphens ignored)."""
    digits = [int(d) for d in body if d.isdigit()]
    return sum(position * digit for position, digit in enumerate(reversed(digits), start=1)) % 10


def normalize_cas(value: str) -> str:
    """Trim spaces; accept a bare run of digits (``7664417``) and insert the hyphens."""
    value = value.strip()
    if value.isdigit() and 5 <= len(value) <= 10:
        return f"{value[:-3]}-{value[-3:-1]}-{value[-1]}"
    return value


def check_cas(value: str) -> str | None:
    match = CAS_RE.match(value)
    if not match:
        return _("“%(value)s” is not a CAS number. Write it as digits in three groups, e.g. 7664-41-7.") % {
            "value": value
        }
    expected = cas_check_digit(match.group(1) + match.group(2))
    if expected != int(match.group(3)):
        return _(
            "The CAS number %(value)s has a wrong check digit (it should end in %(digit)s). "
            "Copy the number again from the Safety Data Sheet."
        ) % {"value": value, "digit": expected}
    return None


def check_zip(value: str) -> str | None:
    if not ZIP_RE.match(value.strip()):
        return _("“%(value)s” is not a ZIP code. Use 5 digits, or 5+4 digits like 95814-1234.") % {
            "value": value
        }
    return None


_EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d+)\s*$", re.IGNORECASE)


def _phone_parts(value: str) -> tuple[str, str]:
    """The 10 main digits (a leading country code 1 dropped) and the extension digits."""
    match = _EXTENSION_RE.search(value)
    main = value[: match.start()] if match else value
    digits = "".join(PHONE_DIGITS_RE.findall(main))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits, match.group(1) if match else ""


def normalize_phone(value: str) -> str:
    """Format a 10-digit US number as (916) 555-0100, keeping an extension as x123."""
    digits, extension = _phone_parts(value.strip())
    if len(digits) != 10:
        return value.strip()
    formatted = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return f"{formatted} x{extension}" if extension else formatted


def check_phone(value: str) -> str | None:
    digits, _extension = _phone_parts(value.strip())
    if len(digits) != 10:
        return _(
            "“%(value)s” is not a phone number. Give the 10-digit number with area code, e.g. (916) 555-0100."
        ) % {"value": value}
    return None


def check_epa_id(value: str) -> str | None:
    if not EPA_ID_RE.match(value.strip().upper()):
        return _(
            "“%(value)s” is not an EPA ID number. It has 12 characters: two state letters, a letter or digit, "
            "then 9 digits (e.g. CAL000123456)."
        ) % {"value": value}
    return None


def check_naics(value: str) -> str | None:
    if not NAICS_RE.match(value.strip()):
        return _("“%(value)s” is not a NAICS code. Use the 2- to 6-digit code, e.g. 325180.") % {
            "value": value
        }
    return None


def check_email(value: str) -> str | None:
    if len(value) > 254 or not EMAIL_RE.match(value.strip()):
        return _("“%(value)s” is not an e-mail address. Write it like name@example.com.") % {"value": value}
    return None


def _as_validator(check):  # type: ignore[no-untyped-def]
    def validator(value: str) -> None:
        if value in (None, ""):
            return
        message = check(str(value))
        if message:
            raise ValidationError(message)

    validator.__name__ = f"validate_{check.__name__.removeprefix('check_')}"
    return validator


validate_cas = _as_validator(check_cas)
validate_zip = _as_validator(check_zip)
validate_phone = _as_validator(check_phone)
validate_epa_id = _as_validator(check_epa_id)
validate_naics = _as_validator(check_naics)
