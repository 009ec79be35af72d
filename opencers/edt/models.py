"""The log of every data exchange transaction, viewable by the agency it belongs to."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransactionStatus(models.TextChoices):
    ACCEPTED = "Accepted", _("Accepted")
    REJECTED = "Rejected", _("Rejected")
    ERRORS = "Errors", _("Accepted with errors")


class EdtTransaction(models.Model):
    """One call of an EDT service: who, which endpoint, the key returned, the outcome and its messages."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text=_("The transaction key returned to the caller."))
    client = models.ForeignKey("accounts.ApiClient", null=True, blank=True, on_delete=models.SET_NULL, related_name="transactions")
    regulator = models.ForeignKey("regulators.Regulator", null=True, blank=True, on_delete=models.SET_NULL, related_name="edt_transactions")
    endpoint = models.CharField(max_length=100, db_index=True)
    method = models.CharField(max_length=8)
    query = models.CharField(max_length=2000, blank=True)
    regulator_transaction_key = models.CharField(max_length=40, blank=True, help_text=_("The caller's own key, if sent."))
    status = models.CharField(max_length=10, choices=TransactionStatus.choices)
    http_status = models.PositiveSmallIntegerField()
    messages = models.JSONField(default=list, blank=True)
    request_bytes = models.PositiveBigIntegerField(default=0)
    response_bytes = models.PositiveBigIntegerField(default=0)
    records = models.PositiveIntegerField(default=0, help_text=_("Records returned or processed."))
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.status} {self.key}"


class RegulatorKeyKind(models.TextChoices):
    FACILITY = "facility", _("Facility")
    ELEMENT = "element", _("Submittal element")
    BUSINESS_ACTIVITIES = "business_activities", _("Business Activities")
    OWNER_OPERATOR = "owner_operator", _("Owner/Operator Identification")
    CHEMICAL = "chemical", _("Inventory material")
    DOCUMENT = "document", _("Document")


class RegulatorKey(models.Model):
    """A regulator's own key for one of our records (``FacilityRegulatorKey``, ``ChemicalRegulatorKey``, …).

    The record is named by its public id (the ``CERSUniqueKey`` of the exchange). A regulator's keys are
    its own bookkeeping, not the business's data: they may change after submission. ``facility`` and
    ``element`` say where the record belongs, so that an export reads the keys of a batch at once.
    """

    regulator = models.ForeignKey("regulators.Regulator", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RegulatorKeyKind.choices)
    public_id = models.UUIDField(help_text=_("The CERSUniqueKey of the record."))
    facility = models.ForeignKey("organizations.Facility", on_delete=models.CASCADE, related_name="+")
    element = models.ForeignKey(
        "submittals.SubmittalElement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["regulator", "public_id"], name="one_regulator_key_per_record")
        ]
        indexes = [
            models.Index(fields=["regulator", "element"], name="edt_regkey_element"),
            models.Index(fields=["regulator", "facility"], name="edt_regkey_facility"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id}: {self.key}"


class HistoricalElement(models.Model):
    """What the state's system recorded about an imported element version beyond our element tables:
    the submitter (a person without an account here), the geographic point of Facility Information, and
    the exchange transaction the data came from.

    Written while the imported version is still a draft, then permanent like the version itself (the
    element-row guard trigger of the submittals app, migration 0002 of this app).
    """

    element = models.OneToOneField(
        "submittals.SubmittalElement", on_delete=models.CASCADE, related_name="edt_history"
    )
    submitted_by_first_name = models.CharField(max_length=80, blank=True)
    submitted_by_last_name = models.CharField(max_length=80, blank=True)
    submitted_by_email = models.CharField(max_length=240, blank=True)
    geographic_point = models.JSONField(
        null=True, blank=True, help_text=_("CERSPoint of Facility Information, field by field.")
    )
    source_transaction_key = models.CharField(max_length=40, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"history of element {self.element_id}"


class AttachmentDetail(models.Model):
    """Title, description and authoring date of one attached file, as the state's exchange carries them.

    Permanent once its element is submitted (same guard as ``HistoricalElement``).
    """

    file = models.OneToOneField("documents.DocumentFile", on_delete=models.CASCADE, related_name="edt_detail")
    element = models.ForeignKey("submittals.SubmittalElement", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300, blank=True)
    description = models.CharField(max_length=500, blank=True)
    date_authored = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title or str(self.file_id)
