"""Small helpers shared by the account tests: users, sign-in through the real views, e-mails, pages."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import quote

import pyotp
from django.conf import settings
from django.test import Client
from django.utils import timezone

from opencers.accounts.models import RecoveryCode, TotpDevice, User
from opencers.notifications.models import EmailMessage

PASSWORD = "violet harbor lantern morning"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(
    email: str = "dana@example.com", *, full_name: str = "Dana Okafor", active: bool = True, **extra: Any
) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=full_name, is_active=active, **extra)


def enable_mfa(user: User, secret: str = TOTP_SECRET) -> pyotp.TOTP:
    """Give ``user`` a confirmed authenticator; returns the matching generator for the test."""
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    return pyotp.TOTP(secret)


def code_at_offset(totp: pyotp.TOTP, steps: int = 0) -> str:
    """The code of the current 30-second step moved by ``steps`` (the server accepts -1, 0 and +1)."""
    return totp.at(time.time() + 30 * steps)


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/login/", {"email": email, "password": password}, **extra)


def signed_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def emails(to: str, kind: str) -> list[EmailMessage]:
    return list(EmailMessage.objects.filter(to_address=to, kind=kind).order_by("id"))


def only_email(to: str, kind: str) -> EmailMessage:
    found = emails(to, kind)
    assert len(found) == 1, f"expected one {kind} e-mail to {to}, found {len(found)}"
    return found[0]


def link_token(message: EmailMessage, path_prefix: str) -> str:
    """The token of the link ``SITE_URL + path_prefix + <token>/`` in the body of ``message``."""
    match = re.search(re.escape(settings.SITE_URL + path_prefix) + r"([A-Za-z0-9_\-]+)/", message.body)
    assert match is not None, f"no {path_prefix} link in: {message.body}"
    return match.group(1)


def visible_page(response: Any, *addresses: str) -> str:
    """The page as a person sees it: the per-request CSRF token and CSP nonce removed, the e-mail
    address typed into the form (plain or URL-encoded) replaced by a placeholder."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    for address in addresses:
        html = html.replace(address, "ADDRESS").replace(quote(address), "ADDRESS")
    return html


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
