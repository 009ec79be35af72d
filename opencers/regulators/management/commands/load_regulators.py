from typing import Any

from django.core.management.base import BaseCommand

from opencers.regulators.reference import load_counties_and_cupas


class Command(BaseCommand):
    help = (
        "Load California's 58 counties and a county CUPA for each, with ZIP-code jurisdictions (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_counties_and_cupas()
        self.stdout.write(
            f"counties created: {counts['counties']}, regulators created: {counts['regulators']}, "
            f"ZIP codes assigned: {counts['zip_codes']}"
        )
