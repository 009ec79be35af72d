"""Two-step sign-in with an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

Optional for business users; required for regulator and state staff (enforced by
``MfaEnrollmentMiddleware``). A code is accepted once: the time step of the last accepted code is
stored, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import io
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.accounts.models import RecoveryCode, TotpDevice, User
from opencers.core.audit import audit_log
from opencers.core.errors import DomainError, NotPermitted

RECOVERY_CODE_COUNT = 10


def _code_digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _totp(device: TotpDevice) -> pyotp.TOTP:
    return pyotp.TOTP(device.secret)


def mfa_enrollment_start(*, user: User) -> TotpDevice:
    """Create (or restart) an unconfirmed device with a new secret."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    if device.confirmed_at is None:
        device.secret = pyotp.random_base32()
        device.save(update_fields=["secret"])
    return device


def mfa_enrollment_pending(*, user: User) -> TotpDevice:
    """The device waiting for confirmation, created if the person has none yet."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    return device or mfa_enrollment_start(user=user)


def provisioning_uri(device: TotpDevice) -> str:
    return _totp(device).provisioning_uri(name=device.user.email, issuer_name=settings.SITE_NAME)


def provisioning_qr_svg(device: TotpDevice) -> str:
    image = qrcode.make(provisioning_uri(device), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def _accept_totp(device: TotpDevice, code: str) -> bool:
    code = code.replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return False
    totp = _totp(device)
    now = timezone.now()
    for offset in (-1, 0, 1):  # allow one 30-second step of clock drift either way
        step = int(now.timestamp()) // 30 + offset
        if step <= device.last_used_step:
            continue
        if secrets.compare_digest(totp.at(step * 30), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


@transaction.atomic
def mfa_enrollment_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the device with a first code; returns the recovery codes (shown once)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise DomainError(_("Start the set-up again: no authenticator is waiting for confirmation."))
    if not _accept_totp(device, code):
        raise DomainError(
            _("That code is not right. Enter the 6-digit code your authenticator app shows now."),
            field="code",
        )
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = recovery_codes_regenerate(user=user)
    audit_log(user, "account.mfa_enabled", actor=user)
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        RecoveryCode.objects.create(user=user, digest=_code_digest(raw))
    return codes


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> bool:
    """Accept a current TOTP code or an unused recovery code (which is then spent)."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    if _accept_totp(device, code):
        return True
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, digest=_code_digest(code), used_at__isnull=True)
        .first()
    )
    if recovery is not None:
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        audit_log(user, "account.recovery_code_used", actor=user)
        return True
    return False


@transaction.atomic
def mfa_disable(*, user: User) -> None:
    if user.is_agency_staff:
        raise NotPermitted(_("Regulator and state staff must keep two-step sign-in on."))
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_log(user, "account.mfa_disabled", actor=user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
