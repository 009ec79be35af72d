from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opencers.documents.services import documents_sweep


class Command(BaseCommand):
    help = (
        "Delete stored document files that no file row refers to (left by discarded drafts and rolled-back "
        "uploads), if older than --hours (24 by default). Safe to run at any time, on any app server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        from datetime import timedelta

        deleted = documents_sweep(older_than=timedelta(hours=options["hours"]))
        self.stdout.write(f"Deleted {len(deleted)} stored files no document refers to.")
