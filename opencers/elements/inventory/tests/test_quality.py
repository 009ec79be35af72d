"""Data-quality rules against the chemical library: name and CAS number, EHS flags, fire code class of
flammable and combustible liquids; and the duplicate-row rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.quality import quality_guidance
from opencers.elements.inventory.tests.helpers import library_chemical
from opencers.elements.inventory.thresholds import Library
from opencers.elements.inventory.validation import inventory_guidance
from opencers.submittals.guidance import ADVISORY, WARNING

pytestmark = pytest.mark.django_db


def item(name: str, cas: str = "", **values: Any) -> InventoryItem:
    row = {
        "common_name": name,
        "cas_number": cas,
        "ehs": "N",
        "hm_type": "a",
        "physical_state": "b",
        "units": "c",
        "maximum_daily_amount": Decimal("1000"),
        "chemical_location": "Store room",
    }
    row.update(values)
    return InventoryItem(**row)


def messages(*items: InventoryItem) -> list[tuple[str, str, int | None, str]]:
    return [
        (str(g.level), g.field, g.row, g.message) for g in quality_guidance(items, Library.for_items(items))
    ]


@pytest.fixture
def chlorine() -> Any:
    return library_chemical(
        "Chlorine",
        "7782-50-5",
        ehs=True,
        tpq_lbs=Decimal(100),
        synonyms=["Chlorine gas", "Molecular chlorine"],
    )


# --- Name and CAS number --------------------------------------------------------------------------------


def test_a_name_that_is_not_the_library_substance_of_the_cas_number(chlorine):
    assert messages(item("Sodium hypochlorite", "7782-50-5", ehs="Y")) == [
        (
            WARNING,
            "CASNumber",
            1,
            "CAS 7782-50-5 is Chlorine in the library, not “Sodium hypochlorite”. Check the CAS number on the "
            "Safety Data Sheet, or correct the name (picking the material from the library fills in both).",
        )
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"common_name": "Chlorine"},
        {"common_name": "CHLORINE"},
        {"common_name": "Molecular chlorine"},  # a synonym
        {"common_name": "Chlorine, 99.5% cylinder"},  # the name as whole words of a longer one
        {"common_name": "Pool sanitizer", "chemical_name": "Chlorine"},  # the chemical name decides
    ],
)
def test_names_that_match_the_library(chlorine, values):
    row = item(**{"name": values.pop("common_name"), "cas": "7782-50-5", "ehs": "Y", **values})
    assert messages(row) == []


def test_part_of_a_word_is_not_a_match(chlorine):
    assert [m[1] for m in messages(item("Chlorinex", "7782-50-5", ehs="Y"))] == ["CASNumber"]


def test_a_mixture_matches_by_a_component_name(chlorine):
    row = item(
        "Pool shock",
        "7782-50-5",
        ehs="Y",
        hm_type="b",
        hc1_name="Chlorine",
        hc1_percent_by_weight=Decimal(10),
    )
    assert messages(row) == []


def test_wastes_unknown_and_wrong_cas_numbers_are_not_compared(chlorine):
    assert messages(item("Spent bleach", "7782-50-5", hm_type="c", ehs="Y")) == []
    assert messages(item("Sodium hypochlorite", "7681-52-9")) == []  # not in the library
    assert messages(item("Sodium hypochlorite", "7782-50-4", ehs="Y")) == []  # bad check digit: its own rule


# --- EHS flag against the EHS list ----------------------------------------------------------------------


def test_a_listed_ehs_marked_no(chlorine):
    assert messages(item("Chlorine", "7782-50-5")) == [
        (
            WARNING,
            "EHS",
            1,
            "Chlorine (CAS 7782-50-5) is on the federal list of extremely hazardous substances (TPQ 100 lb). "
            "Answer Yes to “Extremely hazardous substance” and report the amounts in pounds.",
        )
    ]


def test_a_substance_not_on_the_list_marked_yes():
    library_chemical("Acetone", "67-64-1")
    assert messages(item("Acetone", "67-64-1", ehs="Y")) == [
        (
            WARNING,
            "EHS",
            1,
            "Acetone (CAS 67-64-1) is not on the federal list of extremely hazardous substances. Answer No, "
            "unless the material contains one (then list it as a component).",
        )
    ]


def test_an_unknown_cas_number_is_not_judged_either_way():
    assert messages(item("Secret toxin", "7681-52-9", ehs="Y"), item("Other", "7681-52-9")) == []


def test_component_flags_against_the_list(chlorine):
    library_chemical("Water", "7732-18-5")
    row = item(
        "Pool shock",
        hm_type="b",
        ehs="Y",
        hc1_name="Chlorine",
        hc1_cas="7782-50-5",
        hc1_ehs="N",
        hc2_name="Water",
        hc2_cas="7732-18-5",
        hc2_ehs="Y",
    )
    assert messages(row) == [
        (
            WARNING,
            "HC1EHS",
            1,
            "Component 1, Chlorine (CAS 7782-50-5), is on the federal list of extremely hazardous substances "
            "(TPQ 100 lb). Answer Yes for it.",
        ),
        (
            WARNING,
            "HC2EHS",
            1,
            "Component 2, Water (CAS 7732-18-5), is not on the federal list of extremely hazardous substances. "
            "Answer No for it, unless the Safety Data Sheet says otherwise.",
        ),
    ]


def test_a_mixture_holding_an_ehs_marked_no(chlorine):
    row = item("Pool shock", hm_type="b", hc1_name="Chlorine", hc1_cas="7782-50-5", hc1_ehs="Y")
    assert messages(row) == [
        (
            WARNING,
            "EHS",
            1,
            "Component 1, Chlorine, is an extremely hazardous substance, so the mixture is reported as one. "
            "Answer Yes to “Extremely hazardous substance” and report the amounts in pounds.",
        )
    ]


def test_a_mixture_marked_ehs_with_an_ehs_component_is_right(chlorine):
    library_chemical("Calcium hypochlorite", "7778-54-3")
    row = item(
        "Pool shock",
        "7778-54-3",
        chemical_name="Calcium hypochlorite",
        hm_type="b",
        ehs="Y",
        hc1_name="Chlorine",
        hc1_cas="7782-50-5",
        hc1_ehs="Y",
    )
    assert messages(row) == []


# --- Fire code class of flammable and combustible liquids ---------------------------------------------


@pytest.fixture
def toluene() -> Any:
    return library_chemical(
        "Toluene", "108-88-3", flash_point_f=Decimal("40"), boiling_point_f=Decimal("231"), physical_state="b"
    )


def test_the_fire_code_class_is_suggested_from_flash_and_boiling_points(toluene):
    assert messages(item("Toluene", "108-88-3")) == [
        (
            ADVISORY,
            "PFCodeHazardClass",
            1,
            "Toluene has a flash point of 40 °F and boils at 231 °F (library data): its fire code class is "
            "Flammable Liquid, Class I-B (code 10). Add it to the fire code hazard classes.",
        )
    ]


def test_another_liquid_class_is_named(toluene):
    assert messages(item("Toluene", "108-88-3", pf_code_hazard_class="11", sf_code_hazard_class="31")) == [
        (
            ADVISORY,
            "PFCodeHazardClass",
            1,
            "Toluene has a flash point of 40 °F and boils at 231 °F (library data): its fire code class is "
            "Flammable Liquid, Class I-B (code 10), not Flammable Liquid, Class I-C (code 11).",
        )
    ]


@pytest.mark.parametrize(
    "values",
    [
        {"sf_code_hazard_class": "10"},  # already given (in any position)
        {"physical_state": "a"},  # not a liquid
        {"hm_type": "b", "hc1_name": "Toluene"},  # a mixture's flash point is its own
    ],
)
def test_no_suggestion(toluene, values):
    assert messages(item("Toluene", "108-88-3", **values)) == []


@pytest.mark.parametrize(
    ("flash", "boiling", "code", "label"),
    [
        ("-4", "90", "9", "Flammable Liquid, Class I-A"),
        ("80", "300", "11", "Flammable Liquid, Class I-C"),
        ("120", None, "2", "Combustible Liquid, Class II"),
        ("150", None, "3", "Combustible Liquid, Class III-A"),
        ("250", None, "4", "Combustible Liquid, Class III-B"),
    ],
)
def test_each_liquid_class(flash, boiling, code, label):
    library_chemical(
        "Liquid X",
        "64-17-5",
        flash_point_f=Decimal(flash),
        boiling_point_f=Decimal(boiling) if boiling else None,
    )
    ((_level, _field, _row, text),) = messages(item("Liquid X", "64-17-5"))
    assert text.endswith(
        f"its fire code class is {label} (code {code}). Add it to the fire code hazard classes."
    )


def test_no_suggestion_without_the_boiling_point_below_73_f():
    library_chemical("Liquid X", "64-17-5", flash_point_f=Decimal("10"))
    assert messages(item("Liquid X", "64-17-5")) == []


# --- Duplicates, and the rules reading the library once -----------------------------------------------


def test_duplicates_ignore_case_and_spacing_of_the_location():
    rows = [
        item("Acetone", "67-64-1", chemical_location="Building 2,  paint room"),
        item("Acetone", "67-64-1", chemical_location="building 2, Paint Room "),
    ]
    assert [(g.level, g.field, g.row, g.message) for g in inventory_guidance(rows)] == [
        (
            WARNING,
            "CommonName",
            2,
            "Same material and location as row 1. Combine the two rows, or tell the locations apart.",
        )
    ]


def test_inventory_guidance_includes_the_quality_rules(chlorine):
    rows = [item("Sodium hypochlorite", "7782-50-5", ehs="Y", physical_state="c")]
    assert [(g.level, g.field) for g in inventory_guidance(rows)] == [(WARNING, "CASNumber")]


def test_an_ehs_of_the_library_without_a_tpq():
    library_chemical("Sulfuric acid", "7664-93-9", ehs=True)
    assert messages(item("Sulfuric acid", "7664-93-9", ehs="Y")) == []
    assert messages(item("Sulfuric acid", "7664-93-9")) == [
        (
            WARNING,
            "EHS",
            1,
            "Sulfuric acid (CAS 7664-93-9) is on the federal list of extremely hazardous substances. Answer Yes "
            "to “Extremely hazardous substance” and report the amounts in pounds.",
        )
    ]
