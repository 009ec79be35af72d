import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencers.library.services import library_load


class Command(BaseCommand):
    help = (
        "Load the chemical library: the substances of the chemicals package joined with the EPA list of "
        "Extremely Hazardous Substances (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ehs-only",
            action="store_true",
            help="Load only the Extremely Hazardous Substances (355): a small library for tests and demos.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = library_load(ehs_only=options["ehs_only"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"substances read: {counts['records']}, created: {counts['created']}, "
            f"updated: {counts['updated']}, "
            f"unchanged: {counts['unchanged']}, no longer EHS: {counts['ehs_unmarked']}, "
            f"search names written: {counts['names']}; library now holds {counts['chemicals']} substances "
            f"({counts['ehs']} EHS); {elapsed:.1f} s"
        )
