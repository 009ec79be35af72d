from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from opencers.notifications.models import EmailMessage, Notification


def emails_for_user(*, user: Any) -> QuerySet[EmailMessage]:
    """The e-mails sent to this person: those filed under their account, and those filed under no account
    that went to their current address (an invitation sent before they signed up, say). A message filed
    under someone else stays theirs, even if this person later takes over the address."""
    return EmailMessage.objects.filter(Q(user=user) | Q(user__isnull=True, to_address__iexact=user.email))


def notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
