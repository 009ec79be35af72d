"""People and what proves who they are: accounts, one-time tokens, sign-in throttles, TOTP devices."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_email(self, email: str) -> User:
        return self.get(email=normalize_email(email))


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively: stored trimmed and in lower case."""
    return email.strip().lower()


class StateRole(models.TextChoices):
    NONE = "", _("None")
    VIEWER = "viewer", _("Statewide viewer")
    HELPDESK = "helpdesk", _("Help desk admin")
    SYSADMIN = "sysadmin", _("System admin")


class User(AbstractBaseUser):
    """A person. Signs in with e-mail and password (and a TOTP code when MFA is on)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(
        _("activated"), default=False, help_text=_("Set when the person opens the activation link.")
    )
    state_role = models.CharField(
        _("state role"), max_length=20, choices=StateRole.choices, blank=True, default=""
    )
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)
    is_service_account = models.BooleanField(
        default=False,
        help_text=_(
            "The identity of an API client: holds its memberships; never signs in and gets no e-mail."
        ),
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=25, blank=True)
    title = models.CharField(_("title"), max_length=50, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    # Django's auth machinery asks these of any user model.
    is_staff = False
    is_superuser = False

    @property
    def mfa_enabled(self) -> bool:
        device = getattr(self, "totp_device", None)
        return bool(device and device.confirmed_at)

    @property
    def is_agency_staff(self) -> bool:
        """Regulator or state staff: shorter idle timeout, MFA required."""
        if self.state_role:
            return True
        cached = getattr(self, "_is_agency_staff", None)
        if cached is None:
            cached = self.regulator_memberships.exists()  # type: ignore[attr-defined]
            self._is_agency_staff = cached
        return bool(cached)

    def audit_scope(self) -> dict[str, int | None]:
        return {}


class TokenPurpose(models.TextChoices):
    ACTIVATION = "activation", _("Account activation")
    PASSWORD_RESET = "password_reset", _("Password reset")
    EMAIL_CHANGE = "email_change", _("E-mail change")


class OneTimeToken(models.Model):
    """A single-use secret sent by e-mail. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=20, choices=TokenPurpose.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"])]


class LoginThrottle(models.Model):
    """Failed sign-ins counted per (e-mail, client IP) and per client IP, with tiered cool-offs."""

    scope = models.CharField(max_length=10)  # "user_ip" or "ip"
    key = models.CharField(max_length=320)
    failures = models.PositiveIntegerField(default=0)
    lockouts = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_scope_key")]


class TotpDevice(models.Model):
    """The authenticator app of a user (RFC 6238, 30-second steps, 6 digits)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0, help_text="Refuses a code used before (replay).")


class RecoveryCode(models.Model):
    """One of ten single-use codes that stand in for the authenticator app. Only the digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)


class ApiClientKind(models.TextChoices):
    AGENCY = "agency", _("Regulator system (data exchange)")
    ORGANIZATION = "organization", _("Business system")
    PERSONAL = "personal", _("Personal token")


class ApiClient(models.Model):
    """A machine client of the data exchange or the JSON API, authenticated by a bearer token.

    Only the SHA-256 digest of the token is stored; the token is shown once, when created. An agency or
    organization client acts through its own service account (``identity``), which holds a regulator role
    or a permission group, so the same selectors and rules as in the portals decide what it may see and do.
    A personal token acts as the person who made it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(max_length=15, choices=ApiClientKind.choices)
    identity = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_clients")
    regulator = models.ForeignKey(
        "regulators.Regulator", null=True, blank=True, on_delete=models.PROTECT, related_name="api_clients"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    scopes = models.JSONField(default=list)
    token_prefix = models.CharField(max_length=12, help_text=_("The first characters, to recognise a token."))
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    def audit_scope(self) -> dict[str, int | None]:
        return {"regulator_id": self.regulator_id, "organization_id": self.organization_id}
