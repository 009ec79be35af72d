"""Guidance rules of Facility Information."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.validation import stored_row_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING, Guidance


def business_activities_guidance(activities: Any | None) -> list[Guidance]:
    if activities is None:
        return [Guidance(REQUIRED, "BusinessActivities", _("Answer the Business Activities questions."))]
    messages = stored_row_guidance(activities, BUSINESS_ACTIVITIES_FIELDS)
    if activities.hm_on_site == "N" and activities.hw_generator == "N" and activities.own_or_operate_ust == "N" and activities.own_or_operate_apst == "N":
        messages.append(
            Guidance(ADVISORY, "HMOnSite", _("With no hazardous materials, waste or tanks on site, your regulator may not need a plan from you. Check with them."))
        )
    return messages


def owner_operator_guidance(owner: Any | None) -> list[Guidance]:
    if owner is None:
        return [Guidance(REQUIRED, "OwnerOperatorInformation", _("Fill in the Owner/Operator Identification."))]
    messages = stored_row_guidance(owner, OWNER_OPERATOR_FIELDS)
    if owner.beginning_date and owner.ending_date and owner.ending_date < owner.beginning_date:
        messages.append(Guidance(REQUIRED, "EndingDate", _("The ending date is before the beginning date. Correct one of them.")))
    for xml, label in (
        ("DocumentPreparerName", _("the name of the person who prepared the information")),
        ("IdentificationSignerName", _("the signer's name")),
        ("IdentificationSignerTitle", _("the signer's title")),
    ):
        attr = {"DocumentPreparerName": "document_preparer_name", "IdentificationSignerName": "identification_signer_name",
                "IdentificationSignerTitle": "identification_signer_title"}[xml]
        if not getattr(owner, attr):
            messages.append(
                Guidance(REQUIRED, xml, _("Give %(what)s: regulators do not accept Owner/Operator Identification without the certification.") % {"what": label})
            )
    if owner.pec_name and owner.sec_name and owner.pec_name.strip().lower() == owner.sec_name.strip().lower():
        messages.append(Guidance(WARNING, "SECName", _("The secondary emergency contact is the same person as the primary. Name someone else who can be reached.")))
    if owner.pec24_hr_phone and owner.pec24_hr_phone == owner.phone:
        messages.append(Guidance(ADVISORY, "PEC24HrPhone", _("The 24-hour phone is the business phone. Make sure someone answers it at night and on weekends.")))
    return messages
