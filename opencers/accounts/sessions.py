"""Session lifetime rules: idle time-outs by kind of user, an absolute limit, recent re-authentication.

* Business users are signed out after ``SESSION_IDLE_MINUTES_BUSINESS`` (30) minutes without a request,
  regulator and state staff after ``SESSION_IDLE_MINUTES_REGULATOR`` (15).
* Every session ends ``SESSION_ABSOLUTE_HOURS`` (12) hours after sign-in, active or not.
* Changing e-mail, password or two-step sign-in needs the password again if it was last entered more
  than ``REAUTH_MINUTES`` (10) minutes ago.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest

SIGNED_IN_AT = "opencers_signed_in_at"
SEEN_AT = "opencers_seen_at"
REAUTH_AT = "opencers_reauth_at"
MFA_PENDING_USER = "opencers_mfa_pending_user"
MFA_PENDING_AT = "opencers_mfa_pending_at"


def session_start(request: HttpRequest, user: Any) -> None:
    """Create the session after password (and MFA code) were checked."""
    login(request, user, backend="opencers.accounts.backends.EmailBackend")
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[REAUTH_AT] = now
    request.session.pop(MFA_PENDING_USER, None)
    request.session.pop(MFA_PENDING_AT, None)


def idle_limit_seconds(user: Any) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_REGULATOR
        if user.is_agency_staff
        else settings.SESSION_IDLE_MINUTES_BUSINESS
    )
    return int(minutes) * 60


def session_expiry_reason(request: HttpRequest, now: int | None = None) -> str | None:
    """``"idle"`` or ``"absolute"`` when the session must end, else ``None``."""
    now = now or int(time.time())
    signed_in = int(request.session.get(SIGNED_IN_AT, 0))
    seen = int(request.session.get(SEEN_AT, 0))
    if not signed_in or now - signed_in > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return "absolute"
    if now - seen > idle_limit_seconds(request.user):
        return "idle"
    return None


def reauth_is_recent(request: HttpRequest) -> bool:
    return int(time.time()) - int(request.session.get(REAUTH_AT, 0)) <= settings.REAUTH_MINUTES * 60


def reauth_record(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = int(time.time())
