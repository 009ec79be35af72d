"""Writing an import: replace or append, organization-wide routing, one audit event per facility."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.tests.helpers import submitted_inventory
from opencers.organizations.addresses import address_wash
from opencers.organizations.services import facility_create
from opencers.spreadsheets.services import inventory_import
from opencers.spreadsheets.tests.helpers import ACETONE, row, snapshot, workbook
from opencers.submittals.selectors import draft_of
from opencers.submittals.services import draft_get_or_create
from opencers.submittals.tests.factories import add_material

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY


def _import(world: Any, content: bytes, *, mode: str, persona: str = "editor", **scope: Any) -> Any:
    return inventory_import(
        content=content,
        file_name="inventory.xlsx",
        actor=world.users[persona],
        mode=mode,
        **(scope or {"facility": world.facility}),
    )


def _names(draft: Any) -> list[tuple[int, str, str]]:
    return list(
        InventoryItem.objects.filter(element=draft)
        .order_by("position")
        .values_list("position", "common_name", "chemical_location")
    )


def test_replace_empties_the_draft_inventory_first(world: Any) -> None:
    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    add_material(draft)
    add_material(draft, common_name="Old stock", chemical_location="Attic")

    result = _import(world, workbook([row(world.facility.cers_id, ACETONE)]), mode="replace")

    assert result.imported is True
    assert _names(draft) == [(1, "Acetone", "Paint room")]
    (event,) = AuditEvent.objects.filter(action="inventory.imported")
    assert event.object_id == str(draft.pk)
    assert event.actor == world.users["editor"]
    assert event.facility_id == world.facility.pk
    assert event.business_only is True
    assert event.data == {
        "mode": "replace",
        "rows_added": 1,
        "rows_removed": 2,
        "file_name": "inventory.xlsx",
    }


def test_append_adds_the_rows_after_the_last_one(world: Any) -> None:
    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    first = add_material(draft)

    _import(
        world,
        workbook(
            [
                row(world.facility.cers_id, ACETONE),
                row(world.facility.cers_id, ACETONE, ChemicalLocation="Lab"),
            ]
        ),
        mode="append",
    )

    assert _names(draft) == [
        (1, first.common_name, first.chemical_location),
        (2, "Acetone", "Paint room"),
        (3, "Acetone", "Lab"),
    ]
    (event,) = AuditEvent.objects.filter(action="inventory.imported")
    assert event.data == {"mode": "append", "rows_added": 2, "rows_removed": 0, "file_name": "inventory.xlsx"}


def test_append_without_a_draft_starts_one_from_the_last_submitted_version(world: Any) -> None:
    submitted, item = submitted_inventory(world)

    _import(world, workbook([row(world.facility.cers_id, ACETONE)]), mode="append", persona="lead")

    draft = draft_of(world.facility, INVENTORY)
    assert draft is not None and draft.based_on_id == submitted.pk
    assert _names(draft) == [(1, item.common_name, item.chemical_location), (2, "Acetone", "Paint room")]
    assert _names(submitted) == [(1, item.common_name, item.chemical_location)]


def test_replace_without_a_draft_leaves_the_submitted_version_untouched(world: Any) -> None:
    submitted, item = submitted_inventory(world)

    _import(world, workbook([row(world.facility.cers_id, ACETONE)]), mode="replace", persona="lead")

    draft = draft_of(world.facility, INVENTORY)
    assert draft is not None and draft.based_on_id == submitted.pk
    assert _names(draft) == [(1, "Acetone", "Paint room")]
    assert _names(submitted) == [(1, item.common_name, item.chemical_location)]


def _second_facility(world: Any) -> Any:
    return facility_create(
        actor=world.users["lead"],
        name="Acme Plating East",
        address=address_wash(street="1500 J Street", city="", zip_code="95814"),
        organization=world.organization,
    )


def test_an_organization_wide_file_goes_to_each_facility_by_its_cersid(world: Any) -> None:
    east = _second_facility(world)
    west = world.facility
    content = workbook(
        [
            row(west.cers_id),
            row(east.cers_id, ACETONE),
            row(west.cers_id, ACETONE, ChemicalLocation="Lab"),
            row(east.cers_id, ACETONE, ChemicalLocation="Yard"),
        ]
    )

    result = _import(world, content, mode="replace", persona="lead", organization=world.organization)

    assert result.imported is True
    assert _names(draft_of(west, INVENTORY)) == [
        (1, "Sulfuric acid 93%", "Plating line 1"),
        (2, "Acetone", "Lab"),
    ]
    assert _names(draft_of(east, INVENTORY)) == [(1, "Acetone", "Paint room"), (2, "Acetone", "Yard")]
    events = AuditEvent.objects.filter(action="inventory.imported").order_by("facility_id")
    assert [(e.facility_id, e.data["rows_added"]) for e in events] == sorted([(west.pk, 2), (east.pk, 2)])


def test_an_organization_wide_file_with_one_bad_row_changes_no_facility(world: Any) -> None:
    east = _second_facility(world)
    content = workbook(
        [row(world.facility.cers_id), row(east.cers_id, ACETONE), row(world.other_facility.cers_id, ACETONE)]
    )
    before = snapshot()

    result = _import(world, content, mode="replace", persona="lead", organization=world.organization)

    assert result.imported is False
    assert [(p.row, p.column, p.message) for p in result.problems if p.level == "required"] == [
        (
            4,
            "CERSID",
            f"CERSID {world.other_facility.cers_id} is not a facility you can edit. Check the CERS ID; if it is right, ask the facility's Lead User to give you access.",
        )
    ]
    assert snapshot() == before


def test_a_facility_import_refuses_rows_of_the_organizations_other_facilities(world: Any) -> None:
    east = _second_facility(world)
    before = snapshot()

    result = _import(
        world,
        workbook([row(world.facility.cers_id), row(east.cers_id, ACETONE)]),
        mode="append",
        persona="lead",
    )

    assert [(p.row, p.column, p.message) for p in result.problems if p.level == "required"] == [
        (
            3,
            "CERSID",
            f"CERSID {east.cers_id} is not the facility of this import (Acme Plating, CERS ID {world.facility.cers_id}). Correct the CERS ID, or import the rows of other facilities from their own inventory pages or with an organization-wide import.",
        )
    ]
    assert snapshot() == before


def test_the_system_imports_into_the_facility_it_is_given(world: Any) -> None:
    result = inventory_import(
        content=workbook([row(world.facility.cers_id)]),
        file_name="inventory.xlsx",
        actor=None,
        mode="replace",
        facility=world.facility,
        actor_label="manage.py import_inventory",
    )

    assert result.imported is True
    (event,) = AuditEvent.objects.filter(action="inventory.imported")
    assert (event.actor, event.actor_label) == (None, "manage.py import_inventory")


def test_raw_sql_still_cannot_add_change_or_remove_rows_of_a_submitted_inventory(world: Any) -> None:
    """The bulk write relies on the database guard of submitted versions, which COPY cannot bypass."""
    submitted, item = submitted_inventory(world)
    table = InventoryItem._meta.db_table
    statements = [
        (f"UPDATE {table} SET common_name = 'Changed' WHERE id = %s", [item.pk]),  # noqa: S608
        (f"DELETE FROM {table} WHERE id = %s", [item.pk]),  # noqa: S608
        (
            f"INSERT INTO {table} (public_id, created_at, updated_at, element_id, position, common_name) "  # noqa: S608
            "VALUES (gen_random_uuid(), now(), now(), %s, 2, 'Added')",
            [submitted.pk],
        ),
    ]
    for sql, params in statements:
        with (
            pytest.raises(IntegrityError, match="cannot change"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    with (
        pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="cannot change"),
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} (public_id, created_at, updated_at, element_id, position) FROM STDIN"
        ) as copy,
    ):
        copy.write_row(("6f1c3c9e-0000-4000-8000-000000000001", "2026-01-01", "2026-01-01", submitted.pk, 3))
    assert _names(submitted) == [(1, item.common_name, item.chemical_location)]
