from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from opencers.accounts.sessions import SEEN_AT, idle_limit_seconds, session_expiry_reason

# Refresh the "last seen" time at most this often, to avoid a session write on every request.
_SEEN_RESOLUTION_SECONDS = 15


class SessionTimeoutMiddleware:
    """Sign out idle sessions (30 min business, 15 min agency staff) and any session older than 12 h."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            reason = session_expiry_reason(request)
            if reason is not None:
                minutes = idle_limit_seconds(user) // 60
                logout(request)
                if reason == "idle":
                    text = _(
                        "You were signed out after %(minutes)d minutes without activity. Please sign in again."
                    )
                    messages.info(request, text % {"minutes": minutes})
                else:
                    messages.info(
                        request,
                        _("Your session ended after %(hours)d hours. Please sign in again.")
                        % {"hours": settings.SESSION_ABSOLUTE_HOURS},
                    )
                return redirect_to_login(request.get_full_path())
            now = int(time.time())
            if now - int(request.session.get(SEEN_AT, 0)) >= _SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)


_MFA_EXEMPT_PREFIXES = ("/account/two-step/", "/logout/", "/static/", "/healthz", "/dev/", "/i18n/")


class MfaEnrollmentMiddleware:
    """Regulator and state staff must set up two-step sign-in before they can do anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and user.is_agency_staff  # type: ignore[union-attr]
            and not user.mfa_enabled  # type: ignore[union-attr]
        ):
            messages.warning(
                request,
                _("Regulator and state staff must use two-step sign-in. Set it up now to continue."),
            )
            return redirect(reverse("web:mfa_setup"))
        return self.get_response(request)
