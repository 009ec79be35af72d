"""Two-step sign-in: TOTP enrollment, the second sign-in step, replay refusal, recovery codes, turning
it off, and the enrollment forced on regulator and state staff."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from opencers.accounts.mfa import recovery_codes_regenerate
from opencers.accounts.models import LoginThrottle, RecoveryCode, TotpDevice, User
from opencers.accounts.sessions import MFA_PENDING_AT
from opencers.accounts.tests.helpers import (
    code_at_offset,
    enable_mfa,
    make_user,
    sign_in,
    signed_in_user_id,
    unused_recovery_codes,
)
from opencers.core.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG_CODE_MESSAGE = "That code is not right. Enter the code your authenticator app shows now."


def _wrong_code(totp: pyotp.TOTP) -> str:
    """A 6-digit code that none of the accepted steps (-1, 0, +1) produces."""
    accepted = {code_at_offset(totp, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def _password_step(client: Client, email: str = "dana@example.com", **data: str) -> None:
    response = client.post("/login/", {"email": email, "password": "violet harbor lantern morning", **data})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/two-step/")


def _mfa_user(email: str = "dana@example.com", **extra: object) -> tuple[User, pyotp.TOTP]:
    user = make_user(email, **extra)
    return user, enable_mfa(user)


# --- Enrollment ------------------------------------------------------------------------------------


def test_enrollment_shows_a_secret_and_is_confirmed_with_a_code() -> None:
    # Given a signed-in business user without two-step sign-in
    user = make_user()
    client = Client()
    sign_in(client, "dana@example.com")

    # When they open the set-up page
    page = client.get("/account/two-step/")

    # Then a new, unconfirmed authenticator secret is shown with its QR code
    assert page.status_code == 200
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is None
    html = page.content.decode()
    assert device.secret in html
    assert "<svg" in html
    # and opening the page again shows the same secret (the app was perhaps already scanned)
    assert client.get("/account/two-step/").status_code == 200
    assert TotpDevice.objects.get(user=user).secret == device.secret

    # When they enter the code the app shows
    totp = pyotp.TOTP(device.secret)
    response = client.post("/account/two-step/", {"code": code_at_offset(totp)})

    # Then two-step sign-in is on and ten recovery codes are shown once
    assert response.status_code == 200
    codes = re.findall(r"\b[0-9a-f]{5}-[0-9a-f]{5}\b", response.content.decode())
    assert len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert User.objects.get(pk=user.pk).mfa_enabled is True
    assert AuditEvent.objects.filter(action="account.mfa_enabled", actor=user).count() == 1
    # and the set-up page now leads back to the account
    again = client.get("/account/two-step/")
    assert again.status_code == 302
    assert again["Location"] == "/account/"


def test_enrollment_refuses_a_wrong_code() -> None:
    # Given a user on the set-up page
    user = make_user()
    client = Client()
    sign_in(client, "dana@example.com")
    client.get("/account/two-step/")
    totp = pyotp.TOTP(TotpDevice.objects.get(user=user).secret)

    # When they enter a wrong code
    response = client.post("/account/two-step/", {"code": _wrong_code(totp)})

    # Then it is refused and nothing is switched on
    assert response.status_code == 200
    assert (
        "That code is not right. Enter the 6-digit code your authenticator app shows now."
        in response.content.decode()
    )
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    assert RecoveryCode.objects.filter(user=user).count() == 0


# --- The second sign-in step -------------------------------------------------------------------------


def test_sign_in_needs_the_code_after_the_password() -> None:
    # Given a user with two-step sign-in
    user, totp = _mfa_user()
    client = Client()

    # When they give the right password
    response = sign_in(client, "dana@example.com")

    # Then they are asked for the code and are not signed in yet
    assert response.status_code == 302
    assert response["Location"] == "/login/two-step/?next="
    assert signed_in_user_id(client) is None
    assert client.get("/account/")["Location"] == "/login/?next=/account/"

    # When they give the code
    done = client.post("/login/two-step/", {"code": code_at_offset(totp)})

    # Then they are signed in
    assert done.status_code == 302
    assert done["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == user.pk


def test_second_step_keeps_the_page_asked_for() -> None:
    _user, totp = _mfa_user()
    client = Client()
    response = client.post(
        "/login/?next=/account/", {"email": "dana@example.com", "password": "violet harbor lantern morning"}
    )
    assert response["Location"] == "/login/two-step/?next=%2Faccount%2F"

    done = client.post("/login/two-step/?next=/account/", {"code": code_at_offset(totp)})

    assert done["Location"] == "/account/"


def test_a_wrong_code_does_not_sign_in() -> None:
    _user, totp = _mfa_user()
    client = Client()
    _password_step(client)

    response = client.post("/login/two-step/", {"code": _wrong_code(totp)})

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_code_cannot_be_used_twice() -> None:
    # Given a code used to sign in on one device
    _user, totp = _mfa_user()
    code = code_at_offset(totp)
    first = Client()
    _password_step(first)
    assert first.post("/login/two-step/", {"code": code}).status_code == 302

    # When someone who saw it (and knows the password) tries it again
    second = Client()
    _password_step(second)
    response = second.post("/login/two-step/", {"code": code})

    # Then it is refused
    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert signed_in_user_id(second) is None
    # and an earlier code is refused too, once a later one was used
    assert second.post("/login/two-step/", {"code": code_at_offset(totp, -1)}).status_code == 200
    assert signed_in_user_id(second) is None


def test_the_second_step_expires_after_five_minutes() -> None:
    # Given a password step done more than five minutes ago
    _user, totp = _mfa_user()
    client = Client()
    _password_step(client)
    session = client.session
    session[MFA_PENDING_AT] = int(time.time()) - 301
    session.save()

    # When the code is given
    response = client.post("/login/two-step/", {"code": code_at_offset(totp)})

    # Then the person must start again
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert signed_in_user_id(client) is None


def test_the_second_step_page_without_a_password_step_sends_to_sign_in() -> None:
    response = Client().post("/login/two-step/", {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_wrong_codes_are_throttled() -> None:
    # Given a password-holding attacker guessing codes
    _user, totp = _mfa_user()
    client = Client()
    _password_step(client)
    wrong = _wrong_code(totp)

    # When five wrong codes are tried
    answers = [client.post("/login/two-step/", {"code": wrong}).content.decode() for _i in range(5)]

    # Then the fifth locks sign-in for a minute, and even the right code is refused meanwhile
    assert all(WRONG_CODE_MESSAGE in answer for answer in answers[:4])
    assert "Too many failed sign-in attempts. Wait 1 minute(s) and try again" in answers[4]
    locked = client.post("/login/two-step/", {"code": code_at_offset(totp)})
    assert "Too many failed sign-in attempts." in locked.content.decode()
    assert signed_in_user_id(client) is None


def test_the_password_alone_does_not_reset_the_code_throttle() -> None:
    # Given an attacker who knows the password and was locked out once for wrong codes
    _user, totp = _mfa_user()
    client = Client()
    _password_step(client)
    wrong = _wrong_code(totp)
    for _i in range(5):
        client.post("/login/two-step/", {"code": wrong})
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))

    # When they give the password again and guess five more codes
    _password_step(client)
    for _i in range(5):
        client.post("/login/two-step/", {"code": wrong})

    # Then the second cool-off is the longer one (5 minutes): the password step did not wipe the count
    row = LoginThrottle.objects.get(scope="user_ip", key="dana@example.com|127.0.0.1")
    assert (row.failures, row.lockouts) == (10, 2)
    assert row.locked_until - row.last_failure_at == timedelta(minutes=5)


def test_a_full_sign_in_with_code_clears_the_counter() -> None:
    _user, totp = _mfa_user()
    client = Client()
    _password_step(client)
    for _i in range(3):
        client.post("/login/two-step/", {"code": _wrong_code(totp)})

    assert client.post("/login/two-step/", {"code": code_at_offset(totp)}).status_code == 302

    assert LoginThrottle.objects.filter(scope="user_ip").count() == 0


# --- Recovery codes ---------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once() -> None:
    # Given a user with two-step sign-in and their recovery codes
    user, _totp = _mfa_user()
    codes = recovery_codes_regenerate(user=user)

    # When they sign in with a recovery code instead of the app
    client = Client()
    _password_step(client)
    response = client.post("/login/two-step/", {"code": codes[0]})

    # Then they are signed in and the code is spent
    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk
    assert unused_recovery_codes(user) == 9
    assert AuditEvent.objects.filter(action="account.recovery_code_used", actor=user).count() == 1

    # When the same recovery code is used again
    again = Client()
    _password_step(again)
    refused = again.post("/login/two-step/", {"code": codes[0]})

    # Then it is refused
    assert refused.status_code == 200
    assert WRONG_CODE_MESSAGE in refused.content.decode()
    assert signed_in_user_id(again) is None
    assert unused_recovery_codes(user) == 9


def test_a_recovery_code_may_be_typed_in_capitals_without_the_dash() -> None:
    user, _totp = _mfa_user()
    codes = recovery_codes_regenerate(user=user)
    client = Client()
    _password_step(client)

    response = client.post("/login/two-step/", {"code": codes[3].replace("-", "").upper()})

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk


def test_new_recovery_codes_replace_the_old_ones() -> None:
    # Given a signed-in user with two-step sign-in and a first set of codes
    user, totp = _mfa_user()
    old_codes = recovery_codes_regenerate(user=user)
    client = Client()
    _password_step(client)
    client.post("/login/two-step/", {"code": code_at_offset(totp)})

    # When they make new codes
    response = client.post("/account/two-step/recovery-codes/")

    # Then ten new codes are shown and the old ones no longer work
    assert response.status_code == 200
    new_codes = re.findall(r"\b[0-9a-f]{5}-[0-9a-f]{5}\b", response.content.decode())
    assert len(set(new_codes)) == 10
    assert set(new_codes).isdisjoint(old_codes)
    assert unused_recovery_codes(user) == 10
    other = Client()
    _password_step(other)
    assert other.post("/login/two-step/", {"code": old_codes[0]}).status_code == 200
    assert signed_in_user_id(other) is None


# --- Turning it off -----------------------------------------------------------------------------------


def test_a_business_user_can_turn_two_step_sign_in_off() -> None:
    # Given a signed-in business user with two-step sign-in
    user, totp = _mfa_user()
    recovery_codes_regenerate(user=user)
    client = Client()
    _password_step(client)
    client.post("/login/two-step/", {"code": code_at_offset(totp)})

    # When they turn it off
    response = client.post("/account/two-step/disable/")

    # Then the authenticator and the recovery codes are gone, and the password alone signs in
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert TotpDevice.objects.filter(user=user).count() == 0
    assert RecoveryCode.objects.filter(user=user).count() == 0
    assert AuditEvent.objects.filter(action="account.mfa_disabled", actor=user).count() == 1
    assert sign_in(Client(), "dana@example.com")["Location"] == "/dashboard/"


def test_state_staff_cannot_turn_two_step_sign_in_off() -> None:
    # Given a signed-in state staff member
    user, totp = _mfa_user("sam@example.com", state_role="helpdesk")
    client = Client()
    _password_step(client, "sam@example.com")
    client.post("/login/two-step/", {"code": code_at_offset(totp)})

    # When they try to turn two-step sign-in off
    response = client.post("/account/two-step/disable/", follow=True)

    # Then it stays on and they are told why
    assert "Regulator and state staff must keep two-step sign-in on." in response.content.decode()
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert AuditEvent.objects.filter(action="account.mfa_disabled").count() == 0


def test_regulator_staff_cannot_turn_two_step_sign_in_off(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("regulator")

    client.post("/account/two-step/disable/")

    assert User.objects.get(pk=world.users["regulator"].pk).mfa_enabled is True


# --- Enrollment forced on agency staff ------------------------------------------------------------------


def test_state_staff_must_set_up_two_step_sign_in_before_anything_else() -> None:
    # Given a state staff member without an authenticator
    user = make_user("sam@example.com", full_name="Sam Whitaker", state_role="helpdesk")
    client = Client()

    # When they sign in with their password
    response = sign_in(client, "sam@example.com")
    assert response["Location"] == "/dashboard/"

    # Then every page sends them to set up two-step sign-in, with the reason
    for path in ("/dashboard/", "/account/", "/account/emails/", "/messages/", "/regulator/"):
        blocked = client.get(path)
        assert (path, blocked.status_code, blocked["Location"]) == (path, 302, "/account/two-step/")
    setup = client.get("/account/two-step/")
    assert setup.status_code == 200
    assert (
        "Regulator and state staff must use two-step sign-in. Set it up now to continue."
        in setup.content.decode()
    )

    # When they finish the set-up
    secret = TotpDevice.objects.get(user=user).secret
    assert client.post("/account/two-step/", {"code": code_at_offset(pyotp.TOTP(secret))}).status_code == 200

    # Then the other pages open
    assert client.get("/account/").status_code == 200


def test_regulator_staff_must_set_up_two_step_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    # Given a new CUPA staff member without an authenticator
    from opencers.regulators.models import RegulatorMembership

    user = make_user("new.inspector@example.com", full_name="New Inspector")
    RegulatorMembership.objects.create(user=user, regulator=world.sac, role="viewer")
    client = Client()
    sign_in(client, "new.inspector@example.com")

    # Then the regulator portal sends them to the set-up first
    response = client.get("/regulator/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-step/"
    # and signing out still works
    assert client.post("/logout/").status_code == 302
    assert signed_in_user_id(client) is None


def test_business_users_are_not_forced_to_set_up_two_step_sign_in() -> None:
    make_user()
    client = Client()
    sign_in(client, "dana@example.com")

    assert client.get("/account/").status_code == 200
