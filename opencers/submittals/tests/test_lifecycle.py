import pytest
from django.db import IntegrityError, connection, transaction

from opencers.core.elements import Element
from opencers.core.errors import DomainError, NotPermitted
from opencers.elements.inventory.models import InventoryItem
from opencers.submittals.models import FacilitySubmittal, Status
from opencers.submittals.services import (
    digests_verify,
    draft_get_or_create,
    draft_start_from,
    element_digest_matches,
    element_review,
    facility_submit,
)
from opencers.submittals.tests.factories import add_material, complete_facility_info


def _submit(world, persona="approver", codes=(Element.FACILITY_INFORMATION,)):
    return facility_submit(
        facility=world.facility,
        actor=world.users[persona],
        element_codes=codes,
        signer_name="Pat Primary",
        signer_title="Plant manager",
    )


def test_approver_submits_facility_information(world):
    draft = complete_facility_info(world.facility, world.users["editor"])
    submittal = _submit(world)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.version == 1
    assert draft.facility_submittal == submittal
    assert draft.regulator == world.sac
    assert len(draft.digest) == 64
    assert submittal.signer_name == "Pat Primary"
    assert "penalty of law" in submittal.certification_text


@pytest.mark.parametrize("persona", ["editor", "viewer", "other_business", "regulator"])
def test_only_approver_or_lead_submits(world, persona):
    complete_facility_info(world.facility, world.users["lead"])
    with pytest.raises(NotPermitted):
        _submit(world, persona)
    assert FacilitySubmittal.objects.count() == 0


def test_facility_information_is_required_in_every_submittal(world):
    draft = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    add_material(draft)
    with pytest.raises(DomainError, match="Facility Information must be part of every submittal"):
        _submit(world, codes=(Element.HAZARDOUS_MATERIALS_INVENTORY,))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_required_guidance_blocks_submission(world):
    draft = complete_facility_info(world.facility, world.users["lead"])
    draft.owner_operator.identification_signer_name = ""
    draft.owner_operator.save()
    with pytest.raises(DomainError, match="still has problems"):
        _submit(world)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitted_inventory_cannot_change_even_with_raw_sql(world):
    complete_facility_info(world.facility, world.users["lead"])
    inventory = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    item = add_material(inventory)
    inventory.not_applicable = False
    from opencers.documents.models import Document

    Document.objects.create(element=inventory, slot="site_map", title="Site map", option="stored_at_facility")
    _submit(world, codes=(Element.FACILITY_INFORMATION, Element.HAZARDOUS_MATERIALS_INVENTORY))
    statements = [
        ("UPDATE inventory_inventoryitem SET maximum_daily_amount = 1 WHERE id = %s", [item.pk]),
        ("DELETE FROM inventory_inventoryitem WHERE id = %s", [item.pk]),
        ("UPDATE submittals_submittalelement SET digest = 'x' WHERE id = %s", [inventory.pk]),
        ("UPDATE submittals_submittalelement SET status = 'draft' WHERE id = %s", [inventory.pk]),
        ("DELETE FROM submittals_submittalelement WHERE id = %s", [inventory.pk]),
        ("UPDATE documents_document SET option = 'exempt' WHERE element_id = %s", [inventory.pk]),
        ("UPDATE submittals_facilitysubmittal SET signer_name = 'Someone else'", []),
    ]
    for sql, params in statements:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    with pytest.raises(IntegrityError), transaction.atomic():
        InventoryItem.objects.create(
            element=inventory,
            position=2,
            common_name="Sneaked in",
            ehs="N",
            physical_state="a",
            units="c",
            maximum_daily_amount=1,
        )
    item.refresh_from_db()
    assert str(item.maximum_daily_amount) == "1200.0000"


def test_regulator_action_fields_may_change(world):
    complete_facility_info(world.facility, world.users["lead"])
    _submit(world)
    element = world.facility.elements.get(element=Element.FACILITY_INFORMATION)
    element_review(
        element_id=element.pk,
        reviewer=world.users["regulator"],
        status=Status.NOT_ACCEPTED,
        comments="Sign it",
    )
    element.refresh_from_db()
    assert element.status == Status.NOT_ACCEPTED
    assert element.resubmit_due is not None


def test_digest_verification_catches_tampering(world):
    complete_facility_info(world.facility, world.users["lead"])
    _submit(world)
    element = world.facility.elements.get(element=Element.FACILITY_INFORMATION)
    assert element_digest_matches(element)
    assert digests_verify() == []
    with connection.cursor() as cursor:
        # A database superuser bypassing the triggers, as someone tampering with the data directly would.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE facility_info_owneroperator SET owner_name = 'Tampered' WHERE element_id = %s",
            [element.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert not element_digest_matches(element)
    assert [e.pk for e in digests_verify()] == [element.pk]


def test_new_draft_from_last_submitted_copies_everything(world):
    complete_facility_info(world.facility, world.users["lead"])
    _submit(world)
    submitted = world.facility.elements.get(element=Element.FACILITY_INFORMATION)
    draft = draft_start_from(
        facility=world.facility,
        element=Element.FACILITY_INFORMATION,
        source=submitted,
        actor=world.users["editor"],
    )
    assert draft.status == Status.DRAFT
    assert draft.owner_operator.owner_name == "Acme Holdings"
    from opencers.submittals.content import element_content

    assert element_content(draft) == element_content(submitted)
