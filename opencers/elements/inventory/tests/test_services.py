"""The inventory's write services: save (create or update one row), delete, copy and the library link."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opencers.core.elements import Element
from opencers.core.errors import DomainError, InvalidTransition
from opencers.core.models import AuditEvent
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.services import (
    RowProblems,
    inventory_item_copy,
    inventory_item_delete,
    inventory_item_save,
    library_link_check,
)
from opencers.elements.inventory.tests.helpers import (
    SULFURIC_ACID,
    inventory_draft,
    library_chemical,
    submitted_inventory,
)
from opencers.submittals.tests.factories import add_material


def _save(world, data, **kwargs):
    return inventory_item_save(
        draft=kwargs.pop("draft", None) or inventory_draft(world),
        actor=world.users["editor"],
        data=data,
        **kwargs,
    )


def test_save_creates_a_row_from_raw_input(world):
    # Given a draft inventory
    draft = inventory_draft(world)
    touched = draft.updated_at
    # When a row is saved from input as people type it
    item = _save(
        world,
        {
            "CommonName": "  Sulfuric acid 93% ",
            "CASNumber": "7664939",
            "EHS": "yes",
            "PhysicalState": "Liquid",
            "MaximumDailyAmount": "1,200",
            "AverageDailyAmount": "800.5",
            "Units": "c",
            "DaysOnSite": "365",
            "SCSteelDrum": "Y",
            "ChemicalLocation": "Plating line 1",
        },
    )
    # Then the values are stored parsed, at the end of the inventory, and the change is logged
    item.refresh_from_db()
    assert (item.common_name, item.cas_number, item.ehs, item.physical_state, item.units) == (
        "Sulfuric acid 93%",
        "7664-93-9",
        "Y",
        "b",
        "c",
    )
    assert (item.maximum_daily_amount, item.average_daily_amount, item.days_on_site) == (
        Decimal("1200"),
        Decimal("800.5"),
        365,
    )
    assert item.sc_steel_drum == "Y"
    assert item.position == 1
    assert item.element_id == draft.pk
    event = AuditEvent.objects.get(action="inventory.item_created")
    assert event.object_id == str(item.pk)
    assert event.facility_id == world.facility.pk
    assert event.organization_id == world.organization.pk
    assert event.actor == world.users["editor"]
    assert event.data["fields"] == sorted(
        [
            "CommonName",
            "CASNumber",
            "EHS",
            "PhysicalState",
            "MaximumDailyAmount",
            "AverageDailyAmount",
            "Units",
            "DaysOnSite",
            "SCSteelDrum",
            "ChemicalLocation",
        ]
    )
    draft.refresh_from_db()
    assert draft.updated_at > touched


def test_new_rows_go_at_the_end(world):
    draft = inventory_draft(world)
    add_material(draft, position=7)
    item = _save(world, SULFURIC_ACID)
    assert item.position == 8


def test_save_reports_every_problem_at_once_and_saves_nothing(world):
    # Given a draft with one row
    draft = inventory_draft(world)
    # When a row with many problems is saved
    with pytest.raises(RowProblems) as caught:
        _save(
            world,
            {
                "CommonName": "",
                "EHS": "maybe",
                "PhysicalState": "plasma",
                "MaximumDailyAmount": "lots",
                "AverageDailyAmount": "-3",
                "Units": "",
                "CASNumber": "7664-93-8",
                "DaysOnSite": "400",
                "ChemicalLocation": "x" * 141,
            },
        )
    # Then every problem is reported, each on its field, and nothing is saved or logged
    assert caught.value.problems == {
        "CommonName": "Common or trade name is required. Fill it in.",
        "EHS": "“maybe” is not Y or N.",
        "PhysicalState": "“plasma” is not one of the codes: a (Solid); b (Liquid); c (Gas).",
        "MaximumDailyAmount": "“lots” is not a number. Use digits only, e.g. 1500 or 12.5.",
        "AverageDailyAmount": "-3 is negative; amounts cannot be below zero.",
        "Units": "Units is required. Fill it in.",
        "CASNumber": "The CAS number 7664-93-8 has a wrong check digit (it should end in 9). "
        "Copy the number again from the Safety Data Sheet.",
        "DaysOnSite": "400 is too large: the highest allowed is 365.",
        "ChemicalLocation": "This is 141 characters long; at most 140 are allowed. Shorten it.",
    }
    assert caught.value.message == "9 fields need correcting. Nothing was saved."
    assert InventoryItem.objects.filter(element=draft).count() == 0
    assert not AuditEvent.objects.filter(action__startswith="inventory.").exists()


def test_update_changes_only_the_given_fields(world):
    draft = inventory_draft(world)
    item = add_material(draft)
    _save(world, {"ChemicalLocation": "Tank farm", "MaximumDailyAmount": "1500"}, item=item)
    item.refresh_from_db()
    assert (item.chemical_location, item.maximum_daily_amount, item.common_name, item.cas_number) == (
        "Tank farm",
        Decimal("1500"),
        "Sulfuric acid",
        "7664-93-9",
    )
    event = AuditEvent.objects.get(action="inventory.item_saved")
    assert event.data["fields"] == ["ChemicalLocation", "MaximumDailyAmount"]


def test_an_update_with_a_problem_changes_nothing(world):
    draft = inventory_draft(world)
    item = add_material(draft)
    with pytest.raises(RowProblems) as caught:
        _save(world, {"ChemicalLocation": "Tank farm", "MaximumDailyAmount": ""}, item=item)
    assert caught.value.problems == {
        "MaximumDailyAmount": "Largest amount on site at any one time is required. Fill it in."
    }
    item.refresh_from_db()
    assert (item.chemical_location, item.maximum_daily_amount) == ("Plating line 1", Decimal("1200"))


def test_rules_between_fields_are_guidance_not_refusals(world):
    # The average above the maximum is saved; the guidance then says what to fix before submitting.
    item = _save(world, {**SULFURIC_ACID, "AverageDailyAmount": "5000"})
    assert item.average_daily_amount == Decimal("5000")


def test_a_submitted_inventory_cannot_change(world):
    # Given a submitted inventory
    submitted, item = submitted_inventory(world)
    before = list(InventoryItem.objects.filter(element=submitted).values())
    # When someone saves, adds, copies or deletes rows of it
    with pytest.raises(InvalidTransition, match="submitted and can no longer change"):
        _save(world, {"ChemicalLocation": "Elsewhere"}, item=item, draft=submitted)
    with pytest.raises(InvalidTransition):
        _save(world, SULFURIC_ACID, draft=submitted)
    with pytest.raises(InvalidTransition):
        inventory_item_copy(item=item, actor=world.users["lead"])
    with pytest.raises(InvalidTransition):
        inventory_item_delete(item=item, actor=world.users["lead"])
    # Then nothing changed
    assert list(InventoryItem.objects.filter(element=submitted).values()) == before
    assert not AuditEvent.objects.filter(action__startswith="inventory.").exists()


def test_a_row_of_another_draft_is_refused(world):
    other = inventory_draft(world)
    item = add_material(other)
    from opencers.submittals.services import draft_get_or_create

    elsewhere = draft_get_or_create(
        facility=world.other_facility,
        element=Element.HAZARDOUS_MATERIALS_INVENTORY,
        actor=world.users["other_business"],
    )
    with pytest.raises(DomainError, match="not part of this draft"):
        _save(world, {"ChemicalLocation": "Moved"}, item=item, draft=elsewhere)
    item.refresh_from_db()
    assert item.chemical_location == "Plating line 1"


def test_delete(world):
    draft = inventory_draft(world)
    first, second = add_material(draft, 1), add_material(draft, 2, chemical_location="Tank farm")
    inventory_item_delete(item=first, actor=world.users["editor"])
    assert list(InventoryItem.objects.filter(element=draft)) == [second]
    event = AuditEvent.objects.get(action="inventory.item_deleted")
    assert event.data == {"common_name": "Sulfuric acid", "location": "Plating line 1", "position": 1}


def test_copy_goes_right_after_the_original(world):
    # Given three rows
    draft = inventory_draft(world)
    first = add_material(draft, 1, chemical_location="A")
    second = add_material(draft, 2, chemical_location="B", common_name="Caustic soda", cas_number="1310-73-2")
    third = add_material(draft, 3, chemical_location="C")
    # When the second is copied
    copy = inventory_item_copy(item=second, actor=world.users["editor"])
    # Then the copy is the third row and has the same values
    assert [i.pk for i in InventoryItem.objects.filter(element=draft).order_by("position")] == [
        first.pk,
        second.pk,
        copy.pk,
        third.pk,
    ]
    assert (copy.common_name, copy.cas_number, copy.chemical_location, copy.maximum_daily_amount) == (
        "Caustic soda",
        "1310-73-2",
        "B",
        Decimal("1200"),
    )
    assert copy.public_id != second.public_id
    assert AuditEvent.objects.get(action="inventory.item_copied").data == {"from": str(second.public_id)}


def test_a_row_picked_from_the_library_is_linked_while_name_and_cas_match(world):
    # Given a library entry
    acid = library_chemical(
        "Sulfuric acid", "7664-93-9", synonyms=["Oil of vitriol"], ehs=True, physical_state="b"
    )
    # When a row is saved from it
    item = _save(world, {**SULFURIC_ACID, "ChemicalName": "Sulfuric acid"}, library_chemical=acid)
    # Then it is linked and carries the library ID
    assert (item.library_chemical_id, item.cclid) == (acid.pk, acid.ccl_id)
    # And a new common name keeps the link while the chemical name still matches
    item = _save(world, {"CommonName": "Battery acid"}, item=item)
    assert item.library_chemical_id == acid.pk
    # And a synonym counts as a match
    item = _save(world, {"ChemicalName": "oil of  VITRIOL"}, item=item)
    assert item.library_chemical_id == acid.pk
    # But another CAS number drops the link and the library ID
    item = _save(world, {"CASNumber": "7664-41-7"}, item=item)
    item.refresh_from_db()
    assert (item.library_chemical_id, item.cclid) == (None, None)
    assert (
        AuditEvent.objects.filter(action="inventory.item_saved")
        .order_by("id")
        .last()
        .data["library_unlinked"]
        is True
    )


def test_names_that_no_longer_match_drop_the_link(world):
    acid = library_chemical("Sulfuric acid", "7664-93-9")
    item = _save(world, {**SULFURIC_ACID, "ChemicalName": "Sulfuric acid"}, library_chemical=acid)
    item = _save(world, {"CommonName": "Degreaser", "ChemicalName": "Proprietary blend"}, item=item)
    assert (item.library_chemical_id, item.cclid) == (None, None)


def test_a_pick_that_does_not_match_the_typed_values_is_not_linked(world):
    ammonia = library_chemical("Ammonia", "7664-41-7")
    item = _save(world, SULFURIC_ACID, library_chemical=ammonia)
    assert (item.library_chemical_id, item.cclid) == (None, None)


def test_library_link_check(world):
    # Given a linked row whose values were changed without the save service (e.g. an older import)
    acid = library_chemical("Sulfuric acid", "7664-93-9")
    draft = inventory_draft(world)
    item = add_material(draft, library_chemical=acid, cclid=acid.ccl_id)
    kept = library_link_check(item=item, actor=world.users["editor"])
    assert kept.library_chemical_id == acid.pk
    InventoryItem.objects.filter(pk=item.pk).update(cas_number="7664-41-7")
    # When the link is checked
    checked = library_link_check(item=item, actor=world.users["editor"])
    # Then it is dropped, with the library ID, and logged
    checked.refresh_from_db()
    assert (checked.library_chemical_id, checked.cclid) == (None, None)
    event = AuditEvent.objects.get(action="inventory.library_unlinked")
    assert event.data == {"ccl_id": acid.ccl_id}
