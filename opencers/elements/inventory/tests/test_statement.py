"""The Hazardous Materials Inventory Statement: materials by location and by fire code hazard class, with
the total of the largest amounts per class and unit, with and without trade secrets."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from opencers.elements.inventory.selectors import inventory_statement
from opencers.elements.inventory.tests.helpers import inventory_draft
from opencers.submittals.tests.factories import add_material


def _inventory(world):
    draft = inventory_draft(world)
    # Two corrosive liquids in gallons, one also toxic; a corrosive solid in pounds; a flammable liquid
    # that is a trade secret; a gas without any class.
    add_material(
        draft,
        1,
        common_name="Sulfuric acid",
        units="a",
        maximum_daily_amount=Decimal("55"),
        pf_code_hazard_class="5",
        chemical_location="Plating line 1",
    )
    add_material(
        draft,
        2,
        common_name="Hydrofluoric acid",
        cas_number="7664-39-3",
        units="a",
        maximum_daily_amount=Decimal("10.5"),
        pf_code_hazard_class="5",
        sf_code_hazard_class="31",
        chemical_location="Plating line 1",
    )
    add_material(
        draft,
        3,
        common_name="Caustic soda",
        cas_number="1310-73-2",
        ehs="N",
        physical_state="a",
        units="c",
        maximum_daily_amount=Decimal("500"),
        pf_code_hazard_class="5",
        chemical_location="Warehouse",
    )
    add_material(
        draft,
        4,
        common_name="Secret solvent",
        cas_number="",
        ehs="N",
        units="a",
        trade_secret="Y",
        maximum_daily_amount=Decimal("30"),
        pf_code_hazard_class="10",
        chemical_location="Warehouse",
    )
    add_material(
        draft,
        5,
        common_name="Nitrogen",
        cas_number="7727-37-9",
        ehs="N",
        physical_state="c",
        units="b",
        maximum_daily_amount=Decimal("2000"),
        chemical_location="plating line 1 ",
    )
    return draft


def _totals(groups):
    return {group.code: group.totals.lines for group in groups}


def test_totals_per_class_and_unit(world):
    statement = inventory_statement(_inventory(world))
    assert _totals(statement.classes) == {
        "5": [("Gallons", "65.5"), ("Pounds", "500")],
        "10": [("Gallons", "30")],
        "31": [("Gallons", "10.5")],
        "": [("Cubic feet", "2000")],
    }
    assert [group.label for group in statement.classes] == [
        "Corrosive",
        "Flammable Liquid, Class I-B",
        "Toxic",
        "No fire code hazard class given",
    ]
    assert [line.item.common_name for line in statement.classes[0].lines] == [
        "Sulfuric acid",
        "Hydrofluoric acid",
        "Caustic soda",
    ]
    assert statement.material_count == 5
    assert statement.trade_secret_rows_left_out == 0


def test_materials_by_location(world):
    statement = inventory_statement(_inventory(world))
    # Locations differing only in case and spaces are one location, named as first written
    assert [
        (group.location, [line.item.common_name for line in group.lines]) for group in statement.locations
    ] == [
        ("Plating line 1", ["Sulfuric acid", "Hydrofluoric acid", "Nitrogen"]),
        ("Warehouse", ["Caustic soda", "Secret solvent"]),
    ]
    plating, warehouse = statement.locations
    assert _totals(plating.classes) == {
        "5": [("Gallons", "65.5")],
        "31": [("Gallons", "10.5")],
        "": [("Cubic feet", "2000")],
    }
    assert _totals(warehouse.classes) == {"5": [("Pounds", "500")], "10": [("Gallons", "30")]}
    assert statement.locations[0].lines[1].class_labels == ["Corrosive", "Toxic"]


def test_without_trade_secrets(world):
    statement = inventory_statement(_inventory(world), include_trade_secrets=False)
    assert "10" not in _totals(statement.classes)
    assert [line.item.common_name for group in statement.locations for line in group.lines] == [
        "Sulfuric acid",
        "Hydrofluoric acid",
        "Nitrogen",
        "Caustic soda",
    ]
    assert _totals(statement.locations[1].classes) == {"5": [("Pounds", "500")]}
    assert statement.trade_secret_rows_left_out == 1
    assert statement.material_count == 4


def test_the_statement_page(world):
    _inventory(world)
    url = reverse("business:inventory_statement", kwargs={"cers_id": world.facility.cers_id})
    client = world.client_for("viewer")
    text = re.sub(r"\s+", " ", client.get(url).content.decode())
    totals = re.search(r'data-testid="class-totals">(.*?)</table>', text).group(1)
    corrosive = re.search(r'<tr data-class="5">(.*?)</tr>', totals).group(1)
    assert re.findall(r"<span[^>]*data-total>([^<]+)</span>", corrosive) == ["65.5 Gallons", "500 Pounds"]
    assert "Secret solvent" in text
    public = re.sub(r"\s+", " ", client.get(url, {"trade_secrets": "0"}).content.decode())
    assert "Secret solvent" not in public
    assert "1 row marked trade secret is left out." in public


def test_the_statement_without_a_draft(world):
    url = reverse("business:inventory_statement", kwargs={"cers_id": world.facility.cers_id})
    response = world.client_for("viewer").get(url)
    assert response.status_code == 200
    assert "There is no draft of the inventory to report on." in response.content.decode()
