"""Single-use, expiring tokens sent by e-mail (activation, password reset, e-mail change)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.accounts.models import OneTimeToken, TokenPurpose, User
from opencers.core.errors import DomainError


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *, user: User, purpose: TokenPurpose, lifetime: timedelta, data: dict[str, Any] | None = None
) -> str:
    """Create a token and return the raw secret (only ever sent in the e-mail, never stored)."""
    raw = secrets.token_urlsafe(32)
    OneTimeToken.objects.create(
        user=user,
        purpose=purpose,
        digest=_digest(raw),
        expires_at=timezone.now() + lifetime,
        data=data or {},
    )
    return raw


class TokenInvalid(DomainError):
    pass


def _usable(raw: str, purpose: TokenPurpose, *, lock: bool) -> OneTimeToken:
    queryset = OneTimeToken.objects.select_related("user").filter(digest=_digest(raw), purpose=purpose)
    token = (queryset.select_for_update(of=("self",)) if lock else queryset).first()
    if token is None:
        raise TokenInvalid(_("This link is not valid. Check that you copied the whole link from the e-mail."))
    if token.used_at is not None:
        raise TokenInvalid(_("This link has already been used. Each link works only once."), code="used")
    if token.expires_at <= timezone.now():
        raise TokenInvalid(_("This link has expired."), code="expired")
    return token


def token_validate(*, raw: str, purpose: TokenPurpose) -> OneTimeToken:
    """The token if it could be used now, without using it (to show a form first)."""
    return _usable(raw, purpose, lock=False)


@transaction.atomic
def token_consume(*, raw: str, purpose: TokenPurpose) -> OneTimeToken:
    """Use a token once. Raises ``TokenInvalid`` saying whether it is unknown, used or expired."""
    token = _usable(raw, purpose, lock=True)
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    return token


def tokens_revoke(*, user: User, purpose: TokenPurpose) -> None:
    """Retire the user's unused tokens of a purpose (a new link replaces the old ones)."""
    OneTimeToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now()
    )
