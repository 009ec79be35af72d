"""``manage.py import_edt FILE.xml [FILE.xml …] [--documents FOLDER]``: migrate history from the state's system.

Each file is a Regulator Facility Submittal Query document (as the state's RFSQ endpoint returns it). Its
facility submittals are recorded as historical submittals; importing a file again changes nothing. A
file that cannot be imported changes nothing and says why. ``--documents`` names a folder holding the
documents' files as the state's document query gives them (one per CERSUniqueKey, e.g.
``c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281.pdf``); without it, documents are imported as descriptions only.
See ``opencers.edt.importer``.
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
        parser.add_argument(
            "--documents", help="a folder with the documents' files, each named by its CERSUniqueKey"
        )

    def handle(self, *args: Any, files: list[str], documents: str | None = None, **options: Any) -> None:
        folder = Path(documents) if documents else None
        if folder is not None and not folder.is_dir():
            raise CommandError(f"{documents}: no such folder.")
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            try:
                with path.open("rb") as source:
                    report = edt_import(source=source, name=path.name, files_from=folder)
            except ImportRefused as refused:
                raise CommandError(f"{name}: {refused.message}") from None
            self.stdout.write(
                f"{name}: {report.facility_submittals} facility submittal(s), {report.elements} element(s), "
                f"{report.inventory_rows} inventory row(s) imported; {report.already_imported} element(s) "
                f"were already imported; {report.files_imported} document file(s) stored."
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
