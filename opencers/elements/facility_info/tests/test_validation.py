"""Every guidance rule of Facility Information, on rows as the save service stores them (no database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opencers.elements.facility_info.tests.helpers import activities_row, owner_row
from opencers.elements.facility_info.validation import business_activities_guidance, owner_operator_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING, Guidance


def summary(messages: list[Guidance]) -> list[tuple[str, str]]:
    return [(str(m.level), m.field) for m in messages]


# --- Business Activities ---------------------------------------------------------------------------------


def test_complete_business_activities_have_no_guidance():
    assert business_activities_guidance(activities_row()) == []


def test_missing_business_activities_are_required():
    assert business_activities_guidance(None) == [
        Guidance(REQUIRED, "BusinessActivities", "Answer the Business Activities questions.")
    ]


@pytest.mark.parametrize(
    ("xml", "label"),
    [
        ("BusinessName", "Business name (doing business as)"),
        ("SiteAddress", "Site address"),
        ("City", "City"),
        ("ZipCode", "ZIP code"),
        ("CountyID", "County number"),
    ],
)
def test_a_missing_site_field_is_required(xml, label):
    assert business_activities_guidance(activities_row(**{xml: ""})) == [
        Guidance(REQUIRED, xml, f"{label} is required. Fill it in.", label=label)
    ]


def test_an_unanswered_question_is_required_and_quoted():
    messages = business_activities_guidance(activities_row(OwnOrOperateUST=""))
    assert messages == [
        Guidance(
            REQUIRED,
            "OwnOrOperateUST",
            "Answer Yes or No: Do you own or operate underground storage tanks?",
            label="Do you own or operate underground storage tanks?",
        )
    ]


def test_a_bad_zip_code_is_named():
    assert business_activities_guidance(activities_row(ZipCode="9581")) == [
        Guidance(
            REQUIRED,
            "ZipCode",
            "“9581” is not a ZIP code. Use 5 digits, or 5+4 digits like 95814-1234.",
            label="ZIP code",
        )
    ]


def test_a_bad_epa_id_is_named():
    messages = business_activities_guidance(activities_row(EPAID="CA12345"))
    assert summary(messages) == [("required", "EPAID")]
    assert messages[0].message.startswith("“CA12345” is not an EPA ID number. It has 12 characters")


@pytest.mark.parametrize("county", [0, 59])
def test_a_county_number_outside_california_is_required(county):
    # The form refuses such a number; data from elsewhere (an EDT upload, an old record) is still checked.
    row = activities_row()
    row.county_id = county
    assert business_activities_guidance(row) == [
        Guidance(
            REQUIRED,
            "CountyID",
            f"{county} is not a California county number. Use 1 to 58, e.g. 34 for Sacramento.",
            label="County number",
        )
    ]


def test_no_materials_waste_or_tanks_is_an_advisory():
    messages = business_activities_guidance(activities_row(HMOnSite="N"))
    assert summary(messages) == [("advisory", "HMOnSite")]
    assert messages[0].message == (
        "With no hazardous materials, waste or tanks on site, your regulator may not need a plan from you. "
        "Check with them."
    )


@pytest.mark.parametrize("yes", ["HMOnSite", "HWGenerator", "OwnOrOperateUST", "OwnOrOperateAPST"])
def test_any_material_waste_or_tank_answer_silences_the_advisory(yes):
    answers = {"HMOnSite": "N", yes: "Y"}
    assert business_activities_guidance(activities_row(**answers)) == []


def test_a_large_quantity_generator_that_generates_no_waste_is_a_warning():
    messages = business_activities_guidance(activities_row(RCRALargeQuantityGenerator="Y", HWGenerator="N"))
    assert summary(messages) == [("warning", "HWGenerator")]
    assert "correct one of the two answers" in messages[0].message
    assert business_activities_guidance(activities_row(RCRALargeQuantityGenerator="Y", HWGenerator="Y")) == []


def test_financial_assurance_without_treatment_is_a_warning():
    messages = business_activities_guidance(activities_row(FinancialAssurance="Y", OnsiteHWTreatment="N"))
    assert summary(messages) == [("warning", "FinancialAssurance")]
    assert business_activities_guidance(activities_row(FinancialAssurance="Y", OnsiteHWTreatment="Y")) == []


# --- Owner/Operator Identification -----------------------------------------------------------------------


def test_complete_owner_operator_has_no_guidance():
    assert owner_operator_guidance(owner_row()) == []


def test_missing_owner_operator_is_required():
    assert owner_operator_guidance(None) == [
        Guidance(REQUIRED, "OwnerOperatorInformation", "Fill in the Owner/Operator Identification.")
    ]


@pytest.mark.parametrize(
    ("xml", "label"),
    [
        ("Phone", "Business phone"),
        ("OperatorName", "Operator name"),
        ("OwnerName", "Owner name"),
        ("EContactName", "Environmental contact name"),
        ("PECName", "Primary emergency contact name"),
        ("PEC24HrPhone", "Primary emergency contact 24-hour phone"),
        ("BillingContactName", "Billing contact name"),
    ],
)
def test_a_missing_required_field_is_required(xml, label):
    assert owner_operator_guidance(owner_row(**{xml: ""})) == [
        Guidance(REQUIRED, xml, f"{label} is required. Fill it in.", label=label)
    ]


@pytest.mark.parametrize(
    ("xml", "value", "start"),
    [
        ("Phone", "555-0100", "“555-0100” is not a phone number."),
        ("OwnerPhone", "12", "“12” is not a phone number."),
        ("MailingAddressZipCode", "958", "“958” is not a ZIP code."),
        ("EContactEmailAddress", "eve.example.com", "“eve.example.com” is not an e-mail address."),
        ("BillingContactEmail", "bill@", "“bill@” is not an e-mail address."),
        ("NAICSCode", "33A", "“33A” is not a NAICS code."),
    ],
)
def test_a_badly_formed_value_is_required_and_named(xml, value, start):
    messages = owner_operator_guidance(owner_row(**{xml: value}))
    assert summary(messages) == [("required", xml)]
    assert messages[0].message.startswith(start)


def test_an_ending_date_before_the_beginning_date_is_required():
    assert owner_operator_guidance(owner_row(BeginningDate="2020-05-01", EndingDate="2019-12-31")) == [
        Guidance(
            REQUIRED,
            "EndingDate",
            "The ending date (2019-12-31) is before the beginning date (2020-05-01). Correct one of them.",
            label="Date the business ended at this site",
        )
    ]
    assert owner_operator_guidance(owner_row(BeginningDate="2020-05-01", EndingDate="2020-05-01")) == []


@pytest.mark.parametrize(
    ("xml", "what"),
    [
        ("DocumentPreparerName", "the name of the person who prepared the information"),
        ("IdentificationSignerName", "the signer's name"),
        ("IdentificationSignerTitle", "the signer's title"),
    ],
)
@pytest.mark.parametrize("empty", ["", "   "])
def test_missing_certification_is_required(xml, what, empty):
    messages = owner_operator_guidance(owner_row(**{xml: empty}))
    assert summary(messages) == [("required", xml)]
    assert messages[0].message == (
        f"Give {what}: regulators do not accept Owner/Operator Identification without the certification."
    )


def test_a_signed_date_in_the_future_is_a_warning():
    tomorrow = timezone.localdate() + timedelta(days=1)
    messages = owner_operator_guidance(owner_row(IdentificationSignedDate=tomorrow.isoformat()))
    assert summary(messages) == [("warning", "IdentificationSignedDate")]
    assert owner_operator_guidance(owner_row(IdentificationSignedDate=timezone.localdate().isoformat())) == []


@pytest.mark.parametrize("secondary", ["Pat Primary", " pat primary "])
def test_the_same_primary_and_secondary_contact_is_a_warning(secondary):
    messages = owner_operator_guidance(owner_row(SECName=secondary))
    assert messages == [
        Guidance(
            WARNING,
            "SECName",
            "The secondary emergency contact is the same person as the primary. "
            "Name someone else who can be reached.",
            label="Secondary emergency contact name",
        )
    ]


def test_a_secondary_contact_without_a_phone_is_a_warning():
    messages = owner_operator_guidance(owner_row(SECBusinessPhone="", SEC24HrPhone=""))
    assert summary(messages) == [("warning", "SEC24HrPhone")]
    assert owner_operator_guidance(owner_row(SECBusinessPhone="", SEC24HrPhone="(916) 555-0111")) == []
    assert (
        owner_operator_guidance(owner_row(SECName="", SECTitle="", SECBusinessPhone="", SEC24HrPhone=""))
        == []
    )


def test_a_24_hour_phone_equal_to_the_business_phone_is_an_advisory():
    messages = owner_operator_guidance(owner_row(PEC24HrPhone="(916) 555-0100"))
    assert messages == [
        Guidance(
            ADVISORY,
            "PEC24HrPhone",
            "The 24-hour phone is the business phone. Make sure someone answers it at night and on weekends.",
            label="Primary emergency contact 24-hour phone",
        )
    ]
