"""Sign-in throttling with tiered cool-offs that cannot become a permanent lockout.

Failures are counted under two keys:

* ``user_ip``: the e-mail address tried, together with the client IP. Every 5 failures lock this pair
  for a cool-off that grows with each lockout: 1, 5, 15, then 60 minutes at most.
* ``ip``: the client IP alone. Every 50 failures (password spraying over many addresses) lock the
  address with the same tiers.

Because neither key is the e-mail address alone, an attacker elsewhere cannot lock the real owner out:
the owner's own IP has its own counter. And because the longest cool-off is one hour and counters are
forgotten 24 hours after the last failure, no lockout is permanent. A successful sign-in clears the
``user_ip`` counter. The client IP honours X-Forwarded-For only from the configured proxies
(``TRUSTED_PROXY_COUNT``, see ``opencers.core.net``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opencers.accounts.models import LoginThrottle

COOL_OFF_MINUTES = (1, 5, 15, 60)
FAILURES_PER_LOCKOUT = {"user_ip": 5, "ip": 50}
FORGET_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class ThrottleState:
    locked: bool
    retry_after_seconds: int = 0

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _keys(email: str, ip: str) -> list[tuple[str, str]]:
    return [("user_ip", f"{email.strip().lower()}|{ip}"), ("ip", ip)]


def throttle_check(*, email: str, ip: str) -> ThrottleState:
    now = timezone.now()
    longest = 0
    for scope, key in _keys(email, ip):
        row = LoginThrottle.objects.filter(scope=scope, key=key).first()
        if row and row.locked_until and row.locked_until > now:
            longest = max(longest, math.ceil((row.locked_until - now).total_seconds()))
    return ThrottleState(locked=longest > 0, retry_after_seconds=longest)


@transaction.atomic
def throttle_record_failure(*, email: str, ip: str) -> ThrottleState:
    now = timezone.now()
    longest = 0
    for scope, key in _keys(email, ip):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(scope=scope, key=key)
        if row.last_failure_at and now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
            row.lockouts = 0
        row.failures += 1
        row.last_failure_at = now
        if row.failures % FAILURES_PER_LOCKOUT[scope] == 0:
            tier = min(row.lockouts, len(COOL_OFF_MINUTES) - 1)
            row.locked_until = now + timedelta(minutes=COOL_OFF_MINUTES[tier])
            row.lockouts += 1
        row.save()
        if row.locked_until and row.locked_until > now:
            longest = max(longest, math.ceil((row.locked_until - now).total_seconds()))
    return ThrottleState(locked=longest > 0, retry_after_seconds=longest)


def throttle_record_success(*, email: str, ip: str) -> None:
    scope, key = _keys(email, ip)[0]
    LoginThrottle.objects.filter(scope=scope, key=key).delete()
