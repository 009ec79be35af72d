from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.services import digests_verify


class Command(BaseCommand):
    help = "Recompute the SHA-256 digest of every submitted element and report any that no longer match."

    def handle(self, *args: Any, **options: Any) -> None:
        checked = SubmittalElement.objects.exclude(status=Status.DRAFT).exclude(digest="").count()
        mismatched = digests_verify()
        for element in mismatched:
            self.stderr.write(
                f"ALTERED: facility {element.facility.cers_id}, {element.get_element_display()} version {element.version} "
                f"(submitted {element.submitted_at:%Y-%m-%d}, id {element.public_id})"
            )
        if mismatched:
            raise CommandError(
                f"{len(mismatched)} of {checked} submitted elements do not match their digest."
            )
        self.stdout.write(f"All {checked} submitted elements match their digests.")
