"""Every rule of opencers/elements/inventory/validation.py, on rows as they are stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.validation import inventory_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING

# The rules read the chemical library (empty here: no library facts apply).
pytestmark = pytest.mark.django_db

COMPLETE = {
    "common_name": "Sulfuric acid 93%",
    "chemical_name": "Sulfuric acid",
    "cas_number": "7664-93-9",
    "ehs": "N",
    "hm_type": "a",
    "physical_state": "b",
    "units": "a",
    "maximum_daily_amount": Decimal("100"),
    "average_daily_amount": Decimal("50"),
    "chemical_location": "Plating line 1",
}


def row(**values: Any) -> InventoryItem:
    return InventoryItem(**{**COMPLETE, **values})


def messages(*items: InventoryItem) -> list[tuple[str, str, int | None, str]]:
    return [(str(g.level), g.field, g.row, g.message) for g in inventory_guidance(items)]


def test_a_complete_row_has_no_messages():
    assert messages(row()) == []


@pytest.mark.parametrize(
    ("attribute", "empty", "field", "label"),
    [
        ("common_name", "", "CommonName", "Common or trade name"),
        ("ehs", "", "EHS", "Extremely hazardous substance (EHS)?"),
        ("physical_state", "", "PhysicalState", "Physical state"),
        ("maximum_daily_amount", None, "MaximumDailyAmount", "Largest amount on site at any one time"),
        ("units", "", "Units", "Units"),
    ],
)
def test_required_fields(attribute, empty, field, label):
    assert messages(row(**{attribute: empty})) == [(REQUIRED, field, 1, f"{label} is required. Fill it in.")]


def test_average_above_maximum():
    # Amounts as the database gives them (four decimal places) are shown as people write them.
    assert messages(
        row(average_daily_amount=Decimal("150.0000"), maximum_daily_amount=Decimal("100.0000"))
    ) == [
        (
            REQUIRED,
            "AverageDailyAmount",
            1,
            "The average daily amount (150) is larger than the maximum (100). "
            "The average cannot exceed the largest amount on site.",
        )
    ]


def test_average_equal_to_maximum_is_fine():
    assert messages(row(average_daily_amount=Decimal("100"), maximum_daily_amount=Decimal("100"))) == []


@pytest.mark.parametrize("units", ["a", "b"])
def test_extremely_hazardous_substance_not_in_pounds(units):
    assert messages(row(ehs="Y", units=units)) == [
        (
            REQUIRED,
            "Units",
            1,
            "Extremely hazardous substances must be reported in pounds. "
            "Convert the amounts to pounds and set Units to pounds.",
        )
    ]


def test_extremely_hazardous_substance_in_tons_is_told_the_pounds():
    assert messages(row(ehs="Y", units="d")) == [
        (
            REQUIRED,
            "Units",
            1,
            "Extremely hazardous substances must be reported in pounds. "
            "Convert the amounts to pounds and set Units to pounds. "
            "100 tons is 200,000 lb (the average, 50 tons, is 100,000 lb).",
        )
    ]


def test_extremely_hazardous_substance_in_pounds_is_fine():
    # 600 lb: at or above the 500 lb limit of an EHS, so the threshold rules have nothing to say either.
    assert messages(row(ehs="Y", units="c", maximum_daily_amount=Decimal("600"))) == []


def test_waste_without_state_waste_code():
    assert messages(row(hm_type="c")) == [
        (
            WARNING,
            "StateWasteCode",
            1,
            "Give the 3-digit California waste code of this waste (e.g. 221 for waste oil).",
        )
    ]


def test_waste_with_state_waste_code_is_fine():
    assert messages(row(hm_type="c", state_waste_code="221")) == []


@pytest.mark.parametrize("code", ["22", "A21", "2210"])
def test_bad_state_waste_code(code):
    assert messages(row(hm_type="c", state_waste_code=code)) == [
        (
            REQUIRED,
            "StateWasteCode",
            1,
            f"“{code}” is not a California waste code: it has 3 digits, e.g. 221.",
        )
    ]


def test_mixture_without_components_gets_advice():
    assert messages(row(hm_type="b", cas_number="")) == [
        (
            ADVISORY,
            "HC1Name",
            1,
            "For a mixture, list its hazardous components (name, percent by weight, CAS).",
        )
    ]


@pytest.mark.parametrize(
    "components", [{"hc1_name": "Toluene"}, {"additional_mixture_components": "Xylene 5%, ethylbenzene 1%"}]
)
def test_mixture_with_components_is_fine(components):
    assert messages(row(hm_type="b", cas_number="", **components)) == []


def test_other_container_without_description():
    assert messages(row(sc_other="Y")) == [
        (WARNING, "OtherStorageContainer", 1, "Describe the “other” storage container.")
    ]
    assert messages(row(sc_other="Y", other_storage_container="Ampoule")) == []


def test_radioactive_without_curies():
    assert messages(row(radio_active="Y")) == [
        (WARNING, "Curies", 1, "Give the amount in curies for a radioactive material.")
    ]
    assert messages(row(radio_active="Y", curies=Decimal("0.5"))) == []


def test_component_percent_without_name():
    assert messages(row(hm_type="b", hc1_name="Toluene", hc3_percent_by_weight=Decimal("10"))) == [
        (REQUIRED, "HC3Name", 1, "Component 3 has a percentage but no name.")
    ]


def test_duplicate_material_and_location():
    first = row()
    same = row(common_name="Battery acid", chemical_location="  PLATING line 1 ")
    assert messages(first, same) == [
        (
            WARNING,
            "CommonName",
            2,
            "Same material and location as row 1. Combine the two rows, or tell the locations apart.",
        )
    ]


def test_duplicate_by_name_when_there_is_no_cas():
    assert messages(
        row(cas_number="", common_name="Degreaser"), row(cas_number="", common_name="degreaser")
    ) == [
        (
            WARNING,
            "CommonName",
            2,
            "Same material and location as row 1. Combine the two rows, or tell the locations apart.",
        )
    ]


@pytest.mark.parametrize(
    "other", [{"chemical_location": "Plating line 2"}, {"hm_type": "c", "state_waste_code": "791"}]
)
def test_same_material_elsewhere_or_as_waste_is_not_a_duplicate(other):
    assert messages(row(), row(**other)) == []


def test_bad_cas_check_digit_uses_the_shared_check():
    assert messages(row(cas_number="7664-93-8")) == [
        (
            REQUIRED,
            "CASNumber",
            1,
            "The CAS number 7664-93-8 has a wrong check digit (it should end in 9). "
            "Copy the number again from the Safety Data Sheet.",
        )
    ]


def test_bad_component_cas_uses_the_shared_check():
    assert messages(row(hm_type="b", hc1_name="Toluene", hc1_cas="108-88-4")) == [
        (
            REQUIRED,
            "HC1CAS",
            1,
            "The CAS number 108-88-4 has a wrong check digit (it should end in 3). "
            "Copy the number again from the Safety Data Sheet.",
        )
    ]


def test_messages_name_the_row_they_are_about():
    rows = [row(), row(chemical_location="Tank farm", maximum_daily_amount=None)]
    assert [(m[1], m[2]) for m in messages(*rows)] == [("MaximumDailyAmount", 2)]
