"""The facts of the chemical library, read from their sources (no database here).

* The ``chemicals`` package: about 76,000 substances from PubChem (CAS, name, formula, molecular weight,
  synonyms) and its property tables: melting and boiling points, flash points, liquid densities and
  critical constants. Measured values are preferred; group-contribution estimates (Joback and the like)
  are not used, so a property stays empty rather than guessed.
* The EPA list of Extremely Hazardous Substances with threshold planning quantities (40 CFR Part 355
  Appendix A) in ``data/ehs_tpq.csv``.

``library_records()`` joins them into one record per substance, keyed by CAS number.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

EHS_CSV = Path(__file__).resolve().parent / "data" / "ehs_tpq.csv"

SOURCE_CHEMICALS = "chemicals"
SOURCE_EHS = "ehs"

ROOM_K = 293.15  # 20 °C: the temperature at which the physical state is reported
DENSITY_K = 298.15  # 25 °C: the temperature of the liquid density
KG_M3_TO_LB_GAL = 0.0083454045  # 1 kg/m³ in pounds per US gallon
MAX_SYNONYMS = 10  # per substance: the package lists the common names first, registry codes last
MAX_SYNONYM = 100
MAX_NAME = 500

CAS_SHAPE = re.compile(r"^\d{2,9}-\d{2}-\d$")
# Registry and vendor codes that the PubChem synonym lists carry (EINECS 231-959-5, UNII-4R7X1O2820, …):
# nobody searches a chemical library by them.
REGISTRY_CODE = re.compile(
    r"^(ai3|akos|bdbm|brn|ccris|chebi|chembl|cid|dsstox|dtxcid|dtxsid|ec|einecs|elincs|epa pesticide|"
    r"fema|hsdb|inchi|ks|mfcd|mls|ncgc|nci|nsc|rtecs|schembl|smr|tox21|un|unii|wln|zinc)(?:\b|(?=\d))[\s:_-]*[\w-]*\d",
    re.IGNORECASE,
)
LETTER_RUN = re.compile(r"[^\W\d_]{4,}")
DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class LibraryRecord:
    cas: str
    name: str
    source: str
    formula: str = ""
    synonyms: list[str] = field(default_factory=list)
    molecular_weight: float | None = None
    pubchem_cid: int | None = None
    melting_k: float | None = None
    boiling_k: float | None = None
    flash_k: float | None = None
    density_kg_m3: float | None = None
    physical_state: str = ""  # a Solid, b Liquid, c Gas (at 20 °C); blank when unknown
    ehs: bool = False
    tpq_lbs: Decimal | None = None
    tpq_alt_lbs: Decimal | None = None
    rq_lbs: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EhsRow:
    cas: str
    name: str
    tpq_lbs: Decimal
    tpq_alt_lbs: Decimal | None
    rq_lbs: Decimal | None


def kelvin_to_fahrenheit(kelvin: float | None) -> float | None:
    if kelvin is None:
        return None
    return round((kelvin - 273.15) * 9 / 5 + 32, 1)


def physical_state_at_room_temperature(melting_k: float | None, boiling_k: float | None) -> str:
    """a Solid, b Liquid or c Gas at 20 °C, or blank when the melting and boiling points do not tell."""
    if melting_k is not None and melting_k > ROOM_K:
        return "a"
    if boiling_k is not None and boiling_k <= ROOM_K:
        return "c"
    if melting_k is not None and boiling_k is not None:
        return "b"
    return ""


def useful_synonyms(names: Iterable[str], *, primary: str, cas: str) -> list[str]:
    """Distinct names a person would search by, in the package's order: no registry or vendor codes, no
    systematic names longer than ``MAX_SYNONYM`` characters (the CAS number finds those substances), and
    no spelling that differs from one kept only by case, spaces or the ";" of PubChem's salt notation."""
    seen = {_name_key(primary), cas}
    kept: list[str] = []
    for name in names:
        if len(name) > MAX_SYNONYM:
            continue
        key = _name_key(name)
        if key in seen:
            continue
        seen.add(key)
        if not LETTER_RUN.search(name) and not _short_name(name):
            continue
        if (name[0].isdigit() and CAS_SHAPE.match(name)) or (
            DIGIT.search(name) and REGISTRY_CODE.match(name)
        ):
            continue
        kept.append(" ".join(name.split()) if "  " in name or "\t" in name else name.strip())
        if len(kept) == MAX_SYNONYMS:
            break
    return kept


def _short_name(name: str) -> bool:
    """An abbreviation or formula people type ("HF", "H2SO4", "2,4-D"), not a vendor code ("stk366316")."""
    return len(name) <= 12 and LETTER.search(name) is not None and len(DIGIT.findall(name)) <= 2


def _name_key(name: str) -> str:
    key = name.lower()
    if ";" in key or "  " in key or "\t" in key:
        key = " ".join(key.replace(";", " ").split())
    return key


def read_ehs_list(path: Path = EHS_CSV) -> list[EhsRow]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [
            EhsRow(
                cas=row["cas"].strip(),
                name=row["name"].strip(),
                tpq_lbs=Decimal(row["tpq_lbs"]),
                tpq_alt_lbs=Decimal(row["tpq_alt_lbs"]) if row["tpq_alt_lbs"] else None,
                rq_lbs=Decimal(row["rq_lbs"]) if row["rq_lbs"] else None,
            )
            for row in csv.DictReader(stream)
        ]


# --- property tables of the chemicals package ---------------------------------------------------------

_ESTIMATES = {"JOBACK", "WILSON_JASPERSON", "FEDORS", "ACENTRIC_DEFINITION"}


def _cas_int(value: Any) -> int | None:
    if isinstance(value, str):
        digits = value.replace("-", "")
        return int(digits) if digits.isdigit() else None
    return int(value)


def _column(frame: Any, column: str) -> dict[int, float]:
    series = frame[column]
    if hasattr(series, "sparse"):
        series = series.sparse.to_dense()
    series = series.dropna()
    values: dict[int, float] = {}
    for key, value in zip(series.index, series.to_numpy(dtype=float), strict=True):
        cas = _cas_int(key)
        if cas is not None and math.isfinite(value):
            values[cas] = float(value)
    return values


def _first_available(sources: dict[str, Any], column: str) -> dict[int, float]:
    """One value per CAS: the first source (in the package's order of preference) that has it."""
    merged: dict[int, float] = {}
    for name, frame in reversed(list(sources.items())):
        if name.upper().replace(" ", "_") in _ESTIMATES or column not in frame.columns:
            continue
        merged.update(_column(frame, column))
    return merged


def _rows(frame: Any, columns: list[str]) -> dict[int, tuple[float, ...]]:
    rows: dict[int, tuple[float, ...]] = {}
    for key, *values in frame[columns].itertuples(name=None):
        cas = _cas_int(key)
        if cas is not None and all(isinstance(v, float) and math.isfinite(v) for v in values):
            rows[cas] = tuple(values)
    return rows


class PropertyTables:
    """The package's property tables as plain dictionaries keyed by CAS number as an integer."""

    def __init__(self) -> None:
        from chemicals import critical, miscdata, phase_change, safety, volume

        safety._load_safety_data()
        self.tm = _first_available(phase_change.Tm_sources, "Tm")
        self.tb = _first_available(phase_change.Tb_sources, "Tb")
        self.tflash = _first_available(safety.Tflash_sources, "T_flash")
        self.tc = _first_available(critical.Tc_sources, "Tc")
        self.vc = _first_available(critical.Vc_sources, "Vc")
        self.omega = _first_available(critical.omega_sources, "omega")
        self.perry = _rows(volume.rho_data_Perry_8E_105_l, ["C1", "C2", "C3", "C4", "Tmin", "Tmax"])
        self.vdi = _rows(volume.rho_data_VDI_PPDS_2, ["MW", "Tc", "rhoc", "A", "B", "C", "D"])
        self.costald = _rows(volume.rho_data_COSTALD, ["Vchar", "omega_SRK"])
        self.crc_liquid_vm = _column(volume.rho_data_CRC_inorg_l_const, "Vm")
        self.crc_organic_rho = _column(miscdata.CRC_organic_data, "rho")
        self.common_vml = _column(miscdata.common_chemistry_data, "Vml")

    def liquid_density(self, cas: int, mw: float | None) -> float | None:
        """Liquid density at 25 °C in kg/m³, from the best table that has the substance."""
        from chemicals import volume
        from chemicals.dippr import EQ105

        density: float | None = None
        if (row := self.perry.get(cas)) and row[4] <= DENSITY_K <= row[5] and mw:
            density = EQ105(DENSITY_K, *row[:4]) * mw / 1000
        elif (vdi := self.vdi.get(cas)) and vdi[1] > DENSITY_K:
            molar_mass, tc, rhoc, a, b, c, d = vdi
            density = molar_mass / 1000 / volume.volume_VDI_PPDS(DENSITY_K, tc, rhoc, a, b, c, d, molar_mass)
        elif cas in self.crc_organic_rho:
            density = self.crc_organic_rho[cas]
        elif cas in self.common_vml and mw:
            density = mw / 1000 / self.common_vml[cas]
        elif cas in self.crc_liquid_vm and mw:
            density = mw / 1000 / self.crc_liquid_vm[cas]
        elif mw and (critical_t := self.tc.get(cas)) and critical_t * 0.95 > DENSITY_K:
            if (parameters := self.costald.get(cas)) is not None:
                density = mw / 1000 / volume.COSTALD(DENSITY_K, critical_t, parameters[0], parameters[1])
            elif cas in self.vc and cas in self.omega:
                density = mw / 1000 / volume.COSTALD(DENSITY_K, critical_t, self.vc[cas], self.omega[cas])
        if density is None or not 300 <= density <= 14_000:
            return None
        return density


def package_records(cas_numbers: set[str] | None = None) -> dict[str, LibraryRecord]:
    """The substances of the ``chemicals`` package (all, or those of ``cas_numbers``) with their
    properties, keyed by CAS number."""
    from chemicals.elements import periodic_table
    from chemicals.identifiers import get_pubchem_db

    database = get_pubchem_db()
    database.finish_loading()
    tables = PropertyTables()
    element_phase = {_cas_int(e.CAS): e.phase for e in periodic_table}
    states = {"s": "a", "l": "b", "g": "c"}

    records: dict[str, LibraryRecord] = {}
    entries = database if cas_numbers is None else filter(None, map(database.search_CAS, cas_numbers))
    for entry in sorted(entries, key=lambda e: e.CAS):
        cas_number = entry.CAS
        cas = entry.CASs
        name = " ".join((entry.common_name or entry.iupac_name or cas).split())[:MAX_NAME]
        synonyms = entry.synonyms
        if entry.iupac_name and entry.iupac_name != name:
            synonyms = [entry.iupac_name, *synonyms]
        melting_k = tables.tm.get(cas_number)
        boiling_k = tables.tb.get(cas_number)
        state = physical_state_at_room_temperature(melting_k, boiling_k)
        if cas_number in element_phase:
            state = states.get(element_phase[cas_number], state)
        mw = float(entry.MW) if entry.MW and math.isfinite(entry.MW) else None
        records[cas] = LibraryRecord(
            cas=cas,
            name=name,
            source=SOURCE_CHEMICALS,
            formula=(entry.formula or "")[:100],
            synonyms=useful_synonyms(synonyms, primary=name, cas=cas),
            molecular_weight=mw,
            pubchem_cid=int(entry.pubchemid) if entry.pubchemid and entry.pubchemid > 0 else None,
            melting_k=melting_k,
            boiling_k=boiling_k,
            flash_k=tables.tflash.get(cas_number),
            density_kg_m3=tables.liquid_density(cas_number, mw) if state == "b" else None,
            physical_state=state,
        )
    return records


def apply_ehs_list(records: dict[str, LibraryRecord], ehs_rows: list[EhsRow]) -> None:
    """Mark the Extremely Hazardous Substances and add those the package lacks.

    The list's name becomes the primary name (it is the regulatory name, e.g. "Hydrogen Peroxide
    (Conc >52%)", and properly capitalized); a different package name stays searchable as the first
    synonym.
    """
    for row in ehs_rows:
        key = row.cas or f"name:{row.name.casefold()}"
        record = records.get(key)
        if record is None:
            record = records[key] = LibraryRecord(cas=row.cas, name=row.name, source=SOURCE_EHS)
        else:
            if _name_key(record.name) != _name_key(row.name):
                record.synonyms = [
                    record.name,
                    *[s for s in record.synonyms if _name_key(s) != _name_key(row.name)],
                ]
            record.name = row.name
        record.ehs = True
        record.tpq_lbs = row.tpq_lbs
        record.tpq_alt_lbs = row.tpq_alt_lbs
        record.rq_lbs = row.rq_lbs


def library_records(*, ehs_only: bool = False) -> list[LibraryRecord]:
    """The library to load: the whole package joined with the EHS list, or the EHS list alone (with the
    package's facts about those substances). The small EHS library is built once per process."""
    if ehs_only:
        return list(_ehs_library())
    return _build_records(ehs_only=False)


def _build_records(*, ehs_only: bool) -> list[LibraryRecord]:
    ehs_rows = read_ehs_list()
    records = package_records({row.cas for row in ehs_rows if row.cas} if ehs_only else None)
    apply_ehs_list(records, ehs_rows)
    return list(records.values())


@functools.cache
def _ehs_library() -> tuple[LibraryRecord, ...]:
    return tuple(_build_records(ehs_only=True))
