"""What changed between two versions: parts made of single values are compared field by field."""

from opencers.core.elements import Element
from opencers.elements.facility_info.models import OwnerOperator
from opencers.submittals.content import Change, compare, element_content
from opencers.submittals.display import change_rows
from opencers.submittals.services import draft_start_from, facility_submit
from opencers.submittals.tests.factories import complete_facility_info

OWNER_PART = "Owner/Operator Identification"


def test_facility_information_changes_are_listed_field_by_field(world):
    # Given a submitted Facility Information, and a new draft copied from it with two contacts changed
    lead = world.users["lead"]
    complete_facility_info(world.facility, lead)
    submittal = facility_submit(
        facility=world.facility,
        actor=lead,
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Pat Primary",
        signer_title="Plant manager",
    )
    first = submittal.elements.get()
    draft = draft_start_from(
        facility=world.facility, element=Element.FACILITY_INFORMATION, source=first, actor=lead
    )
    OwnerOperator.objects.filter(element=draft).update(pec24_hr_phone="(916) 555-0177", sec_name="Sam Second")

    # When the two versions are compared
    changes = compare(element_content(first), element_content(draft), element=Element.FACILITY_INFORMATION)

    # Then each changed field is one change, labelled and placed in its part; nothing else is listed
    assert changes == [
        Change(
            "changed",
            "OwnerOperatorInformation",
            OWNER_PART,
            "Primary emergency contact 24-hour phone",
            "(916) 555-0199",
            "(916) 555-0177",
            field="Primary emergency contact 24-hour phone",
        ),
        Change(
            "added",
            "OwnerOperatorInformation",
            OWNER_PART,
            "Secondary emergency contact name",
            None,
            "Sam Second",
            field="Secondary emergency contact name",
        ),
    ]
    assert [
        (row["kind"], row["where"], row["field"], row["before"], row["after"]) for row in change_rows(changes)
    ] == [
        (
            "changed",
            OWNER_PART,
            "Primary emergency contact 24-hour phone",
            "(916) 555-0199",
            "(916) 555-0177",
        ),
        ("added", OWNER_PART, "Secondary emergency contact name", "", "Sam Second"),
    ]


def test_a_part_filled_in_for_the_first_time_lists_each_of_its_fields(world):
    # Given a first version without Business Activities compared with one that has them
    old = {"data": {"BusinessActivities": {}, "OwnerOperatorInformation": {}}, "documents": []}
    new = {"data": {"BusinessActivities": {"HMOnSite": "Y", "City": "SACRAMENTO"}}, "documents": []}

    # When compared
    changes = compare(old, new, element=Element.FACILITY_INFORMATION)

    # Then each answer is an addition in the Business Activities part
    assert [(c.kind, c.key, c.field, c.after) for c in changes] == [
        (
            "added",
            "Business Activities",
            "Does the facility have hazardous materials on site at or above reportable quantities at any one time?",
            "Y",
        ),
        ("added", "Business Activities", "City", "SACRAMENTO"),
    ]
