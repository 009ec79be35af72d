"""Guidance rules of Facility Information (the form, the submit page, imports and the API use them).

Each message names its field by XML name (with the field's label for people) and says how to fix it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.fields import YESNO, FieldSpec, is_empty
from opencers.elements.validation import stored_row_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING, Guidance

SPECS: dict[str, FieldSpec] = {
    spec.xml: spec for spec in (*BUSINESS_ACTIVITIES_FIELDS, *OWNER_OPERATOR_FIELDS)
}
QUESTION_SPECS = tuple(spec for spec in BUSINESS_ACTIVITIES_FIELDS if spec.kind == YESNO)
COUNTY_NUMBERS = range(1, 59)  # California's 58 counties, numbered alphabetically (Alameda 1 … Yuba 58)


def _message(level: str, xml: str, message: str) -> Guidance:
    return Guidance(level, xml, message, label=str(SPECS[xml].label) if xml in SPECS else "")


def _value(row: Any, xml: str) -> Any:
    return getattr(row, SPECS[xml].name)


# --- Business Activities ---------------------------------------------------------------------------------


def business_activities_guidance(activities: Any | None) -> list[Guidance]:
    if activities is None:
        return [Guidance(REQUIRED, "BusinessActivities", _("Answer the Business Activities questions."))]
    answered = [spec for spec in BUSINESS_ACTIVITIES_FIELDS if spec.kind != YESNO]
    messages = stored_row_guidance(activities, answered)
    for spec in QUESTION_SPECS:
        if is_empty(_value(activities, spec.xml)):
            messages.append(
                _message(REQUIRED, spec.xml, _("Answer Yes or No: %(question)s") % {"question": spec.label})
            )
    county = _value(activities, "CountyID")
    if county is not None and county not in COUNTY_NUMBERS:
        messages.append(
            _message(
                REQUIRED,
                "CountyID",
                _("%(number)s is not a California county number. Use 1 to 58, e.g. 34 for Sacramento.")
                % {"number": county},
            )
        )

    def yes(xml: str) -> bool:
        return _value(activities, xml) == "Y"

    def no(xml: str) -> bool:
        return _value(activities, xml) == "N"

    if all(no(xml) for xml in ("HMOnSite", "HWGenerator", "OwnOrOperateUST", "OwnOrOperateAPST")):
        messages.append(
            _message(
                ADVISORY,
                "HMOnSite",
                _(
                    "With no hazardous materials, waste or tanks on site, your regulator may not need a plan "
                    "from you. Check with them."
                ),
            )
        )
    if yes("RCRALargeQuantityGenerator") and no("HWGenerator"):
        messages.append(
            _message(
                WARNING,
                "HWGenerator",
                _(
                    "You answered that you are a RCRA large quantity generator but do not generate "
                    "hazardous waste. A large quantity generator generates hazardous waste: correct one of "
                    "the two answers."
                ),
            )
        )
    if yes("FinancialAssurance") and no("OnsiteHWTreatment"):
        messages.append(
            _message(
                WARNING,
                "FinancialAssurance",
                _(
                    "Financial assurance applies to on-site treatment of hazardous waste, but you answered "
                    "that you do not treat waste on site. Correct one of the two answers."
                ),
            )
        )
    return messages


# --- Owner/Operator Identification -----------------------------------------------------------------------


def owner_operator_guidance(owner: Any | None) -> list[Guidance]:
    if owner is None:
        return [
            Guidance(REQUIRED, "OwnerOperatorInformation", _("Fill in the Owner/Operator Identification."))
        ]
    messages = stored_row_guidance(owner, OWNER_OPERATOR_FIELDS)
    if owner.beginning_date and owner.ending_date and owner.ending_date < owner.beginning_date:
        messages.append(
            _message(
                REQUIRED,
                "EndingDate",
                _("The ending date (%(end)s) is before the beginning date (%(begin)s). Correct one of them.")
                % {"end": owner.ending_date.isoformat(), "begin": owner.beginning_date.isoformat()},
            )
        )
    for xml, what in (
        ("DocumentPreparerName", _("the name of the person who prepared the information")),
        ("IdentificationSignerName", _("the signer's name")),
        ("IdentificationSignerTitle", _("the signer's title")),
    ):
        if is_empty((_value(owner, xml) or "").strip()):
            messages.append(
                _message(
                    REQUIRED,
                    xml,
                    _(
                        "Give %(what)s: regulators do not accept Owner/Operator Identification without the "
                        "certification."
                    )
                    % {"what": what},
                )
            )
    signed = owner.identification_signed_date
    if signed and signed > timezone.localdate():
        messages.append(
            _message(
                WARNING,
                "IdentificationSignedDate",
                _(
                    "The date signed (%(date)s) is in the future. Give the date the signer certified the "
                    "information."
                )
                % {"date": signed.isoformat()},
            )
        )
    if owner.pec_name and owner.sec_name and owner.pec_name.strip().lower() == owner.sec_name.strip().lower():
        messages.append(
            _message(
                WARNING,
                "SECName",
                _(
                    "The secondary emergency contact is the same person as the primary. Name someone else "
                    "who can be reached."
                ),
            )
        )
    if owner.sec_name and not owner.sec_business_phone and not owner.sec24_hr_phone:
        messages.append(
            _message(
                WARNING,
                "SEC24HrPhone",
                _("Give a phone number for the secondary emergency contact, so responders can reach them."),
            )
        )
    if owner.pec24_hr_phone and owner.pec24_hr_phone == owner.phone:
        messages.append(
            _message(
                ADVISORY,
                "PEC24HrPhone",
                _(
                    "The 24-hour phone is the business phone. Make sure someone answers it at night and on "
                    "weekends."
                ),
            )
        )
    return messages
