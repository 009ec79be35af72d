"""Reads of the Hazardous Materials Inventory, scoped to the acting user.

The inventory pages show the draft, which only the business's own people may see: anyone else (its
regulators included) gets 404, exactly as for a facility that does not exist.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from opencers.core.elements import Element
from opencers.elements.fields import plain
from opencers.elements.inventory.fields import (
    FIELDS_BY_XML,
    FIRE_CODE_CLASSES,
    FIRE_CODE_FIELDS,
    PHYSICAL_STATES,
    UNITS,
)
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.validation import inventory_guidance
from opencers.library.models import Chemical
from opencers.organizations.models import Facility
from opencers.organizations.roles import groups_granting
from opencers.organizations.selectors import facility_get_for_user
from opencers.submittals.guidance import Guidance
from opencers.submittals.models import SubmittalElement
from opencers.submittals.selectors import draft_of

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def inventory_facility_for_member(*, user: Any, cers_id: int, permission: str = "facility:view") -> Facility:
    """The facility, for a member of its organization whose permission group grants ``permission``."""
    facility = facility_get_for_user(user=user, cers_id=cers_id, permission=permission)
    if not facility.organization.memberships.filter(
        user=user, group__in=groups_granting(permission)
    ).exists():
        raise Http404
    return facility


def inventory_draft(facility: Facility) -> SubmittalElement | None:
    return draft_of(facility, INVENTORY)


def inventory_items(element: SubmittalElement) -> list[Any]:
    """The rows in order (typed Any: their columns come from the field table)."""
    return list(
        InventoryItem.objects.filter(element=element)
        .select_related("library_chemical")
        .order_by("position", "id")
    )


def inventory_item_get_for_user(
    *, user: Any, cers_id: int, public_id: Any, permission: str = "facility:edit"
) -> Any:
    """One row of the facility's draft inventory."""
    facility = inventory_facility_for_member(user=user, cers_id=cers_id, permission=permission)
    draft = inventory_draft(facility)
    item = (
        InventoryItem.objects.filter(element=draft, public_id=public_id)
        .select_related("element", "library_chemical")
        .first()
        if draft
        else None
    )
    if item is None:
        raise Http404
    return item


def library_chemical_by_reference(reference: str) -> Chemical | None:
    """A library entry by its public id or its chemical library ID (CCLID); None if there is none."""
    reference = (reference or "").strip()
    if reference.isdigit():
        return Chemical.objects.filter(ccl_id=int(reference)).first()
    try:
        public_id = uuid.UUID(reference)
    except ValueError:
        return None
    return Chemical.objects.filter(public_id=public_id).first()


# --- Guidance per row ---------------------------------------------------------------------------------


@dataclass
class ItemRow:
    number: int  # 1-based row number, as the guidance messages count them
    item: Any
    guidance: list[Guidance] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(g.level) for g in self.guidance)
        return {
            "required": counted["required"],
            "warning": counted["warning"],
            "advisory": counted["advisory"],
        }


def inventory_rows(element: SubmittalElement) -> list[ItemRow]:
    """The rows with their row numbers and the guidance messages about each."""
    items = inventory_items(element)
    rows = [ItemRow(number, item) for number, item in enumerate(items, start=1)]
    for message in inventory_guidance(items):
        if message.row is not None and 1 <= message.row <= len(rows):
            rows[message.row - 1].guidance.append(message)
    return rows


def item_row(element: SubmittalElement, item: InventoryItem) -> ItemRow | None:
    return next((row for row in inventory_rows(element) if row.item.pk == item.pk), None)


# --- The Hazardous Materials Inventory Statement -------------------------------------------------------

UNIT_LABELS = dict(UNITS)
STATE_LABELS = dict(PHYSICAL_STATES)
CLASS_LABELS = dict(FIRE_CODE_CLASSES)
NO_CLASS = ""


@dataclass
class StatementLine:
    item: Any
    classes: list[str]

    @property
    def class_labels(self) -> list[str]:
        return [str(CLASS_LABELS.get(code, code)) for code in self.classes]

    @property
    def amount(self) -> str:
        return plain(self.item.maximum_daily_amount) if self.item.maximum_daily_amount is not None else ""

    @property
    def units(self) -> str:
        return _unit_label(self.item.units) if self.item.units else ""

    @property
    def physical_state(self) -> str:
        return str(STATE_LABELS.get(self.item.physical_state, self.item.physical_state))


@dataclass
class Totals:
    """Sums of the largest amounts on site, one per unit (amounts in different units are never added)."""

    by_unit: dict[str, Decimal] = field(default_factory=dict)

    def add(self, item: Any) -> None:
        if item.maximum_daily_amount is None:
            return
        self.by_unit[item.units] = self.by_unit.get(item.units, Decimal(0)) + item.maximum_daily_amount

    @property
    def lines(self) -> list[tuple[str, str]]:
        """(unit, total) pairs in the order of the unit codes (gallons, cubic feet, pounds, tons)."""
        order = [code for code, _label in UNITS]
        ordered = sorted(
            self.by_unit.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
        )
        return [(_unit_label(unit), plain(total)) for unit, total in ordered]


def _unit_label(unit: str) -> str:
    return str(UNIT_LABELS[unit]) if unit in UNIT_LABELS else _("no units given")


@dataclass
class ClassGroup:
    code: str
    lines: list[StatementLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)

    @property
    def label(self) -> str:
        return (
            str(CLASS_LABELS.get(self.code, self.code)) if self.code else _("No fire code hazard class given")
        )


@dataclass
class LocationGroup:
    location: str
    lines: list[StatementLine] = field(default_factory=list)
    classes: list[ClassGroup] = field(default_factory=list)


@dataclass
class Statement:
    element: SubmittalElement
    include_trade_secrets: bool
    locations: list[LocationGroup]
    classes: list[ClassGroup]
    trade_secret_rows_left_out: int
    material_count: int


def _item_classes(item: InventoryItem) -> list[str]:
    codes: list[str] = []
    for xml in FIRE_CODE_FIELDS:
        code = getattr(item, FIELDS_BY_XML[xml].name)
        if code and code not in codes:
            codes.append(code)
    return codes


def _class_order(code: str) -> int:
    return int(code) if code.isdigit() else 1000


def _by_class(lines: list[StatementLine]) -> list[ClassGroup]:
    groups: dict[str, ClassGroup] = {}
    for line in lines:
        for code in line.classes or [NO_CLASS]:
            group = groups.setdefault(code, ClassGroup(code))
            group.lines.append(line)
            group.totals.add(line.item)
    return [groups[code] for code in sorted(groups, key=_class_order)]


def inventory_statement(element: SubmittalElement, *, include_trade_secrets: bool = True) -> Statement:
    """The Hazardous Materials Inventory Statement: the materials by storage location and by fire code
    hazard class, with the total of the largest amounts per class and unit.

    A material with several hazard classes counts under each of them (as the fire code requires);
    without trade secrets, rows marked trade secret are left out entirely (the public copy).
    """
    items = inventory_items(element)
    kept = [item for item in items if include_trade_secrets or item.trade_secret != "Y"]  # noqa: S105 (a Y/N flag)
    lines = [StatementLine(item, _item_classes(item)) for item in kept]
    # One group per location; spelling differences of case and spacing are the same location, shown as
    # first written.
    by_location: dict[str, LocationGroup] = {}
    for line in lines:
        written = " ".join(line.item.chemical_location.split())
        by_location.setdefault(written.casefold(), LocationGroup(written)).lines.append(line)
    locations = [by_location[key] for key in sorted(by_location, key=lambda key: (key == "", key))]
    for group in locations:
        group.classes = _by_class(group.lines)
    return Statement(
        element=element,
        include_trade_secrets=include_trade_secrets,
        locations=locations,
        classes=_by_class(lines),
        trade_secret_rows_left_out=len(items) - len(kept),
        material_count=len(kept),
    )
