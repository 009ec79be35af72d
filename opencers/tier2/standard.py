"""The National Tier II data standard v1.0.0: namespace, code lists and how they map onto CERS fields.

Everything here follows ``spec/TIER2.md`` (sections 2, 5 and 6). Strings marked *confirmed* appear in
NOAA's sample file; the others follow the federal form's wording and are written exactly as below.
Readers compare case-insensitively and accept the usual variants (``match_*`` functions).
"""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import Decimal

NAMESPACE = "https://cameo.noaa.gov/epcra_tier2/data_standard/v1"
VERSION = "1.0.0"
XML_NAME = "epcra_tier2_data.xml"  # the data file inside a .t2s package
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'

TRUE, FALSE = "true", "false"
POUNDS = "pounds"
WEIGHT, VOLUME = "weight", "volume"

# --- Hazard categories (TIER2.md §5.1): the 23 entries in order, and the CERS flags behind each -------

HNOC = "Hazard Not Otherwise Classified"
PHYSICAL_HNOC, HEALTH_HNOC = (
    "FHCPhysicalHazardNotOtherwiseClassified",
    "FHCHealthHazardNotOtherwiseClassified",
)
# Importing "Hazard Not Otherwise Classified" cannot tell a physical from a health hazard: this flag is set
# and the import report asks the person to confirm it.
HNOC_IMPORT_FLAG = HEALTH_HNOC

HAZARD_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Explosive", ("FHCPhysicalExplosive",)),
    ("Flammable (gases, aerosols, liquids, or solids)", ("FHCPhysicalFlammable",)),
    ("Oxidizer (liquid, solid or gas)", ("FHCPhysicalOxidizer",)),
    ("Self-reactive", ("FHCPhysicalSelfReactive",)),
    ("Pyrophoric (liquid or solid)", ("FHCPhysicalPyrophoric",)),
    ("Pyrophoric Gas", ("FHCPhysicalPyrophoricGas",)),
    ("Self-heating", ("FHCPhysicalSelfHeating",)),
    ("Organic peroxide", ("FHCPhysicalOrganicPeroxide",)),
    ("Corrosive to metal", ("FHCPhysicalCorrosiveToMetal",)),
    ("Gas under pressure (compressed gas)", ("FHCPhysicalGasUnderPressure",)),
    ("In contact with water emits flammable gas", ("FHCPhysicalContactWaterEmitsFlammableGas",)),
    ("Combustible Dust", ("FHCPhysicalCombustibleDust",)),
    ("Acute toxicity (any route of exposure)", ("FHCHealthAcuteToxicity",)),
    ("Skin corrosion or irritation", ("FHCHealthSkinCorrosionIrritation",)),
    ("Serious eye damage or eye irritation", ("FHCHealthSeriousEyeDamageEyeIrritation",)),
    ("Respiratory or skin sensitization", ("FHCHealthRespiratorySkinSensitization",)),
    ("Germ cell mutagenicity", ("FHCHealthGermCellMutagenicity",)),
    ("Carcinogenicity", ("FHCHealthCarcinogenicity",)),
    ("Reproductive toxicity", ("FHCHealthReproductiveToxicity",)),
    # No space before "(" in the standard's spelling (confirmed by the sample).
    (
        "Specific target organ toxicity(single or repeated exposure)",
        ("FHCHealthSpecificTargetOrganToxicity",),
    ),
    ("Aspiration hazard", ("FHCHealthAspirationHazard",)),
    ("Simple Asphyxiant", ("FHCHealthSimpleAsphyxiant",)),
    (HNOC, (PHYSICAL_HNOC, HEALTH_HNOC)),
)
# The categories used before reporting year 2017, accepted on import into CERS's five older flags.
LEGACY_CATEGORIES: dict[str, str] = {
    "Fire": "FHCFire",
    "Sudden release of pressure": "FHCPressureRelease",
    "Reactive": "FHCReactive",
    "Immediate (acute)": "FHCAcuteHealth",
    "Delayed (chronic)": "FHCChronicHealth",
}


def _hazard_key(text: str) -> str:
    text = " ".join((text or "").split()).casefold()
    return text.replace(" (", "(")


_HAZARDS_BY_KEY = {_hazard_key(name): flags for name, flags in HAZARD_CATEGORIES}
_LEGACY_BY_KEY = {_hazard_key(name): flag for name, flag in LEGACY_CATEGORIES.items()}


def match_hazard(text: str) -> tuple[str, ...] | None:
    """The CERS flags a category string stands for (trimmed, case-folded, a space before "(" allowed)."""
    key = _hazard_key(text)
    if key in _HAZARDS_BY_KEY:
        return _HAZARDS_BY_KEY[key]
    if key in _LEGACY_BY_KEY:
        return (_LEGACY_BY_KEY[key],)
    return None


# --- Storage types (§5.2), pressures and temperatures (§5.3) -------------------------------------------

STORAGE_TYPES: tuple[tuple[str, str], ...] = (
    ("SCAboveGroundTank", "Above ground tank"),
    ("SCUnderGroundTank", "Below ground tank"),
    ("SCTankInsideBuilding", "Tank inside building"),
    ("SCSteelDrum", "Steel drum"),
    ("SCPlasticNonMetallicDrum", "Plastic or non-metallic drum"),
    ("SCCan", "Can"),
    ("SCCarboy", "Carboy"),
    ("SCSilo", "Silo"),
    ("SCFiberDrum", "Fiber drum"),
    ("SCBag", "Bag"),
    ("SCBox", "Box"),
    ("SCCylinder", "Cylinder"),
    ("SCGlassBottle", "Glass bottles or jugs"),
    ("SCPlasticBottle", "Plastic bottles or jugs"),
    ("SCToteBin", "Tote bin"),
    ("SCTankTruckTankWagon", "Tank wagon"),
    ("SCTankCarRailCar", "Rail car"),
    ("SCOther", "Other"),
)
OTHER_CONTAINER = "SCOther"
STORAGE_ALIASES: dict[str, str] = {
    "Aboveground tank": "SCAboveGroundTank",
    "Above-ground tank": "SCAboveGroundTank",
    "Underground tank": "SCUnderGroundTank",
    "Below-ground tank": "SCUnderGroundTank",
    "Plastic/non-metallic drum": "SCPlasticNonMetallicDrum",
    "Plastic or non-metal drum": "SCPlasticNonMetallicDrum",
    "Plastic drum": "SCPlasticNonMetallicDrum",
    "Glass bottle": "SCGlassBottle",
    "Glass bottles": "SCGlassBottle",
    "Glass jugs": "SCGlassBottle",
    "Plastic bottle": "SCPlasticBottle",
    "Plastic bottles": "SCPlasticBottle",
    "Plastic jugs": "SCPlasticBottle",
    "Tank truck": "SCTankTruckTankWagon",
    "Tank truck or tank wagon": "SCTankTruckTankWagon",
    "Tank car": "SCTankCarRailCar",
    "Tank car or rail car": "SCTankCarRailCar",
    "Railcar": "SCTankCarRailCar",
}

PRESSURES: tuple[tuple[str, str], ...] = (
    ("a", "Ambient pressure"),
    ("b", "Greater than ambient pressure"),
    ("c", "Less than ambient pressure"),
)
PRESSURE_ALIASES = {"Ambient": "a", "Above ambient pressure": "b", "Below ambient pressure": "c"}
TEMPERATURES: tuple[tuple[str, str], ...] = (
    ("a", "Ambient temperature"),
    ("b", "Greater than ambient temperature"),
    ("c", "Less than ambient temperature but not cryogenic"),
    ("d", "Cryogenic conditions"),
)
TEMPERATURE_ALIASES = {
    "Ambient": "a",
    "Above ambient temperature": "b",
    "Less than ambient temperature": "c",
    "Below ambient temperature": "c",
    "Cryogenic": "d",
}


def _word_key(text: str) -> str:
    """Lower case, punctuation as spaces, plural "s" dropped: "Tote Bins" and "tote bin" agree."""
    words = re.sub(r"[^a-z0-9]+", " ", (text or "").casefold()).split()
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def _table(pairs: tuple[tuple[str, str], ...], aliases: dict[str, str], code_first: bool) -> dict[str, str]:
    table = {_word_key(text): code for code, text in pairs} if code_first else {}
    table.update({_word_key(text): code for text, code in aliases.items()})
    return table


_STORAGE_BY_KEY = _table(STORAGE_TYPES, STORAGE_ALIASES, True)
_PRESSURE_BY_KEY = _table(PRESSURES, PRESSURE_ALIASES, True)
_TEMPERATURE_BY_KEY = _table(TEMPERATURES, TEMPERATURE_ALIASES, True)


def match_storage_type(text: str) -> str | None:
    """The CERS container field (``SCSteelDrum``...) of a storage type, or None."""
    return _STORAGE_BY_KEY.get(_word_key(text))


def match_pressure(text: str) -> str | None:
    return _PRESSURE_BY_KEY.get(_word_key(text))


def match_temperature(text: str) -> str | None:
    return _TEMPERATURE_BY_KEY.get(_word_key(text))


STORAGE_TYPE_OF = dict(STORAGE_TYPES)
PRESSURE_OF = dict(PRESSURES)
TEMPERATURE_OF = dict(TEMPERATURES)

# --- Contacts, phones, facility ids (§5.5) ------------------------------------------------------------

OWNER_OPERATOR = "Owner / Operator"
EMERGENCY_CONTACT = "Emergency Contact"
TIER2_CONTACT = "Tier II Information Contact"
EMERGENCY_COORDINATOR = "Fac. Emergency Coordinator"
PHONE_WORK, PHONE_24_HOUR = "Work", "24-hour"
NAICS, DUNS = "NAICS", "D-U-N-S"
DUNS_TYPES = ("d-u-n-s", "dun & bradstreet", "duns")

# --- Range codes (§6, 40 CFR 370.43(a)) ----------------------------------------------------------------

# (code, lowest amount in pounds of the range)
RANGES: tuple[tuple[str, int], ...] = (
    ("01", 0),
    ("02", 100),
    ("03", 500),
    ("04", 1_000),
    ("05", 5_000),
    ("06", 10_000),
    ("07", 25_000),
    ("08", 50_000),
    ("09", 75_000),
    ("10", 100_000),
    ("11", 500_000),
    ("12", 1_000_000),
    ("13", 10_000_000),
)


def range_code(pounds: Decimal | int) -> str:
    """The federal range code of an exact amount: the last range whose lowest amount it reaches.

    A fraction stays in the lower range (99.6 lb is 01: it is less than the next range's 100 lb)."""
    amount = Decimal(pounds)
    if amount < 0:
        raise ValueError("A range code needs an amount of at least zero.")
    code = RANGES[0][0]
    for candidate, lowest in RANGES:
        if amount >= lowest:
            code = candidate
    return code


def range_codes_of_whole_pounds(pounds: int) -> set[str]:
    """The codes an amount written as whole pounds may carry: those of every amount that rounds to it."""
    return {range_code(max(Decimal(pounds) - Decimal("0.5"), Decimal(0))), range_code(pounds)}


# --- Record ids (§3.1) ---------------------------------------------------------------------------------


def record_id(kind: str, year: int | str, *key: object) -> str:
    """A record id of the standard's shape (``CVTR2019`` + 12 upper-case letters and digits), derived from
    a stable key so that the same record keeps its id from one export to the next."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in (kind, *key)).encode()).digest()
    return f"{kind}TR{int(year):04d}{base64.b32encode(digest).decode()[:12]}"


RECORD_ID = re.compile(r"^[A-Z]{2}TR\d{4}[A-Z0-9]{12}$")
