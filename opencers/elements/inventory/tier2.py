"""The federal Tier II view of an inventory (EPCRA section 312, ``spec/TIER2.md``).

CERS keeps one row per material per storage location; Tier II one chemical per facility with its
storage locations, amounts in pounds and the federal range codes. ``tier2_summary`` groups the rows:

* a pure substance by CAS number (else library entry, else name), so that the same chemical stored under
  different trade names is one chemical; a mixture by library ID, else CAS number and name, else name
  (two products are two mixtures even when their main component is the same); trade-secret rows only
  with each other; wastes are left out (hazardous waste is not reported on Tier II) unless asked for.
* amounts converted to pounds as the threshold engine does (``thresholds.py``: tons, and gallons or cubic
  feet with the library density or molecular weight of a pure substance); a row that cannot be converted
  leaves its chemical's total unknown and is named, never guessed.
* summed over the locations (the maxima of different locations may not coincide: summing them is the
  safe side), with the range codes of 40 CFR 370.43 (``range_code``).
* compared with the federal thresholds: 10,000 lb; for an Extremely Hazardous Substance 500 lb or its TPQ,
  whichever is lower, counting the EHS facility-wide, inside mixtures too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from opencers.elements.inventory.fields import CONTAINER_FIELDS, FHC_FIELDS, FIELDS_BY_XML
from opencers.elements.inventory.thresholds import (
    FEDERAL_THRESHOLD_LBS,
    GAS,
    LIQUID,
    MIXTURE,
    SOLID,
    UNIT_WORDS,
    WASTE,
    Converted,
    FacilityTotals,
    Library,
    RowAmounts,
    Total,
    compare_total,
    components,
    conversion_facts,
    ehs_phrase,
    evaluating,
    federal_threshold,
    fmt,
    name_words,
    prepare,
    to_pounds,
)

# 40 CFR 370.43(a): the code of an amount is the first whose next lower bound exceeds it (TIER2.md §6.1).
RANGE_CODES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(100), "01"),
    (Decimal(500), "02"),
    (Decimal(1_000), "03"),
    (Decimal(5_000), "04"),
    (Decimal(10_000), "05"),
    (Decimal(25_000), "06"),
    (Decimal(50_000), "07"),
    (Decimal(75_000), "08"),
    (Decimal(100_000), "09"),
    (Decimal(500_000), "10"),
    (Decimal(1_000_000), "11"),
    (Decimal(10_000_000), "12"),
)
TOP_CODE = "13"

# Tier II storage types, pressures and temperatures (TIER2.md §5.2, §5.3).
STORAGE_TYPES = dict(
    zip(
        CONTAINER_FIELDS,
        (
            "Above ground tank",
            "Below ground tank",
            "Tank inside building",
            "Steel drum",
            "Plastic or non-metallic drum",
            "Can",
            "Carboy",
            "Silo",
            "Fiber drum",
            "Bag",
            "Box",
            "Cylinder",
            "Glass bottles or jugs",
            "Plastic bottles or jugs",
            "Tote bin",
            "Tank wagon",
            "Rail car",
            "Other",
        ),
        strict=True,
    )
)
CONTAINER_ATTRS = {xml: FIELDS_BY_XML[xml].name for xml in CONTAINER_FIELDS}
PRESSURES = {"a": "Ambient pressure", "b": "Greater than ambient pressure", "c": "Less than ambient pressure"}
TEMPERATURES = {
    "a": "Ambient temperature",
    "b": "Greater than ambient temperature",
    "c": "Less than ambient temperature but not cryogenic",
    "d": "Cryogenic conditions",
}
HAZARD_FIELDS = tuple((FIELDS_BY_XML[xml].name, FIELDS_BY_XML[xml].label) for xml in FHC_FIELDS)


def range_code(pounds: Decimal) -> str:
    """The federal range code (01-13) of an amount in pounds."""
    for bound, code in RANGE_CODES:
        if pounds < bound:
            return code
    return TOP_CODE


def whole_pounds(pounds: Decimal) -> int:
    return int(pounds.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Tier2Location:
    row: int
    description: str  # ChemicalLocation, with the site map number and grid
    storage_types: tuple[str, ...]
    pressure: str
    temperature: str
    max_lbs: Decimal | None
    confidential: bool


@dataclass(frozen=True)
class Tier2Component:
    name: str
    cas: str
    ehs: bool
    percent: Decimal | None
    max_code: str  # of percent × the mixture's maximum (TIER2.md §6.3); empty when unknown


@dataclass
class Tier2Chemical:
    """One chemical of the federal Tier II report, with the rows it groups."""

    key: tuple[str, ...]
    name: str
    cas: str
    rows: tuple[int, ...]
    ehs: bool = False
    trade_secret: bool = False
    pure: bool = True
    solid: bool = False
    liquid: bool = False
    gas: bool = False
    max_lbs: Decimal | None = None
    ave_lbs: Decimal | None = None
    days_on_site: int | None = None
    largest_container_lbs: Decimal | None = None
    confidential_locations: bool = False
    locations: list[Tier2Location] = field(default_factory=list)
    components: list[Tier2Component] = field(default_factory=list)
    hazards: list[str] = field(default_factory=list)
    threshold_lbs: Decimal = FEDERAL_THRESHOLD_LBS
    reportable: bool | None = None  # at or above the federal threshold; None: cannot tell
    explanation: str = ""
    problems: list[str] = field(default_factory=list)  # why an amount is unknown, per row

    @property
    def mixture(self) -> bool:
        return not self.pure

    @property
    def max_code(self) -> str:
        return range_code(self.max_lbs) if self.max_lbs is not None else ""

    @property
    def ave_code(self) -> str:
        return range_code(self.ave_lbs) if self.ave_lbs is not None else ""

    @property
    def max_text(self) -> str:
        """The maximum in whole pounds, as written on Tier II (with thousands separated)."""
        return fmt(Decimal(whole_pounds(self.max_lbs))) if self.max_lbs is not None else ""

    @property
    def ave_text(self) -> str:
        return fmt(Decimal(whole_pounds(self.ave_lbs))) if self.ave_lbs is not None else ""

    @property
    def largest_container_text(self) -> str:
        return fmt(self.largest_container_lbs) if self.largest_container_lbs is not None else ""


def _identity(row: RowAmounts) -> tuple[str, ...]:
    item = row.item
    secret = "secret" if item.trade_secret == "Y" else ""  # noqa: S105 (a Y/N flag)
    if item.hm_type == WASTE:
        return ("waste", *row.key, secret)
    if item.hm_type == MIXTURE:
        name = name_words(item.chemical_name or item.common_name)
        if item.cclid:
            return ("mixture", "ccl", str(item.cclid), secret)
        return ("mixture", row.key[1] if row.key[0] == "cas" else "", name, secret)
    return ("pure", *row.key, secret)


def _location(row: RowAmounts) -> Tier2Location:
    item = row.item
    parts = [item.chemical_location or _("(no location given)")]
    if item.map_number:
        parts.append(_("Map %(map)s") % {"map": item.map_number})
    if item.grid_number:
        parts.append(_("Grid %(grid)s") % {"grid": item.grid_number})
    if item.sc_other == "Y" and item.other_storage_container:
        parts.append(item.other_storage_container)
    types = tuple(STORAGE_TYPES[xml] for xml, attr in CONTAINER_ATTRS.items() if getattr(item, attr) == "Y")
    return Tier2Location(
        row=row.number,
        description=", ".join(parts),
        storage_types=types,
        pressure=PRESSURES.get(item.storage_pressure, ""),
        temperature=TEMPERATURES.get(item.storage_temperature, ""),
        max_lbs=row.pounds.value,
        confidential=item.cl_confidential == "Y",
    )


def _problem(row: RowAmounts, converted: Converted, what: str) -> str:
    item = row.item
    if converted.why == "missing" or item.units not in UNIT_WORDS:
        return _("Row %(row)d: the %(what)s, its units or the physical state is missing.") % {
            "row": row.number,
            "what": what,
        }
    reasons = {
        "density": _("without a density, which the library gives for pure substances only"),
        "molecular_weight": _("without a molecular weight"),
        "solid_volume": _("because a solid is measured by volume"),
    }
    return _("Row %(row)d: the %(what)s in %(units)s cannot be converted to pounds %(reason)s.") % {
        "row": row.number,
        "what": what,
        "units": _(UNIT_WORDS[item.units]),
        "reason": reasons.get(converted.why, ""),
    }


def _amounts(chemical: Tier2Chemical, rows: list[RowAmounts], library: Library) -> None:
    maximum, average = Total(), Total()
    largest: list[Decimal] = []
    for row in rows:
        item = row.item
        maximum.add(row.pounds, row.number)
        if row.pounds.value is None:
            chemical.problems.append(_problem(row, row.pounds, _("largest amount")))
        density, weight = conversion_facts(item, row.facts)
        if item.average_daily_amount is None:
            chemical.problems.append(
                _("Row %(row)d: the average daily amount is missing (Tier II needs it).")
                % {"row": row.number}
            )
            average.add(Converted(None, "missing"), row.number)
        elif item.units in UNIT_WORDS:
            converted = to_pounds(item.average_daily_amount, item.units, item.physical_state, density, weight)
            average.add(converted, row.number)
            if converted.value is None and row.pounds.value is not None:
                chemical.problems.append(_problem(row, converted, _("average daily amount")))
        if item.largest_container is not None and item.units in UNIT_WORDS:
            container = to_pounds(item.largest_container, item.units, item.physical_state, density, weight)
            if container.value is not None:
                largest.append(container.value)
        if item.days_on_site is not None:
            chemical.days_on_site = max(chemical.days_on_site or 0, item.days_on_site)
    chemical.max_lbs = maximum.known if not maximum.unknown else None
    chemical.ave_lbs = average.known if not average.unknown else None
    chemical.largest_container_lbs = max(largest) if largest else None


def _components(chemical: Tier2Chemical, rows: list[RowAmounts], library: Library) -> None:
    seen: set[tuple[str, str]] = set()
    for row in rows:
        for _n, name, cas, flag, percent in components(row.item):
            key = (cas, name_words(name))
            if key in seen:
                continue
            seen.add(key)
            facts = library.by_cas.get(cas) if cas else None
            code = ""
            if percent is not None and chemical.max_lbs is not None:
                code = range_code(chemical.max_lbs * percent / 100)
            chemical.components.append(
                Tier2Component(
                    name=name or (facts.name if facts else ""),
                    cas=cas,
                    ehs=flag == "Y" or (facts is not None and facts.listed_ehs),
                    percent=percent,
                    max_code=code,
                )
            )


def _decide(chemical: Tier2Chemical, rows: list[RowAmounts], facility: FacilityTotals) -> None:
    """Compare with the federal thresholds and explain, in one line."""
    name = chemical.name
    checks: list[tuple[bool | None, str]] = []

    def check(lead: str, total: Total, threshold: Decimal) -> bool | None:
        status = total.status(threshold)
        comparison = compare_total(total, threshold, _("lb"))[0] if status is not None else ""
        checks.append((status, lead + comparison))
        return status

    keys = sorted({row.key for row in rows})
    for key in keys:
        own = facility.ehs.get(key)
        if own is not None:  # an EHS (or a mixture marked EHS without the EHS's percentage)
            facts = facility.ehs_facts.get(key)
            threshold = federal_threshold(facts, True)
            chemical.ehs = True
            chemical.threshold_lbs = min(chemical.threshold_lbs, threshold)
            check(_("%(name)s is %(ehs)s; ") % {"name": name, "ehs": ehs_phrase(facts)}, own, threshold)
        for component_key in sorted(facility.mixture_ehs.get(key, ())):
            facts = facility.ehs_facts.get(component_key)
            threshold = federal_threshold(facts, True)
            lead = _("%(name)s contains %(component)s, %(ehs)s; ") % {
                "name": name,
                "component": facility.ehs_names.get(component_key) or component_key[1],
                "ehs": ehs_phrase(facts),
            }
            if check(lead, facility.ehs[component_key], threshold):
                chemical.threshold_lbs = min(chemical.threshold_lbs, threshold)
    total = Total()
    for row in rows:
        total.add(row.pounds, row.number)
    check(_("%(name)s: ") % {"name": name}, total, FEDERAL_THRESHOLD_LBS)
    decisive = next((text for status, text in checks if status), None)
    if decisive is not None:
        chemical.reportable = True
        chemical.explanation = decisive + " → " + _("reported on Tier II")
    elif any(status is None for status, _text in checks):
        chemical.reportable = None
        chemical.explanation = _(
            "%(name)s: some amounts cannot be converted to pounds (see the rows named) → cannot tell"
        ) % {"name": name}
    else:
        chemical.reportable = False
        chemical.explanation = (
            checks[0][1]
            + " → "
            + _("below the federal threshold (it may still be reported, marked as below the thresholds)")
        )


def tier2_summary(
    items: Iterable[Any],
    *,
    library: Library | None = None,
    rows: Sequence[int] | None = None,
    include_waste: bool = False,
) -> list[Tier2Chemical]:
    """The inventory as federal Tier II chemicals, in the order each first appears. Rows are numbered
    1, 2, 3… or by ``rows``."""
    items = list(items)
    if library is None:
        library = Library.for_items(items)
    with evaluating():
        return _summary(items, library, rows, include_waste)


def _summary(
    items: list[Any], library: Library, rows: Sequence[int] | None, include_waste: bool
) -> list[Tier2Chemical]:
    materials, facility = prepare(items, library, rows)
    groups: dict[tuple[str, ...], list[RowAmounts]] = {}
    for material in materials:
        for row in material.rows:
            if row.item.hm_type == WASTE and not include_waste:
                continue
            groups.setdefault(_identity(row), []).append(row)
    chemicals = []
    for key, group in sorted(groups.items(), key=lambda pair: pair[1][0].number):
        group.sort(key=lambda row: row.number)
        first = group[0].item
        facts = group[0].facts
        chemical = Tier2Chemical(
            key=key,
            name=first.chemical_name or first.common_name or (facts.name if facts else ""),
            cas=group[0].key[1] if group[0].key[0] == "cas" else "",
            rows=tuple(row.number for row in group),
            ehs=any(row.item.ehs == "Y" for row in group) or (facts is not None and facts.listed_ehs),
            trade_secret=first.trade_secret == "Y",  # noqa: S105 (a Y/N flag)
            pure=first.hm_type != MIXTURE,
            solid=any(row.state == SOLID for row in group),
            liquid=any(row.state == LIQUID for row in group),
            gas=any(row.state == GAS for row in group),
            confidential_locations=any(row.item.cl_confidential == "Y" for row in group),
            locations=[_location(row) for row in group],
            hazards=[
                str(label)
                for attr, label in HAZARD_FIELDS
                if any(getattr(row.item, attr) == "Y" for row in group)
            ],
        )
        _amounts(chemical, group, library)
        if chemical.mixture:
            _components(chemical, group, library)
        _decide(chemical, group, facility)
        chemicals.append(chemical)
    return chemicals
