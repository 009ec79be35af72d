from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from opencers.notifications.models import EmailMessage, Notification


def emails_for_user(*, user: Any) -> QuerySet[EmailMessage]:
    """The e-mails sent to this person: to their account or to their current address."""
    return EmailMessage.objects.filter(Q(user=user) | Q(to_address__iexact=user.email))


def notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
