"""Regulators (CUPAs, participating agencies, the state), their jurisdictions and their staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.core.models import BaseModel


class County(models.Model):
    """A California county; ``number`` is the state's county code (1 Alameda … 58 Yuba)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class RegulatorKind(models.TextChoices):
    CUPA = "cupa", _("Certified Unified Program Agency (CUPA)")
    PA = "pa", _("Participating Agency (PA)")
    STATE = "state", _("State agency")


class Regulator(BaseModel):
    code = models.PositiveIntegerField(_("regulator code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=RegulatorKind.choices)
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.PROTECT, related_name="regulators"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participating_agencies",
        help_text=_("For a participating agency: the CUPA it works under."),
    )
    accepts_submittals = models.BooleanField(_("accepts electronic submittals"), default=True)
    notification_email = models.EmailField(_("notification e-mail"), blank=True)
    hmbp_due_month = models.PositiveSmallIntegerField(_("annual HMBP due month"), default=3)
    hmbp_due_day = models.PositiveSmallIntegerField(_("annual HMBP due day"), default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def audit_scope(self) -> dict[str, int | None]:
        return {"regulator_id": self.pk}


class JurisdictionZip(models.Model):
    """A ZIP code in a CUPA's jurisdiction. Each ZIP belongs to exactly one CUPA."""

    regulator = models.ForeignKey(Regulator, on_delete=models.CASCADE, related_name="jurisdiction_zips")
    zip_code = models.CharField(max_length=5, unique=True)

    class Meta:
        ordering = ["zip_code"]


class ElementDelegation(models.Model):
    """A participating agency owning one element in part of its CUPA's area (e.g. UST in one city)."""

    regulator = models.ForeignKey(Regulator, on_delete=models.CASCADE, related_name="delegations")
    element = models.PositiveSmallIntegerField(choices=Element.choices)
    zip_code = models.CharField(max_length=5)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["element", "zip_code"], name="one_delegate_per_element_zip")
        ]


class RegulatorRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    INSPECTOR = "inspector", _("Inspector")
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Admin")
    DATA_UPLOADER = "uploader", _("Data uploader")
    EMERGENCY_RESPONDER = "responder", _("Emergency responder")


class RegulatorMembership(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regulator_memberships"
    )
    regulator = models.ForeignKey(Regulator, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=RegulatorRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "regulator"], name="one_role_per_regulator")]

    def audit_scope(self) -> dict[str, int | None]:
        return {"regulator_id": self.regulator_id}
