"""Account services: sign-up, activation, sign-in, password reset and change, e-mail change.

No account enumeration: sign-up, sign-in and password reset answer the same way whether or not an
account exists for the address; what differs goes into the e-mail, which only the owner reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.accounts.mfa import mfa_verify
from opencers.accounts.models import TokenPurpose, User, normalize_email
from opencers.accounts.throttle import (
    ThrottleState,
    throttle_check,
    throttle_record_failure,
    throttle_record_success,
)
from opencers.accounts.tokens import token_consume, token_issue, token_validate, tokens_revoke
from opencers.core.audit import audit_log
from opencers.core.errors import DomainError
from opencers.notifications.services import email_send


def _link(route: str, token: str) -> str:
    return settings.SITE_URL + reverse(route, kwargs={"token": token})


def password_check(*, password: str, user: User) -> None:
    """Raise ``DomainError`` naming the password field with every rule it breaks."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


def _send_activation(user: User) -> None:
    tokens_revoke(user=user, purpose=TokenPurpose.ACTIVATION)
    raw = token_issue(
        user=user, purpose=TokenPurpose.ACTIVATION, lifetime=timedelta(hours=settings.ACTIVATION_TOKEN_HOURS)
    )
    email_send(
        to=user.email,
        kind="activation",
        user=user,
        context={"user": user, "link": _link("web:activate", raw), "hours": settings.ACTIVATION_TOKEN_HOURS},
    )


@transaction.atomic
def user_sign_up(*, email: str, full_name: str, password: str) -> None:
    """Create an inactive account and e-mail its activation link.

    For an address that already has an account, the owner gets an e-mail instead (a new activation
    link if it was never activated, or a note with a password-reset link), and the caller sees the
    same answer as for a new address.
    """
    email = normalize_email(email)
    candidate = User(email=email, full_name=full_name.strip())
    password_check(password=password, user=candidate)
    # Hashed whether or not the address is taken: the slow hash would otherwise tell by its absence.
    candidate.set_password(password)
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is not None:
        if not existing.is_active:
            _send_activation(existing)
        else:
            email_send(
                to=existing.email,
                kind="signup_existing",
                user=existing,
                context={"user": existing, "reset_link": settings.SITE_URL + reverse("web:password_reset")},
            )
        return
    candidate.password_changed_at = timezone.now()
    candidate.save()
    audit_log(candidate, "account.signed_up", actor=candidate)
    _send_activation(candidate)


@transaction.atomic
def user_activate(*, token: str) -> User:
    used = token_consume(raw=token, purpose=TokenPurpose.ACTIVATION)
    user = User.objects.select_for_update().get(pk=used.user_id)
    if not user.is_active:
        user.is_active = True
        user.activated_at = timezone.now()
        user.save(update_fields=["is_active", "activated_at"])
        audit_log(user, "account.activated", actor=user)
    return user


@transaction.atomic
def activation_resend(*, email: str) -> None:
    """Send a fresh activation link if the address has an unactivated account; silent otherwise."""
    user = User.objects.filter(email=normalize_email(email), is_active=False).first()
    if user is not None:
        _send_activation(user)


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    needs_mfa: bool = False
    error: str = ""
    not_activated: bool = False
    throttle: ThrottleState | None = None


def _locked_message(state: ThrottleState) -> str:
    return _(
        "Too many failed sign-in attempts. Wait %(minutes)d minute(s) and try again, or reset your password."
    ) % {"minutes": state.retry_after_minutes}


def user_sign_in(*, email: str, password: str, ip: str) -> SignInResult:
    """Check the password, counting failures (see ``throttle``). Does not create the session."""
    email = normalize_email(email)
    state = throttle_check(email=email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    user = User.objects.filter(email=email).first()
    if user is None:
        User().set_password(password)  # same work as a real check, so timing does not tell either
        return _failed(email, ip)
    if not user.check_password(password):
        return _failed(email, ip)
    if not user.is_active:
        return SignInResult(
            not_activated=True,
            error=_(
                "Your account is not activated yet. Open the link in the activation e-mail, "
                "or ask for a new link below."
            ),
        )
    if user.mfa_enabled:
        # Not a sign-in yet: the counter is cleared only after the code, so that knowing the password
        # does not reset the cool-offs earned by guessing codes.
        return SignInResult(user=user, needs_mfa=True)
    throttle_record_success(email=email, ip=ip)
    return SignInResult(user=user)


def user_sign_in_second_step(*, user: User, code: str, ip: str) -> SignInResult:
    """Check the TOTP or recovery code of a user whose password was right; failures count too."""
    state = throttle_check(email=user.email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    if mfa_verify(user=user, code=code):
        throttle_record_success(email=user.email, ip=ip)
        return SignInResult(user=user)
    state = throttle_record_failure(email=user.email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    return SignInResult(error=_("That code is not right. Enter the code your authenticator app shows now."))


def user_reauthenticate(*, user: User, password: str, ip: str) -> SignInResult:
    """Check the password of a signed-in person again, before a change to how they sign in.

    Wrong passwords count like failed sign-ins, so a stolen session cannot be used to guess the password.
    """
    state = throttle_check(email=user.email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    if user.check_password(password):
        throttle_record_success(email=user.email, ip=ip)
        return SignInResult(user=user)
    state = throttle_record_failure(email=user.email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    return SignInResult(error=_("That password is not right."))


def password_reset_token_check(*, token: str) -> None:
    """Raise ``TokenInvalid`` (saying why) unless the reset link can still be used."""
    token_validate(raw=token, purpose=TokenPurpose.PASSWORD_RESET)


def _failed(email: str, ip: str) -> SignInResult:
    state = throttle_record_failure(email=email, ip=ip)
    if state.locked:
        return SignInResult(error=_locked_message(state), throttle=state)
    return SignInResult(error=_("The e-mail address or password is not right."))


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    user = User.objects.filter(email=normalize_email(email)).first()
    if user is None:
        return
    tokens_revoke(user=user, purpose=TokenPurpose.PASSWORD_RESET)
    raw = token_issue(
        user=user,
        purpose=TokenPurpose.PASSWORD_RESET,
        lifetime=timedelta(hours=settings.PASSWORD_RESET_TOKEN_HOURS),
    )
    email_send(
        to=user.email,
        kind="password_reset",
        user=user,
        context={
            "user": user,
            "link": _link("web:password_reset_confirm", raw),
            "hours": settings.PASSWORD_RESET_TOKEN_HOURS,
        },
    )


@transaction.atomic
def password_reset_complete(*, token: str, new_password: str) -> User:
    pending = token_validate(raw=token, purpose=TokenPurpose.PASSWORD_RESET)
    password_check(password=new_password, user=pending.user)
    used = token_consume(raw=token, purpose=TokenPurpose.PASSWORD_RESET)
    user = User.objects.select_for_update().get(pk=used.user_id)
    _set_password(user, new_password)
    if not user.is_active:
        # Proving control of the address by e-mail is what activation does too.
        user.is_active = True
        user.activated_at = timezone.now()
        user.save(update_fields=["is_active", "activated_at"])
    audit_log(user, "account.password_reset", actor=user)
    email_send(to=user.email, kind="password_changed", user=user, context={"user": user})
    return user


def _set_password(user: User, password: str) -> None:
    # Changing the hash changes the session auth hash, which signs every other session out.
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise DomainError(_("Your current password is not right."), field="current_password")
    password_check(password=new_password, user=user)
    _set_password(user, new_password)
    audit_log(user, "account.password_changed", actor=user)
    email_send(to=user.email, kind="password_changed", user=user, context={"user": user})


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> None:
    """E-mail a confirmation link to the new address; the change happens when it is opened."""
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise DomainError(_("That is already your e-mail address."), field="email")
    tokens_revoke(user=user, purpose=TokenPurpose.EMAIL_CHANGE)
    raw = token_issue(
        user=user,
        purpose=TokenPurpose.EMAIL_CHANGE,
        lifetime=timedelta(hours=settings.ACTIVATION_TOKEN_HOURS),
        data={"email": new_email},
    )
    # Not filed under the account: the message belongs to whoever reads the new address. Were it in
    # the requester's e-mail history, they could open the link without controlling that mailbox.
    email_send(
        to=new_email,
        kind="email_change",
        user=None,
        context={"user": user, "new_email": new_email, "link": _link("web:email_change_confirm", raw)},
    )


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    used = token_consume(raw=token, purpose=TokenPurpose.EMAIL_CHANGE)
    user = User.objects.select_for_update().get(pk=used.user_id)
    new_email = used.data["email"]
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise DomainError(_("Another account already uses %(email)s.") % {"email": new_email}, field="email")
    old_email = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    audit_log(user, "account.email_changed", actor=user, data={"from": old_email, "to": new_email})
    email_send(
        to=old_email, kind="email_changed_notice", user=user, context={"user": user, "new_email": new_email}
    )
    return user


@transaction.atomic
def profile_update(*, user: User, full_name: str, phone: str, title: str) -> User:
    user.full_name = full_name.strip()
    user.phone = phone.strip()
    user.title = title.strip()
    user.save(update_fields=["full_name", "phone", "title"])
    audit_log(user, "account.profile_updated", actor=user)
    return user
