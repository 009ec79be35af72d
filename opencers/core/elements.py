"""The ten submittal elements of the Unified Program (DOMAIN.md section 3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Element(models.IntegerChoices):
    FACILITY_INFORMATION = 1, _("Facility Information")
    HAZARDOUS_MATERIALS_INVENTORY = 2, _("Hazardous Materials Inventory")
    EMERGENCY_RESPONSE_TRAINING = 3, _("Emergency Response and Training Plans")
    UST = 4, _("Underground Storage Tanks")
    TIERED_PERMITTING = 5, _("Onsite Hazardous Waste Treatment Notification")
    RECYCLABLE_MATERIALS = 6, _("Recyclable Materials Report")
    REMOTE_WASTE_CONSOLIDATION = 7, _("Remote Waste Consolidation Site Annual Notification")
    HW_TANK_CLOSURE = 8, _("Hazardous Waste Tank Closure Certification")
    APSA = 9, _("Aboveground Petroleum Storage Act")
    CALARP = 10, _("California Accidental Release Program")


HMBP_ELEMENTS = (
    Element.FACILITY_INFORMATION,
    Element.HAZARDOUS_MATERIALS_INVENTORY,
    Element.EMERGENCY_RESPONSE_TRAINING,
)

# Short names used in URLs.
ELEMENT_SLUGS = {
    Element.FACILITY_INFORMATION: "facility-information",
    Element.HAZARDOUS_MATERIALS_INVENTORY: "inventory",
    Element.EMERGENCY_RESPONSE_TRAINING: "emergency-response-plans",
    Element.UST: "underground-storage-tanks",
    Element.TIERED_PERMITTING: "onsite-waste-treatment",
    Element.RECYCLABLE_MATERIALS: "recyclable-materials",
    Element.REMOTE_WASTE_CONSOLIDATION: "remote-waste-consolidation",
    Element.HW_TANK_CLOSURE: "waste-tank-closure",
    Element.APSA: "aboveground-petroleum-tanks",
    Element.CALARP: "calarp",
}
ELEMENTS_BY_SLUG = {slug: element for element, slug in ELEMENT_SLUGS.items()}
