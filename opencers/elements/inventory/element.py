"""The Hazardous Materials Inventory as a submittal element (registered with the element framework)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.elements.fields import content_of, copy_values
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.validation import inventory_guidance
from opencers.submittals.guidance import REQUIRED, Guidance
from opencers.submittals.registry import DocumentSlot, ElementType, register

SITE_MAP = DocumentSlot(
    key="site_map",
    label=_("Site map"),
    help=_(
        "A map of the site with a scale, north arrow, loading areas, internal roads, storm and sewer drains, "
        "adjacent property and streets, entry and exit points, storage and handling areas, emergency equipment "
        "and utility shut-offs (Title 19)."
    ),
    xml_name="SiteMapDocuments",
)


def items_of(element: Any) -> list[InventoryItem]:
    return list(InventoryItem.objects.filter(element=element).order_by("position", "id"))


def content(element: Any) -> dict[str, Any]:
    return {"Chemicals": [content_of(item, CHEMICAL_FIELDS) for item in items_of(element)]}


def copy(source: Any, target: Any) -> None:
    rows = []
    for item in items_of(source):
        new = InventoryItem(
            element=target, position=item.position, library_chemical_id=item.library_chemical_id
        )
        copy_values(item, new, CHEMICAL_FIELDS)
        rows.append(new)
    InventoryItem.objects.bulk_create(rows, batch_size=1000)


def guidance(element: Any) -> list[Guidance]:
    items = items_of(element)
    if not items:
        return [
            Guidance(
                REQUIRED,
                "Chemicals",
                str(
                    _(
                        "Add at least one material, or mark the element not applicable if you have none to report."
                    )
                ),
            )
        ]
    return inventory_guidance(items)


def row_key(row: dict[str, Any]) -> str:
    identity = row.get("CASNumber") or row.get("CommonName", "")
    return f"{row.get('CommonName', '')} [{identity}] @ {row.get('ChemicalLocation', '')}"


def register_element() -> None:
    register(
        ElementType(
            element=Element.HAZARDOUS_MATERIALS_INVENTORY,
            content=content,
            copy=copy,
            guidance=guidance,
            document_slots=(SITE_MAP,),
            row_keys={"Chemicals": row_key},
            labels={spec.xml: spec.label for spec in CHEMICAL_FIELDS},
            edit_url_name="business:inventory",
            sections={"Chemicals": (_("Materials"), CHEMICAL_FIELDS)},
        )
    )
