"""Test helpers of the Tier II exchange: NOAA's sample, inventories to export, and the facts of a file."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from opencers.core.elements import Element
from opencers.elements.inventory.models import InventoryItem
from opencers.submittals.services import draft_get_or_create, facility_submit
from opencers.submittals.tests.factories import complete_facility_info
from opencers.tier2.dataset import Dataset
from opencers.tier2.xmlio import read_xml

ROOT = Path(__file__).resolve().parents[3]
SAMPLES_DIR = Path(os.environ.get("TIER2_SAMPLES_DIR", ROOT.parent / "shared" / "tier2-samples"))
SAMPLE_NAME = "epcra_tier2_data.xml"
INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def sample_bytes() -> bytes:
    path = SAMPLES_DIR / SAMPLE_NAME
    if not path.is_file():
        pytest.skip(
            f"NOAA's Tier II sample {SAMPLE_NAME} is not in {SAMPLES_DIR} (set TIER2_SAMPLES_DIR to its folder)."
        )
    return path.read_bytes()


def inventory_draft(facility: Any, actor: Any) -> Any:
    return draft_get_or_create(facility=facility, element=INVENTORY, actor=actor)


def row(draft: Any, position: int, **values: Any) -> InventoryItem:
    """A row in pounds with every container and hazard flag answered "N" unless given."""
    defaults: dict[str, Any] = {
        "common_name": "Sodium hydroxide",
        "chemical_name": "Sodium hydroxide",
        "cas_number": "1310-73-2",
        "ehs": "N",
        "trade_secret": "N",
        "hm_type": "a",
        "physical_state": "a",
        "units": "c",
        "maximum_daily_amount": Decimal("12000"),
        "average_daily_amount": Decimal("6000"),
        "days_on_site": 365,
        "chemical_location": "Warehouse",
        "cl_confidential": "N",
        "storage_pressure": "a",
        "storage_temperature": "a",
    }
    from opencers.elements.inventory.fields import CONTAINER_FIELDS, FHC_FIELDS, FIELDS_BY_XML

    for xml in (*CONTAINER_FIELDS, *FHC_FIELDS[5:]):
        defaults[FIELDS_BY_XML[xml].name] = "N"
    defaults.update(values)
    return InventoryItem.objects.create(element=draft, position=position, **defaults)


def submit_inventory(facility: Any, actor: Any) -> Any:
    """Submit Facility Information and the inventory draft together; returns the inventory version."""
    from opencers.documents.models import Document
    from opencers.submittals.selectors import draft_of

    complete_facility_info(facility, actor)
    draft = draft_of(facility, INVENTORY)
    if not Document.objects.filter(element=draft, slot="site_map").exists():
        Document.objects.create(element=draft, slot="site_map", title="Site map", option="stored_at_facility")
    submittal = facility_submit(
        facility=facility,
        actor=actor,
        element_codes=[Element.FACILITY_INFORMATION, INVENTORY],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    element = submittal.elements.get(element=INVENTORY)
    return element


def parse(data: bytes) -> Dataset:
    return read_xml(data).dataset


def chemical_facts(chemical: Any, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """The facts of one Tier II chemical that the CERS mapping carries (record ids, state fields, dates,
    derived flags and component codes excluded), in comparable form."""
    facts = {
        "name": chemical.name,
        "cas": chemical.cas,
        "ehs": chemical.ehs,
        "pure": chemical.pure,
        "mixture": chemical.mixture,
        "states": (chemical.solid, chemical.liquid, chemical.gas),
        "hazards": [(hazard.category, hazard.value) for hazard in chemical.hazards],
        "ave_amount": chemical.ave_amount,
        "ave_amount_code": chemical.ave_amount_code,
        "max_amount": chemical.max_amount,
        "max_amount_code": chemical.max_amount_code,
        "days_on_site": chemical.days_on_site,
        "max_amt_largest_container": chemical.max_amt_largest_container,
        "confidential_storage_locs": chemical.confidential_storage_locs,
        "trade_secret": chemical.trade_secret,
        "locations": sorted(
            (loc.description, loc.storage_type, loc.pressure, loc.temperature, loc.amount, loc.unit)
            for loc in chemical.storage_locations
        ),
        "components": sorted(
            (c.name, c.cas, c.ehs, c.percentage, c.weight_or_volume) for c in chemical.components or []
        ),
    }
    for key in without:
        facts.pop(key)
    return facts
