"""Federal Tier II totals of an inventory: one chemical per facility, in pounds, against the federal
thresholds (``spec/TIER2.md`` §4, §7.1-§7.2).

CERS keeps one row per material per location; Tier II one chemical per facility. Rows are grouped by
identity (library ID, else CAS number and name, else name; trade secrets only with each other; a pure
substance never with a mixture), amounts converted to pounds (tons × 2,000; gallons and cubic feet with
the library's density or molecular weight) and summed over the locations. A row whose amount cannot be
converted (no density known) blocks its chemical rather than being guessed.

This module is the small interim engine of the export: the inventory's threshold engine
(``opencers.elements.inventory.thresholds``) states the rule for due dates, and the full per-chemical
aggregation with densities belongs there. The export reads only ``chemical_totals``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from opencers.core.validators import normalize_cas
from opencers.elements.fields import plain
from opencers.library.models import Chemical as LibraryChemical
from opencers.library.selectors import chemical_by_cas, ehs_tpq

FEDERAL_THRESHOLD_LBS = Decimal(10000)
FEDERAL_EHS_CAP_LBS = Decimal(500)
GALLONS_PER_CUBIC_FOOT = Decimal("7.48052")
# Cubic feet of one pound-mole of an ideal gas at 70 °F and 1 atm: the standard conditions the inventory's
# threshold engine uses (TIER2.md §7.2 leaves the choice to the team).
CUBIC_FEET_PER_POUND_MOLE = Decimal("386.8")
PURE, MIXTURE, WASTE = "a", "b", "c"
GALLONS, CUBIC_FEET, POUNDS, TONS = "a", "b", "c", "d"
SOLID, GAS = "a", "c"


def whole_pounds(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class ChemicalTotal:
    """One Tier II chemical: the inventory rows it groups and its facility-wide totals in pounds."""

    key: tuple[str, ...]
    rows: list[Any]  # inventory rows (with their 1-based row number in ``numbers``)
    numbers: list[int]
    max_lbs: Decimal = Decimal(0)
    ave_lbs: Decimal = Decimal(0)
    largest_container_lbs: Decimal | None = None
    row_max_lbs: list[Decimal | None] = field(default_factory=list)
    threshold_lbs: Decimal = FEDERAL_THRESHOLD_LBS
    reportable: bool = False
    reason: str = ""  # why it is (or is not) reportable, in words
    problems: list[str] = field(default_factory=list)  # rows that cannot be converted to pounds

    @property
    def first(self) -> Any:
        return self.rows[0]

    @property
    def name(self) -> str:
        return self.first.chemical_name or self.first.common_name


def _identity(item: Any) -> tuple[str, ...]:
    secret = "secret" if item.trade_secret == "Y" else ""  # noqa: S105 (a Y/N flag)
    kind = MIXTURE if item.hm_type in (MIXTURE, WASTE) else PURE
    if item.cclid:
        return ("ccl", str(item.cclid), kind, secret)
    name = " ".join((item.chemical_name or item.common_name or "").split()).casefold()
    cas = normalize_cas(item.cas_number or "")
    if cas:
        return ("cas", cas, name, kind, secret)
    return ("name", name, kind, secret)


def _library_entry(item: Any, cache: dict[Any, LibraryChemical | None]) -> LibraryChemical | None:
    """The library entry whose density applies to the row: its link, its library ID or its CAS number,
    for a pure substance only (the library's densities are those of pure substances)."""
    if item.hm_type not in ("", PURE):
        return None
    if item.library_chemical_id:
        return item.library_chemical
    key: Any = ("ccl", item.cclid) if item.cclid else ("cas", normalize_cas(item.cas_number or ""))
    if key not in cache:
        entry = None
        if item.cclid:
            entry = LibraryChemical.objects.filter(ccl_id=item.cclid).first()
        elif key[1]:
            entry = chemical_by_cas(key[1])
        cache[key] = entry
    return cache[key]


def pounds_of(
    item: Any, amount: Decimal | None, cache: dict[Any, LibraryChemical | None]
) -> tuple[Decimal | None, str]:
    """``amount`` (in the row's units) in pounds, or None with the reason it cannot be converted."""
    if amount is None:
        return None, ""
    if item.units == POUNDS:
        return amount, ""
    if item.units == TONS:
        return amount * 2000, ""
    if item.physical_state == SOLID:
        return None, _("a volume, and a solid is reported by weight")
    entry = _library_entry(item, cache)
    if item.units == GALLONS:
        if entry is not None and entry.density_lb_per_gal:
            return amount * entry.density_lb_per_gal, ""
        return None, _(
            "gallons, and no density is known for it (the library's densities are for pure substances)"
        )
    if item.units == CUBIC_FEET:
        if item.physical_state == GAS:
            if entry is not None and entry.molecular_weight:
                return amount * entry.molecular_weight / CUBIC_FEET_PER_POUND_MOLE, ""
            return None, _("cubic feet of gas, and no molecular weight is known for it")
        if entry is not None and entry.density_lb_per_gal:
            return amount * entry.density_lb_per_gal * GALLONS_PER_CUBIC_FOOT, ""
        return None, _("cubic feet, and no density is known for it")
    return None, _("no units are given")


def ehs_threshold(cas: str) -> tuple[Decimal, bool]:
    """The federal threshold of an Extremely Hazardous Substance: the lower of 500 lb and its TPQ.
    Second value: whether the TPQ is known (else 500 lb applies)."""
    tpq = ehs_tpq(cas) if cas else None
    if tpq is None:
        return FEDERAL_EHS_CAP_LBS, False
    return min(FEDERAL_EHS_CAP_LBS, tpq.tpq_lbs), True


def _ehs_components(item: Any) -> list[tuple[str, str, Decimal]]:
    """(CAS, name, percent) of the row's components marked EHS with a CAS number and a percentage."""
    found = []
    for n in range(1, 6):
        cas = normalize_cas(getattr(item, f"hc{n}_cas") or "")
        percent = getattr(item, f"hc{n}_percent_by_weight")
        if getattr(item, f"hc{n}_ehs") == "Y" and cas and percent is not None:
            found.append((cas, getattr(item, f"hc{n}_name") or cas, percent))
    return found


@dataclass
class Totals:
    chemicals: list[ChemicalTotal]
    ehs_lbs: dict[str, Decimal]  # pounds of each Extremely Hazardous Substance (by CAS), mixtures included

    def subject_to_emergency_planning(self) -> bool:
        """EPCRA section 302: an Extremely Hazardous Substance present at or above its threshold planning
        quantity (500 lb when the library does not know the TPQ)."""
        for cas, pounds in self.ehs_lbs.items():
            tpq = ehs_tpq(cas)
            if pounds >= (tpq.tpq_lbs if tpq is not None else FEDERAL_EHS_CAP_LBS):
                return True
        return False


def chemical_totals(items: Iterable[Any], *, include_waste: bool = False) -> Totals:
    """The inventory's Tier II chemicals in the order of their first row, with totals and whether each
    reaches a federal threshold. Wastes (type c) are left out unless ``include_waste``."""
    cache: dict[Any, LibraryChemical | None] = {}
    groups: dict[tuple[str, ...], ChemicalTotal] = {}
    for number, item in enumerate(items, start=1):
        if item.hm_type == WASTE and not include_waste:
            continue
        key = _identity(item)
        total = groups.setdefault(key, ChemicalTotal(key=key, rows=[], numbers=[]))
        total.rows.append(item)
        total.numbers.append(number)
        maximum, why = pounds_of(item, item.maximum_daily_amount, cache)
        if maximum is None:
            total.problems.append(
                _(
                    "Row %(row)d (“%(name)s” at %(location)s) is in %(why)s: give the amounts in pounds, or "
                    "pick the material from the chemical library."
                )
                % {
                    "row": number,
                    "name": item.common_name,
                    "location": item.chemical_location or _("no location"),
                    "why": why or _("an amount that is missing"),
                }
            )
        total.row_max_lbs.append(maximum)
        total.max_lbs += maximum or 0
        average, _why = pounds_of(item, item.average_daily_amount, cache)
        total.ave_lbs += average or 0
        container, _why = pounds_of(item, item.largest_container, cache)
        if container is not None:
            total.largest_container_lbs = max(total.largest_container_lbs or Decimal(0), container)
    # EHS inside mixtures count toward that substance's own threshold (federal mixture rule).
    ehs_totals: dict[str, Decimal] = {}
    for total in groups.values():
        for item, pounds in zip(total.rows, total.row_max_lbs, strict=True):
            if pounds is None:
                continue
            if item.ehs == "Y" and item.hm_type == PURE and item.cas_number:
                cas = normalize_cas(item.cas_number)
                ehs_totals[cas] = ehs_totals.get(cas, Decimal(0)) + pounds
            for cas, _name, percent in _ehs_components(item):
                ehs_totals[cas] = ehs_totals.get(cas, Decimal(0)) + pounds * percent / 100
    for total in groups.values():
        _decide(total, ehs_totals)
    return Totals(chemicals=list(groups.values()), ehs_lbs=ehs_totals)


def _decide(total: ChemicalTotal, ehs_totals: dict[str, Decimal]) -> None:
    first = total.first
    amount = plain(Decimal(whole_pounds(total.max_lbs)))
    if first.ehs == "Y":
        components = {cas: name for item in total.rows for cas, name, _p in _ehs_components(item)}
        cas = normalize_cas(first.cas_number or "")
        if first.hm_type == PURE or not components:
            threshold, known = ehs_threshold(cas)
            total.threshold_lbs = threshold
            # A pure substance counts together with the same substance inside mixtures.
            present = (
                max(total.max_lbs, ehs_totals.get(cas, Decimal(0)))
                if first.hm_type == PURE
                else total.max_lbs
            )
            if present >= threshold:
                total.reportable = True
                total.reason = (
                    _("extremely hazardous substance: %(amount)s lb reaches its threshold of %(limit)s lb")
                    if known
                    else _(
                        "extremely hazardous substance: %(amount)s lb reaches %(limit)s lb (its threshold "
                        "planning quantity is not in the library, so 500 lb applies)"
                    )
                ) % {"amount": plain(Decimal(whole_pounds(present))), "limit": plain(threshold)}
                return
        for cas, name in components.items():
            threshold, _known = ehs_threshold(cas)
            if ehs_totals.get(cas, Decimal(0)) >= threshold:
                total.reportable = True
                total.reason = _(
                    "contains %(name)s, an extremely hazardous substance present at the facility at or "
                    "above its threshold of %(limit)s lb"
                ) % {"name": name, "limit": plain(threshold)}
                return
    if total.max_lbs >= FEDERAL_THRESHOLD_LBS:
        total.reportable = True
        total.threshold_lbs = FEDERAL_THRESHOLD_LBS
        total.reason = _("%(amount)s lb reaches the threshold of 10,000 lb") % {"amount": amount}
        return
    total.reason = _("%(amount)s lb is below the federal threshold of %(limit)s lb") % {
        "amount": amount,
        "limit": plain(total.threshold_lbs),
    }
