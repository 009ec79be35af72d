"""Import an inventory spreadsheet into one facility's draft inventory, as the system.

    manage.py import_inventory --cersid 10123456 --mode replace inventory.xlsx

Every problem is printed as "row R, column C: message". When any row has a problem marked Required
(or the file is refused), nothing changes and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencers.core.errors import DomainError
from opencers.organizations.models import Facility
from opencers.spreadsheets.importer import MODES
from opencers.spreadsheets.services import inventory_import


class Command(BaseCommand):
    help = "Import an inventory spreadsheet (.xlsx) into a facility's draft inventory (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cersid", type=int, required=True, help="CERS ID of the facility.")
        parser.add_argument(
            "--mode", choices=MODES, required=True, help="Replace the draft inventory, or append to it."
        )
        parser.add_argument("file", type=Path, help="The .xlsx file.")

    def handle(self, *args: Any, **options: Any) -> None:
        facility = Facility.objects.select_related("organization").filter(cers_id=options["cersid"]).first()
        if facility is None:
            raise CommandError(f"There is no facility with CERS ID {options['cersid']}.")
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from None
        try:
            result = inventory_import(
                content=content,
                file_name=path.name,
                actor=None,
                mode=options["mode"],
                facility=facility,
                actor_label="manage.py import_inventory",
            )
        except DomainError as error:
            raise CommandError(f"Refused: {error.message} Nothing was changed.") from None
        for notice in result.notices:
            self.stdout.write(f"Notice: {notice}")
        for problem in result.problems:
            self.stdout.write(f"{problem.level.capitalize()}: {problem.as_line()}")
        if not result.imported:
            blocking = sum(1 for problem in result.problems if problem.blocks)
            raise CommandError(
                f"Refused: {blocking} problem{'s' if blocking != 1 else ''} to correct. Nothing was changed."
            )
        for written in result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {written.added} row{'s' if written.added != 1 else ''} into the draft inventory of "
                    f"{facility.name} (CERS ID {facility.cers_id}), {options['mode']}"
                    + (
                        f"; {written.removed} row{'s' if written.removed != 1 else ''} replaced."
                        if options["mode"] == "replace"
                        else "."
                    )
                )
            )
