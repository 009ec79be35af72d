"""Changing the e-mail address: a confirmation link to the new address, a notice to the old one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opencers.accounts.models import OneTimeToken, TokenPurpose, User
from opencers.accounts.tests.helpers import (
    emails,
    link_token,
    make_user,
    only_email,
    sign_in,
    signed_in_user_id,
)
from opencers.core.models import AuditEvent
from opencers.notifications.models import EmailMessage

pytestmark = pytest.mark.django_db


def _signed_in() -> tuple[User, Client]:
    user = make_user()
    client = Client()
    sign_in(client, "dana@example.com")
    return user, client


def _request_change(client: Client, new_email: str) -> str:
    response = client.post("/account/email/", {"email": new_email})
    assert response.status_code == 302
    return link_token(emails(new_email.lower(), "email_change")[-1], "/account/email/confirm/")


def test_request_sends_a_link_to_the_new_address_and_changes_nothing_yet() -> None:
    # Given a signed-in user
    user, client = _signed_in()

    # When they ask to use a new address
    response = client.post("/account/email/", {"email": "Dana.New@Example.com"})

    # Then they are told to open the link, which went to the new address only
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert "We sent a confirmation link to Dana.New@Example.com." in client.get("/account/").content.decode()
    message = only_email("dana.new@example.com", "email_change")
    assert message.subject == "Confirm your new OpenCERS e-mail address"
    assert "make dana.new@example.com the e-mail address of your OpenCERS account" in message.body
    # and the address is unchanged, with no notice to the old address yet
    user.refresh_from_db()
    assert user.email == "dana@example.com"
    assert emails("dana@example.com", "email_changed_notice") == []


def test_confirming_changes_the_address_and_tells_the_old_one() -> None:
    # Given a change requested and its link
    user, client = _signed_in()
    raw = _request_change(client, "dana.new@example.com")

    # When the link is opened, a button is shown and nothing changes yet
    assert client.get(f"/account/email/confirm/{raw}/").status_code == 200
    assert User.objects.get(pk=user.pk).email == "dana@example.com"

    # When the button is pressed
    response = client.post(f"/account/email/confirm/{raw}/")

    # Then the address is changed
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.email == "dana.new@example.com"
    # and the old address gets a notice naming the new one
    notice = only_email("dana@example.com", "email_changed_notice")
    assert notice.subject == "Your OpenCERS e-mail address was changed"
    assert "Your OpenCERS account now uses dana.new@example.com." in notice.body
    # and the change is in the audit log
    event = AuditEvent.objects.get(action="account.email_changed")
    assert event.actor == user
    assert event.data == {"from": "dana@example.com", "to": "dana.new@example.com"}
    # and the person signs in with the new address, not the old one
    assert sign_in(Client(), "dana.new@example.com").status_code == 302
    assert sign_in(Client(), "dana@example.com").status_code == 200
    assert signed_in_user_id(client) == user.pk
    # and, the address being theirs now, the confirmation e-mail shows in their e-mail history
    confirmation = only_email("dana.new@example.com", "email_change")
    assert client.get(f"/account/emails/{confirmation.public_id}/").status_code == 200


def test_the_link_works_once() -> None:
    _user, client = _signed_in()
    raw = _request_change(client, "dana.new@example.com")
    client.post(f"/account/email/confirm/{raw}/")

    again = client.post(f"/account/email/confirm/{raw}/")

    assert again.status_code == 400
    assert "This link has already been used. Each link works only once." in again.content.decode()
    assert len(emails("dana@example.com", "email_changed_notice")) == 1


def test_the_link_expires() -> None:
    user, client = _signed_in()
    raw = _request_change(client, "dana.new@example.com")
    OneTimeToken.objects.filter(purpose=TokenPurpose.EMAIL_CHANGE).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = client.post(f"/account/email/confirm/{raw}/")

    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    user.refresh_from_db()
    assert user.email == "dana@example.com"


def test_the_link_works_from_a_signed_out_browser() -> None:
    # Given a change requested, and the link opened on another device that is not signed in
    user, client = _signed_in()
    raw = _request_change(client, "dana.new@example.com")

    response = Client().post(f"/account/email/confirm/{raw}/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.email == "dana.new@example.com"


def test_an_address_taken_meanwhile_is_refused_at_confirmation() -> None:
    # Given a change requested to an address that another account then takes
    user, client = _signed_in()
    raw = _request_change(client, "shared@example.com")
    make_user("shared@example.com", full_name="Someone Else")

    # When the link is used
    response = client.post(f"/account/email/confirm/{raw}/")

    # Then the change is refused and nothing moves
    assert response.status_code == 400
    assert "Another account already uses shared@example.com." in response.content.decode()
    user.refresh_from_db()
    assert user.email == "dana@example.com"
    assert emails("dana@example.com", "email_changed_notice") == []


def test_the_current_address_is_refused() -> None:
    _user, client = _signed_in()

    response = client.post("/account/email/", {"email": "DANA@example.com"})

    assert response.status_code == 200
    assert "That is already your e-mail address." in response.content.decode()
    assert EmailMessage.objects.filter(kind="email_change").count() == 0


def test_a_new_request_retires_the_previous_link() -> None:
    user, client = _signed_in()
    first = _request_change(client, "first@example.com")
    second = _request_change(client, "second@example.com")

    assert client.post(f"/account/email/confirm/{first}/").status_code == 400
    assert client.post(f"/account/email/confirm/{second}/").status_code == 302
    user.refresh_from_db()
    assert user.email == "second@example.com"


def test_the_requester_cannot_read_the_confirmation_link_in_their_email_history() -> None:
    # Given a user who asks to move their account to an address they do not control
    user, client = _signed_in()
    client.post("/account/email/", {"email": "someone.else@example.com"})
    message = only_email("someone.else@example.com", "email_change")

    # When they look at the e-mails sent to them
    history = client.get("/account/emails/")
    detail = client.get(f"/account/emails/{message.public_id}/")

    # Then the message sent to the other address is not there (it would let them confirm without the mailbox)
    assert history.status_code == 200
    assert message.subject not in history.content.decode()
    assert detail.status_code == 404
    user.refresh_from_db()
    assert user.email == "dana@example.com"
