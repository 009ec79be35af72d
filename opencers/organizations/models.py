"""Organizations (businesses), their facilities (CERS IDs), people and access requests."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencers.core.elements import Element
from opencers.core.models import BaseModel

# PostgreSQL sequences created by migration 0001: numbers are never reused, even after a rollback.
CERS_ID_SEQUENCE = "organizations_facility_cers_id_seq"
ORGANIZATION_CODE_SEQUENCE = "organizations_organization_code_seq"
CERS_ID_MIN, CERS_ID_MAX = 10000001, 29999999
ORGANIZATION_CODE_MIN, ORGANIZATION_CODE_MAX = 100000001, 999999999


class OrganizationOrigin(models.TextChoices):
    BUSINESS = "business", _("Business portal")
    REGULATOR = "regulator", _("Regulator")
    EXCHANGE = "exchange", _("Data exchange")
    STATE = "state", _("State")


class Organization(BaseModel):
    code = models.PositiveIntegerField(_("organization code"), unique=True)
    name = models.CharField(_("business name"), max_length=100)
    headquarters = models.CharField(_("headquarters"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(
        max_length=10, choices=OrganizationOrigin.choices, default=OrganizationOrigin.BUSINESS
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.pk}


class ReportingChannel(models.TextChoices):
    """Where a facility's business reports: here, or in a local portal that forwards its submittals."""

    BUSINESS_PORTAL = "business_portal", _("Business portal")
    LOCAL_PORTAL = "local_portal", _("Local portal")


class Facility(BaseModel):
    """A site. Its CERS ID stays with the site through changes of owner."""

    cers_id = models.PositiveIntegerField(_("CERS ID"), unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="facilities")
    name = models.CharField(_("facility name"), max_length=100)
    street = models.CharField(_("street address"), max_length=100, help_text=_("Washed (USPS style)."))
    street_entered = models.CharField(max_length=200, blank=True, help_text=_("As the user typed it."))
    city = models.CharField(_("city"), max_length=100)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    county = models.ForeignKey("regulators.County", null=True, blank=True, on_delete=models.PROTECT)
    address_key = models.CharField(
        max_length=200, db_index=True, help_text=_("Washed street and 5-digit ZIP, for duplicate detection.")
    )
    epa_id = models.CharField(_("EPA ID number"), max_length=12, blank=True)
    regulator_facility_id = models.CharField(_("regulator's facility ID"), max_length=13, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    cupa = models.ForeignKey(
        "regulators.Regulator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cupa_facilities",
    )
    archived = models.BooleanField(default=False)
    # One reporting channel per facility (changed only by its regulator, opencers.edt.channels).
    reporting_channel = models.CharField(
        _("reporting channel"),
        max_length=20,
        choices=ReportingChannel.choices,
        default=ReportingChannel.BUSINESS_PORTAL,
    )
    reporting_client = models.ForeignKey(
        "accounts.ApiClient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_facilities",
        help_text=_("The local portal's data exchange client, when it forwards the facility's submittals."),
    )
    reporting_portal_name = models.CharField(_("local portal"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("facilities")
        indexes = [GinIndex(name="facility_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cers_id__gte=CERS_ID_MIN, cers_id__lte=CERS_ID_MAX),
                name="cers_id_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cers_id})"

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.organization_id, "facility_id": self.pk}

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.city}, CA {self.zip_code}"

    @property
    def reports_through_local_portal(self) -> bool:
        return self.reporting_channel == ReportingChannel.LOCAL_PORTAL

    @property
    def local_portal_label(self) -> str:
        """The local portal's name as people know it (its client's name when no other is given)."""
        if self.reporting_portal_name:
            return self.reporting_portal_name
        return self.reporting_client.name if self.reporting_client_id else ""  # type: ignore[union-attr]


class Requirement(models.TextChoices):
    NOT_APPLICABLE = "na", _("Not applicable")
    APPLICABLE = "applicable", _("Applicable")
    ALWAYS = "always", _("Always applicable")


class FacilityElementRoute(models.Model):
    """Who owns each element of a facility, whether it must be reported, and when it is due next."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="routes")
    element = models.PositiveSmallIntegerField(choices=Element.choices)
    regulator = models.ForeignKey(
        "regulators.Regulator", on_delete=models.PROTECT, related_name="facility_routes"
    )
    requirement = models.CharField(max_length=12, choices=Requirement.choices, default=Requirement.APPLICABLE)
    next_due_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["facility", "element"], name="one_route_per_element")]
        ordering = ["element"]


class PermissionGroup(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    LEAD = "lead", _("Lead User")


class Membership(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    group = models.CharField(_("permission group"), max_length=10, choices=PermissionGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization}: {self.get_group_display()}"

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.organization_id}


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class DecidedBy(models.TextChoices):
    LEAD = "lead", _("The organization's Lead Users")
    REGULATOR = "regulator", _("The facility's regulator")
    STATE = "state", _("The state help desk")


class AccessRequest(BaseModel):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="access_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    phone = models.CharField(_("phone"), max_length=25)
    title = models.CharField(_("title"), max_length=50)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    routed_to = models.CharField(max_length=10, choices=DecidedBy.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    granted_group = models.CharField(max_length=10, choices=PermissionGroup.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_facility_user",
            )
        ]

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.facility.organization_id, "facility_id": self.facility_id}


class Invitation(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    group = models.CharField(max_length=10, choices=PermissionGroup.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def audit_scope(self) -> dict[str, int | None]:
        return {"organization_id": self.organization_id}
