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
