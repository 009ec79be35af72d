"""Sign-up, activation and what an unactivated account is told, without telling who has an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client, override_settings
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
    visible_page,
)
from opencers.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet orchard bicycle"


def _sign_up(client: Client, email: str, full_name: str = "Rosa Delgado", password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/signup/", {"full_name": full_name, "email": email, "password": password})


def _queued_email_jobs() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (args->>'message_id')::int FROM procrastinate_jobs "
            "WHERE task_name = 'notifications.send_email' AND status = 'todo' ORDER BY id"
        )
        return [row[0] for row in cursor.fetchall()]


def test_sign_up_creates_an_inactive_account_and_queues_an_activation_email() -> None:
    # Given a visitor
    client = Client()

    # When they sign up with a name, an address in mixed case and a long password
    response = _sign_up(client, "Rosa.Delgado@Example.com")

    # Then they are sent to the "check your e-mail" page
    assert response.status_code == 302
    assert response["Location"] == "/signup/done/"
    # and an inactive account exists under the normalized address, with the password set
    user = User.objects.get()
    assert user.email == "rosa.delgado@example.com"
    assert user.full_name == "Rosa Delgado"
    assert user.is_active is False
    assert user.activated_at is None
    assert user.check_password(NEW_PASSWORD)
    # and the activation e-mail is stored and its sending queued
    message = only_email("rosa.delgado@example.com", "activation")
    assert message.user == user
    assert message.subject == "Activate your OpenCERS account"
    assert message.status == "queued"
    assert "The link works once, for 48 hours." in message.body
    assert _queued_email_jobs() == [message.pk]
    # and the sign-up is in the audit log
    assert list(AuditEvent.objects.filter(action="account.signed_up").values_list("actor_id", flat=True)) == [
        user.pk
    ]
    # and the page says what happens next
    page = client.get("/signup/done/").content.decode()
    assert (
        "If Rosa.Delgado@Example.com can be used for a new account, we sent an activation link to it." in page
    )


def test_activation_token_lives_48_hours_and_only_its_digest_is_stored() -> None:
    # Given a new sign-up
    _sign_up(Client(), "rosa@example.com")

    # When we look at the activation token
    token = OneTimeToken.objects.get(purpose=TokenPurpose.ACTIVATION)
    raw = link_token(only_email("rosa@example.com", "activation"), "/activate/")

    # Then it expires 48 hours after it was issued, and the raw secret is not in the database
    assert abs((token.expires_at - token.created_at) - timedelta(hours=48)) < timedelta(seconds=1)
    assert token.digest != raw
    assert OneTimeToken.objects.filter(digest=raw).count() == 0


def test_activation_link_shows_a_button_and_works_once() -> None:
    # Given a new sign-up and the link from the e-mail
    client = Client()
    _sign_up(client, "rosa@example.com")
    raw = link_token(only_email("rosa@example.com", "activation"), "/activate/")

    # When the link is opened (as a mail scanner would), nothing is activated yet
    page = client.get(f"/activate/{raw}/")
    assert page.status_code == 200
    assert "Activate my account" in page.content.decode()
    assert User.objects.get().is_active is False

    # When the person presses the button
    response = client.post(f"/activate/{raw}/")

    # Then the account is active and they are sent to sign in
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user = User.objects.get()
    assert user.is_active is True
    assert user.activated_at is not None
    assert AuditEvent.objects.filter(action="account.activated", actor=user).count() == 1

    # When the same link is used again
    again = client.post(f"/activate/{raw}/")

    # Then it is refused as used
    assert again.status_code == 400
    assert "This link has already been used. Each link works only once." in again.content.decode()
    assert AuditEvent.objects.filter(action="account.activated").count() == 1


def test_activated_account_can_sign_in() -> None:
    # Given an account activated through its link
    client = Client()
    _sign_up(client, "rosa@example.com")
    client.post(f"/activate/{link_token(only_email('rosa@example.com', 'activation'), '/activate/')}/")

    # When the person signs in
    response = sign_in(client, "rosa@example.com", NEW_PASSWORD)

    # Then they are signed in
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == User.objects.get().pk


def test_activation_link_expires_after_48_hours() -> None:
    # Given a sign-up whose activation link is past its 48 hours
    client = Client()
    _sign_up(client, "rosa@example.com")
    raw = link_token(only_email("rosa@example.com", "activation"), "/activate/")
    OneTimeToken.objects.filter(purpose=TokenPurpose.ACTIVATION).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    # When the person presses the activation button
    response = client.post(f"/activate/{raw}/")

    # Then the link is refused as expired, with a way to get a new one, and the account stays inactive
    assert response.status_code == 400
    page = response.content.decode()
    assert "This link has expired." in page
    assert "Get a new activation link" in page
    assert User.objects.get().is_active is False


def test_activation_link_just_before_expiry_still_works() -> None:
    # Given an activation link with one minute left
    client = Client()
    _sign_up(client, "rosa@example.com")
    raw = link_token(only_email("rosa@example.com", "activation"), "/activate/")
    OneTimeToken.objects.filter(purpose=TokenPurpose.ACTIVATION).update(
        expires_at=timezone.now() + timedelta(minutes=1)
    )

    # When it is used
    response = client.post(f"/activate/{raw}/")

    # Then the account is activated
    assert response.status_code == 302
    assert User.objects.get().is_active is True


def test_unknown_activation_token_is_refused() -> None:
    response = Client().post("/activate/not-a-real-token/")

    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()


def test_unactivated_account_with_right_password_is_told_how_to_get_a_new_link() -> None:
    # Given an account that was never activated
    make_user("rosa@example.com", active=False)
    client = Client()

    # When the person signs in with the right password
    response = sign_in(client, "rosa@example.com")

    # Then they are not signed in, and are told to activate and offered a new link
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your account is not activated yet." in page
    assert 'href="/activate/resend/?email=rosa%40example.com"' in page
    assert "Send me a new activation link" in page
    assert signed_in_user_id(client) is None


def test_unactivated_account_with_wrong_password_gets_the_generic_answer() -> None:
    # Given an account that was never activated
    make_user("rosa@example.com", active=False)
    client = Client()

    # When someone signs in with a wrong password
    response = sign_in(client, "rosa@example.com", "not the password at all")

    # Then the answer says nothing about the account's state and offers no activation link
    assert response.status_code == 200
    page = response.content.decode()
    assert "The e-mail address or password is not right." in page
    assert "not activated" not in page
    assert "Send me a new activation link" not in page
    assert signed_in_user_id(client) is None


def test_new_activation_link_replaces_the_old_one() -> None:
    # Given an unactivated account with a first activation link
    client = Client()
    _sign_up(client, "rosa@example.com")
    first = link_token(only_email("rosa@example.com", "activation"), "/activate/")

    # When the person asks for a new link
    response = client.post("/activate/resend/", {"email": "rosa@example.com"})

    # Then a second e-mail is sent, the first link no longer works and the second does
    assert response.status_code == 200
    sent = emails("rosa@example.com", "activation")
    assert len(sent) == 2
    second = link_token(sent[1], "/activate/")
    assert client.post(f"/activate/{first}/").status_code == 400
    assert User.objects.get().is_active is False
    assert client.post(f"/activate/{second}/").status_code == 302
    assert User.objects.get().is_active is True


def test_activation_resend_answers_the_same_for_active_unknown_and_inactive_addresses() -> None:
    # Given an active account and an inactive one
    make_user("active@example.com")
    make_user("inactive@example.com", active=False)

    # When new links are asked for the active, an unknown and the inactive address
    pages = {}
    for address in ("active@example.com", "nobody@example.com", "inactive@example.com"):
        response = Client().post("/activate/resend/", {"email": address})
        assert response.status_code == 200
        pages[address] = visible_page(response, address)

    # Then the pages are identical, and only the inactive account gets an e-mail
    assert pages["active@example.com"] == pages["nobody@example.com"] == pages["inactive@example.com"]
    assert len(emails("inactive@example.com", "activation")) == 1
    assert emails("active@example.com", "activation") == []
    assert emails("nobody@example.com", "activation") == []


# --- No account enumeration -----------------------------------------------------------------------


def test_sign_up_answers_the_same_for_a_taken_and_a_free_address() -> None:
    # Given an existing active account
    existing = make_user("taken@example.com")
    taken_client, free_client = Client(), Client()

    # When someone signs up with the taken address, and someone else with a free one
    taken = _sign_up(taken_client, "taken@example.com", full_name="Someone Else")
    free = _sign_up(free_client, "free@example.com", full_name="Someone Else")

    # Then both get the same redirect and the same page
    assert (
        (taken.status_code, taken["Location"])
        == (free.status_code, free["Location"])
        == (302, "/signup/done/")
    )
    taken_page = taken_client.get("/signup/done/")
    free_page = free_client.get("/signup/done/")
    assert taken_page.status_code == free_page.status_code == 200
    assert visible_page(taken_page, "taken@example.com") == visible_page(free_page, "free@example.com")
    # and the taken account is unchanged: no second account, same password and name
    assert User.objects.filter(email="taken@example.com").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert existing.full_name == "Dana Okafor"
    # and its owner is told by e-mail (with a password-reset link), not the visitor
    notice = only_email("taken@example.com", "signup_existing")
    assert f"{settings.SITE_URL}/password/reset/" in notice.body
    assert emails("taken@example.com", "activation") == []


def test_sign_up_with_the_address_of_an_unactivated_account_sends_a_new_activation_link() -> None:
    # Given an account that was never activated
    make_user("pending@example.com", active=False)

    # When someone signs up again with that address
    response = _sign_up(Client(), "pending@example.com")

    # Then the answer is the usual one, the owner gets a fresh activation link, the password is unchanged
    assert response.status_code == 302
    assert response["Location"] == "/signup/done/"
    assert len(emails("pending@example.com", "activation")) == 1
    assert User.objects.get(email="pending@example.com").check_password(PASSWORD)


def test_sign_in_answers_the_same_for_a_wrong_password_and_an_unknown_address() -> None:
    # Given an existing account
    make_user("known@example.com")

    # When someone signs in with a wrong password, and with an address that has no account
    wrong_password = sign_in(Client(), "known@example.com", "this is not the password")
    unknown = sign_in(Client(), "unknown@example.com", "this is not the password")

    # Then the status and the visible page are the same
    assert wrong_password.status_code == unknown.status_code == 200
    assert visible_page(wrong_password, "known@example.com") == visible_page(unknown, "unknown@example.com")
    assert "The e-mail address or password is not right." in wrong_password.content.decode()


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address() -> None:
    # Given an existing account
    make_user("known@example.com")

    # When a reset is asked for it, and for an address without an account
    known = Client().post("/password/reset/", {"email": "known@example.com"})
    unknown = Client().post("/password/reset/", {"email": "unknown@example.com"})

    # Then the status and the visible page are the same, and only the owner gets an e-mail
    assert known.status_code == unknown.status_code == 200
    assert visible_page(known, "known@example.com") == visible_page(unknown, "unknown@example.com")
    assert len(emails("known@example.com", "password_reset")) == 1
    assert emails("unknown@example.com", "password_reset") == []


def test_sign_up_with_a_too_short_password_creates_nothing() -> None:
    # When a visitor signs up with a 14-character password
    response = _sign_up(Client(), "rosa@example.com", password="fourteen chars")

    # Then the form says why, and no account or e-mail is created
    assert response.status_code == 200
    assert "Use at least 15 characters." in response.content.decode()
    assert User.objects.count() == 0
    assert emails("rosa@example.com", "activation") == []


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher, counting how often a password is hashed (the slow step in production)."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize(
    ("path", "taken_data", "free_data"),
    [
        (
            "/signup/",
            {"full_name": "Someone Else", "email": "taken@example.com", "password": NEW_PASSWORD},
            {"full_name": "Someone Else", "email": "free@example.com", "password": NEW_PASSWORD},
        ),
        (
            "/login/",
            {"email": "taken@example.com", "password": "this is not the password"},
            {"email": "free@example.com", "password": "this is not the password"},
        ),
    ],
)
def test_a_taken_and_a_free_address_cost_the_same_password_hashing(
    path: str, taken_data: dict[str, str], free_data: dict[str, str]
) -> None:
    # Given an existing account, and a password hasher that counts its work
    with override_settings(PASSWORD_HASHERS=["opencers.accounts.tests.test_signup.CountingHasher"]):
        make_user("taken@example.com")
        counts = []

        # When the form is posted with the taken address and with a free one
        for data in (taken_data, free_data):
            CountingHasher.calls = 0
            Client().post(path, data)
            counts.append(CountingHasher.calls)

    # Then both hash the password exactly once, so the response time does not tell them apart
    assert counts == [1, 1]
