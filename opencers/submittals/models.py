"""The element framework: drafts, submitted versions, certification, regulator actions.

A ``SubmittalElement`` is one version of one element of one facility. While its status is ``draft`` the
business edits it; submitting moves the same row (and the element data hanging off it) into the
submitted history, where a database trigger forbids any change to its content (migration 0002). Only
the regulator's action fields change after submission.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.core.models import BaseModel


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


REVIEW_STATUSES = (Status.UNDER_REVIEW, Status.ACCEPTED, Status.NOT_ACCEPTED, Status.NOT_APPLICABLE)
SUBMITTED_STATUSES = (Status.SUBMITTED, *REVIEW_STATUSES)


class Origin(models.TextChoices):
    PORTAL = "portal", _("Business portal")
    API = "api", _("Business API")
    LOCAL_PORTAL = "local_portal", _("Local portal (data exchange)")
    MIGRATION = "migration", _("Imported from the state system")


class FacilitySubmittal(BaseModel):
    """One "submit": the certification by an Approver or Lead User, grouping one or more elements.

    Rows are never changed or deleted (trigger in migration 0002)."""

    facility = models.ForeignKey(
        "organizations.Facility", on_delete=models.PROTECT, related_name="submittals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(db_index=True)
    signer_name = models.CharField(_("signer's name"), max_length=80)
    signer_title = models.CharField(_("signer's title"), max_length=50)
    certification_text = models.TextField()
    auth_strength = models.CharField(max_length=40, help_text=_("How the signer proved who they are."))
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PORTAL)
    origin_detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Submittal of {self.facility} on {timezone.localdate(self.submitted_at):%Y-%m-%d}"

    def audit_scope(self) -> dict[str, int | None]:
        return {"facility_id": self.facility_id, "organization_id": self.facility.organization_id}


class SubmittalElement(BaseModel):
    facility = models.ForeignKey("organizations.Facility", on_delete=models.PROTECT, related_name="elements")
    element = models.PositiveSmallIntegerField(choices=Element.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The submitted version this draft was started from."),
    )
    # Set by the business while drafting; fixed at submission.
    not_applicable = models.BooleanField(default=False)
    not_applicable_reason = models.CharField(max_length=500, blank=True)
    # Fixed at submission.
    facility_submittal = models.ForeignKey(
        FacilitySubmittal, null=True, blank=True, on_delete=models.PROTECT, related_name="elements"
    )
    version = models.PositiveIntegerField(null=True, blank=True)
    regulator = models.ForeignKey(
        "regulators.Regulator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_elements",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitter_comments = models.TextField(blank=True)
    digest = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the canonical content."))
    # The regulator's action: the only fields that change after submission.
    action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_agent_name = models.CharField(max_length=80, blank=True)
    action_agent_email = models.EmailField(blank=True)
    action_at = models.DateTimeField(null=True, blank=True)
    action_comments = models.TextField(blank=True)
    resubmit_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["facility", "element", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "element"],
                condition=models.Q(status="draft"),
                name="one_draft_per_facility_element",
            ),
            models.UniqueConstraint(
                fields=["facility", "element", "version"],
                condition=models.Q(version__isnull=False),
                name="unique_element_version",
            ),
        ]
        indexes = [models.Index(fields=["regulator", "status", "submitted_at"])]

    def __str__(self) -> str:
        version = f" version {self.version}" if self.version else ""
        return f"{self.get_element_display()}{version} of {self.facility} ({self.get_status_display()})"

    def audit_scope(self) -> dict[str, int | None]:
        return {
            "facility_id": self.facility_id,
            "organization_id": self.facility.organization_id,
            "regulator_id": self.regulator_id,
        }

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class GuidanceLevel(models.TextChoices):
    REQUIRED = "required", _("Required")
    WARNING = "warning", _("Warning")
    ADVISORY = "advisory", _("Advisory")


class GuidanceRecord(models.Model):
    """The guidance messages of an element as they stood when it was submitted."""

    element = models.ForeignKey(SubmittalElement, on_delete=models.CASCADE, related_name="guidance_records")
    level = models.CharField(max_length=10, choices=GuidanceLevel.choices)
    field = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["id"]


class LocalRequirement(BaseModel):
    """A document a regulator requires locally for one element (shown as an extra document slot)."""

    regulator = models.ForeignKey(
        "regulators.Regulator", on_delete=models.CASCADE, related_name="local_requirements"
    )
    element = models.PositiveSmallIntegerField(choices=Element.choices)
    title = models.CharField(_("document title"), max_length=150)
    description = models.CharField(_("what it must contain"), max_length=1000, blank=True)
    required = models.BooleanField(_("required for submission"), default=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["element", "title"]

    def audit_scope(self) -> dict[str, int | None]:
        return {"regulator_id": self.regulator_id}


class ReminderKind(models.TextChoices):
    DUE_30 = "due_30", _("Due in 30 days")
    DUE_7 = "due_7", _("Due in 7 days")
    OVERDUE = "overdue", _("Overdue")


class DueReminder(models.Model):
    """A due-date reminder sent: the unique constraint makes each one go out exactly once."""

    facility = models.ForeignKey(
        "organizations.Facility", on_delete=models.CASCADE, related_name="due_reminders"
    )
    element = models.PositiveSmallIntegerField(choices=Element.choices)
    due_date = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "element", "due_date", "kind"], name="one_reminder_per_due_date_kind"
            )
        ]
