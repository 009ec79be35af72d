"""Helpers that fill drafts with complete, valid data (used by tests across apps)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from opencers.core.elements import Element
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.inventory.models import InventoryItem
from opencers.submittals.services import draft_get_or_create


def complete_facility_info(facility: Any, actor: Any, **activities: str) -> Any:
    draft = draft_get_or_create(facility=facility, element=Element.FACILITY_INFORMATION, actor=actor)
    answers = {
        "hm_on_site": "Y",
        "cal_arp_regulated_substances": "N",
        "own_or_operate_ust": "N",
        "own_or_operate_apst": "N",
        "hw_generator": "N",
        "recycle": "N",
        "onsite_hw_treatment": "N",
        "financial_assurance": "N",
        "rw_consolidation_site": "N",
        "hw_tank_closure": "N",
        "rcra_large_quantity_generator": "N",
        "hhw_collection": "N",
    }
    answers.update(activities)
    BusinessActivities.objects.update_or_create(
        element=draft,
        defaults={
            "business_name": facility.name[:70],
            "site_address": facility.street,
            "city": facility.city,
            "zip_code": facility.zip_code,
            "county_id": 34,
            **answers,
        },
    )
    phone = "(916) 555-0100"
    OwnerOperator.objects.update_or_create(
        element=draft,
        defaults={
            "beginning_date": date(2010, 1, 1),
            "phone": phone,
            "mailing_address": "PO Box 1",
            "mailing_address_city": "Sacramento",
            "operator_name": "Acme Plating Inc.",
            "operator_phone": phone,
            "owner_name": "Acme Holdings",
            "owner_phone": phone,
            "owner_mail_address": "PO Box 1",
            "owner_city": "Sacramento",
            "e_contact_name": "Eve Contact",
            "e_contact_phone": phone,
            "e_contact_mailing_address": "PO Box 1",
            "e_contact_city": "Sacramento",
            "pec_name": "Pat Primary",
            "pec_title": "Plant manager",
            "pec_business_phone": phone,
            "pec24_hr_phone": "(916) 555-0199",
            "document_preparer_name": "Eve Contact",
            "identification_signer_name": "Pat Primary",
            "identification_signer_title": "Plant manager",
            "billing_contact_name": "Bill Payer",
            "billing_contact_phone": phone,
            "billing_address": "PO Box 1",
            "billing_address_city": "Sacramento",
        },
    )
    return draft


def add_material(draft: Any, position: int = 1, **values: Any) -> InventoryItem:
    row = {
        "common_name": "Sulfuric acid",
        "chemical_name": "Sulfuric acid",
        "cas_number": "7664-93-9",
        "ehs": "Y",
        "hm_type": "a",
        "physical_state": "b",
        "units": "c",
        "maximum_daily_amount": Decimal("1200"),
        "average_daily_amount": Decimal("800"),
        "days_on_site": 365,
        "chemical_location": "Plating line 1",
    }
    row.update(values)
    return InventoryItem.objects.create(element=draft, position=position, **row)
