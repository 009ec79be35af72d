"""Every e-mail is stored before it is sent, sent by the job queue, and shown to its recipient only."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test import Client, override_settings

from opencers.accounts.tests.helpers import make_user, sign_in
from opencers.notifications.models import EmailMessage, EmailStatus
from opencers.notifications.services import email_send
from opencers.notifications.tasks import send_email

pytestmark = pytest.mark.django_db


def _jobs() -> list[tuple[str, str, int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, queue_name, (args->>'message_id')::int, status::text "
            "FROM procrastinate_jobs ORDER BY id"
        )
        return list(cursor.fetchall())


def _password_changed(user) -> EmailMessage:  # type: ignore[no-untyped-def]
    return email_send(to=user.email, kind="password_changed", user=user, context={"user": user})


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unreachable_smtp() -> dict[str, object]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "use_tls": False, "timeout": 2},
        }
    }


# --- Storing and queueing -----------------------------------------------------------------------------


def test_a_sent_email_is_stored_and_its_sending_queued() -> None:
    # Given a user
    user = make_user()

    # When the system e-mails them
    message = _password_changed(user)

    # Then the message is stored with recipient, subject, body, status and time
    stored = EmailMessage.objects.get()
    assert stored.pk == message.pk
    assert stored.kind == "password_changed"
    assert stored.user == user
    assert stored.to_address == "dana@example.com"
    assert stored.subject == "Your OpenCERS password was changed"
    assert stored.body.startswith(
        "Hello Dana Okafor,\n\nThe password of your OpenCERS account was just changed"
    )
    assert stored.status == EmailStatus.QUEUED
    assert stored.attempts == 0
    assert stored.sent_at is None
    assert stored.created_at is not None
    # and a job to send it waits in the e-mail queue; nothing has left yet
    assert _jobs() == [("notifications.send_email", "email", message.pk, "todo")]
    assert mail.outbox == []


def test_the_message_and_its_job_are_part_of_the_callers_transaction() -> None:
    # Given a change that e-mails someone and then fails
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        _password_changed(user)
        raise RuntimeError("the change failed")

    # Then neither the message nor its job remain
    assert EmailMessage.objects.count() == 0
    assert _jobs() == []


# --- Sending -----------------------------------------------------------------------------------------


def test_send_email_delivers_and_marks_the_message_sent() -> None:
    # Given a stored message
    message = _password_changed(make_user())

    # When the job runs
    send_email(message_id=message.pk)

    # Then the e-mail left through the backend, exactly as stored
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dana@example.com"]
    assert sent.subject == "Your OpenCERS password was changed"
    assert sent.body == message.body
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    # and the message is marked sent
    message.refresh_from_db()
    assert message.status == EmailStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.error == ""


def test_running_the_job_twice_sends_once() -> None:
    message = _password_changed(make_user())

    send_email(message_id=message.pk)
    send_email(message_id=message.pk)

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_failing_backend_marks_the_message_failed_and_raises_for_a_retry() -> None:
    # Given a stored message and a mail server that cannot be reached
    message = _password_changed(make_user())

    # When the job runs
    with override_settings(MAILERS=_unreachable_smtp()), pytest.raises(ConnectionRefusedError):
        send_email(message_id=message.pk)

    # Then the message is marked failed with the reason, and the error reached the queue (which retries)
    message.refresh_from_db()
    assert message.status == EmailStatus.FAILED
    assert message.attempts == 1
    assert message.error.startswith("ConnectionRefusedError: ")
    assert message.sent_at is None
    assert mail.outbox == []


def test_a_retry_after_a_failure_sends_and_clears_the_error() -> None:
    # Given a message whose first attempt failed
    message = _password_changed(make_user())
    with override_settings(MAILERS=_unreachable_smtp()), pytest.raises(ConnectionRefusedError):
        send_email(message_id=message.pk)

    # When the queue retries with the server back
    send_email(message_id=message.pk)

    # Then it is sent, after two attempts
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (EmailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


# --- E-mail history --------------------------------------------------------------------------------------


def test_a_user_sees_the_emails_sent_to_them_and_not_others() -> None:
    # Given two users with one e-mail each
    dana = make_user()
    other = make_user("lee@example.com", full_name="Lee Park")
    mine = email_send(
        to=dana.email,
        kind="email_changed_notice",
        user=dana,
        context={"user": dana, "new_email": "x@example.com"},
    )
    theirs = _password_changed(other)
    send_email(message_id=mine.pk)
    client = Client()
    sign_in(client, "dana@example.com")

    # When Dana looks at her e-mail history
    history = client.get("/account/emails/")

    # Then her message is listed with its status, and the other user's is not
    assert history.status_code == 200
    page = history.content.decode()
    assert f'href="/account/emails/{mine.public_id}/">Your OpenCERS e-mail address was changed</a>' in page
    assert "Sent" in page
    assert str(theirs.public_id) not in page
    assert "Your OpenCERS password was changed" not in page
    # and she can read hers in full, but not the other one
    detail = client.get(f"/account/emails/{mine.public_id}/")
    assert detail.status_code == 200
    detail_page = detail.content.decode()
    assert "<h1>Your OpenCERS e-mail address was changed</h1>" in detail_page
    assert 'data-testid="email-to">dana@example.com</dd>' in detail_page
    assert "Your OpenCERS account now uses" in detail_page
    assert client.get(f"/account/emails/{theirs.public_id}/").status_code == 404


def test_a_message_to_the_address_before_the_account_existed_is_shown() -> None:
    # Given an e-mail sent to an address that had no account yet (an invitation, say)
    early = email_send(
        to="dana@example.com", kind="password_changed", user=None, context={"user": {"full_name": "Dana"}}
    )
    make_user()
    client = Client()
    sign_in(client, "dana@example.com")

    # Then the person who now has that address sees it
    assert client.get(f"/account/emails/{early.public_id}/").status_code == 200


def test_a_message_filed_under_another_account_stays_private_after_the_address_moves() -> None:
    # Given an e-mail sent to the previous holder of an address, who then moved to another address
    previous = make_user("desk@example.com", full_name="Former Holder")
    old_message = _password_changed(previous)
    previous.email = "former@example.com"
    previous.save(update_fields=["email"])

    # When a new person takes the address and looks at their e-mail history
    make_user("desk@example.com", full_name="New Holder")
    client = Client()
    sign_in(client, "desk@example.com")

    # Then the previous holder's message is not theirs to read
    assert client.get(f"/account/emails/{old_message.public_id}/").status_code == 404
    assert str(old_message.public_id) not in client.get("/account/emails/").content.decode()
