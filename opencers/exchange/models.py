"""HTTP-level bookkeeping of the JSON API: idempotency records and rate-limit counters.

Neither holds domain data: an idempotency record remembers the first response given to a client's
``Idempotency-Key`` so a retry gets the same answer; a rate-limit counter counts a client's requests in
one time window. Both live in PostgreSQL so every app server process shares them.
"""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to one client's ``Idempotency-Key``.

    The row is inserted as the first statement of the request's transaction and completed in the same
    transaction, so a committed row always holds a response; a concurrent request with the same key
    waits on the unique index until the first one commits (then replays it) or rolls back (then runs).
    """

    client = models.ForeignKey("accounts.ApiClient", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    status_code = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_idempotency_record_per_client_key")
        ]


class RateLimitCounter(models.Model):
    """Requests of one client in one fixed window (incremented with one atomic upsert)."""

    client = models.ForeignKey("accounts.ApiClient", on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="one_counter_per_client_window")
        ]
