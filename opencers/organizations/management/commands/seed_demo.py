from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opencers.organizations.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo data: counties and CUPAs, two businesses with facilities, a persona for every role."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_demo only runs with DEMO_MODE on: its personas have published passwords."
            )
        counts = seed_demo()
        self.stdout.write(
            f"demo data ready: {counts['organizations']} organizations, {counts['facilities']} facilities, "
            f"{counts['users']} users"
        )
