"""Session lifetime: idle time-outs (30 min business, 15 min agency staff), 12 h absolute limit, and the
password asked again before sensitive changes when it was entered more than 10 minutes ago."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from opencers.accounts.sessions import REAUTH_AT, SEEN_AT, SIGNED_IN_AT
from opencers.accounts.tests.helpers import (
    PASSWORD,
    code_at_offset,
    enable_mfa,
    make_user,
    sign_in,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db

MINUTE = 60


def _age(client: Client, key: str, seconds: int) -> None:
    """Move a session time stamp ``seconds`` into the past."""
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def _business_client() -> Client:
    make_user()
    client = Client()
    assert sign_in(client, "dana@example.com").status_code == 302
    return client


def _state_staff_client() -> Client:
    """A state staff member signed in with password and authenticator code."""
    user = make_user("sam@example.com", full_name="Sam Whitaker", state_role="viewer")
    totp = enable_mfa(user)
    client = Client()
    assert sign_in(client, "sam@example.com")["Location"] == "/login/two-step/?next="
    assert client.post("/login/two-step/", {"code": code_at_offset(totp)}).status_code == 302
    assert signed_in_user_id(client) == user.pk
    return client


def _is_signed_out(response, client: Client, path: str = "/account/") -> bool:  # type: ignore[no-untyped-def]
    return (
        response.status_code == 302
        and response["Location"] == f"/login/?next={path}"
        and signed_in_user_id(client) is None
    )


# --- Idle and absolute limits ----------------------------------------------------------------------


def test_business_session_survives_29_idle_minutes() -> None:
    client = _business_client()
    _age(client, SEEN_AT, 29 * MINUTE)

    assert client.get("/account/").status_code == 200


def test_business_session_ends_after_30_idle_minutes() -> None:
    # Given a business user idle for 31 minutes
    client = _business_client()
    _age(client, SEEN_AT, 31 * MINUTE)

    # When they come back
    response = client.get("/account/")

    # Then they are signed out and sent to sign in, with the reason
    assert _is_signed_out(response, client)
    login_page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity. Please sign in again." in login_page
    # and the old session stays ended
    assert _is_signed_out(client.get("/account/"), client)


def test_activity_keeps_the_session_alive() -> None:
    # Given a business user idle for 29 minutes who makes a request
    client = _business_client()
    _age(client, SEEN_AT, 29 * MINUTE)
    before = int(time.time())
    assert client.get("/account/").status_code == 200

    # Then the idle clock starts again from that request
    assert client.session[SEEN_AT] >= before


def test_agency_staff_session_survives_14_idle_minutes() -> None:
    client = _state_staff_client()
    _age(client, SEEN_AT, 14 * MINUTE)

    assert client.get("/account/").status_code == 200


def test_agency_staff_session_ends_after_15_idle_minutes() -> None:
    # Given a state staff member idle for 16 minutes (a business user would still be signed in)
    client = _state_staff_client()
    _age(client, SEEN_AT, 16 * MINUTE)

    # When they come back
    response = client.get("/account/")

    # Then they are signed out, with the reason
    assert _is_signed_out(response, client)
    assert (
        "You were signed out after 15 minutes without activity."
        in client.get(response["Location"]).content.decode()
    )


def test_regulator_staff_session_ends_after_15_idle_minutes(world) -> None:  # type: ignore[no-untyped-def]
    # Given a CUPA's staff member (agency staff through a regulator membership) idle for 16 minutes
    client = world.client_for("regulator")
    assert client.get("/account/").status_code == 200
    _age(client, SEEN_AT, 16 * MINUTE)

    # Then the next request signs them out
    assert _is_signed_out(client.get("/account/"), client)


def test_session_ends_12_hours_after_sign_in_even_when_active() -> None:
    # Given a business user signed in 12 hours and one second ago, active a moment ago
    client = _business_client()
    _age(client, SIGNED_IN_AT, 12 * 3600 + 1)
    _age(client, SEEN_AT, 5)

    # When they make a request
    response = client.get("/account/")

    # Then the session has ended
    assert _is_signed_out(response, client)
    assert (
        "Your session ended after 12 hours. Please sign in again."
        in client.get(response["Location"]).content.decode()
    )


def test_session_is_still_valid_just_before_12_hours() -> None:
    client = _business_client()
    _age(client, SIGNED_IN_AT, 12 * 3600 - 60)
    _age(client, SEEN_AT, 5)

    assert client.get("/account/").status_code == 200


def test_session_without_a_sign_in_time_is_not_accepted() -> None:
    # Given a session created some other way than through the sign-in page
    user = make_user()
    client = Client()
    client.force_login(user, backend="opencers.accounts.backends.EmailBackend")

    # Then it is treated as expired
    assert _is_signed_out(client.get("/account/"), client)


# --- Re-authentication before sensitive changes ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/password/", "/account/email/", "/account/two-step/"])
def test_sensitive_pages_ask_for_the_password_after_10_minutes(path: str) -> None:
    # Given a business user who entered their password 11 minutes ago
    client = _business_client()
    _age(client, REAUTH_AT, 11 * MINUTE)

    # When they open a page that changes how they sign in
    response = client.get(path)

    # Then they are asked for the password first, and brought back afterwards
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-password/?next=" + path.replace("/", "%2F")


@pytest.mark.parametrize("path", ["/account/password/", "/account/email/", "/account/two-step/"])
def test_sensitive_pages_open_within_10_minutes_of_the_password(path: str) -> None:
    client = _business_client()
    _age(client, REAUTH_AT, 9 * MINUTE)

    assert client.get(path).status_code == 200


def test_a_stale_password_change_post_changes_nothing() -> None:
    # Given a user who entered their password 11 minutes ago
    client = _business_client()
    _age(client, REAUTH_AT, 11 * MINUTE)

    # When a password change is posted
    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "password": "granite meadow whistle"}
    )

    # Then it is sent to confirm the password and the password is unchanged
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/")
    from opencers.accounts.models import User

    assert User.objects.get(email="dana@example.com").check_password(PASSWORD)


def test_turning_two_step_sign_in_off_needs_a_recent_password() -> None:
    # Given a business user with two-step sign-in who entered the password 11 minutes ago
    user = make_user()
    totp = enable_mfa(user)
    client = Client()
    sign_in(client, "dana@example.com")
    client.post("/login/two-step/", {"code": code_at_offset(totp)})
    _age(client, REAUTH_AT, 11 * MINUTE)

    # When they ask to turn it off
    response = client.post("/account/two-step/disable/")

    # Then they are asked for the password and it stays on
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm-password/")
    user.refresh_from_db()
    assert user.mfa_enabled is True


def test_confirming_the_password_opens_the_page() -> None:
    # Given a user sent to confirm their password
    client = _business_client()
    _age(client, REAUTH_AT, 11 * MINUTE)
    stale = client.session[REAUTH_AT]

    # When they give a wrong password
    wrong = client.post(
        "/account/confirm-password/", {"password": "not my password at all", "next": "/account/password/"}
    )

    # Then they are told, and still not confirmed
    assert wrong.status_code == 200
    assert "That password is not right." in wrong.content.decode()
    assert client.session[REAUTH_AT] == stale
    assert client.get("/account/password/").status_code == 302

    # When they give the right one
    right = client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/account/password/"})

    # Then they go back to the page, which now opens
    assert right.status_code == 302
    assert right["Location"] == "/account/password/"
    assert client.get("/account/password/").status_code == 200


def test_confirm_password_does_not_redirect_off_site() -> None:
    client = _business_client()
    _age(client, REAUTH_AT, 11 * MINUTE)

    response = client.post(
        "/account/confirm-password/", {"password": PASSWORD, "next": "https://evil.example.net/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_wrong_passwords_at_the_confirmation_are_throttled() -> None:
    # Given a stolen session whose holder tries to guess the password to change the e-mail address
    client = _business_client()
    _age(client, REAUTH_AT, 11 * MINUTE)
    stale = client.session[REAUTH_AT]

    # When five wrong passwords are tried
    statuses = [
        client.post("/account/confirm-password/", {"password": f"guess number {n} of many"}).status_code
        for n in range(5)
    ]

    # Then the fifth locks the confirmation like a sign-in, and even the right password waits
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post("/account/confirm-password/", {"password": PASSWORD, "next": "/account/email/"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts. Wait 1 minute(s) and try again" in locked.content.decode()
    assert client.session[REAUTH_AT] == stale
    assert client.get("/account/email/").status_code == 302
