"""Sending e-mail and in-app notifications. Every message is stored before it is sent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from opencers.notifications.models import EmailMessage, EmailStatus, Notification


def email_send(*, to: str, kind: str, context: dict[str, Any], user: Any = None) -> EmailMessage:
    """Render ``notifications/email/<kind>.txt`` (first line ``Subject: …``), store it, queue the sending.

    The job row is written in the caller's transaction, so the message leaves only if the change
    that caused it commits.
    """
    from opencers.notifications.tasks import send_email

    full_context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        rendered = render_to_string(f"notifications/email/{kind}.txt", full_context).lstrip()
    first_line, _newline, body = rendered.partition("\n")
    subject = first_line.removeprefix("Subject:").strip()
    message = EmailMessage.objects.create(
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        to_address=to,
        subject=subject[:250],
        body=body.strip() + "\n",
    )
    send_email.defer(message_id=message.pk)
    return message


def emails_send(*, recipients: Iterable[Any], kind: str, context: dict[str, Any]) -> list[EmailMessage]:
    """The same message to several users (each gets and sees their own copy)."""
    return [
        email_send(to=user.email, kind=kind, context={**context, "recipient": user}, user=user)
        for user in recipients
    ]


def email_deliver(*, message_id: int) -> EmailMessage:
    """Send a stored message through the configured e-mail backend (idempotent).

    A failure is recorded on the message (status, reason, attempts) and then raised, so that the job
    queue retries; the record is committed first, or raising would roll it back.
    """
    failure: Exception | None = None
    with transaction.atomic():
        message = EmailMessage.objects.select_for_update().get(pk=message_id)
        if message.status == EmailStatus.SENT:
            return message
        message.attempts += 1
        try:
            DjangoEmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to_address],
            ).send(fail_silently=False)
        except Exception as exc:
            failure = exc
            message.status = EmailStatus.FAILED
            message.error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["status", "error", "attempts", "updated_at"])
        else:
            message.status = EmailStatus.SENT
            message.error = ""
            message.sent_at = timezone.now()
            message.save(update_fields=["status", "error", "attempts", "sent_at", "updated_at"])
    if failure is not None:
        raise failure
    return message


def notification_create(*, user: Any, kind: str, message: str, link: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, message=message[:500], link=link)


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
