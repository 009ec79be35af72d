"""``manage.py import_edt FILE.xml [FILE.xml …]``: migrate history from the state's system.

Each file is a Regulator Facility Submittal Query document (as the state's RFSQ endpoint returns it). Its
facility submittals are recorded as historical submittals; importing a file again changes nothing. A
file that cannot be imported changes nothing and says why. See ``opencers.edt.importer``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencers.edt.importer import ImportRefused, edt_import


class Command(BaseCommand):
    help = "Import Regulator Facility Submittal Query documents from the state's system as historical submittals."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", help="RegulatorFacilitySubmittalQuery XML files")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            try:
                with path.open("rb") as source:
                    report = edt_import(source=source, name=path.name)
            except ImportRefused as refused:
                raise CommandError(f"{name}: {refused.message}") from None
            self.stdout.write(
                f"{name}: {report.facility_submittals} facility submittal(s), {report.elements} element(s), "
                f"{report.inventory_rows} inventory row(s) imported; {report.already_imported} element(s) "
                f"were already imported."
            )
            for label, values in (
                ("organizations created", report.organizations_created),
                ("facilities created (CERS IDs)", report.facilities_created),
                ("regulators created", report.regulators_created),
            ):
                if values:
                    self.stdout.write(f"  {label}: {', '.join(str(v) for v in values)}")
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
