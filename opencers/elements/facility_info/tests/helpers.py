"""Complete, valid Facility Information values for tests, keyed by XML name as forms send them."""

from __future__ import annotations

from typing import Any

from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.fields import parse_value

ANSWERS_NO = {
    "HMOnSite": "N",
    "CalARPRegulatedSubstances": "N",
    "OwnOrOperateUST": "N",
    "OwnOrOperateAPST": "N",
    "HWGenerator": "N",
    "Recycle": "N",
    "OnsiteHWTreatment": "N",
    "FinancialAssurance": "N",
    "RWConsolidationSite": "N",
    "HWTankClosure": "N",
    "RCRALargeQuantityGenerator": "N",
    "HHWCollection": "N",
}


def activities_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "BusinessName": "Acme Plating",
        "SiteAddress": "1001 I ST",
        "SiteAddressSupplemental": "",
        "City": "SACRAMENTO",
        "ZipCode": "95814",
        "CountyID": "34",
        "EPAID": "CAL000123456",
        **ANSWERS_NO,
        "HMOnSite": "Y",
        "Comments": "",
    }
    data.update(overrides)
    return data


def owner_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "BeginningDate": "2010-01-01",
        "EndingDate": "",
        "Phone": "(916) 555-0100",
        "NAICSCode": "332813",
        "MailingAddress": "PO Box 1",
        "MailingAddressCity": "Sacramento",
        "MailingAddressState": "CA",
        "MailingAddressZipCode": "95812",
        "OperatorName": "Acme Plating Inc.",
        "OperatorPhone": "(916) 555-0100",
        "OwnerName": "Acme Holdings",
        "OwnerPhone": "(916) 555-0100",
        "OwnerMailAddress": "PO Box 1",
        "OwnerCity": "Sacramento",
        "EContactName": "Eve Contact",
        "EContactPhone": "(916) 555-0101",
        "EContactMailingAddress": "PO Box 1",
        "EContactEmailAddress": "eve@example.com",
        "EContactCity": "Sacramento",
        "PECName": "Pat Primary",
        "PECTitle": "Plant manager",
        "PECBusinessPhone": "(916) 555-0100",
        "PEC24HrPhone": "(916) 555-0199",
        "SECName": "Sam Second",
        "SECTitle": "Shift lead",
        "SECBusinessPhone": "(916) 555-0102",
        "SEC24HrPhone": "(916) 555-0198",
        "IdentificationSignedDate": "2025-01-15",
        "DocumentPreparerName": "Eve Contact",
        "IdentificationSignerName": "Pat Primary",
        "IdentificationSignerTitle": "Plant manager",
        "BillingContactName": "Bill Payer",
        "BillingContactPhone": "(916) 555-0103",
        "BillingContactEmail": "billing@example.com",
        "BillingAddress": "PO Box 1",
        "BillingAddressCity": "Sacramento",
    }
    data.update(overrides)
    return data


def _row(model: type, specs: tuple, data: dict[str, Any]) -> Any:
    """An unsaved row holding ``data`` parsed as the save service would (for rule tests, no database)."""
    row = model()
    for spec in specs:
        setattr(row, spec.name, parse_value(spec, data.get(spec.xml)))
    return row


def activities_row(**overrides: Any) -> BusinessActivities:
    return _row(BusinessActivities, BUSINESS_ACTIVITIES_FIELDS, activities_data(**overrides))


def owner_row(**overrides: Any) -> OwnerOperator:
    return _row(OwnerOperator, OWNER_OPERATOR_FIELDS, owner_data(**overrides))
