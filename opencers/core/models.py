"""Base model and the audit log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps and a public UUID. URLs carry public ids or CERS IDs, never row ids (DESIGN rule 2)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One state change: who, what (a stable dotted action code), on which object, when (UTC), with data.

    Rows are append-only: a database trigger (migration 0002) refuses UPDATE and DELETE.
    ``organization_id``, ``facility_id`` and ``regulator_id`` scope who may read the event: an
    organization's Lead Users read its events, a regulator reads the events of its facilities.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=300, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    facility_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    regulator_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    business_only = models.BooleanField(
        default=False, help_text=_("A change to a draft: shown to the business, never to regulators.")
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
