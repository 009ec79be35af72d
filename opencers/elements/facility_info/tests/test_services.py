"""The save services of Facility Information: parsing, all problems at once, drafts only, audit, pre-fill."""

from __future__ import annotations

from datetime import date

import pytest

from opencers.core.elements import Element
from opencers.core.errors import InvalidTransition
from opencers.core.models import AuditEvent
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.facility_info.services import (
    FieldProblems,
    business_activities_prefill,
    business_activities_save,
    owner_operator_prefill,
    owner_operator_save,
)
from opencers.elements.facility_info.tests.helpers import activities_data, owner_data
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_get_or_create, facility_submit


def _draft(world):
    return draft_get_or_create(
        facility=world.facility, element=Element.FACILITY_INFORMATION, actor=world.users["lead"]
    )


def _submit(world):
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )


def _actions(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk").values_list("actor__email", "data"))


# --- Saving ------------------------------------------------------------------------------------------------


def test_business_activities_are_parsed_and_saved(world):
    draft = _draft(world)
    before = SubmittalElement.objects.get(pk=draft.pk).updated_at

    data = activities_data(EPAID=" cal000123456 ", CountyID="34", OwnOrOperateUST="yes", HMOnSite="y")
    row = business_activities_save(draft=draft, actor=world.users["editor"], data=data)

    row.refresh_from_db()
    assert (row.element_id, row.business_name, row.epaid, row.county_id) == (
        draft.pk,
        "Acme Plating",
        "CAL000123456",
        34,
    )
    assert (row.hm_on_site, row.own_or_operate_ust, row.hw_generator) == ("Y", "Y", "N")
    assert SubmittalElement.objects.get(pk=draft.pk).updated_at > before
    [(actor, audited)] = _actions("facility_info.business_activities_saved")
    assert actor == "editor@example.com"
    assert audited == {"created": True, "changed": sorted(xml for xml, value in data.items() if value != "")}
    assert len(audited["changed"]) == 18  # the 6 filled site fields and the 12 answers


def test_saving_again_updates_the_one_row_and_audits_what_changed(world):
    draft = _draft(world)
    business_activities_save(draft=draft, actor=world.users["editor"], data=activities_data())

    business_activities_save(
        draft=draft, actor=world.users["lead"], data=activities_data(OwnOrOperateUST="Y", Comments="New tank")
    )

    assert BusinessActivities.objects.filter(element=draft).count() == 1
    assert BusinessActivities.objects.get(element=draft).own_or_operate_ust == "Y"
    assert _actions("facility_info.business_activities_saved")[-1] == (
        "lead@example.com",
        {"created": False, "changed": ["Comments", "OwnOrOperateUST"]},
    )


def test_owner_operator_phones_are_stored_in_one_style(world):
    draft = _draft(world)

    row = owner_operator_save(
        draft=draft,
        actor=world.users["editor"],
        data=owner_data(
            Phone="916.555.0100", PEC24HrPhone="+1 916 555 0199 ext. 12", BeginningDate="3/1/2012"
        ),
    )

    row.refresh_from_db()
    assert (row.phone, row.pec24_hr_phone, row.beginning_date) == (
        "(916) 555-0100",
        "(916) 555-0199 x12",
        date(2012, 3, 1),
    )
    [(actor, data)] = _actions("facility_info.owner_operator_saved")
    assert actor == "editor@example.com"
    assert data["created"] is True


def test_every_problem_is_reported_at_once_and_nothing_is_saved(world):
    draft = _draft(world)
    bad = owner_data(
        Phone="555-0100",
        EContactEmailAddress="eve.example.com",
        MailingAddressZipCode="958",
        NAICSCode="33A",
        BeginningDate="yesterday",
        OwnerName="x" * 81,
    )

    with pytest.raises(FieldProblems) as refused:
        owner_operator_save(draft=draft, actor=world.users["editor"], data=bad)

    assert sorted(refused.value.problems) == [
        "BeginningDate",
        "EContactEmailAddress",
        "MailingAddressZipCode",
        "NAICSCode",
        "OwnerName",
        "Phone",
    ]
    assert refused.value.problems["Phone"].startswith("“555-0100” is not a phone number.")
    assert (
        refused.value.problems["BeginningDate"]
        == "“yesterday” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-01."
    )
    assert (
        refused.value.problems["OwnerName"]
        == "This is 81 characters long; at most 80 are allowed. Shorten it."
    )
    assert refused.value.message == "6 fields need correcting; nothing was saved."
    assert not OwnerOperator.objects.filter(element=draft).exists()
    assert _actions("facility_info.owner_operator_saved") == []


def test_a_refused_update_leaves_the_saved_row_as_it_was(world):
    draft = _draft(world)
    business_activities_save(draft=draft, actor=world.users["editor"], data=activities_data())

    with pytest.raises(FieldProblems) as refused:
        business_activities_save(
            draft=draft,
            actor=world.users["editor"],
            data=activities_data(BusinessName="Renamed", ZipCode="ABCDE", CountyID="99", HWGenerator="maybe"),
        )

    assert refused.value.problems == {
        "ZipCode": "“ABCDE” is not a ZIP code. Use 5 digits, or 5+4 digits like 95814-1234.",
        "CountyID": "99 is too large: the highest allowed is 58.",
        "HWGenerator": "“maybe” is not Y or N.",
    }
    row = BusinessActivities.objects.get(element=draft)
    assert (row.business_name, row.zip_code, row.county_id, row.hw_generator) == (
        "Acme Plating",
        "95814",
        34,
        "N",
    )
    assert len(_actions("facility_info.business_activities_saved")) == 1


def test_a_draft_may_be_saved_incomplete(world):
    draft = _draft(world)

    row = owner_operator_save(draft=draft, actor=world.users["editor"], data={"Phone": "9165550100"})

    assert (row.phone, row.owner_name, row.beginning_date) == ("(916) 555-0100", "", None)


@pytest.mark.parametrize("save", [business_activities_save, owner_operator_save])
def test_a_submitted_version_cannot_be_changed(world, save):
    from opencers.submittals.tests.factories import complete_facility_info

    draft = complete_facility_info(world.facility, world.users["lead"])
    _submit(world)
    draft.refresh_from_db()
    activities_before = BusinessActivities.objects.filter(element=draft).values().get()
    owner_before = OwnerOperator.objects.filter(element=draft).values().get()
    events_before = AuditEvent.objects.count()

    with pytest.raises(InvalidTransition, match="Only a draft can be changed"):
        save(
            draft=draft,
            actor=world.users["lead"],
            data={"BusinessName": "Changed", "Phone": "(916) 555-0177"},
        )

    assert BusinessActivities.objects.filter(element=draft).values().get() == activities_before
    assert OwnerOperator.objects.filter(element=draft).values().get() == owner_before
    assert AuditEvent.objects.count() == events_before


def test_a_draft_of_another_element_is_refused(world):
    inventory = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )

    with pytest.raises(Exception, match="not a Facility Information draft"):
        business_activities_save(draft=inventory, actor=world.users["lead"], data=activities_data())

    assert not BusinessActivities.objects.exists()


# --- Pre-filling -------------------------------------------------------------------------------------------


def test_a_first_draft_is_prefilled_from_the_facility(world):
    facility = world.facility

    assert business_activities_prefill(facility) == {
        "BusinessName": "Acme Plating",
        "SiteAddress": facility.street,
        "City": facility.city,
        "ZipCode": "95814",
        "CountyID": 34,
    }
    assert facility.street == "1001 I ST"
    assert facility.city == "SACRAMENTO"
    assert owner_operator_prefill(_draft(world)) == {}


def test_a_new_draft_is_prefilled_from_the_last_submitted_version(world):
    from opencers.submittals.tests.factories import complete_facility_info

    complete_facility_info(world.facility, world.users["lead"], own_or_operate_ust="Y")
    _submit(world)
    world.facility.name = "Acme Plating West"
    world.facility.epa_id = "CAL000999999"
    world.facility.save()
    draft = _draft(world)

    activities = business_activities_prefill(world.facility)
    owner = owner_operator_prefill(draft)

    assert (
        activities["BusinessName"],
        activities["EPAID"],
        activities["OwnOrOperateUST"],
        activities["HMOnSite"],
    ) == (
        "Acme Plating West",
        "CAL000999999",
        "Y",
        "Y",
    )
    assert owner["OperatorName"] == "Acme Plating Inc."
    assert owner["PEC24HrPhone"] == "(916) 555-0199"
    assert owner["BeginningDate"] == "2010-01-01"
    assert {"DocumentPreparerName", "IdentificationSignerName", "IdentificationSignerTitle"} & set(
        owner
    ) == set()


def test_owner_prefill_is_empty_once_the_draft_has_its_own(world):
    from opencers.submittals.tests.factories import complete_facility_info

    complete_facility_info(world.facility, world.users["lead"])
    _submit(world)
    draft = _draft(world)
    owner_operator_save(draft=draft, actor=world.users["lead"], data={"OwnerName": "New Owner"})

    assert owner_operator_prefill(draft) == {}
