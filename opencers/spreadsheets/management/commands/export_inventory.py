"""Export a facility's inventory as the inventory template.

    manage.py export_inventory --cersid 10123456 inventory.xlsx

The draft inventory, or with ``--source latest`` the last accepted (or submitted) version; by default
the draft if there is one, else the last version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencers.core.elements import Element
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.models import Facility
from opencers.spreadsheets.template import inventory_elements, inventory_export


class Command(BaseCommand):
    help = "Export a facility's inventory as the inventory template (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cersid", type=int, required=True, help="CERS ID of the facility.")
        parser.add_argument(
            "--source",
            choices=("current", "draft", "latest"),
            default="current",
            help="draft, latest (last accepted or submitted version), or current (the draft, else the latest).",
        )
        parser.add_argument("out", type=Path, help="Where to write the .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        facility = Facility.objects.filter(cers_id=options["cersid"]).first()
        if facility is None:
            raise CommandError(f"There is no facility with CERS ID {options['cersid']}.")
        elements = inventory_elements(facility=facility, organization=None, source=options["source"])
        if not elements:
            raise CommandError(
                f"{facility.name} (CERS ID {facility.cers_id}) has no such inventory to export."
            )
        content = inventory_export(facility=facility, element_versions=elements)
        path: Path = options["out"]
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        element = elements[0]
        rows = InventoryItem.objects.filter(element=element).count()
        what = (
            "draft"
            if element.is_draft
            else f"version {element.version} ({element.get_status_display().lower()})"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {rows} row{'s' if rows != 1 else ''} of the {Element(element.element).label} {what} "
                f"of {facility.name} (CERS ID {facility.cers_id}) to {path}."
            )
        )
