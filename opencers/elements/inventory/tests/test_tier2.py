"""The federal Tier II view: range codes at every boundary, aggregation per chemical over locations in
pounds, the federal thresholds, and the business page (with the reportability on the inventory list)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.tests.helpers import inventory_draft, library_chemical
from opencers.elements.inventory.tier2 import range_code, tier2_summary
from opencers.submittals.tests.factories import add_material

pytestmark = pytest.mark.django_db


def item(name: str = "Sodium hydroxide", amount: Any = "1000", **values: Any) -> InventoryItem:
    row = {
        "common_name": name,
        "cas_number": "1310-73-2",
        "ehs": "N",
        "hm_type": "a",
        "physical_state": "a",
        "units": "c",
        "maximum_daily_amount": Decimal(str(amount)),
        "average_daily_amount": Decimal(str(amount)) / 2,
        "days_on_site": 365,
        "chemical_location": "Warehouse",
    }
    row.update(values)
    return InventoryItem(**row)


# --- Range codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pounds", "code"),
    [
        ("0", "01"),
        ("99", "01"),
        ("99.6", "01"),
        ("100", "02"),
        ("499", "02"),
        ("500", "03"),
        ("999", "03"),
        ("1000", "04"),
        ("4999", "04"),
        ("5000", "05"),
        ("9999", "05"),
        ("10000", "06"),
        ("24999", "06"),
        ("25000", "07"),
        ("49999", "07"),
        ("50000", "08"),
        ("74999", "08"),
        ("75000", "09"),
        ("99999", "09"),
        ("100000", "10"),
        ("499999", "10"),
        ("500000", "11"),
        ("999999", "11"),
        ("1000000", "12"),
        ("9999999", "12"),
        ("10000000", "13"),
        ("250000000", "13"),
    ],
)
def test_range_codes(pounds, code):
    assert range_code(Decimal(pounds)) == code


def test_range_codes_of_the_noaa_sample():
    # Chlorine: average 15,000, maximum 20,000; fluorosilicic acid: 20,000 and 45,000 (TIER2.md §6.2).
    assert [range_code(Decimal(n)) for n in (15000, 20000, 20000, 45000)] == ["06", "06", "06", "07"]


# --- Aggregation ----------------------------------------------------------------------------------------


def test_one_chemical_per_cas_number_over_its_locations():
    rows = [
        item(
            amount="6000",
            sc_bag="Y",
            storage_pressure="a",
            storage_temperature="a",
            map_number="2",
            grid_number="C4",
        ),
        item("Caustic soda", "5000", chemical_location="Yard", sc_silo="Y", cl_confidential="Y"),
    ]
    (chemical,) = tier2_summary(rows)
    assert (chemical.name, chemical.cas, chemical.rows, chemical.pure, chemical.solid) == (
        "Sodium hydroxide",
        "1310-73-2",
        (1, 2),
        True,
        True,
    )
    assert (chemical.max_lbs, chemical.max_code, chemical.ave_lbs, chemical.ave_code) == (
        Decimal(11000),
        "06",
        Decimal(5500),
        "05",
    )
    assert (chemical.max_text, chemical.ave_text, chemical.days_on_site) == ("11,000", "5,500", 365)
    assert [
        (
            loc.row,
            loc.description,
            loc.storage_types,
            loc.pressure,
            loc.temperature,
            loc.max_lbs,
            loc.confidential,
        )
        for loc in chemical.locations
    ] == [
        (
            1,
            "Warehouse, Map 2, Grid C4",
            ("Bag",),
            "Ambient pressure",
            "Ambient temperature",
            Decimal(6000),
            False,
        ),
        (2, "Yard", ("Silo",), "", "", Decimal(5000), True),
    ]
    assert chemical.confidential_locations is True
    assert (chemical.reportable, chemical.threshold_lbs, chemical.explanation) == (
        True,
        Decimal(10000),
        "Sodium hydroxide: 11,000 lb on site in 2 locations ≥ 10,000 lb → reported on Tier II",
    )


@pytest.mark.parametrize(("second", "reportable"), [("4999", False), ("5000", True)])
def test_the_federal_threshold_of_10000_pounds(second, reportable):
    (chemical,) = tier2_summary([item(amount="5000"), item(amount=second, chemical_location="Yard")])
    assert chemical.reportable is reportable


def test_below_the_threshold_is_explained():
    (chemical,) = tier2_summary([item(amount="9999")])
    assert (chemical.reportable, chemical.explanation) == (
        False,
        "Sodium hydroxide: 9,999 lb on site < 10,000 lb → below the federal threshold (it may still be "
        "reported, marked as below the thresholds)",
    )


@pytest.mark.parametrize(
    ("tpq", "below", "at", "threshold"), [("100", "99", "100", "100"), ("1000", "499", "500", "500")]
)
def test_the_federal_threshold_of_an_ehs(tpq, below, at, threshold):
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(tpq))
    row = {"cas_number": "7782-50-5", "ehs": "Y", "physical_state": "c"}
    (under,) = tier2_summary([item("Chlorine", below, **row)])
    (reached,) = tier2_summary([item("Chlorine", at, **row)])
    assert (under.reportable, reached.reportable, reached.threshold_lbs, reached.ehs) == (
        False,
        True,
        Decimal(threshold),
        True,
    )


def test_an_ehs_in_mixtures_counts_toward_its_own_threshold():
    library_chemical("Chlorine", "7782-50-5", ehs=True, tpq_lbs=Decimal(100))
    mixture = {
        "cas_number": "",
        "hm_type": "b",
        "ehs": "Y",
        "hc1_name": "Chlorine",
        "hc1_cas": "7782-50-5",
        "hc1_ehs": "Y",
    }
    rows = [
        item("Pool shock", "600", hc1_percent_by_weight=Decimal("10"), **mixture),
        item("Pool shock", "400", hc1_percent_by_weight=Decimal("10"), chemical_location="Shed", **mixture),
    ]
    (chemical,) = tier2_summary(rows)
    assert (chemical.pure, chemical.max_lbs, chemical.reportable, chemical.threshold_lbs) == (
        False,
        Decimal(1000),
        True,
        Decimal(100),
    )
    assert chemical.explanation == (
        "Pool shock contains Chlorine, an EHS with TPQ 100 lb; 100 lb (100 lb of it in mixtures) on site in 2 "
        "locations ≥ 100 lb → reported on Tier II"
    )
    assert [(c.name, c.cas, c.ehs, c.percent, c.max_code) for c in chemical.components] == [
        ("Chlorine", "7782-50-5", True, Decimal("10"), "02")
    ]


def test_gallons_are_converted_with_the_library_density():
    library_chemical("Sulfuric acid", "7664-93-9", density_lb_per_gal=Decimal("15.021"))
    row = {"cas_number": "7664-93-9", "physical_state": "b", "units": "a"}
    (chemical,) = tier2_summary(
        [item("Sulfuric acid", "100", **row), item("Sulfuric acid", "10", chemical_location="Lab", **row)]
    )
    assert (chemical.max_lbs, chemical.max_text, chemical.max_code, chemical.liquid) == (
        Decimal("1652.310"),
        "1,652",
        "04",
        True,
    )


def test_an_amount_that_cannot_be_converted_is_named():
    rows = [
        item("Degreaser", "100", cas_number="", physical_state="b", units="a", average_daily_amount=None),
        item("Degreaser", "50", cas_number="", physical_state="b", units="c", chemical_location="Shop"),
    ]
    (chemical,) = tier2_summary(rows)
    assert (chemical.max_lbs, chemical.ave_lbs, chemical.max_code) == (None, None, "")
    assert chemical.problems == [
        "Row 1: the largest amount in gal cannot be converted to pounds without a density, which the library "
        "gives for pure substances only.",
        "Row 1: the average daily amount is missing (Tier II needs it).",
    ]
    # At most 100 gal × 30 lb/gal + 50 lb: surely under 10,000 lb.
    assert (chemical.reportable, chemical.explanation) == (
        False,
        "Degreaser: at most 3,050 lb on site in 2 locations (a liquid without a library density taken at 30 "
        "lb/gal, the densest likely) < 10,000 lb → below the federal threshold (it may still be reported, "
        "marked as below the thresholds)",
    )


def test_wastes_are_left_out_and_trade_secrets_and_mixtures_kept_apart():
    rows = [
        item(amount="100"),
        item(amount="100", trade_secret="Y", chemical_location="Yard"),
        item("Caustic cleaner", "100", hm_type="b", chemical_location="Shop"),
        item("Spent caustic", "100", hm_type="c", state_waste_code="122"),
    ]
    assert [(c.name, c.rows, c.trade_secret, c.pure) for c in tier2_summary(rows)] == [
        ("Sodium hydroxide", (1,), False, True),
        ("Sodium hydroxide", (2,), True, True),
        ("Caustic cleaner", (3,), False, False),
    ]
    assert [c.rows for c in tier2_summary(rows, include_waste=True)][-1] == (4,)


def test_largest_container_and_hazards():
    (chemical,) = tier2_summary(
        [item(largest_container=Decimal("0.5"), units="d", amount="1", fhc_physical_corrosive_to_metal="Y")]
    )
    assert (chemical.max_lbs, chemical.largest_container_lbs, chemical.hazards) == (
        Decimal(2000),
        Decimal(1000),
        ["Physical: corrosive to metal"],
    )


# --- The pages ------------------------------------------------------------------------------------------


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_tier2_page_shows_each_chemical_with_its_explanation(world):
    draft = inventory_draft(world)
    add_material(draft, 1, ehs="N", maximum_daily_amount=Decimal(6000), average_daily_amount=Decimal(3000))
    add_material(
        draft,
        2,
        ehs="N",
        maximum_daily_amount=Decimal(5000),
        average_daily_amount=Decimal(2000),
        chemical_location="Tank farm",
    )
    response = world.client_for("viewer").get(
        reverse("business:inventory_tier2", kwargs={"cers_id": world.facility.cers_id})
    )
    assert response.status_code == 200
    text = _text(response)
    assert "The facility is subject to federal Tier II reporting." in text
    assert '11,000 <span class="text-no-wrap">(code 06)</span>' in text
    assert '5,000 <span class="text-no-wrap">(code 05)</span>' in text
    assert "Sulfuric acid: 11,000 lb on site in 2 locations ≥ 10,000 lb → reported on Tier II" in text
    assert "Plating line 1" in text and "Tank farm" in text


def test_the_tier2_page_without_a_draft(world):
    response = world.client_for("viewer").get(
        reverse("business:inventory_tier2", kwargs={"cers_id": world.facility.cers_id})
    )
    assert response.status_code == 200
    assert "There is no draft of the inventory to report on." in _text(response)


def test_the_inventory_list_explains_each_material(world):
    draft = inventory_draft(world)
    add_material(
        draft,
        1,
        ehs="N",
        common_name="Motor oil",
        chemical_name="",
        cas_number="",
        units="a",
        maximum_daily_amount=Decimal(40),
        average_daily_amount=Decimal(20),
    )
    add_material(draft, 2)
    response = world.client_for("viewer").get(
        reverse("business:inventory", kwargs={"cers_id": world.facility.cers_id})
    )
    text = _text(response)
    assert "2 materials: 1 at or above the reporting threshold, 1 below it" in text
    assert (
        "Motor oil, a lubricating oil (by its name): 40 gal on site ≤ 55 gal of this type, and 40 gal of "
        "lubricating oil in all ≤ 275 gal → below the threshold"
    ) in text
    assert (
        "Sulfuric acid is marked as an EHS and its TPQ is not in the library, so the 500 lb limit applies; "
        "1,200 lb on site ≥ 500 lb → reportable"
    ) in text
    assert reverse("business:inventory_tier2", kwargs={"cers_id": world.facility.cers_id}) in text
