"""California's counties and one CUPA per county, with ZIP-code jurisdictions from the ``zipcodes`` data.

County numbers are the state's alphabetical county codes (1 Alameda … 58 Yuba). A county CUPA's
regulator code is its county number × 100 (Kern, county 15, is 1500, as in the state's data exchange);
for counties 1-10 that would fall below the exchange's smallest code (1001), so they get 1000 + number
(Alameda 1001 … Fresno 1010).
Loading is idempotent and never moves a ZIP code that an administrator already assigned elsewhere.
"""

from __future__ import annotations

from collections import defaultdict

import zipcodes
from django.db import transaction

from opencers.regulators.models import County, JurisdictionZip, Regulator, RegulatorKind


def california_zip_codes_by_county() -> dict[str, list[str]]:
    by_county: dict[str, list[str]] = defaultdict(list)
    for record in zipcodes.filter_by(state="CA"):
        county = (record.get("county") or "").removesuffix(" County")
        if county:
            by_county[county].append(record["zip_code"])
    return dict(by_county)


def cupa_code(county_number: int) -> int:
    return county_number * 100 if county_number > 10 else 1000 + county_number


@transaction.atomic
def load_counties_and_cupas() -> dict[str, int]:
    by_county = california_zip_codes_by_county()
    names = sorted(by_county)
    if len(names) != 58:
        raise RuntimeError(f"Expected the 58 California counties in the ZIP data, found {len(names)}.")
    created = {"counties": 0, "regulators": 0, "zip_codes": 0}
    taken = set(JurisdictionZip.objects.values_list("zip_code", flat=True))
    for number, name in enumerate(names, start=1):
        county, was_created = County.objects.get_or_create(number=number, defaults={"name": name})
        created["counties"] += was_created
        regulator, was_created = Regulator.objects.get_or_create(
            code=cupa_code(number),
            defaults={"name": f"{name} County CUPA", "kind": RegulatorKind.CUPA, "county": county},
        )
        created["regulators"] += was_created
        new_zips = [
            JurisdictionZip(regulator=regulator, zip_code=z) for z in by_county[name] if z not in taken
        ]
        JurisdictionZip.objects.bulk_create(new_zips)
        taken.update(z.zip_code for z in new_zips)
        created["zip_codes"] += len(new_zips)
    return created
