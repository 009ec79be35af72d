"""Address washing: USPS Publication 28 normalization (usaddress-scourgify) and ZIP facts (zipcodes).

The washed street (``1455 STONEY CROSS LN``) and the 5-digit ZIP form the address key used to find
existing facilities at the same site. City and county come from the ZIP code, so "Sacto" and
"Sacramento" do not make two sites.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

import zipcodes
from django.utils.translation import gettext as _
from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError

from opencers.core.errors import DomainError
from opencers.core.validators import check_zip

STREET_MAX_LENGTH = 100  # Facility.street


@dataclass(frozen=True)
class WashedAddress:
    street: str  # line 1 and line 2, e.g. "855 M ST STE 120"
    city: str
    zip_code: str
    county_name: str  # "Placer" (without " County"), or "" when the ZIP has no county
    latitude: Decimal | None
    longitude: Decimal | None
    entered: str = ""  # the street as the user typed it

    @property
    def key(self) -> str:
        return f"{self.street}|{self.zip_code[:5]}"


@functools.cache
def _california_zips() -> dict[str, dict[str, str]]:
    return {record["zip_code"]: record for record in zipcodes.filter_by(state="CA")}


def zip_facts(zip_code: str) -> dict[str, str] | None:
    """City, county and coordinates of a California ZIP code, or None when it is not one."""
    return _california_zips().get(zip_code[:5])


def address_wash(*, street: str, city: str, zip_code: str) -> WashedAddress:
    """Normalize a California site address. Raises ``DomainError`` naming the field to fix."""
    street = " ".join(street.split())
    zip_code = zip_code.strip()
    if not street:
        raise DomainError(_("Enter the street address of the site, e.g. 1001 I Street."), field="street")
    problem = check_zip(zip_code)
    if problem:
        raise DomainError(problem, field="zip_code")
    facts = zip_facts(zip_code)
    if facts is None:
        raise DomainError(
            _("%(zip)s is not a California ZIP code. Facilities reported here must be in California.")
            % {"zip": zip_code},
            field="zip_code",
        )
    try:
        record = normalize_address_record(
            {
                "address_line_1": street,
                "city": city or facts["city"],
                "state": "CA",
                "postal_code": zip_code[:5],
            }
        )
    except AddressNormalizationError as exc:
        raise DomainError(
            _(
                "We could not read “%(street)s” as a street address. Give the number and street of the site "
                "(not a P.O. box), e.g. 1001 I Street."
            )
            % {"street": street},
            field="street",
        ) from exc
    # Publication 28 keeps a space after a pound sign used as the unit designator: "855 M ST # 120".
    line = " ".join(part for part in (record.get("address_line_1"), record.get("address_line_2")) if part)
    if len(line) > STREET_MAX_LENGTH:
        raise DomainError(
            _(
                "The street address is too long (%(length)d characters; at most %(max)d). Shorten it, e.g. leave out the building name."
            )
            % {"length": len(line), "max": STREET_MAX_LENGTH},
            field="street",
        )
    county = (facts.get("county") or "").removesuffix(" County")
    return WashedAddress(
        entered=street,
        street=line,
        city=facts["city"].upper(),
        zip_code=zip_code,
        county_name=county,
        latitude=Decimal(facts["lat"]) if facts.get("lat") else None,
        longitude=Decimal(facts["long"]) if facts.get("long") else None,
    )
