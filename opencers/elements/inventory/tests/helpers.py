"""Test data of the inventory tests: a draft inventory, raw form input of a complete row, library entries."""

from __future__ import annotations

from typing import Any

from opencers.core.elements import Element
from opencers.library.models import Chemical
from opencers.submittals.services import draft_get_or_create

# A complete row as a person types it (raw text keyed by XML name).
SULFURIC_ACID = {
    "CommonName": "Sulfuric acid 93%",
    "ChemicalName": "Sulfuric acid",
    "CASNumber": "7664-93-9",
    "EHS": "Y",
    "HMType": "a",
    "PhysicalState": "b",
    "Units": "c",
    "MaximumDailyAmount": "1200",
    "AverageDailyAmount": "800",
    "DaysOnSite": "365",
    "ChemicalLocation": "Plating line 1",
}


def inventory_draft(world: Any, persona: str = "editor") -> Any:
    return draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users[persona]
    )


def submitted_inventory(world: Any) -> tuple[Any, Any]:
    """Facility Information and an inventory of one row, submitted; returns the inventory and its row."""
    from opencers.documents.models import Document
    from opencers.submittals.services import facility_submit
    from opencers.submittals.tests.factories import add_material, complete_facility_info

    complete_facility_info(world.facility, world.users["lead"])
    draft = inventory_draft(world, "lead")
    item = add_material(draft)
    Document.objects.create(element=draft, slot="site_map", title="Site map", option="stored_at_facility")
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        element_codes=[Element.FACILITY_INFORMATION, Element.HAZARDOUS_MATERIALS_INVENTORY],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    return draft, item


def library_chemical(name: str, cas: str = "", **extra: Any) -> Chemical:
    chemical = Chemical.objects.create(name=name, cas=cas, source="manual", **extra)
    chemical.refresh_from_db()
    return chemical
