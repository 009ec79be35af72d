"""Inventory imports: one job per uploaded file, with its progress and every problem found in it.

The job is what the import pages show (status, rows validated and written, the problems as a sortable
table, the annotated copy of the file). The uploaded file is kept under a key the server generates; the
name the user gave is kept only for display.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencers.core.models import BaseModel


class ImportMode(models.TextChoices):
    REPLACE = "replace", _("Replace the draft inventory")
    APPEND = "append", _("Add to the draft inventory")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    VALIDATING = "validating", _("Checking the rows")
    VALIDATED = "validated", _("Checked; about to write")
    WRITING = "writing", _("Writing the inventory")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported: problems to correct")
    REFUSED = "refused", _("Not imported: the file was refused")
    CANCELLED = "cancelled", _("Cancelled")


# While the job is in one of these, it can still be cancelled (nothing has been written).
CANCELLABLE = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.VALIDATED)
FINISHED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REFUSED, ImportStatus.CANCELLED)


class ImportJob(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who uploaded the file (empty for imports run by the system)."),
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="inventory_imports"
    )
    facility = models.ForeignKey(
        "organizations.Facility",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inventory_imports",
        help_text=_("The facility of a facility import; empty for an organization-wide file."),
    )
    mode = models.CharField(max_length=10, choices=ImportMode.choices)
    file_name = models.CharField(max_length=255, help_text=_("The name the user gave the file."))
    file_key = models.CharField(max_length=200, blank=True, help_text=_("Storage key of the kept file."))
    file_size = models.PositiveBigIntegerField()
    annotated_key = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Storage key of the copy of the file with its problems marked."),
    )
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    background = models.BooleanField(
        default=False, help_text=_("Run by the job queue; the user is e-mailed when it finishes.")
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    problems_required = models.PositiveIntegerField(default=0)
    problems_warning = models.PositiveIntegerField(default=0)
    problems_advisory = models.PositiveIntegerField(default=0)
    notices = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True, help_text=_("Why the file was refused or the import failed."))
    result = models.JSONField(
        default=list, blank=True, help_text=_("Per facility: CERS ID, rows added and rows removed.")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.status})"

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.organization_id, "facility_id": self.facility_id}

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE


class ImportProblem(models.Model):
    """One problem of an import: a cell (row and column as Excel shows them), a row, or the file."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    level = models.CharField(max_length=10)
    row = models.PositiveIntegerField(null=True, blank=True, help_text=_("Row number as Excel shows it."))
    column = models.CharField(max_length=100, blank=True, help_text=_("The template column's name."))
    column_index = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Zero-based column of the cell in the sheet.")
    )
    value = models.TextField(blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["row", "column_index", "id"]
        indexes = [models.Index(fields=["job", "row", "column_index"])]

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"
