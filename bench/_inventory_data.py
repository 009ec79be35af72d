"""Realistic inventory rows for the spreadsheet benchmarks (deterministic: the same rows every run).

Each row fills about 30 of the template's 104 columns, as real inventories do: names, CAS number, EHS,
type, state, units, amounts with decimals, days on site, location, fire code classes, federal hazard
categories, containers, pressure and temperature; mixtures list components, wastes their code.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

# (common name, chemical name, CAS, physical state, fire code classes, federal hazard categories), with
# the fire code classes that follow from the library's flash and boiling points.
MATERIALS = [
    (
        "Acetone",
        "Acetone",
        "67-64-1",
        "b",
        ("10",),
        ("FHCPhysicalFlammable", "FHCHealthSeriousEyeDamageEyeIrritation"),
    ),
    (
        "Caustic soda",
        "Sodium hydroxide",
        "1310-73-2",
        "a",
        ("5",),
        ("FHCHealthSkinCorrosionIrritation", "FHCPhysicalCorrosiveToMetal"),
    ),
    (
        "Toluene",
        "Toluene",
        "108-88-3",
        "b",
        ("10",),
        ("FHCPhysicalFlammable", "FHCHealthReproductiveToxicity"),
    ),
    ("Isopropyl alcohol", "2-Propanol", "67-63-0", "b", ("10",), ("FHCPhysicalFlammable",)),
    (
        "Methanol",
        "Methanol",
        "67-56-1",
        "b",
        ("10", "31"),
        ("FHCPhysicalFlammable", "FHCHealthAcuteToxicity"),
    ),
    ("Xylene", "Xylene", "1330-20-7", "b", ("11",), ("FHCPhysicalFlammable",)),
    ("Propane", "Propane", "74-98-6", "c", ("15",), ("FHCPhysicalFlammable", "FHCPhysicalGasUnderPressure")),
    (
        "Ethylene glycol",
        "Ethylene glycol",
        "107-21-1",
        "b",
        ("3",),
        ("FHCHealthSpecificTargetOrganToxicity",),
    ),
    ("Bleach 12.5%", "Sodium hypochlorite", "7681-52-9", "b", ("5",), ("FHCHealthSkinCorrosionIrritation",)),
    (
        "Acetylene",
        "Acetylene",
        "74-86-2",
        "c",
        ("8", "32"),
        ("FHCPhysicalFlammable", "FHCPhysicalGasUnderPressure"),
    ),
    ("Oxygen", "Oxygen", "7782-44-7", "c", ("21",), ("FHCPhysicalOxidizer", "FHCPhysicalGasUnderPressure")),
    (
        "Nitrogen",
        "Nitrogen",
        "7727-37-9",
        "c",
        ("27",),
        ("FHCPhysicalGasUnderPressure", "FHCHealthSimpleAsphyxiant"),
    ),
    ("Argon", "Argon", "7440-37-1", "c", ("27",), ("FHCPhysicalGasUnderPressure",)),
    (
        "Phosphoric acid 85%",
        "Phosphoric acid",
        "7664-38-2",
        "b",
        ("5",),
        ("FHCHealthSkinCorrosionIrritation",),
    ),
    ("Ethanol", "Ethanol", "64-17-5", "b", ("10",), ("FHCPhysicalFlammable",)),
]
# Extremely hazardous substances: reported in pounds.
EHS_MATERIALS = [
    (
        "Sulfuric acid 93%",
        "Sulfuric acid",
        "7664-93-9",
        "b",
        ("5",),
        ("FHCHealthSkinCorrosionIrritation", "FHCPhysicalCorrosiveToMetal"),
    ),
    (
        "Chlorine",
        "Chlorine",
        "7782-50-5",
        "c",
        ("21", "13"),
        ("FHCPhysicalOxidizer", "FHCHealthAcuteToxicity"),
    ),
    (
        "Anhydrous ammonia",
        "Ammonia",
        "7664-41-7",
        "c",
        ("31", "5"),
        ("FHCHealthAcuteToxicity", "FHCPhysicalGasUnderPressure"),
    ),
    ("Nitric acid 70%", "Nitric acid", "7697-37-2", "b", ("5", "18"), ("FHCPhysicalOxidizer",)),
    (
        "Hydrofluoric acid 49%",
        "Hydrogen fluoride",
        "7664-39-3",
        "b",
        ("5", "13"),
        ("FHCHealthAcuteToxicity",),
    ),
]
CONTAINERS = [
    "SCSteelDrum",
    "SCPlasticNonMetallicDrum",
    "SCCan",
    "SCCylinder",
    "SCToteBin",
    "SCAboveGroundTank",
    "SCGlassBottle",
    "SCPlasticBottle",
]
WASTES = [("Used oil", "221"), ("Spent solvent", "214"), ("Acid waste", "791")]


def amount(rng: random.Random, low: int, high: int) -> str:
    """An amount with up to two decimals, as text (as people type it)."""
    return f"{rng.uniform(low, high):.2f}".rstrip("0").rstrip(".")


def rows(count: int, cers_id: int, *, seed: int = 25507) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for index in range(count):
        building, room = divmod(index, 40)
        location = f"Building {building // 10 + 1}, room {building % 10 + 1}{room:02d}"
        kind = rng.random()
        if kind < 0.1:
            common, chemical, cas, state, classes, hazards = rng.choice(EHS_MATERIALS)
            ehs, units = "Y", "c"
        else:
            common, chemical, cas, state, classes, hazards = rng.choice(MATERIALS)
            ehs, units = "N", {"a": "c", "b": "a", "c": "b"}[state]
        maximum = float(amount(rng, 5, 5000))
        row: dict[str, Any] = {
            "CERSID": cers_id,
            "CommonName": common,
            "ChemicalName": chemical,
            "CASNumber": cas,
            "EHS": ehs,
            "TradeSecret": "N",
            "CLConfidential": "N",
            "HMType": "a",
            "PhysicalState": state,
            "Units": units,
            "MaximumDailyAmount": maximum,
            "AverageDailyAmount": round(maximum * rng.uniform(0.2, 0.9), 2),
            "LargestContainer": rng.choice([1, 5, 30, 55, 275, 330]),
            "DaysOnSite": rng.choice([365, 365, 365, 250, 180]),
            "ChemicalLocation": location,
            "MapNumber": str(building % 10 + 1),
            "GridNumber": f"{'ABCDEFGH'[room % 8]}{room % 6 + 1}",
            "StoragePressure": "b" if state == "c" else "a",
            "StorageTemperature": "a",
            "RadioActive": "N",
        }
        for ordinal, code in zip(
            ("PFCodeHazardClass", "SFCodeHazardClass", "TFCodeHazardClass"), classes, strict=False
        ):
            row[ordinal] = code
        for hazard in hazards:
            row[hazard] = "Y"
        for container in rng.sample(CONTAINERS, 2):
            row[container] = "Y"
        if kind > 0.9 and ehs == "N":
            row["HMType"] = "b"
            row["CommonName"] = f"{common} solution {index % 7 + 1}"
            row["CASNumber"] = ""
            row.update(
                HC1Name=chemical, HC1CAS=cas, HC1PercentByWeight=round(rng.uniform(5, 60), 1), HC1EHS=ehs
            )
            row.update(HC2Name="Water", HC2CAS="7732-18-5", HC2PercentByWeight=30, HC2EHS="N")
        elif kind > 0.85 and ehs == "N":
            waste, code = rng.choice(WASTES)
            row.update(
                HMType="c",
                CommonName=waste,
                StateWasteCode=code,
                AnnualWasteAmount=amount(rng, 100, 20000),
                CASNumber="",
                ChemicalName="",
            )
        yield {key: value for key, value in row.items() if value != ""}
