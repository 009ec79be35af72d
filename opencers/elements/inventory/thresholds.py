"""Reporting thresholds of an inventory (HSC 25507 and federal EPCRA section 312).

This module answers "is the facility subject to federal Tier II?" for due dates. The full threshold and
data-quality engine (unit conversion with densities, per-material explanations) builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

POUNDS_PER = {"c": Decimal(1), "d": Decimal(2000)}  # pounds, tons
FEDERAL_THRESHOLD_LBS = Decimal(10000)
FEDERAL_EHS_CAP_LBS = Decimal(500)


def amount_in_pounds(item: Any) -> Decimal | None:
    """The maximum daily amount in pounds when the units allow it without a density, else None."""
    factor = POUNDS_PER.get(item.units)
    if factor is None or item.maximum_daily_amount is None:
        return None
    return item.maximum_daily_amount * factor


def federal_tier2_subject(items: Iterable[Any], tpq_of: Any = None) -> bool:
    """True when any material reaches the federal Tier II threshold: 10,000 lb, or for an EHS the
    lower of 500 lb and its threshold planning quantity."""
    for item in items:
        pounds = amount_in_pounds(item)
        if pounds is None:
            continue
        if item.ehs == "Y":
            tpq = tpq_of(item.cas_number) if tpq_of and item.cas_number else None
            limit = min(FEDERAL_EHS_CAP_LBS, tpq) if tpq else FEDERAL_EHS_CAP_LBS
            if pounds >= limit:
                return True
        elif pounds >= FEDERAL_THRESHOLD_LBS:
            return True
    return False
