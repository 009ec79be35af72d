"""Reporting thresholds of an inventory: HSC 25507 (California) and EPCRA section 312 (federal Tier II).

``thresholds_evaluate(items)`` says for each material whether it must be reported, with a one-line
explanation ("Chlorine is an EHS with TPQ 100 lb; 150 lb on site ≥ 100 lb → reportable"), and
``reportability_guidance`` turns the answers into guidance messages for the forms, the spreadsheet import,
the API and the submit page. Rows may be saved or not (the spreadsheet import evaluates rows before it
writes them); the library facts the rows need are read in one query (``Library.for_items``), or passed in.

The rules, and the choices made where the law leaves something to the data:

* A **material** is the same substance wherever it is kept: rows with the same CAS number (else the same
  library entry, else the same common name) are one material, and the threshold applies to the sum of
  their largest amounts (the amount "at any one time" at the facility; summing the locations' maxima is
  the safe side). Wastes are grouped apart from products.
* **Thresholds**: 55 gallons of a liquid, 500 pounds of a solid, 200 cubic feet of a gas. Amounts in other
  units are converted: tons ↔ pounds and gallons ↔ cubic feet always; pounds ↔ gallons with the library's
  liquid density; pounds ↔ cubic feet of gas with the library's molecular weight. Library densities and
  molecular weights are those of the pure substance and are used for pure materials only. Without them
  the answer is "cannot tell" (a warning saying which units to use, and at what density the amount would
  reach the threshold) — unless even the densest liquid (30 lb/gal) or heaviest gas (molecular weight
  400) would reach it, in which case the material is reportable whatever its density.
* **Standard temperature and pressure** for cubic feet of gas: 70 °F and 1 atmosphere (386.8 ft³ per
  pound-mole), the conditions the fire code and gas suppliers state cylinder contents in; of the usual
  conventions it gives the most cubic feet per pound, so it is also the conservative one.
* **Extremely Hazardous Substances**: reportable at 500 pounds or the threshold planning quantity (TPQ),
  whichever is lower, compared in pounds. A TPQ with an alternative of 10,000 lb (40 CFR 355.16: a solid
  not in powder, molten or solution form) is applied at its **lower** value, because the inventory does
  not say what form a solid is in; the explanation says so. The library's EHS list decides when it knows
  the CAS number (a row marked "No" for a listed EHS is still treated as one, with a warning); a row
  marked EHS that the library does not know is held to 500 lb. An EHS inside a mixture counts toward its
  own threshold (percent by weight × the mixture's pounds), together with the pure substance elsewhere.
* **Hazardous waste** is reportable whatever the amount.
* **Exemptions decided from the data**: a mixture whose listed hazardous components add up to less than
  1 % by weight (0.1 % when it is a carcinogen: fire code class 1 or the federal carcinogenicity
  category) — judged only when every component has a percentage and none is an EHS; 1,000 cubic feet for
  simple asphyxiants and inert gases (carbon dioxide, nitrogen, argon, helium, …), for oxygen and
  nitrous oxide named as medical, and for refrigerants and fire-suppression gases recognised by name;
  550 gallons / 5,000 pounds for materials classed only as irritants or sensitizers (fire code classes 14
  and 30, with no other hazard marked); lubricating oil recognised by its name (motor, engine, gear,
  hydraulic, … oil) when no type exceeds 55 gallons and all of it together does not exceed 275 gallons.
* **Left to the user** (explained, not decided): oil in electrical equipment (exempt while the
  equipment holds less than 1,320 gallons in all: the inventory does not record the equipment), consumer
  products held for retail sale, and lower thresholds a CUPA may set.
* **Federal Tier II** flags: 10,000 pounds, or for an EHS 500 pounds or the TPQ, whichever is lower;
  hazardous waste is not reported on Tier II.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property, lru_cache, partial
from typing import Any

from django.db import connection
from django.utils.translation import get_language, gettext, gettext_noop

from opencers.core.validators import normalize_cas
from opencers.elements.inventory.fields import FHC_FIELDS, FIELDS_BY_XML, FIRE_CODE_FIELDS
from opencers.submittals.guidance import ADVISORY, WARNING, Guidance

SOLID, LIQUID, GAS = "a", "b", "c"  # PhysicalState (214)
GALLONS, CUBIC_FEET, POUNDS, TONS = "a", "b", "c", "d"  # Units (221)
PURE, MIXTURE, WASTE = "a", "b", "c"  # HMType (211)

LIQUID_THRESHOLD_GAL = Decimal(55)
SOLID_THRESHOLD_LBS = Decimal(500)
GAS_THRESHOLD_FT3 = Decimal(200)
EHS_CAP_LBS = Decimal(500)
IRRITANT_THRESHOLD_GAL = Decimal(550)
IRRITANT_THRESHOLD_LBS = Decimal(5000)
INERT_GAS_THRESHOLD_FT3 = Decimal(1000)
LUBE_OIL_EACH_GAL = Decimal(55)
LUBE_OIL_TOTAL_GAL = Decimal(275)
OIL_EQUIPMENT_GAL = Decimal(1320)
MIXTURE_PERCENT = Decimal(1)
CARCINOGEN_PERCENT = Decimal("0.1")
FEDERAL_THRESHOLD_LBS = Decimal(10000)
FEDERAL_EHS_CAP_LBS = Decimal(500)
STP_FAHRENHEIT = 70
WATER_LB_PER_GAL = Decimal("8.345")  # specific gravity 1
# Without a library density (molecular weight), an amount in pounds is at least this many gallons (cubic
# feet): no liquid used in quantity is denser than 30 lb/gal (specific gravity 3.6; mercury, which is, has a
# library density), no gas heavier than molecular weight 400.
MAX_LIQUID_DENSITY = Decimal(30)
MAX_GAS_WEIGHT = Decimal(400)
# ... and at most this many: no liquid at ambient conditions is lighter than 4 lb/gal (liquefied propane is
# about 4.2; cryogenic liquids excepted), no gas lighter than hydrogen.
MIN_LIQUID_DENSITY = Decimal(4)
MIN_GAS_WEIGHT = Decimal(2)
DENSE, LIGHT, HEAVY_GAS, LIGHT_GAS = "dense", "light", "heavy_gas", "light_gas"  # the bound used

# Why an amount cannot be compared with its threshold.
MISSING = "missing"  # no amount, units or physical state: the required-field messages already say so
DENSITY = "density"  # pounds ↔ gallons of a liquid without a density
MOLECULAR_WEIGHT = "molecular_weight"  # pounds ↔ cubic feet of a gas without a molecular weight
SOLID_VOLUME = "solid_volume"  # a solid measured by volume
EHS_UNITS = "ehs_units"  # an EHS not in pounds, without a density: the units rule already says so

CARCINOGEN_CLASS = "1"
IRRITANT_CLASSES = frozenset({"14", "30"})  # Irritant, Sensitizer
# Federal categories an irritant or sensitizer may carry and still count as "only an irritant or sensitizer".
IRRITANT_FHC = frozenset(
    {
        "fhc_health_skin_corrosion_irritation",
        "fhc_health_respiratory_skin_sensitization",
        "fhc_health_serious_eye_damage_eye_irritation",
        "fhc_acute_health",  # the older category that irritants were given
    }
)
FIRE_CODE_ATTRS = tuple(FIELDS_BY_XML[xml].name for xml in FIRE_CODE_FIELDS)
FHC_ATTRS = tuple(FIELDS_BY_XML[xml].name for xml in FHC_FIELDS)
# Flags and classes that make a gas more than a simple asphyxiant (flammable, oxidizing, toxic, …).
NOT_INERT_FHC = (
    "fhc_physical_flammable",
    "fhc_physical_oxidizer",
    "fhc_physical_pyrophoric_gas",
    "fhc_physical_explosive",
    "fhc_health_acute_toxicity",
    "fhc_health_carcinogenicity",
    "fhc_health_skin_corrosion_irritation",
)
NOT_INERT_CLASSES = frozenset({"1", "5", "8", "13", "15", "21", "22", "28", "31"})
INERT_GASES = frozenset(
    {
        "124-38-9",  # carbon dioxide
        "7727-37-9",  # nitrogen
        "7440-37-1",  # argon
        "7440-59-7",  # helium
        "7440-01-9",  # neon
        "7439-90-9",  # krypton
        "7440-63-3",  # xenon
        "2551-62-4",  # sulfur hexafluoride
    }
)
MEDICAL_GASES = frozenset({"7782-44-7", "10024-97-2"})  # oxygen, nitrous oxide (nitrogen is inert anyway)
MEDICAL_WORDS = re.compile(r"\b(medical|usp)\b", re.IGNORECASE)
REFRIGERANT_OR_SUPPRESSION = re.compile(
    r"\b(refrigerant|freon|r-?\d{2,4}[a-z]?|halon|fm-?200|fire[ -]suppression|clean agent|inergen)\b",
    re.IGNORECASE,
)
LUBE_OIL = re.compile(
    r"\b(lubricating|lube|motor|engine|gear|crankcase|hydraulic|transmission|compressor|turbine|"
    r"\d{1,2}w-?\d{2})\b.*\b(oils?|fluids?)\b|\blubricants?\b|\bsae\s*\d",
    re.IGNORECASE,
)
OIL_EQUIPMENT = re.compile(
    r"\b(transformer|dielectric|insulating oil|oil[- ]filled|switchgear|circuit breaker|capacitor)\b",
    re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Translations remembered per language: an evaluation of 50,000 rows asks for the same few words many
# thousands of times, and finding the active language alone costs more than the rest of a lookup. During an
# evaluation (``evaluating``) the table of the language active when it started is kept per thread.
_TABLES: dict[str | None, dict[str, str]] = {}
_CURRENT = threading.local()


def _table() -> dict[str, str]:
    table = getattr(_CURRENT, "table", None)
    if table is None:
        table = _TABLES.setdefault(get_language(), {})
    return table


def _(message: str) -> str:
    table = _table()
    try:
        return table[message]
    except KeyError:
        table[message] = translated = gettext(message)
        return translated


@contextmanager
def evaluating() -> Iterator[None]:
    """The conditions of a large evaluation: the translations of the active language at hand, and Python's
    cyclic garbage collector paused (evaluating 50,000 rows allocates hundreds of thousands of small objects,
    none in reference cycles, and the collector, set off by the allocations, would walk every object alive
    again and again; reference counting still frees everything as usual)."""
    previous = getattr(_CURRENT, "table", None)
    _CURRENT.table = _TABLES.setdefault(get_language(), {})
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        _CURRENT.table = previous


# --- Units (pint) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factors:
    lbs_per_ton: Decimal
    ft3_per_gal: Decimal
    gal_per_ft3: Decimal
    ft3_per_lbmol: Decimal  # molar volume of a gas at STP_FAHRENHEIT and 1 atm


@cache
def unit_registry() -> Any:
    """A pint registry holding the inventory's units (gallons, cubic feet, pounds, tons) and what the
    conversions between them need. Built on first use: importing pint takes a noticeable fraction of
    a second, which web workers should not pay at start-up."""
    import pint

    registry = pint.UnitRegistry(None)
    for definition in (
        "kilogram = [mass] = kg",
        "meter = [length] = m",
        "second = [time] = s",
        "kelvin = [temperature] = K",
        "mole = [substance] = mol",
        "gram = kilogram / 1000 = g",
        "pound = 0.45359237 * kilogram = lb",
        "ton = 2000 * pound",  # the short ton of the data dictionary's Units code d
        "inch = 0.0254 * meter = in",
        "foot = 12 * inch = ft",
        "cubic_foot = foot ** 3 = ft3",
        "gallon = 231 * inch ** 3 = gal",  # the US liquid gallon
        "pound_mole = 453.59237 * mole = lbmol",
        "newton = kilogram * meter / second ** 2 = N",
        "pascal = newton / meter ** 2 = Pa",
        "atmosphere = 101325 * pascal = atm",
        "joule = newton * meter = J",
        "degree_Rankine = 5 / 9 * kelvin = degR",
        "degree_Fahrenheit = 5 / 9 * kelvin; offset: 233.15 + 200 / 9 = degF",
    ):
        registry.define(definition)
    return registry


def _decimal(quantity: Any) -> Decimal:
    return Decimal(f"{quantity.magnitude:.12g}")


@cache
def factors() -> Factors:
    """The conversion factors, computed once with pint."""
    ureg = unit_registry()
    gas_constant = ureg.Quantity(8.314462618, "J / (mol * K)")
    temperature = ureg.Quantity(STP_FAHRENHEIT, "degF").to("K")
    molar_volume = (gas_constant * temperature / ureg.Quantity(1, "atm")).to("ft3 / lbmol")
    return Factors(
        lbs_per_ton=_decimal(ureg.Quantity(1, "ton").to("lb")),
        ft3_per_gal=_decimal(ureg.Quantity(1, "gal").to("ft3")),
        gal_per_ft3=_decimal(ureg.Quantity(1, "ft3").to("gal")),
        ft3_per_lbmol=_decimal(molar_volume),
    )


# --- The library facts the rules need ---------------------------------------------------------------------


@dataclass(eq=False)
class Facts:
    """What the chemical library knows about one substance (only what the inventory rules use)."""

    pk: int
    ccl_id: int | None
    cas: str
    name: str
    synonyms: tuple[str, ...]
    ehs: bool
    tpq_lbs: Decimal | None
    tpq_alt_lbs: Decimal | None
    density_lb_per_gal: Decimal | None
    molecular_weight: Decimal | None
    flash_point_f: Decimal | None
    boiling_point_f: Decimal | None

    @property
    def listed_ehs(self) -> bool:
        """On the EHS list (its TPQ, when the library has it, in ``tpq_lbs``)."""
        return self.ehs

    @cached_property
    def names(self) -> frozenset[str]:
        """The name and synonyms, normalized (see ``name_words``)."""
        return frozenset(n for n in (name_words(text) for text in (self.name, *self.synonyms)) if n)


def name_words(text: str) -> str:
    """A name reduced to lower-case letters and digits separated by single spaces ("2,4-D" → "2 4 d")."""
    return " ".join(_NOT_ALNUM.split(text.casefold())).strip()


_FACT_COLUMNS = (
    "id",
    "ccl_id",
    "cas",
    "name",
    "synonyms",
    "ehs",
    "tpq_lbs",
    "tpq_alt_lbs",
    "density_lb_per_gal",
    "molecular_weight",
    "flash_point_f",
    "boiling_point_f",
)


class Library:
    """The library facts of the substances an inventory names, by CAS number, library row and CCLID."""

    def __init__(self, facts: Iterable[Facts] = ()) -> None:
        self.by_cas: dict[str, Facts] = {}
        self.by_pk: dict[int, Facts] = {}
        self.by_ccl_id: dict[int, Facts] = {}
        for fact in facts:
            if fact.cas:
                self.by_cas[fact.cas] = fact
            self.by_pk[fact.pk] = fact
            if fact.ccl_id is not None:
                self.by_ccl_id[fact.ccl_id] = fact

    @classmethod
    def for_items(cls, items: Iterable[Any]) -> Library:
        """The facts of every substance the rows name (their CAS numbers, components' CAS numbers,
        library links and CCLIDs), in one query."""
        written: set[str] = set()
        pks: set[int] = set()
        ccl_ids: set[int] = set()
        for item in items:
            written.update(
                (item.cas_number, item.hc1_cas, item.hc2_cas, item.hc3_cas, item.hc4_cas, item.hc5_cas)
            )
            pk = getattr(item, "library_chemical_id", None)
            if pk:
                pks.add(pk)
            if item.cclid:
                ccl_ids.add(item.cclid)
        cas_numbers = {normalize_cas(cas) for cas in written if cas}
        return cls.for_identifiers(cas=cas_numbers, pks=pks, ccl_ids=ccl_ids)

    @classmethod
    def for_identifiers(
        cls, *, cas: Iterable[str] = (), pks: Iterable[int] = (), ccl_ids: Iterable[int] = ()
    ) -> Library:
        from opencers.library.models import Chemical

        # A plain query: for tens of thousands of substances the ORM's row handling would cost several times
        # the query itself.
        conditions: list[str] = []
        params: list[list[Any]] = []
        if cas := list(cas):
            conditions.append("(cas = ANY(%s) AND cas <> '')")  # the partial unique index of CAS numbers
            params.append(cas)
        if pks := list(pks):
            conditions.append("id = ANY(%s)")
            params.append(pks)
        if ccl_ids := list(ccl_ids):
            conditions.append("ccl_id = ANY(%s)")
            params.append(ccl_ids)
        if not conditions:
            return cls()
        sql = (
            f"SELECT {', '.join(_FACT_COLUMNS)} FROM {Chemical._meta.db_table} "  # noqa: S608 (constants)
            f"WHERE {' OR '.join(conditions)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cls(_facts(row) for row in cursor.fetchall())

    def of_cas(self, cas: str) -> Facts | None:
        return self.by_cas.get(normalize_cas(cas)) if cas else None

    def of_item(self, item: Any) -> Facts | None:
        """The substance a row names: by its CAS number, else its library link, else its CCLID."""
        if item.cas_number:
            return self.by_cas.get(normalize_cas(item.cas_number))
        pk = getattr(item, "library_chemical_id", None)
        if pk and pk in self.by_pk:
            return self.by_pk[pk]
        return self.by_ccl_id.get(item.cclid) if item.cclid else None


def _facts(row: tuple[Any, ...]) -> Facts:
    pk, ccl_id, cas, name, synonyms, ehs, tpq, tpq_alt, density, weight, flash, boiling = row
    return Facts(
        pk, ccl_id, cas, name, tuple(synonyms or ()), ehs, tpq, tpq_alt, density, weight, flash, boiling
    )


# --- Numbers for people ---------------------------------------------------------------------------------


def fmt(value: Decimal, against: Decimal | None = None) -> str:
    """A number as people write it: thousands separated, at most two decimals (more when two decimals
    would make it look equal to the threshold it is compared with)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    for places in (Decimal("0.01"), Decimal("0.0001")):
        shown = value.quantize(places, rounding=ROUND_HALF_UP)
        if against is None or shown != against or value == against:
            break
    text = format(shown, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


STATE_UNITS = {LIQUID: gettext_noop("gal"), SOLID: gettext_noop("lb"), GAS: gettext_noop("ft³")}


def unit_word(state: str) -> str:
    return _(STATE_UNITS[state]) if state in STATE_UNITS else ""


UNIT_WORDS = {
    GALLONS: gettext_noop("gal"),
    CUBIC_FEET: gettext_noop("ft³"),
    POUNDS: gettext_noop("lb"),
    TONS: gettext_noop("tons"),
}


# --- Conversions ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Converted:
    """An amount converted to another unit, or why it could not be, with the bounds that are still known
    (see MAX_LIQUID_DENSITY)."""

    value: Decimal | None
    why: str = ""  # why value is None: MISSING, DENSITY, MOLECULAR_WEIGHT, SOLID_VOLUME
    via: tuple[str, Decimal] | None = None  # ("density", lb/gal) or ("weight", g/mol) when one was used
    minimum: Decimal | None = None  # when value is None: a lower bound
    maximum: Decimal | None = None  # when value is None: an upper bound
    min_basis: str = ""  # what the lower bound assumes (DENSE, HEAVY_GAS)
    max_basis: str = ""  # what the upper bound assumes (DENSE, LIGHT, HEAVY_GAS, LIGHT_GAS)

    def share(self, percent: Decimal) -> Converted:
        """``percent`` % of the amount (a component of a mixture)."""

        def part(value: Decimal | None) -> Decimal | None:
            return value * percent / 100 if value is not None else None

        return Converted(
            part(self.value),
            self.why,
            self.via,
            part(self.minimum),
            part(self.maximum),
            self.min_basis,
            self.max_basis,
        )


Ratio = tuple[Decimal, Decimal]  # (multiplier, divisor): exact where a decimal factor would round


def _times(amount: Decimal, ratio: Ratio) -> Decimal:
    multiplier, divisor = ratio
    value = amount if multiplier == 1 else amount * multiplier
    return value if divisor == 1 else value / divisor


@dataclass(frozen=True, slots=True)
class Conversion:
    """How amounts in one unit convert to another: amount × ``ratio``, or, when a density or molecular
    weight is missing, unknown with the ratios of its bounds. Conversions are linear, so one plan serves
    every row of the same units, state and library facts."""

    ratio: Ratio | None
    why: str = ""
    via: tuple[str, Decimal] | None = None
    min_ratio: Ratio | None = None
    max_ratio: Ratio | None = None
    min_basis: str = ""
    max_basis: str = ""

    def apply(self, amount: Decimal) -> Converted:
        ratio = self.ratio
        if ratio is not None:
            multiplier, divisor = ratio
            value = amount if multiplier == 1 else amount * multiplier
            return Converted(value if divisor == 1 else value / divisor, "", self.via)
        return Converted(
            None,
            self.why,
            None,
            _times(amount, self.min_ratio) if self.min_ratio is not None else None,
            _times(amount, self.max_ratio) if self.max_ratio is not None else None,
            self.min_basis,
            self.max_basis,
        )


_ONE = Conversion((Decimal(1), Decimal(1)))


def _ratio(multiplier: Decimal, divisor: Decimal = Decimal(1)) -> Ratio:
    return (multiplier, divisor)


@lru_cache(maxsize=4096)
def pounds_conversion(
    units: str, state: str, density: Decimal | None, molecular_weight: Decimal | None
) -> Conversion:
    """How amounts in ``units`` of a material in ``state`` convert to pounds."""
    f = factors()
    if units == POUNDS:
        return _ONE
    if units == TONS:
        return Conversion(_ratio(f.lbs_per_ton))
    if state == SOLID:
        return Conversion(None, SOLID_VOLUME)
    if units == CUBIC_FEET and state == GAS:
        if molecular_weight is None:
            return Conversion(
                None, MOLECULAR_WEIGHT, max_ratio=_ratio(MAX_GAS_WEIGHT, f.ft3_per_lbmol), max_basis=HEAVY_GAS
            )
        return Conversion(_ratio(molecular_weight, f.ft3_per_lbmol), via=("weight", molecular_weight))
    gallons = Decimal(1) if units == GALLONS else f.gal_per_ft3
    if density is None:
        return Conversion(None, DENSITY, max_ratio=_ratio(gallons * MAX_LIQUID_DENSITY), max_basis=DENSE)
    return Conversion(_ratio(gallons * density), via=("density", density))


@lru_cache(maxsize=4096)
def threshold_unit_conversion(
    units: str, state: str, density: Decimal | None, molecular_weight: Decimal | None
) -> Conversion:
    """How amounts in ``units`` convert to the unit of the state's threshold: gallons of a liquid, pounds
    of a solid, cubic feet of a gas. Without the density (molecular weight) it needs, the bounds are those
    of a liquid as dense as MAX_LIQUID_DENSITY or as light as MIN_LIQUID_DENSITY (a gas as heavy as
    MAX_GAS_WEIGHT or as light as MIN_GAS_WEIGHT)."""
    f = factors()
    if state == LIQUID:
        if units == GALLONS:
            return _ONE
        if units == CUBIC_FEET:
            return Conversion(_ratio(f.gal_per_ft3))
        pounds = f.lbs_per_ton if units == TONS else Decimal(1)
        if density is None:
            return Conversion(
                None,
                DENSITY,
                min_ratio=_ratio(pounds, MAX_LIQUID_DENSITY),
                max_ratio=_ratio(pounds, MIN_LIQUID_DENSITY),
                min_basis=DENSE,
                max_basis=LIGHT,
            )
        return Conversion(_ratio(pounds, density), via=("density", density))
    if state == SOLID:
        return pounds_conversion(units, state, density, molecular_weight)
    if units == CUBIC_FEET:
        return _ONE
    if units == GALLONS:  # a liquefied gas: gallons → pounds → cubic feet
        if density is None:
            return Conversion(None, DENSITY)
        if molecular_weight is None:
            return Conversion(None, MOLECULAR_WEIGHT)
        return Conversion(_ratio(density * f.ft3_per_lbmol, molecular_weight), via=("density", density))
    pounds = f.lbs_per_ton if units == TONS else Decimal(1)
    if molecular_weight is None:
        return Conversion(
            None,
            MOLECULAR_WEIGHT,
            min_ratio=_ratio(pounds * f.ft3_per_lbmol, MAX_GAS_WEIGHT),
            max_ratio=_ratio(pounds * f.ft3_per_lbmol, MIN_GAS_WEIGHT),
            min_basis=HEAVY_GAS,
            max_basis=LIGHT_GAS,
        )
    return Conversion(_ratio(pounds * f.ft3_per_lbmol, molecular_weight), via=("weight", molecular_weight))


def to_pounds(
    amount: Decimal, units: str, state: str, density: Decimal | None, molecular_weight: Decimal | None
) -> Converted:
    """The amount in pounds."""
    return pounds_conversion(units, state, density, molecular_weight).apply(amount)


def to_threshold_unit(
    amount: Decimal, units: str, state: str, density: Decimal | None, molecular_weight: Decimal | None
) -> Converted:
    """The amount in the unit of its state's threshold (see ``threshold_unit_conversion``)."""
    return threshold_unit_conversion(units, state, density, molecular_weight).apply(amount)


def conversion_facts(item: Any, facts: Facts | None) -> tuple[Decimal | None, Decimal | None]:
    """The density and molecular weight usable for a row: the library's, for a pure substance only."""
    if facts is None or item.hm_type not in ("", PURE):
        return None, None
    return facts.density_lb_per_gal, facts.molecular_weight if item.physical_state == GAS else None


def amount_in_pounds(item: Any, library: Library | None = None, *, average: bool = False) -> Decimal | None:
    """A row's maximum (or average) daily amount in pounds; None when it cannot be converted (gallons and
    cubic feet need the density or molecular weight of a pure substance from the library)."""
    amount = item.average_daily_amount if average else item.maximum_daily_amount
    if amount is None or item.units not in UNIT_WORDS:
        return None
    density, weight = conversion_facts(item, library.of_item(item) if library is not None else None)
    return to_pounds(amount, item.units, item.physical_state, density, weight).value


def pounds_suggestion(item: Any, library: Library) -> str:
    """For an amount in other units than pounds: the amounts converted to pounds, as a sentence (empty
    when they cannot be converted). Extremely hazardous substances must be reported in pounds."""
    if item.maximum_daily_amount is None or item.units not in (GALLONS, CUBIC_FEET, TONS):
        return ""
    facts = library.of_item(item)
    density, weight = conversion_facts(item, facts)
    converted = to_pounds(item.maximum_daily_amount, item.units, item.physical_state, density, weight)
    if converted.value is None:
        return ""
    values = {
        "amount": fmt(item.maximum_daily_amount),
        "units": _(UNIT_WORDS[item.units]),
        "pounds": fmt(converted.value),
        "name": facts.name if facts else "",
    }
    if converted.via is None:
        text = _("%(amount)s %(units)s is %(pounds)s lb") % values
    elif converted.via[0] == "weight":
        text = _(
            "With the molecular weight of %(name)s (%(weight)s), %(amount)s %(units)s of gas at 70 °F and "
            "1 atm is about %(pounds)s lb"
        ) % {**values, "weight": fmt(converted.via[1])}
    else:
        text = _(
            "With the library density of %(name)s (%(density)s lb/gal), %(amount)s %(units)s is about "
            "%(pounds)s lb"
        ) % {**values, "density": fmt(converted.via[1])}
    if item.average_daily_amount is not None:
        average = to_pounds(item.average_daily_amount, item.units, item.physical_state, density, weight).value
        if average is not None:
            template = (
                _(" (the average, %(average)s %(units)s, is %(pounds)s lb)")
                if converted.via is None
                else _(" (the average, %(average)s %(units)s, is about %(pounds)s lb)")
            )
            text += template % {
                "average": fmt(item.average_daily_amount),
                "units": values["units"],
                "pounds": fmt(average),
            }
    return text + "."


# --- Rows and materials -----------------------------------------------------------------------------------


@dataclass(slots=True)
class RowAmounts:
    number: int
    item: Any
    facts: Facts | None
    key: tuple[str, str]
    pounds: Converted
    native: Converted  # in the unit of the state's threshold
    exempt_percent: Decimal | None = None  # a mixture under the 1 % (0.1 %) rule: its hazardous content
    listed: list[Component] | None = None  # a mixture's components

    @property
    def state(self) -> str:
        return self.item.physical_state


def material_key(item: Any, facts: Facts | None) -> tuple[str, str]:
    """What makes rows the same material: the CAS number, else the library entry, else the common name.
    Wastes are kept apart from products."""
    cas = normalize_cas(item.cas_number) if item.cas_number else ""
    if item.hm_type == WASTE:
        return ("waste", cas or name_words(item.common_name or item.chemical_name))
    if cas:
        return ("cas", cas)
    if facts is not None:
        return ("cas", facts.cas) if facts.cas else ("library", str(facts.pk))
    return ("name", name_words(item.common_name or item.chemical_name))


def fire_classes(item: Any) -> set[str]:
    return {code for code in (getattr(item, attr) for attr in FIRE_CODE_ATTRS) if code}


def is_carcinogen(item: Any) -> bool:
    return item.fhc_health_carcinogenicity == "Y" or CARCINOGEN_CLASS in fire_classes(item)


COMPONENT_ATTRS = tuple(
    (n, f"hc{n}_name", f"hc{n}_cas", f"hc{n}_ehs", f"hc{n}_percent_by_weight") for n in range(1, 6)
)
Component = tuple[int, str, str, str, Decimal | None]


def components(item: Any) -> list[Component]:
    """The listed components of a row: (n, name, CAS, EHS flag, percent by weight)."""
    listed = []
    for n, name_attr, cas_attr, ehs_attr, percent_attr in COMPONENT_ATTRS:
        name, cas, percent = getattr(item, name_attr), getattr(item, cas_attr), getattr(item, percent_attr)
        if name or cas or percent is not None:
            listed.append((n, name, normalize_cas(cas) if cas else "", getattr(item, ehs_attr), percent))
    return listed


def _mixture_percent(item: Any, listed: list[Component], library: Library) -> Decimal | None:
    """The hazardous content of a mixture whose composition is fully known (every listed component has a
    percentage, there are no further components in text, and none is an EHS); else None."""
    if item.hm_type != MIXTURE or item.ehs == "Y" or item.additional_mixture_components:
        return None
    if not listed:
        return None
    total = Decimal(0)
    for _n, _name, cas, ehs, percent in listed:
        if percent is None or ehs == "Y":
            return None
        facts = library.by_cas.get(cas) if cas else None
        if facts is not None and facts.listed_ehs:
            return None
        total += percent
    return total


_MISSING = Converted(None, MISSING)


Context = tuple[Facts | None, tuple[str, str], Conversion | None, Conversion | None]


class _Rows:
    """Turns inventory rows into ``RowAmounts``, remembering what rows of the same identity, type, units and
    state share: the library entry, the material, and the conversions of their amounts."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.contexts: dict[tuple[Any, ...], Context] = {}

    def _context(self, item: Any) -> Context:
        facts = self.library.of_item(item)
        key = material_key(item, facts)
        units, state = item.units, item.physical_state
        if units not in UNIT_WORDS or state not in (SOLID, LIQUID, GAS):
            return facts, key, None, None
        density, weight = conversion_facts(item, facts)
        return (
            facts,
            key,
            pounds_conversion(units, state, density, weight),
            threshold_unit_conversion(units, state, density, weight),
        )

    def row(self, number: int, item: Any) -> RowAmounts:
        cas, kind = item.cas_number, item.hm_type
        identity: tuple[Any, ...] = (
            (cas, kind, item.units, item.physical_state)  # a CAS number decides the library entry
            if cas
            else (
                "",
                kind,
                item.units,
                item.physical_state,
                getattr(item, "library_chemical_id", None),
                item.cclid,
                item.common_name or item.chemical_name,
            )
        )
        context = self.contexts.get(identity)
        if context is None:
            context = self.contexts[identity] = self._context(item)
        facts, key, pounds, native = context
        amount = item.maximum_daily_amount
        if amount is None or pounds is None or native is None:
            return RowAmounts(number, item, facts, key, _MISSING, _MISSING)
        row = RowAmounts(number, item, facts, key, pounds.apply(amount), native.apply(amount))
        if kind == MIXTURE:
            row.listed = components(item)
            percent = _mixture_percent(item, row.listed, self.library)
            if percent is not None and percent < (
                CARCINOGEN_PERCENT if is_carcinogen(item) else MIXTURE_PERCENT
            ):
                row.exempt_percent = percent
        return row


_NO_SET: Any = frozenset()
_ZERO = Decimal(0)


class Total:
    """A sum of amounts of which some may be unknown, with its bounds (one per row, or mixture share)."""

    __slots__ = (
        "count",
        "in_mixtures",
        "known",
        "max_bases",
        "maximum",
        "min_bases",
        "minimum",
        "unknown",
        "unknown_pounds",
        "vias",
    )

    def __init__(self, unknown: list[str] | None = None) -> None:
        self.known = _ZERO
        self.minimum = _ZERO  # sum of the lower bounds of the unknown amounts
        self.maximum: Decimal | None = _ZERO  # sum of their upper bounds (None: one has none)
        self.unknown: list[str] = unknown or []  # why each unknown amount is unknown
        self.unknown_pounds: Decimal | None = _ZERO  # the unknown amounts in pounds, when all are known
        self.in_mixtures = _ZERO
        self.count = len(self.unknown)  # the amounts added (rows)
        self.vias: set[tuple[str, Decimal]] = _NO_SET  # replaced by a set of its own when one is added
        self.min_bases: set[str] = _NO_SET
        self.max_bases: set[str] = _NO_SET

    def add(
        self, amount: Converted, row: int, *, pounds: Decimal | None = None, mixture: bool = False
    ) -> None:
        self.count += 1
        value = amount.value
        if amount.via is not None:
            if self.vias is _NO_SET:
                self.vias = set()
            self.vias.add(amount.via)
        if value is not None:
            self.known += value
            if mixture:
                self.in_mixtures += value
            return
        self.unknown.append(amount.why)
        if amount.minimum:
            self.minimum += amount.minimum
            self.min_bases = self.min_bases | {amount.min_basis}
        if self.maximum is not None and amount.maximum is not None:
            self.maximum += amount.maximum
            self.max_bases = self.max_bases | {amount.max_basis}
        else:
            self.maximum = None
        self.unknown_pounds = (
            self.unknown_pounds + pounds if self.unknown_pounds is not None and pounds is not None else None
        )

    def status(self, threshold: Decimal, *, inclusive: bool = True) -> bool | None:
        low = self.known + self.minimum
        if low >= threshold if inclusive else low > threshold:
            return True
        if not self.unknown:
            return False
        if self.maximum is not None:
            high = self.known + self.maximum
            if high < threshold if inclusive else high <= threshold:
                return False
        return None


class Material:
    """The rows of one material, with the sums the rules compare, kept up to date as rows are added."""

    __slots__ = (
        "facts",
        "flagged",
        "key",
        "liquid_product",
        "lube_oil",
        "missing_state",
        "mixture",
        "name",
        "name_pairs",
        "natives",
        "pounds",
        "rows",
    )

    def __init__(self, key: tuple[str, str]) -> None:
        self.key = key
        self.rows: list[RowAmounts] = []
        self.name = ""
        self.facts: Facts | None = None
        self.lube_oil = False
        self.pounds = Total()  # every row, in pounds
        self.natives: dict[str, Total] = {}  # per state, the rows not exempt, in the threshold's unit
        self.missing_state: list[int] = []  # rows not exempt without a physical state
        self.flagged = False  # a row that is not a mixture is marked EHS
        self.mixture = False  # a row is a mixture
        self.liquid_product = True  # every row a liquid that is neither a waste nor marked EHS
        self.name_pairs: dict[tuple[str, str], None] = {}  # distinct (common name, chemical name)

    def add(self, row: RowAmounts) -> None:
        item = row.item
        if not self.rows:
            self.name = item.common_name or item.chemical_name or item.cas_number or _("(no name)")
        if self.facts is None:
            self.facts = row.facts
        self.rows.append(row)
        pounds, total = row.pounds, self.pounds
        if pounds.via is None and pounds.value is not None:  # the common case, without a call
            total.known += pounds.value
            total.count += 1
        else:
            total.add(pounds, row.number)
        kind, state = item.hm_type, item.physical_state
        if kind == MIXTURE:
            self.mixture = True
        elif item.ehs == "Y":
            self.flagged = True
        if self.liquid_product and (kind == WASTE or state != LIQUID or item.ehs == "Y"):
            self.liquid_product = False
        self.name_pairs[item.common_name, item.chemical_name] = None
        if row.exempt_percent is not None:
            return
        if state in (SOLID, LIQUID, GAS):
            sums = self.natives.get(state)
            if sums is None:
                sums = self.natives[state] = Total()
            native = row.native
            if native.via is None and native.value is not None:
                sums.known += native.value
                sums.count += 1
            else:
                sums.add(native, row.number, pounds=pounds.value)
        else:
            self.missing_state.append(row.number)

    def names(self) -> str:
        """The distinct common and chemical names of its rows, in one text."""
        return " ".join(f"{common} {chemical}" for common, chemical in self.name_pairs)

    def name_texts(self) -> Iterator[str]:
        """Each row's common and chemical name in one text, once for each distinct pair."""
        return (f"{common} {chemical}" for common, chemical in self.name_pairs)

    def state_rows(self, state: str) -> Iterator[RowAmounts]:
        return (row for row in self.rows if row.item.physical_state == state and row.exempt_percent is None)


@dataclass
class FacilityTotals:
    """Totals across materials: EHS amounts (pure and inside mixtures) and all lubricating oil."""

    ehs: dict[tuple[str, str], Total] = field(default_factory=dict)
    ehs_facts: dict[tuple[str, str], Facts | None] = field(default_factory=dict)
    ehs_names: dict[tuple[str, str], str] = field(default_factory=dict)
    mixture_ehs: dict[tuple[str, str], set[tuple[str, str]]] = field(default_factory=dict)
    lube_oil: Total = field(default_factory=Total)

    def add_ehs(
        self, key: tuple[str, str], facts: Facts | None, name: str, amount: Converted, row: int, **kw: Any
    ) -> None:
        total = self.ehs.get(key)
        if total is None:
            total = self.ehs[key] = Total()
        total.add(amount, row, **kw)
        self.ehs_facts.setdefault(key, facts)
        self.ehs_names.setdefault(key, name)


def _component_key(cas: str, name: str) -> tuple[str, str]:
    return ("cas", cas) if cas else ("name", name_words(name))


@lru_cache(maxsize=65536)
def _lube_oil_name(names: str) -> bool:
    return bool(LUBE_OIL.search(names))


def _is_lube_oil(material: Material) -> bool:
    return (
        material.liquid_product
        and all(_lube_oil_name(names) for names in material.name_texts())
        and not (material.facts is not None and material.facts.listed_ehs)
    )


def _facility_totals(materials: list[Material], library: Library) -> FacilityTotals:
    facility = FacilityTotals()
    for material in materials:
        if material.key[0] == "waste":
            continue
        listed = material.facts is not None and material.facts.listed_ehs
        if listed or material.flagged or material.mixture:
            _ehs_totals(facility, material, listed, library)
        if _is_lube_oil(material):
            material.lube_oil = True
            for row in material.rows:
                facility.lube_oil.add(row.native, row.number, pounds=row.pounds.value)
    return facility


def _ehs_totals(facility: FacilityTotals, material: Material, listed: bool, library: Library) -> None:
    for row in material.rows:
        item = row.item
        if row.exempt_percent is not None:
            continue
        found = False
        if item.hm_type == MIXTURE:
            for _n, name, cas, flag, percent in row.listed or ():
                facts = library.by_cas.get(cas) if cas else None
                if percent is None or not (flag == "Y" or (facts is not None and facts.listed_ehs)):
                    continue
                found = True
                key = _component_key(cas, name)
                label = (facts.name if facts is not None else "") or name or cas
                facility.add_ehs(key, facts, label, row.pounds.share(percent), row.number, mixture=True)
                facility.mixture_ehs.setdefault(material.key, set()).add(key)
            ehs = not found and (item.ehs == "Y" or listed)
        else:
            ehs = material.flagged or listed
        if ehs:
            # The material is an EHS, or a mixture marked EHS without the EHS's percentage: the whole amount
            # counts (the safe side).
            facility.add_ehs(material.key, material.facts, material.name, row.pounds, row.number)


def prepare(
    items: Sequence[Any], library: Library, rows: Sequence[int] | None = None
) -> tuple[list[Material], FacilityTotals]:
    """The rows grouped into materials (in the order each first appears), and the facility-wide totals.
    Rows are numbered 1, 2, 3… or by ``rows``."""
    materials: dict[tuple[str, str], Material] = {}
    numbers = rows if rows is not None else range(1, len(items) + 1)
    maker = _Rows(library)
    for number, item in zip(numbers, items, strict=True):
        row = maker.row(number, item)
        material = materials.get(row.key)
        if material is None:
            material = materials[row.key] = Material(row.key)
        material.add(row)
    found = list(materials.values())
    return found, _facility_totals(found, library)


# --- Special thresholds -----------------------------------------------------------------------------------


def _irritant_only(rows: Iterable[RowAmounts]) -> bool:
    for row in rows:
        if row.item.pf_code_hazard_class not in IRRITANT_CLASSES:  # the primary class, or none
            return False
        classes = fire_classes(row.item)
        if not classes or not classes <= IRRITANT_CLASSES:
            return False
        if any(getattr(row.item, attr) == "Y" for attr in FHC_ATTRS if attr not in IRRITANT_FHC):
            return False
    return True


@lru_cache(maxsize=65536)
def _refrigerant_name(names: str) -> bool:
    return bool(REFRIGERANT_OR_SUPPRESSION.search(names))


def _inert_gas_reason(material: Material, rows: Iterable[RowAmounts]) -> str:
    """Why the 1,000 ft³ threshold applies to this gas (empty when it does not)."""
    cas = material.key[1] if material.key[0] == "cas" else ""
    if cas in INERT_GASES:
        return _("a simple asphyxiant or inert gas")
    if cas in MEDICAL_GASES:
        return _("a medical gas (by its name)") if MEDICAL_WORDS.search(material.names()) else ""
    if any(_refrigerant_name(names) for names in material.name_texts()):
        return _("a refrigerant or fire-suppression gas (by its name)")
    for row in rows:
        item = row.item
        if item.fhc_health_simple_asphyxiant != "Y":
            return ""
        if (
            any(getattr(item, attr) == "Y" for attr in NOT_INERT_FHC)
            or fire_classes(item) & NOT_INERT_CLASSES
        ):
            return ""
    return _("a simple asphyxiant")


def _state_threshold(material: Material, state: str, ehs: bool) -> tuple[Decimal, str]:
    """The threshold for a material's rows of one physical state, and the special rule that set it."""
    if not ehs:
        if state in (LIQUID, SOLID) and _irritant_only(material.state_rows(state)):
            return (
                IRRITANT_THRESHOLD_GAL if state == LIQUID else IRRITANT_THRESHOLD_LBS,
                _("classed only as an irritant or sensitizer"),
            )
        if state == GAS and (reason := _inert_gas_reason(material, material.state_rows(state))):
            return INERT_GAS_THRESHOLD_FT3, reason
    return {LIQUID: LIQUID_THRESHOLD_GAL, SOLID: SOLID_THRESHOLD_LBS, GAS: GAS_THRESHOLD_FT3}[state], ""


# --- Explanations -----------------------------------------------------------------------------------------


@dataclass(eq=False)
class Reportability:
    """Whether one material must be reported under HSC 25507, and why. Read-only by convention (not frozen:
    an import makes tens of thousands, and frozen dataclasses are slow to make)."""

    key: tuple[str, str]  # ("cas", "7782-50-5"), ("name", "motor oil"), ("waste", …), ("library", pk)
    name: str
    rows: tuple[int, ...]  # 1-based row numbers
    reportable: bool | None  # None: the data cannot tell
    explain: str | Callable[[], str] = field(repr=False, compare=False)  # see ``explanation``
    pounds: Decimal | None  # the largest amounts in pounds, summed, when every row converts
    threshold: str  # the threshold(s) applied, for people ("100 lb", "55 gal")
    federal_reportable: bool | None  # federal Tier II (EPCRA 312)
    federal_threshold_lbs: Decimal | None  # None for a waste (not on Tier II)
    ehs: bool = False
    unknown_reason: str = ""  # why reportable is None: MISSING, EHS_UNITS, DENSITY, …
    fix: str = ""  # what the user can do when reportable is None
    notes: tuple[str, ...] = ()  # what the user must judge (oil in electrical equipment)

    @cached_property
    def explanation(self) -> str:
        """The one-line explanation ("Chlorine is an EHS with TPQ 100 lb; 150 lb on site ≥ 100 lb →
        reportable"). Written when first read: a large import needs only those of the materials it has
        something to say about."""
        return self.explain() if callable(self.explain) else self.explain


Text = str | Callable[[], str]


def _text(text: Text) -> str:
    return text() if callable(text) else text


class _Check:
    """One threshold compared: its status now, its words when an explanation is read."""

    __slots__ = ("_lead", "_texts", "fix", "status", "why")

    def __init__(
        self,
        status: bool | None,
        lead: Text,
        comparison: str = "",
        short: str = "",
        why: str = "",
        fix: str = "",
        *,
        texts: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        self.status = status
        self._lead = lead  # "Chlorine is an EHS with TPQ 100 lb; " or "Acetone: "
        # ("150 lb on site ≥ 100 lb", "150 lb ≥ 100 lb"); when status is None, the whole explanation first
        self._texts: tuple[str, str] | Callable[[], tuple[str, str]] = texts or (comparison, short)
        self.why = why
        self.fix = fix

    @property
    def lead(self) -> str:
        return _text(self._lead)

    def _resolved(self) -> tuple[str, str]:
        if callable(self._texts):
            self._texts = self._texts()
        return self._texts

    @property
    def comparison(self) -> str:
        return self._resolved()[0]

    @property
    def short(self) -> str:
        return self._resolved()[1]


def ehs_threshold(facts: Facts | None) -> Decimal:
    """500 lb or the TPQ (the lower one when the TPQ has a 10,000 lb alternative), whichever is lower."""
    if facts is not None and facts.listed_ehs and facts.tpq_lbs is not None:
        return min(EHS_CAP_LBS, facts.tpq_lbs)
    return EHS_CAP_LBS


def ehs_phrase(facts: Facts | None) -> str:
    """ "an EHS with TPQ 100 lb", with what decides the threshold."""
    if facts is None:
        return _("marked as an EHS and its TPQ is not in the library, so the 500 lb limit applies")
    if not facts.listed_ehs:
        return _(
            "marked as an EHS though the library's EHS list does not include it, so the 500 lb limit applies"
        )
    if facts.tpq_lbs is None:
        return _("an EHS whose TPQ is not in the library, so the 500 lb limit applies")
    values = {"tpq": fmt(facts.tpq_lbs), "alternative": ""}
    if facts.tpq_alt_lbs is not None and facts.tpq_alt_lbs != facts.tpq_lbs:
        values["alternative"] = _(
            " (%(alt)s lb only for a solid that is not a powder, molten or in solution: the lower TPQ is "
            "applied)"
        ) % {"alt": fmt(facts.tpq_alt_lbs)}
    if facts.tpq_lbs > EHS_CAP_LBS:
        return _("an EHS with TPQ %(tpq)s lb%(alternative)s, so the 500 lb limit applies") % values
    return _("an EHS with TPQ %(tpq)s lb%(alternative)s") % values


BOUND_NOTES = {
    DENSE: gettext_noop("a liquid without a library density taken at 30 lb/gal, the densest likely"),
    LIGHT: gettext_noop("a liquid without a library density taken at 4 lb/gal, the lightest likely"),
    HEAVY_GAS: gettext_noop("a gas without a library molecular weight taken at 400, the heaviest likely"),
    LIGHT_GAS: gettext_noop("a gas without a library molecular weight taken as hydrogen, the lightest"),
}


def _conversion_note(total: Total, bases: set[str]) -> str:
    notes = []
    for kind, value in sorted(total.vias):
        if kind == "density":
            notes.append(_("converted at %(density)s lb/gal, the library density") % {"density": fmt(value)})
        else:
            notes.append(
                _("converted with the molecular weight %(weight)s at 70 °F and 1 atm")
                % {"weight": fmt(value)}
            )
    notes += [_(BOUND_NOTES[basis]) for basis in sorted(bases) if basis]
    return f" ({'; '.join(notes)})" if notes else ""


def compare_total(total: Total, threshold: Decimal, unit: str, *, inclusive: bool = True) -> tuple[str, str]:
    """("150 lb on site ≥ 100 lb", "150 lb ≥ 100 lb") for ``total`` against ``threshold`` (whose status is
    known)."""
    status = bool(total.status(threshold, inclusive=inclusive))
    sign = {(True, True): "≥", (True, False): ">", (False, True): "<", (False, False): "≤"}[
        (status, inclusive)
    ]
    bases: set[str] = set()
    if not total.unknown:
        amount, template = total.known, _("%(amount)s %(unit)s")
    elif status:
        amount, template, bases = (
            total.known + total.minimum,
            _("at least %(amount)s %(unit)s"),
            total.min_bases,
        )
    else:
        amount, template = total.known + (total.maximum or 0), _("at most %(amount)s %(unit)s")
        bases = total.max_bases
    values = {"amount": fmt(amount, threshold), "unit": unit}
    text = template % values
    if total.in_mixtures:
        text += _(" (%(part)s %(unit)s of it in mixtures)") % {"part": fmt(total.in_mixtures), "unit": unit}
    where = _("on site") if total.count < 2 else _("on site in %(n)d locations") % {"n": total.count}
    comparison = f"{text} {where}{_conversion_note(total, bases)} {sign} {fmt(threshold)} {unit}"
    return comparison, f"{values['amount']} {unit} {sign} {fmt(threshold)} {unit}"


def _unknown(
    name: str,
    total: Total,
    threshold: Decimal,
    state: str,
    *,
    ehs: bool,
    mixture: bool = False,
    in_pounds: bool = False,
) -> _Check:
    """The check of an amount that cannot be compared with its threshold, saying what is missing."""
    why = next((reason for reason in total.unknown if reason != MISSING), MISSING)
    values = {"name": name, "threshold": fmt(threshold), "unit": _("lb") if ehs else unit_word(state)}
    if why == MISSING:
        text = _("%(name)s: the largest amount, its units or the physical state is missing → cannot tell")
        return _Check(None, "", text % values, why=why)
    if why == SOLID_VOLUME:
        return _Check(
            None,
            "",
            _(
                "%(name)s: a solid measured by volume cannot be compared with %(threshold)s %(unit)s → cannot tell"
            )
            % values,
            why=why,
            fix=_("Report solids in pounds."),
        )
    needed = threshold - total.known
    if ehs:
        fact = _("molecular weight") if why == MOLECULAR_WEIGHT else _("density")
        return _Check(
            None,
            "",
            _(
                "%(name)s: the amount cannot be converted to pounds without its %(fact)s, which the library "
                "does not give for it → cannot tell whether it reaches %(threshold)s lb"
            )
            % {**values, "fact": fact},
            why=why,
            fix=_("Report extremely hazardous substances in pounds."),
        )
    lacking = _("the library has none for a mixture") if mixture else _("the library has none for it")
    if why == MOLECULAR_WEIGHT:
        fix = _("Report gases in cubic feet (at 70 °F and 1 atmosphere), or check the threshold yourself.")
        if total.unknown_pounds and needed > 0:
            weight = total.unknown_pounds * factors().ft3_per_lbmol / needed
            text = _(
                "%(name)s: %(pounds)s lb of gas reaches %(threshold)s ft³ if its molecular weight is %(weight)s "
                "or less, and %(lacking)s → cannot tell"
            ) % {**values, "pounds": fmt(total.unknown_pounds), "weight": fmt(weight), "lacking": lacking}
        else:
            text = _(
                "%(name)s: the amount cannot be compared with %(threshold)s ft³ without the molecular weight, "
                "and %(lacking)s → cannot tell"
            ) % {**values, "lacking": lacking}
        return _Check(None, "", text, why=why, fix=fix)
    if total.unknown_pounds and needed > 0:
        density = total.unknown_pounds / needed
        text = _(
            "%(name)s: %(pounds)s lb of liquid reaches %(threshold)s gal if its density is %(density)s lb/gal "
            "or less (a specific gravity of %(gravity)s), and the density is not known: %(lacking)s → cannot tell"
        ) % {
            **values,
            "pounds": fmt(total.unknown_pounds),
            "density": fmt(density),
            "gravity": fmt(density / WATER_LB_PER_GAL),
            "lacking": lacking,
        }
        fix = (
            _("Look up the specific gravity on the Safety Data Sheet (section 9) to decide.")
            if in_pounds
            else _(
                "Look up the specific gravity on the Safety Data Sheet (section 9) to decide, or report liquids "
                "in gallons."
            )
        )
    else:
        text = _(
            "%(name)s: the amount cannot be compared with %(threshold)s %(unit)s without the density, and "
            "%(lacking)s → cannot tell"
        ) % {**values, "lacking": lacking}
        fix = _("Report liquids in gallons, or check the threshold yourself.")
    return _Check(None, "", text, why=why, fix=fix)


def _ehs_check(lead: Text, name: str, total: Total, facts: Facts | None) -> _Check:
    threshold = ehs_threshold(facts)
    status = total.status(threshold)
    if status is None:
        return _unknown(name, total, threshold, "", ehs=True)
    return _Check(status, lead, texts=lambda: compare_total(total, threshold, _("lb")))


def _lube_check(material: Material, all_oil: Total) -> _Check:
    total = material.natives.get(LIQUID) or Total()
    lead = _("%(name)s, a lubricating oil (by its name): ") % {"name": material.name}
    status = total.status(LUBE_OIL_EACH_GAL, inclusive=False)
    if status is None:
        return _unknown(material.name, total, LUBE_OIL_EACH_GAL, LIQUID, ehs=False, mixture=material.mixture)
    comparison, short = compare_total(total, LUBE_OIL_EACH_GAL, _("gal"), inclusive=False)
    if status:
        return _Check(True, lead, comparison, short)
    in_all = all_oil.status(LUBE_OIL_TOTAL_GAL, inclusive=False)
    if in_all is None:
        return _unknown(_("Lubricating oil in all"), all_oil, LUBE_OIL_TOTAL_GAL, LIQUID, ehs=False)
    values = {
        "all": fmt(all_oil.known + (all_oil.minimum if in_all else 0), LUBE_OIL_TOTAL_GAL),
        "limit": fmt(LUBE_OIL_TOTAL_GAL),
    }
    if in_all:
        text = _(" of this type, but %(all)s gal of lubricating oil in all > %(limit)s gal") % values
    else:
        text = _(" of this type, and %(all)s gal of lubricating oil in all ≤ %(limit)s gal") % values
    return _Check(in_all, lead, comparison + text, short)


@lru_cache(maxsize=65536)
def _oil_equipment_name(names: str) -> bool:
    return bool(OIL_EQUIPMENT.search(names))


def _notes(material: Material) -> tuple[str, ...]:
    if material.key[0] != "waste" and any(_oil_equipment_name(names) for names in material.name_texts()):
        return (
            _(
                "“%(name)s” looks like oil in electrical equipment. Such oil need not be reported while the "
                "equipment holds less than %(limit)s gallons of oil in all; the inventory does not record the "
                "equipment, so judge it yourself."
            )
            % {"name": material.name, "limit": fmt(OIL_EQUIPMENT_GAL)},
        )
    return ()


def _state_checks(material: Material, ehs: bool) -> tuple[list[_Check], list[str]]:
    if not material.natives:
        return [_unknown(material.name, Total(unknown=[MISSING]), Decimal(0), "", ehs=False)], []
    checks, thresholds = [], []
    for state, total in material.natives.items():
        threshold, special = _state_threshold(material, state, ehs)
        unit = unit_word(state)
        thresholds.append(f"{fmt(threshold)} {unit}")
        for number in material.missing_state:
            total.add(_MISSING, number)
        status = total.status(threshold)
        if status is None:
            checks.append(
                _unknown(
                    material.name, total, threshold, state, ehs=False, mixture=material.mixture, in_pounds=ehs
                )
            )
            continue
        checks.append(
            _Check(
                status,
                partial(_state_lead, material.name, special, threshold, unit),
                texts=partial(compare_total, total, threshold, unit),
            )
        )
    return checks, thresholds


def _state_lead(name: str, special: str, threshold: Decimal, unit: str) -> str:
    if special:
        return _("%(name)s, %(special)s (threshold %(threshold)s %(unit)s): ") % {
            "name": name,
            "special": special,
            "threshold": fmt(threshold),
            "unit": unit,
        }
    return _("%(name)s: ") % {"name": name}


def _ehs_lead(name: str, facts: Facts | None) -> str:
    return _("%(name)s is %(ehs)s; ") % {"name": name, "ehs": ehs_phrase(facts)}


def _component_lead(name: str, component: str, facts: Facts | None) -> str:
    return _("%(name)s contains %(component)s, %(ehs)s; ") % {
        "name": name,
        "component": component,
        "ehs": ehs_phrase(facts),
    }


def _evaluate(material: Material, facility: FacilityTotals) -> Reportability:
    rows = material.rows
    name = material.name
    numbers = tuple(row.number for row in rows)
    pounds = material.pounds.known if not material.pounds.unknown else None
    notes = _notes(material)
    if material.key[0] == "waste":
        return Reportability(
            material.key,
            name,
            numbers,
            True,
            _("%(name)s is a hazardous waste: reported whatever the amount → reportable") % {"name": name},
            pounds,
            _("any amount"),
            False,
            None,
            notes=notes,
        )
    active = [row for row in rows if row.exempt_percent is None]
    if not active:
        limit = CARCINOGEN_PERCENT if any(is_carcinogen(row.item) for row in rows) else MIXTURE_PERCENT
        explanation = _(
            "%(name)s: a mixture whose hazardous components add up to %(percent)s %% (< %(limit)s %%%(what)s) "
            "→ not a hazardous material, below the threshold"
        ) % {
            "name": name,
            "percent": fmt(max(row.exempt_percent or Decimal(0) for row in rows)),
            "limit": fmt(limit),
            "what": _(" for a carcinogen") if limit == CARCINOGEN_PERCENT else "",
        }
        threshold = _("%(limit)s %% hazardous content") % {"limit": fmt(limit)}
        return Reportability(
            material.key, name, numbers, False, explanation, pounds, threshold, False, FEDERAL_THRESHOLD_LBS
        )
    checks: list[_Check] = []
    thresholds: list[str] = []
    own = facility.ehs.get(material.key)
    ehs = own is not None
    if own is not None:  # the material is an EHS
        facts = facility.ehs_facts.get(material.key)
        checks.append(_ehs_check(partial(_ehs_lead, name, facts), name, own, facts))
        thresholds.append(f"{fmt(ehs_threshold(facts))} lb")
    for key in sorted(facility.mixture_ehs.get(material.key, ())):  # its EHS components, facility-wide
        ehs = True
        facts = facility.ehs_facts.get(key)
        component = facility.ehs_names.get(key) or key[1]
        check = _ehs_check(
            partial(_component_lead, name, component, facts), component, facility.ehs[key], facts
        )
        thresholds.append(f"{fmt(ehs_threshold(facts))} lb")
        if check.status is not False:
            checks.append(check)
    if material.lube_oil:
        checks.append(_lube_check(material, facility.lube_oil))
        thresholds.append(f"{fmt(LUBE_OIL_EACH_GAL)} gal")
    else:
        state_checks, state_thresholds = _state_checks(material, ehs)
        checks += state_checks
        thresholds += state_thresholds
    exempt = tuple(row.number for row in rows if row.exempt_percent is not None)
    why = fix = ""
    reportable: bool | None
    if any(check.status for check in checks):
        reportable = True
        decisive = next(check for check in checks if check.status)
    elif any(check.status is None for check in checks):
        reportable = None
        decisive = next(check for check in checks if check.status is None)
        why, fix = decisive.why, decisive.fix
        if why in (DENSITY, MOLECULAR_WEIGHT) and ehs and any(row.item.units != POUNDS for row in rows):
            # An EHS not in pounds: the units rule (or the EHS list warning) already asks for pounds.
            why = EHS_UNITS
    else:
        reportable = False
        decisive = checks[0]
    federal, federal_threshold = _federal(material, facility, rows)
    return Reportability(
        material.key,
        name,
        numbers,
        reportable,
        partial(_explain, reportable, decisive, checks, exempt),
        pounds,
        ", ".join(dict.fromkeys(thresholds)),
        federal,
        federal_threshold,
        ehs=ehs,
        unknown_reason=why,
        fix=fix,
        notes=notes,
    )


def _explain(reportable: bool | None, decisive: _Check, checks: list[_Check], exempt: tuple[int, ...]) -> str:
    if reportable:
        explanation = f"{decisive.lead}{decisive.comparison} → " + _("reportable")
    elif reportable is None:
        explanation = decisive.comparison
    else:
        shorts = [decisive.short]
        for check in checks[1:]:  # an EHS solid's threshold in pounds may repeat the first clause
            if check.short not in shorts:
                shorts.append(check.short)
        clauses = _(", and ").join([decisive.comparison, *shorts[1:]])
        explanation = f"{decisive.lead}{clauses} → " + _("below the threshold")
    if exempt:
        explanation += _(" (rows %(rows)s left out: mixtures under the 1 %% rule)") % {
            "rows": ", ".join(str(number) for number in exempt)
        }
    return explanation


def federal_threshold(material_facts: Facts | None, ehs: bool) -> Decimal:
    """The federal Tier II threshold: 10,000 lb, or for an EHS 500 lb or its TPQ, whichever is lower."""
    return min(FEDERAL_EHS_CAP_LBS, ehs_threshold(material_facts)) if ehs else FEDERAL_THRESHOLD_LBS


def _federal(
    material: Material, facility: FacilityTotals, rows: list[RowAmounts]
) -> tuple[bool | None, Decimal]:
    """Whether the material reaches its federal Tier II threshold, and that threshold in pounds."""
    statuses: list[bool | None] = []
    own = facility.ehs.get(material.key)
    threshold = federal_threshold(facility.ehs_facts.get(material.key), own is not None)
    if own is not None:
        statuses.append(own.status(threshold))
    for key in facility.mixture_ehs.get(material.key, ()):
        statuses.append(facility.ehs[key].status(federal_threshold(facility.ehs_facts.get(key), True)))
    statuses.append(material.pounds.status(FEDERAL_THRESHOLD_LBS))
    if any(statuses):
        return True, threshold
    return (None if None in statuses else False), threshold


def thresholds_evaluate(
    items: Iterable[Any], *, library: Library | None = None, rows: Sequence[int] | None = None
) -> list[Reportability]:
    """Per material of the inventory, in the order each first appears: reportable under HSC 25507 or not
    (None when the data cannot tell), with a one-line explanation and the federal Tier II flags. Rows are
    numbered 1, 2, 3… or by ``rows`` (e.g. the spreadsheet rows the items came from)."""
    items = list(items)
    if library is None:
        library = Library.for_items(items)
    with evaluating():
        materials, facility = prepare(items, library, rows)
        return [_evaluate(material, facility) for material in materials]


# --- Guidance ---------------------------------------------------------------------------------------------


def reportability_guidance(results: Iterable[Reportability]) -> list[Guidance]:
    """Messages on every row of a material: below the threshold (advisory: it may be left out); cannot tell
    (warning, saying what to change; not when a required field or the EHS units rule already asks for the
    missing data); and what the user must judge (advisory)."""
    messages: list[Guidance] = []
    for result in results:
        text, level = "", ADVISORY
        if result.reportable is False:
            text = _(
                "%(explanation)s. Below the reporting threshold: you may leave it out of the inventory "
                "(unless your CUPA sets a lower threshold)."
            ) % {"explanation": result.explanation}
        elif result.reportable is None and result.unknown_reason not in (MISSING, EHS_UNITS):
            text, level = f"{result.explanation}. {result.fix}", WARNING
        for row in result.rows:
            if text:
                messages.append(Guidance(level, "MaximumDailyAmount", text, row=row))
            messages.extend(Guidance(ADVISORY, "CommonName", note, row=row) for note in result.notes)
    return messages


def federal_tier2_subject(items: Iterable[Any], *, library: Library | None = None) -> bool:
    """True when a chemical reaches the federal Tier II threshold (10,000 lb; for an EHS the lower of
    500 lb and its TPQ), summed over its storage locations and counting EHSs inside mixtures."""
    return any(result.federal_reportable for result in thresholds_evaluate(items, library=library))
