"""The threshold engine (HSC 25507): every threshold at its boundary, the exemptions decided from the
data, aggregation over locations, unit conversion with library densities, and the guidance it gives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.tests.helpers import library_chemical
from opencers.elements.inventory.thresholds import (
    DENSITY,
    EHS_UNITS,
    MISSING,
    Library,
    amount_in_pounds,
    factors,
    federal_tier2_subject,
    reportability_guidance,
    thresholds_evaluate,
)
from opencers.elements.inventory.validation import inventory_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING

pytestmark = pytest.mark.django_db

LIQUID, SOLID, GAS = "b", "a", "c"
GALLONS, CUBIC_FEET, POUNDS, TONS = "a", "b", "c", "d"


def item(name: str = "Acetone", amount: Any = "10", **values: Any) -> InventoryItem:
    row = {
        "common_name": name,
        "ehs": "N",
        "hm_type": "a",
        "physical_state": LIQUID,
        "units": GALLONS,
        "maximum_daily_amount": Decimal(str(amount)) if amount is not None else None,
        "chemical_location": "Store room",
    }
    row.update(values)
    return InventoryItem(**row)


def only(*items: InventoryItem) -> Any:
    """The one material of ``items``."""
    results = thresholds_evaluate(items)
    assert len(results) == 1
    return results[0]


def answer(*items: InventoryItem) -> tuple[bool | None, str]:
    result = only(*items)
    return result.reportable, result.explanation


# --- The three thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("54.9", (False, "Acetone: 54.9 gal on site < 55 gal → below the threshold")),
        ("55", (True, "Acetone: 55 gal on site ≥ 55 gal → reportable")),
    ],
)
def test_liquid_threshold_is_55_gallons(amount, expected):
    assert answer(item(amount=amount)) == expected


def test_an_amount_just_under_the_threshold_is_not_shown_rounded_up_to_it():
    assert answer(item(amount="54.999")) == (
        False,
        "Acetone: 54.999 gal on site < 55 gal → below the threshold",
    )


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("499", (False, "Soda ash: 499 lb on site < 500 lb → below the threshold")),
        ("500", (True, "Soda ash: 500 lb on site ≥ 500 lb → reportable")),
    ],
)
def test_solid_threshold_is_500_pounds(amount, expected):
    assert answer(item("Soda ash", amount, physical_state=SOLID, units=POUNDS)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("199", (False, "Acetylene: 199 ft³ on site < 200 ft³ → below the threshold")),
        ("200", (True, "Acetylene: 200 ft³ on site ≥ 200 ft³ → reportable")),
    ],
)
def test_gas_threshold_is_200_cubic_feet(amount, expected):
    assert answer(item("Acetylene", amount, physical_state=GAS, units=CUBIC_FEET)) == expected


def test_tons_are_2000_pounds():
    assert answer(item("Lime", "0.25", physical_state=SOLID, units=TONS)) == (
        True,
        "Lime: 500 lb on site ≥ 500 lb → reportable",
    )


def test_cubic_feet_of_a_liquid_are_gallons_too():
    # 7.4 ft³ is 55.36 gallons.
    assert answer(item(amount="7.4", units=CUBIC_FEET)) == (
        True,
        "Acetone: 55.36 gal on site ≥ 55 gal → reportable",
    )


def test_pint_factors():
    f = factors()
    assert (f.lbs_per_ton, f.gal_per_ft3, f.ft3_per_gal) == (
        Decimal(2000),
        Decimal("7.48051948052"),
        Decimal("0.133680555556"),
    )
    assert f.ft3_per_lbmol == Decimal("386.786489492")  # an ideal gas at 70 °F and 1 atm


# --- Aggregation over locations ------------------------------------------------------------------------


def test_the_threshold_applies_to_the_sum_of_the_locations():
    first = item(amount="30", cas_number="67-64-1", chemical_location="Lab 1")
    second = item("Acetone 99%", amount="30", cas_number="67-64-1", chemical_location="Lab 2")
    result = only(first, second)
    assert (result.rows, result.reportable, result.explanation) == (
        (1, 2),
        True,
        "Acetone: 60 gal on site in 2 locations ≥ 55 gal → reportable",
    )


def test_rows_without_a_cas_number_are_the_same_material_by_name():
    results = thresholds_evaluate(
        [item("Degreaser", "30"), item(" degreaser ", "30", chemical_location="Shop"), item("Paint", "30")]
    )
    assert [(r.name, r.rows, r.reportable) for r in results] == [
        ("Degreaser", (1, 2), True),
        ("Paint", (3,), False),
    ]


def test_a_waste_is_not_added_to_the_product():
    results = thresholds_evaluate(
        [item(amount="30", cas_number="67-64-1"), item(amount="30", cas_number="67-64-1", hm_type="c")]
    )
    assert [(r.key, r.reportable) for r in results] == [
        (("cas", "67-64-1"), False),
        (("waste", "67-64-1"), True),
    ]


def test_rows_are_numbered_as_given():
    result = only(item(amount="30"), item(amount="30", chemical_location="Lab 2"))
    assert result.rows == (1, 2)
    assert thresholds_evaluate([item(amount="30"), item(amount="30")], rows=[7, 9])[0].rows == (7, 9)


# --- Extremely Hazardous Substances ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tpq", "below", "at", "threshold"),
    [
        ("1", "0.99", "1", "1"),
        ("100", "99", "100", "100"),
        ("500", "499", "500", "500"),
        ("10000", "499", "500", "500"),
    ],
)
def test_ehs_threshold_is_the_lower_of_500_pounds_and_the_tpq(tpq, below, at, threshold):
    library_chemical("Substance X", "50-00-0", ehs=True, tpq_lbs=Decimal(tpq))
    row = {"cas_number": "50-00-0", "ehs": "Y", "physical_state": SOLID, "units": POUNDS}
    under = only(item("Substance X", below, **row))
    reached = only(item("Substance X", at, **row))
    assert (under.reportable, reached.reportable) == (False, True)
    # A solid EHS is also held to the 500 lb of solids.
    assert under.threshold == (f"{threshold} lb, 500 lb" if threshold != "500" else "500 lb")
    if tpq == "10000":
        lead = "Substance X is an EHS with TPQ 10,000 lb, so the 500 lb limit applies; "
    else:
        lead = f"Substance X is an EHS with TPQ {tpq} lb; "
    assert reached.explanation == f"{lead}{at} lb on site ≥ {threshold} lb → reportable"


def test_chlorine_explanation():
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(100), physical_state=GAS)
    chlorine = item("Chlorine", "150", cas_number="7782-50-5", ehs="Y", physical_state=GAS, units=POUNDS)
    assert answer(chlorine) == (
        True,
        "Chlorine is an EHS with TPQ 100 lb; 150 lb on site ≥ 100 lb → reportable",
    )


def test_the_alternative_tpq_of_solids_is_not_assumed():
    library_chemical("Phenol", "108-95-2", ehs=True, tpq_lbs=Decimal(500), tpq_alt_lbs=Decimal(10000))
    phenol = item("Phenol", "499", cas_number="108-95-2", ehs="Y", physical_state=SOLID, units=POUNDS)
    assert answer(phenol) == (
        False,
        "Phenol is an EHS with TPQ 500 lb (10,000 lb only for a solid that is not a powder, molten or in "
        "solution: the lower TPQ is applied); 499 lb on site < 500 lb → below the threshold",
    )


def test_a_listed_ehs_marked_no_is_still_held_to_its_tpq():
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(100))
    result = only(item("Chlorine", "150", cas_number="7782-50-5", physical_state=GAS, units=POUNDS))
    assert (result.reportable, result.ehs, result.threshold) == (True, True, "100 lb, 200 ft³")


def test_an_ehs_the_library_does_not_know_is_held_to_500_pounds():
    assert answer(item("Secret toxin", "499", ehs="Y", physical_state=SOLID, units=POUNDS)) == (
        False,
        "Secret toxin is marked as an EHS and its TPQ is not in the library, so the 500 lb limit applies; "
        "499 lb on site < 500 lb → below the threshold",
    )


def test_an_ehs_in_a_mixture_counts_with_the_pure_substance():
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(100))
    pure = item("Chlorine", "60", cas_number="7782-50-5", ehs="Y", physical_state=GAS, units=POUNDS)
    mixture = item(
        "Pool shock",
        "400",
        hm_type="b",
        ehs="Y",
        physical_state=SOLID,
        units=POUNDS,
        hc1_name="Chlorine",
        hc1_cas="7782-50-5",
        hc1_ehs="Y",
        hc1_percent_by_weight=Decimal("10"),
        chemical_location="Pool room",
    )
    chlorine, shock = thresholds_evaluate([pure, mixture])
    assert (chlorine.reportable, chlorine.explanation) == (
        True,
        "Chlorine is an EHS with TPQ 100 lb; 100 lb (40 lb of it in mixtures) on site in 2 locations ≥ 100 lb "
        "→ reportable",
    )
    assert (shock.reportable, shock.explanation) == (
        True,
        "Pool shock contains Chlorine, an EHS with TPQ 100 lb; 100 lb (40 lb of it in mixtures) on site in 2 "
        "locations ≥ 100 lb → reportable",
    )


def test_ehs_in_gallons_is_converted_with_the_library_density():
    library_chemical(
        "Sulfuric acid", "7664-93-9", ehs=True, tpq_lbs=Decimal(1000), density_lb_per_gal=Decimal("15")
    )
    row = {"cas_number": "7664-93-9", "ehs": "Y"}
    assert answer(item("Sulfuric acid", "33.3", **row)) == (
        False,
        "Sulfuric acid is an EHS with TPQ 1,000 lb, so the 500 lb limit applies; 499.5 lb on site (converted "
        "at 15 lb/gal, the library density) < 500 lb, and 33.3 gal < 55 gal → below the threshold",
    )
    assert answer(item("Sulfuric acid", "33.4", **row)) == (
        True,
        "Sulfuric acid is an EHS with TPQ 1,000 lb, so the 500 lb limit applies; 501 lb on site (converted at "
        "15 lb/gal, the library density) ≥ 500 lb → reportable",
    )


def test_ehs_not_in_pounds_is_told_the_converted_amount():
    library_chemical(
        "Sulfuric acid", "7664-93-9", ehs=True, tpq_lbs=Decimal(1000), density_lb_per_gal=Decimal("15")
    )
    row = item("Sulfuric acid", "40", cas_number="7664-93-9", ehs="Y", average_daily_amount=Decimal("20"))
    assert [(g.level, g.field, g.message) for g in inventory_guidance([row])] == [
        (
            REQUIRED,
            "Units",
            "Extremely hazardous substances must be reported in pounds. Convert the amounts to pounds and set "
            "Units to pounds. With the library density of Sulfuric acid (15 lb/gal), 40 gal is about 600 lb "
            "(the average, 20 gal, is about 300 lb).",
        )
    ]


def test_ehs_in_gallons_without_a_density_leaves_it_to_the_units_rule():
    row = item("Secret toxin", "20", ehs="Y")
    result = only(row)
    assert (result.reportable, result.unknown_reason) == (None, EHS_UNITS)
    assert [(g.level, g.field) for g in inventory_guidance([row])] == [(REQUIRED, "Units")]


def test_a_small_ehs_in_gallons_is_below_even_at_the_densest():
    # 3 gal of any liquid is at most 90 lb (30 lb/gal), under a 100 lb TPQ.
    library_chemical("Toxic liquid", "75-86-5", ehs=True, tpq_lbs=Decimal(100))
    assert answer(item("Toxic liquid", "3", cas_number="75-86-5", ehs="Y")) == (
        False,
        "Toxic liquid is an EHS with TPQ 100 lb; at most 90 lb on site (a liquid without a library density "
        "taken at 30 lb/gal, the densest likely) < 100 lb, and 3 gal < 55 gal → below the threshold",
    )


# --- Conversion between gallons and pounds ------------------------------------------------------------


def test_a_liquid_in_pounds_is_converted_to_gallons_with_the_library_density():
    library_chemical("Toluene", "108-88-3", density_lb_per_gal=Decimal("8"))
    row = {"cas_number": "108-88-3", "units": POUNDS}
    assert answer(item("Toluene", "439.2", **row)) == (
        False,
        "Toluene: 54.9 gal on site (converted at 8 lb/gal, the library density) < 55 gal → below the threshold",
    )
    assert answer(item("Toluene", "440", **row)) == (
        True,
        "Toluene: 55 gal on site (converted at 8 lb/gal, the library density) ≥ 55 gal → reportable",
    )


def test_a_gas_in_pounds_is_converted_with_the_molecular_weight():
    # 200 ft³ of propane (44.1 g/mol) at 70 °F and 1 atm is 22.8 lb.
    library_chemical("Propane", "74-98-6", molecular_weight=Decimal("44.1"))
    row = {"cas_number": "74-98-6", "physical_state": GAS, "units": POUNDS}
    assert only(item("Propane", "22.7", **row)).reportable is False
    assert answer(item("Propane", "22.9", **row)) == (
        True,
        "Propane: 200.85 ft³ on site (converted with the molecular weight 44.1 at 70 °F and 1 atm) ≥ 200 ft³ "
        "→ reportable",
    )


def test_unknown_density_cannot_tell_and_says_what_decides():
    row = item("Mystery solvent", "300", units=POUNDS)
    result = only(row)
    assert (result.reportable, result.unknown_reason) == (None, DENSITY)
    assert [(g.level, g.field, g.message) for g in inventory_guidance([row])] == [
        (
            WARNING,
            "MaximumDailyAmount",
            "Mystery solvent: 300 lb of liquid reaches 55 gal if its density is 5.45 lb/gal or less (a specific "
            "gravity of 0.65), and the density is not known: the library has none for it → cannot tell. Look up "
            "the specific gravity on the Safety Data Sheet (section 9) to decide, or report liquids in gallons.",
        )
    ]


def test_library_densities_are_not_applied_to_mixtures():
    library_chemical("Toluene", "108-88-3", density_lb_per_gal=Decimal("7.2"))
    row = item("Paint thinner", "300", cas_number="108-88-3", hm_type="b", units=POUNDS, hc1_name="Toluene")
    assert only(row).explanation == (
        "Paint thinner: 300 lb of liquid reaches 55 gal if its density is 5.45 lb/gal or less (a specific "
        "gravity of 0.65), and the density is not known: the library has none for a mixture → cannot tell"
    )


def test_unknown_density_is_decided_when_any_density_would_do():
    heavy = only(item("Mystery solvent", "1650", units=POUNDS))  # 55 gal even at 30 lb/gal
    light = only(item("Mystery solvent", "219", units=POUNDS))  # under 55 gal even at 4 lb/gal
    assert (heavy.reportable, heavy.explanation) == (
        True,
        "Mystery solvent: at least 55 gal on site (a liquid without a library density taken at 30 lb/gal, the "
        "densest likely) ≥ 55 gal → reportable",
    )
    assert (light.reportable, light.explanation) == (
        False,
        "Mystery solvent: at most 54.75 gal on site (a liquid without a library density taken at 4 lb/gal, the "
        "lightest likely) < 55 gal → below the threshold",
    )


def test_a_solid_by_volume_cannot_be_compared():
    result = only(item("Sand blast grit", "100", physical_state=SOLID, units=CUBIC_FEET))
    assert (result.reportable, result.explanation, result.fix) == (
        None,
        "Sand blast grit: a solid measured by volume cannot be compared with 500 lb → cannot tell",
        "Report solids in pounds.",
    )


def test_amount_in_pounds():
    library_chemical("Toluene", "108-88-3", density_lb_per_gal=Decimal("7.2"))
    library = Library.for_items([item(cas_number="108-88-3")])
    assert amount_in_pounds(item(amount="10", cas_number="108-88-3"), library) == Decimal("72.0")
    assert amount_in_pounds(item(amount="10", cas_number="108-88-3")) is None  # no library: no density
    assert amount_in_pounds(item(amount="2", units=TONS)) == Decimal(4000)
    assert amount_in_pounds(item(amount=None)) is None


def test_missing_data_is_left_to_the_required_field_rules():
    result = only(item(amount=None))
    assert (result.reportable, result.unknown_reason) == (None, MISSING)
    assert reportability_guidance([result]) == []


# --- Hazardous waste and the exemptions ----------------------------------------------------------------


def test_hazardous_waste_is_reportable_whatever_the_amount():
    result = only(item("Used oil", "1", hm_type="c", units=POUNDS, state_waste_code="221"))
    assert (result.reportable, result.explanation, result.federal_reportable) == (
        True,
        "Used oil is a hazardous waste: reported whatever the amount → reportable",
        False,
    )


@pytest.mark.parametrize(
    ("first", "second", "exempt"),
    [("0.5", "0.4", True), ("0.5", "0.5", False), ("0.9", None, True), ("1", None, False)],
)
def test_mixture_under_one_percent_hazardous_content(first, second, exempt):
    values = {"hc1_name": "Sodium hydroxide", "hc1_percent_by_weight": Decimal(first)}
    if second:
        values |= {"hc2_name": "Sodium silicate", "hc2_percent_by_weight": Decimal(second)}
    result = only(item("Floor cleaner", "100", hm_type="b", **values))
    assert result.reportable is not exempt
    if exempt:
        total = "0.9"
        assert result.explanation == (
            f"Floor cleaner: a mixture whose hazardous components add up to {total} % (< 1 %) → not a hazardous "
            "material, below the threshold"
        )


@pytest.mark.parametrize("mark", [{"pf_code_hazard_class": "1"}, {"fhc_health_carcinogenicity": "Y"}])
def test_carcinogen_mixture_under_one_tenth_percent(mark):
    values = {"hm_type": "b", "hc1_name": "Formaldehyde", **mark}
    under = only(item("Resin", "100", hc1_percent_by_weight=Decimal("0.09"), **values))
    at = only(item("Resin", "100", hc1_percent_by_weight=Decimal("0.1"), **values))
    assert (under.reportable, at.reportable) == (False, True)
    assert under.explanation == (
        "Resin: a mixture whose hazardous components add up to 0.09 % (< 0.1 % for a carcinogen) → not a "
        "hazardous material, below the threshold"
    )


@pytest.mark.parametrize(
    "values",
    [
        {"hc1_name": "Sodium hydroxide", "hc1_percent_by_weight": Decimal("0.5"), "hc2_name": "Surfactant"},
        {
            "hc1_name": "Sodium hydroxide",
            "hc1_percent_by_weight": Decimal("0.5"),
            "additional_mixture_components": "Dye 2%",
        },
        {"hc1_name": "Sodium hydroxide", "hc1_percent_by_weight": Decimal("0.5"), "hc1_ehs": "Y"},
        {},
    ],
)
def test_the_mixture_rule_needs_the_whole_composition(values):
    assert only(item("Floor cleaner", "100", hm_type="b", **values)).reportable is True


def test_a_mixture_row_under_the_rule_is_left_out_of_the_total():
    exempt = item("Floor cleaner", "50", hm_type="b", hc1_name="NaOH", hc1_percent_by_weight=Decimal("0.5"))
    other = item("Floor cleaner", "30", hm_type="b", hc1_name="NaOH", hc1_percent_by_weight=Decimal("5"))
    assert answer(exempt, other) == (
        False,
        "Floor cleaner: 30 gal on site < 55 gal → below the threshold (rows 1 left out: mixtures under the 1 % "
        "rule)",
    )


@pytest.mark.parametrize(
    ("amount", "reportable"),
    [("549", False), ("550", True)],
)
def test_irritants_and_sensitizers_at_550_gallons(amount, reportable):
    values = {
        "pf_code_hazard_class": "14",
        "sf_code_hazard_class": "30",
        "fhc_health_skin_corrosion_irritation": "Y",
    }
    result = only(item("Hand soap concentrate", amount, **values))
    assert result.reportable is reportable
    sign = "≥" if reportable else "<"
    verdict = "reportable" if reportable else "below the threshold"
    assert result.explanation == (
        f"Hand soap concentrate, classed only as an irritant or sensitizer (threshold 550 gal): {amount} gal on "
        f"site {sign} 550 gal → {verdict}"
    )


def test_irritant_solids_at_5000_pounds():
    values = {"pf_code_hazard_class": "14", "physical_state": SOLID, "units": POUNDS}
    assert only(item("Gypsum dust", "4999", **values)).reportable is False
    assert only(item("Gypsum dust", "5000", **values)).reportable is True


@pytest.mark.parametrize(
    "values",
    [
        {"pf_code_hazard_class": "14", "sf_code_hazard_class": "5"},  # also corrosive
        {"pf_code_hazard_class": "14", "fhc_physical_flammable": "Y"},
        {"pf_code_hazard_class": "14", "ehs": "Y", "amount": "100"},  # an EHS: 55 gal still applies
    ],
)
def test_the_irritant_threshold_is_for_irritants_only(values):
    amount = values.pop("amount", "549")
    assert only(item("Cleaner", amount, **values)).reportable is True


@pytest.mark.parametrize(
    ("name", "cas", "flags", "amount", "reportable"),
    [
        ("Carbon dioxide", "124-38-9", {}, "999", False),
        ("Carbon dioxide", "124-38-9", {}, "1000", True),
        ("Nitrogen", "7727-37-9", {}, "999", False),
        ("Oxygen, medical USP", "7782-44-7", {}, "999", False),
        ("Oxygen", "7782-44-7", {}, "999", True),  # not named medical: 200 ft³
        ("Refrigerant R-134a", "", {}, "999", False),
        ("Shielding gas", "", {"fhc_health_simple_asphyxiant": "Y"}, "999", False),
        ("Fuel gas", "", {"fhc_health_simple_asphyxiant": "Y", "fhc_physical_flammable": "Y"}, "999", True),
    ],
)
def test_simple_asphyxiants_and_medical_gases_at_1000_cubic_feet(name, cas, flags, amount, reportable):
    row = item(name, amount, cas_number=cas, physical_state=GAS, units=CUBIC_FEET, **flags)
    assert only(row).reportable is reportable


def test_carbon_dioxide_explanation():
    row = item("Carbon dioxide", "999", cas_number="124-38-9", physical_state=GAS, units=CUBIC_FEET)
    assert only(row).explanation == (
        "Carbon dioxide, a simple asphyxiant or inert gas (threshold 1,000 ft³): 999 ft³ on site < 1,000 ft³ → "
        "below the threshold"
    )


def test_lubricating_oil_up_to_55_gallons_of_each_type():
    assert answer(item("Motor oil", "40")) == (
        False,
        "Motor oil, a lubricating oil (by its name): 40 gal on site ≤ 55 gal of this type, and 40 gal of "
        "lubricating oil in all ≤ 275 gal → below the threshold",
    )
    assert only(item("Motor oil", "55")).reportable is False
    assert answer(item("Motor oil", "56")) == (
        True,
        "Motor oil, a lubricating oil (by its name): 56 gal on site > 55 gal → reportable",
    )


def test_lubricating_oil_over_275_gallons_in_all_is_reportable():
    oils = ["Motor oil 10W-30", "Gear oil", "Hydraulic oil", "Transmission fluid", "Compressor oil"]
    five = [item(name, "55", chemical_location=f"Bay {n}") for n, name in enumerate(oils)]
    assert {r.reportable for r in thresholds_evaluate(five)} == {False}  # 275 gal in all
    six = [*five, item("Turbine oil", "1", chemical_location="Bay 6")]
    results = thresholds_evaluate(six)
    assert {r.reportable for r in results} == {True}
    assert results[0].explanation == (
        "Motor oil 10W-30, a lubricating oil (by its name): 55 gal on site ≤ 55 gal of this type, but 276 gal of "
        "lubricating oil in all > 275 gal → reportable"
    )


def test_oil_in_electrical_equipment_is_left_to_the_user():
    row = item("Transformer oil", "100")
    result = only(row)
    assert result.reportable is True
    assert [(g.level, g.field, g.message) for g in reportability_guidance([result])] == [
        (
            ADVISORY,
            "CommonName",
            "“Transformer oil” looks like oil in electrical equipment. Such oil need not be reported while the "
            "equipment holds less than 1,320 gallons of oil in all; the inventory does not record the equipment, "
            "so judge it yourself.",
        )
    ]


# --- Federal flags ------------------------------------------------------------------------------------


def test_federal_threshold_is_10000_pounds_over_all_locations():
    def rows(amount: str) -> list[InventoryItem]:
        return [
            item("Sodium hydroxide", amount, cas_number="1310-73-2", physical_state=SOLID, units=POUNDS),
            item(
                "Sodium hydroxide",
                "5000",
                cas_number="1310-73-2",
                physical_state=SOLID,
                units=POUNDS,
                chemical_location="Yard",
            ),
        ]

    assert [only(*rows("4999")).federal_reportable, only(*rows("5000")).federal_reportable] == [False, True]
    assert federal_tier2_subject(rows("4999")) is False
    assert federal_tier2_subject(rows("5000")) is True


def test_federal_threshold_of_an_ehs():
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(100))
    row = {"cas_number": "7782-50-5", "ehs": "Y", "physical_state": GAS, "units": POUNDS}
    below, at = only(item("Chlorine", "99", **row)), only(item("Chlorine", "100", **row))
    assert (below.federal_reportable, at.federal_reportable, at.federal_threshold_lbs) == (
        False,
        True,
        Decimal(100),
    )


# --- Guidance -----------------------------------------------------------------------------------------


def test_below_the_threshold_is_an_advisory_on_each_row():
    rows = [item(amount="20"), item(amount="20", chemical_location="Lab 2")]
    assert [(g.level, g.field, g.row, g.message) for g in inventory_guidance(rows)] == [
        (
            ADVISORY,
            "MaximumDailyAmount",
            row,
            "Acetone: 40 gal on site in 2 locations < 55 gal → below the threshold. Below the reporting "
            "threshold: you may leave it out of the inventory (unless your CUPA sets a lower threshold).",
        )
        for row in (1, 2)
    ]


def test_guidance_names_the_rows_given():
    assert [g.row for g in inventory_guidance([item(amount="20")], rows=[12])] == [12]


def test_the_library_is_read_once_for_any_number_of_rows(django_assert_num_queries):
    library_chemical("Toluene", "108-88-3", density_lb_per_gal=Decimal("7.2"))
    rows = [item("Toluene", "10", cas_number="108-88-3", chemical_location=f"Bay {n}") for n in range(200)]
    rows += [item(f"Material {n}", "10", chemical_location="Shop") for n in range(200)]
    with django_assert_num_queries(1):
        inventory_guidance(rows)
    library = Library.for_items(rows)
    with django_assert_num_queries(0):
        inventory_guidance(rows, library=library)
        thresholds_evaluate(rows, library=library)


def test_an_ehs_of_the_library_without_a_tpq_is_held_to_500_pounds():
    library_chemical("Sulfuric acid", "7664-93-9", ehs=True)
    row = item("Sulfuric acid", "499", cas_number="7664-93-9", ehs="Y", physical_state=SOLID, units=POUNDS)
    assert answer(row) == (
        False,
        "Sulfuric acid is an EHS whose TPQ is not in the library, so the 500 lb limit applies; 499 lb on site "
        "< 500 lb → below the threshold",
    )
