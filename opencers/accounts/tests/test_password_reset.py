"""Password reset by e-mail (single use, one hour) and password change; both end every other session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opencers.accounts.models import OneTimeToken, TokenPurpose, User
from opencers.accounts.tests.helpers import (
    PASSWORD,
    emails,
    link_token,
    make_user,
    only_email,
    sign_in,
    signed_in_user_id,
)
from opencers.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "granite meadow whistle"


def _reset_link(client: Client, email: str) -> str:
    client.post("/password/reset/", {"email": email})
    return link_token(emails(email, "password_reset")[-1], "/password/reset/")


def test_reset_link_is_emailed_and_lives_one_hour() -> None:
    # Given an account
    user = make_user()

    # When its owner asks for a reset
    response = Client().post("/password/reset/", {"email": "DANA@example.com"})

    # Then the page says a link was sent and the e-mail holds a link valid for one hour
    assert response.status_code == 200
    assert "The link works once, for one hour." in response.content.decode()
    message = only_email("dana@example.com", "password_reset")
    assert message.user == user
    assert message.subject == "Reset your OpenCERS password"
    token = OneTimeToken.objects.get(purpose=TokenPurpose.PASSWORD_RESET)
    assert abs((token.expires_at - token.created_at) - timedelta(hours=1)) < timedelta(seconds=1)


def test_reset_sets_the_new_password_and_works_once() -> None:
    # Given an account and its reset link
    user = make_user()
    client = Client()
    raw = _reset_link(client, "dana@example.com")

    # When the link is opened and a new password chosen
    assert client.get(f"/password/reset/{raw}/").status_code == 200
    response = client.post(f"/password/reset/{raw}/", {"password": NEW_PASSWORD})

    # Then the password is changed and the person is sent to sign in
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.check_password(PASSWORD) is False
    assert user.password_changed_at is not None
    assert AuditEvent.objects.filter(action="account.password_reset", actor=user).count() == 1
    assert len(emails("dana@example.com", "password_changed")) == 1
    # and the old password no longer signs in, the new one does
    assert sign_in(Client(), "dana@example.com", PASSWORD).status_code == 200
    assert sign_in(Client(), "dana@example.com", NEW_PASSWORD).status_code == 302

    # When the same link is used again
    again_get = client.get(f"/password/reset/{raw}/")
    again_post = client.post(f"/password/reset/{raw}/", {"password": "another long passphrase"})

    # Then it is refused and the password stays
    assert again_get.status_code == again_post.status_code == 400
    assert "This link has already been used. Each link works only once." in again_post.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_link_expires_after_one_hour() -> None:
    # Given a reset link past its hour
    user = make_user()
    client = Client()
    raw = _reset_link(client, "dana@example.com")
    OneTimeToken.objects.filter(purpose=TokenPurpose.PASSWORD_RESET).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    # When it is opened and used
    opened = client.get(f"/password/reset/{raw}/")
    used = client.post(f"/password/reset/{raw}/", {"password": NEW_PASSWORD})

    # Then both are refused as expired and the password is unchanged
    assert opened.status_code == used.status_code == 400
    assert "This link has expired." in opened.content.decode()
    assert "This link has expired." in used.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_refused_new_password_does_not_spend_the_link() -> None:
    # Given a reset link
    user = make_user()
    client = Client()
    raw = _reset_link(client, "dana@example.com")

    # When a too short password is chosen
    refused = client.post(f"/password/reset/{raw}/", {"password": "too short"})

    # Then the form says why, and the link still works for a good one
    assert refused.status_code == 200
    assert "Use at least 15 characters." in refused.content.decode()
    assert client.post(f"/password/reset/{raw}/", {"password": NEW_PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_new_reset_link_retires_the_previous_one() -> None:
    # Given two reset requests
    make_user()
    client = Client()
    first = _reset_link(client, "dana@example.com")
    second = _reset_link(client, "dana@example.com")

    # Then only the newest link works
    assert client.get(f"/password/reset/{first}/").status_code == 400
    assert client.get(f"/password/reset/{second}/").status_code == 200


def test_reset_activates_an_account_never_activated() -> None:
    # Given an account that was never activated
    user = make_user(active=False)
    client = Client()
    raw = _reset_link(client, "dana@example.com")

    # When its owner resets the password through the e-mailed link
    client.post(f"/password/reset/{raw}/", {"password": NEW_PASSWORD})

    # Then the account is active (the link proves control of the address) and can sign in
    user.refresh_from_db()
    assert user.is_active is True
    assert sign_in(Client(), "dana@example.com", NEW_PASSWORD).status_code == 302


def test_reset_signs_out_every_session_of_the_user() -> None:
    # Given the user signed in on two devices
    user = make_user()
    laptop, phone = Client(), Client()
    sign_in(laptop, "dana@example.com")
    sign_in(phone, "dana@example.com")
    assert laptop.get("/account/").status_code == 200

    # When the password is reset from a third, signed-out browser
    browser = Client()
    raw = _reset_link(browser, "dana@example.com")
    browser.post(f"/password/reset/{raw}/", {"password": NEW_PASSWORD})

    # Then both sessions are sent to sign in
    for client in (laptop, phone):
        response = client.get("/account/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/account/"
        assert signed_in_user_id(client) is None
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others() -> None:
    # Given the user signed in on two devices
    user = make_user()
    laptop, phone = Client(), Client()
    sign_in(laptop, "dana@example.com")
    sign_in(phone, "dana@example.com")

    # When the password is changed on the laptop
    response = laptop.post("/account/password/", {"current_password": PASSWORD, "password": NEW_PASSWORD})

    # Then the laptop stays signed in
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert laptop.get("/account/").status_code == 200
    assert signed_in_user_id(laptop) == user.pk
    # and the phone is sent to sign in
    on_phone = phone.get("/account/")
    assert on_phone.status_code == 302
    assert on_phone["Location"] == "/login/?next=/account/"
    # and the change is recorded and the owner told by e-mail
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_changed", actor=user).count() == 1
    assert len(emails("dana@example.com", "password_changed")) == 1


def test_password_change_needs_the_current_password() -> None:
    # Given a signed-in user
    user = make_user()
    client = Client()
    sign_in(client, "dana@example.com")

    # When the current password given is wrong
    response = client.post(
        "/account/password/", {"current_password": "not my password at all", "password": NEW_PASSWORD}
    )

    # Then nothing changes and the form says why
    assert response.status_code == 200
    assert "Your current password is not right." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert emails("dana@example.com", "password_changed") == []


def test_password_change_applies_the_rules() -> None:
    user = make_user()
    client = Client()
    sign_in(client, "dana@example.com")

    response = client.post(
        "/account/password/", {"current_password": PASSWORD, "password": "1q2w3e4r5t6y7u8i"}
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
