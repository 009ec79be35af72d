"""What the inventory form fills when a user picks a library entry, and the EHS planning quantities."""

from decimal import Decimal

from opencers.library.models import Chemical
from opencers.library.selectors import TpqInfo, chemical_fill, ehs_tpq
from opencers.library.services import chemical_create


def test_picking_an_ehs_gas_fills_identity_ehs_state_and_ccl_id(ehs_library):
    chlorine = Chemical.objects.get(cas="7782-50-5")
    assert chemical_fill(chlorine) == {
        "CommonName": "Chlorine",
        "ChemicalName": "Chlorine",
        "CASNumber": "7782-50-5",
        "EHS": "Y",
        "PhysicalState": "c",
        "CCLID": str(chlorine.ccl_id),
    }


def test_picking_a_flammable_liquid_also_suggests_its_fire_code_class(ehs_library):
    acetone = chemical_create(
        name="Acetone",
        cas="67-64-1",
        physical_state="b",
        flash_point_f=Decimal("-4.0"),
        boiling_point_f=Decimal("132.9"),
    )
    assert chemical_fill(acetone) == {
        "CommonName": "Acetone",
        "ChemicalName": "Acetone",
        "CASNumber": "67-64-1",
        "EHS": "N",
        "PhysicalState": "b",
        "CCLID": str(acetone.ccl_id),
        "PFCodeHazardClass": "10",  # Flammable Liquid I-B
    }


def test_an_ehs_liquid_from_the_package_gets_its_class_from_the_package_data(ehs_library):
    # Acrolein: flash point -0.4 °F, boiling point 126.1 °F (chemicals package) → Flammable Liquid I-B.
    acrolein = Chemical.objects.get(cas="107-02-8")
    fill = chemical_fill(acrolein)
    assert (fill["EHS"], fill["PhysicalState"], fill["PFCodeHazardClass"]) == ("Y", "b", "10")
    # Hydrogen cyanide: flash point -4 °F, boiling point 78.1 °F → Flammable Liquid I-A.
    assert chemical_fill(Chemical.objects.get(cas="74-90-8"))["PFCodeHazardClass"] == "9"


def test_no_fire_code_class_without_a_flash_point_or_for_solids_and_gases(ehs_library):
    sulfuric_acid = Chemical.objects.get(cas="7664-93-9")  # a liquid that does not burn
    assert sulfuric_acid.physical_state == "b" and sulfuric_acid.flash_point_f is None
    assert "PFCodeHazardClass" not in chemical_fill(sulfuric_acid)
    acrylamide = Chemical.objects.get(cas="79-06-1")  # a solid with a flash point
    assert acrylamide.physical_state == "a" and acrylamide.flash_point_f is not None
    assert "PFCodeHazardClass" not in chemical_fill(acrylamide)


def test_an_entry_without_cas_number_or_state_fills_blanks(ehs_library):
    organorhodium = Chemical.objects.get(name="Organorhodium Complex (PMN-82-147)")
    fill = chemical_fill(organorhodium)
    assert (fill["CASNumber"], fill["PhysicalState"], fill["EHS"]) == ("", "", "Y")


def test_ehs_tpq_gives_the_planning_quantities_and_the_california_threshold(ehs_library):
    assert ehs_tpq("7782-50-5") == TpqInfo(
        cas="7782-50-5", name="Chlorine", tpq_lbs=Decimal("100"), tpq_alt_lbs=None, rq_lbs=Decimal("10")
    )
    assert ehs_tpq("7782505").threshold_lbs == Decimal("100")  # lower than 500 lb
    sulfuric = ehs_tpq("7664-93-9")
    assert (sulfuric.tpq_lbs, sulfuric.threshold_lbs) == (Decimal("1000"), Decimal("500"))  # 500 lb is lower
    acrylamide = ehs_tpq("79-06-1")
    assert (acrylamide.tpq_lbs, acrylamide.tpq_alt_lbs) == (Decimal("1000"), Decimal("10000"))


def test_ehs_tpq_is_none_for_substances_not_on_the_list(ehs_library):
    chemical_create(name="Acetone", cas="67-64-1")
    assert ehs_tpq("67-64-1") is None
    assert ehs_tpq("64-17-5") is None  # not in the library at all
