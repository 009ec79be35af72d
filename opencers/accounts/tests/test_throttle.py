"""Sign-in throttling: tiered cool-offs per (e-mail, IP) and per IP, never a permanent lockout, and
a client IP that cannot be forged through X-Forwarded-For."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from opencers.accounts.models import LoginThrottle
from opencers.accounts.services import user_sign_in
from opencers.accounts.tests.helpers import PASSWORD, make_user, sign_in, signed_in_user_id
from opencers.core.net import client_ip

pytestmark = pytest.mark.django_db

ATTACKER_IP = "198.51.100.7"
VICTIM_IP = "203.0.113.5"
WRONG = "definitely not the password"


def _fail(times: int, *, email: str = "dana@example.com", ip: str = ATTACKER_IP) -> None:
    for _i in range(times):
        result = user_sign_in(email=email, password=WRONG, ip=ip)
        assert result.user is None


def _pair(email: str = "dana@example.com", ip: str = ATTACKER_IP) -> LoginThrottle:
    return LoginThrottle.objects.get(scope="user_ip", key=f"{email}|{ip}")


def _end_cool_off() -> None:
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


def test_four_failures_do_not_lock_and_the_fifth_locks_for_one_minute() -> None:
    # Given an account
    make_user()

    # When four wrong passwords are tried
    _fail(4)

    # Then they are counted, without a lock
    assert _pair().locked_until is None
    assert _pair().failures == 4

    # When a fifth wrong password is tried
    result = user_sign_in(email="dana@example.com", password=WRONG, ip=ATTACKER_IP)

    # Then the pair is locked for one minute and the answer says so
    assert (
        result.error
        == "Too many failed sign-in attempts. Wait 1 minute(s) and try again, or reset your password."
    )
    assert result.throttle is not None and result.throttle.locked is True
    row = _pair()
    assert row.locked_until - row.last_failure_at == timedelta(minutes=1)
    assert row.lockouts == 1


def test_the_right_password_is_refused_during_the_cool_off() -> None:
    # Given a locked (e-mail, IP) pair
    make_user()
    _fail(5)

    # When the right password is given from that IP
    result = user_sign_in(email="dana@example.com", password=PASSWORD, ip=ATTACKER_IP)

    # Then it is refused without saying whether it was right, and the failure count does not grow
    assert result.user is None
    assert (
        result.error
        == "Too many failed sign-in attempts. Wait 1 minute(s) and try again, or reset your password."
    )
    assert _pair().failures == 5


def test_cool_offs_grow_1_5_15_60_minutes_and_stay_at_60() -> None:
    # Given an account under a slow, persistent attack from one address
    make_user()
    cool_offs = []

    # When five failures follow every cool-off, six times
    for _round in range(6):
        _fail(5)
        row = _pair()
        cool_offs.append(row.locked_until - row.last_failure_at)
        _end_cool_off()

    # Then the cool-offs are 1, 5, 15, 60 and then 60 minutes: never longer, never permanent
    assert cool_offs == [timedelta(minutes=m) for m in (1, 5, 15, 60, 60, 60)]


def test_the_cool_off_ends_and_the_owner_signs_in() -> None:
    # Given a pair locked at the longest tier
    make_user()
    for _round in range(4):
        _fail(5)
        _end_cool_off()
    _fail(5)
    assert _pair().locked_until - _pair().last_failure_at == timedelta(minutes=60)

    # When the hour has passed
    _end_cool_off()

    # Then the right password signs in
    assert user_sign_in(email="dana@example.com", password=PASSWORD, ip=ATTACKER_IP).user is not None


def test_an_attacker_elsewhere_cannot_lock_the_owner_out() -> None:
    # Given an attacker who locked the victim's address from their own IP, many times over
    victim = make_user()
    for _round in range(4):
        _fail(5, ip=ATTACKER_IP)
        _end_cool_off()
    _fail(5, ip=ATTACKER_IP)
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    assert sign_in(attacker, "dana@example.com").status_code == 429

    # When the victim signs in from their own IP
    client = Client(REMOTE_ADDR=VICTIM_IP)
    response = sign_in(client, "dana@example.com")

    # Then they are signed in
    assert response.status_code == 302
    assert signed_in_user_id(client) == victim.pk


def test_the_view_answers_429_with_the_wait_during_a_cool_off() -> None:
    # Given five failures through the sign-in page
    make_user()
    client = Client(REMOTE_ADDR=ATTACKER_IP)
    statuses = [sign_in(client, "dana@example.com", WRONG).status_code for _i in range(5)]

    # Then the first four are ordinary refusals and the fifth says to wait
    assert statuses == [200, 200, 200, 200, 429]
    locked = sign_in(client, "dana@example.com")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts. Wait 1 minute(s) and try again" in locked.content.decode()
    assert signed_in_user_id(client) is None


def test_unknown_addresses_are_throttled_like_known_ones() -> None:
    # Given no account for the address, five failures lock it like for a real account (no enumeration)
    client = Client(REMOTE_ADDR=ATTACKER_IP)
    statuses = [sign_in(client, "nobody@example.com", WRONG).status_code for _i in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_success_clears_the_pair_counter() -> None:
    # Given four failures from the owner's IP
    make_user()
    _fail(4, ip=VICTIM_IP)

    # When the owner then signs in
    assert user_sign_in(email="dana@example.com", password=PASSWORD, ip=VICTIM_IP).user is not None

    # Then the pair's counter is gone, and four new failures do not lock
    assert LoginThrottle.objects.filter(scope="user_ip").count() == 0
    _fail(4, ip=VICTIM_IP)
    assert _pair(ip=VICTIM_IP).failures == 4
    assert _pair(ip=VICTIM_IP).locked_until is None


def test_failures_are_forgotten_a_day_after_the_last_one() -> None:
    # Given a pair with 4 failures and three lockouts behind it, the last failure 25 hours ago
    make_user()
    _fail(4)
    LoginThrottle.objects.filter(scope="user_ip").update(
        lockouts=3, last_failure_at=timezone.now() - timedelta(hours=25)
    )

    # When one more failure happens
    _fail(1)

    # Then counting starts afresh: one failure, no lockout
    row = _pair()
    assert (row.failures, row.lockouts, row.locked_until) == (1, 0, None)


def test_fifty_failures_from_one_ip_lock_that_ip_for_every_address() -> None:
    # Given a password spray: 50 different addresses tried once each from one IP
    make_user()
    for n in range(49):
        _fail(1, email=f"target{n}@example.com")
    assert user_sign_in(email="target49@example.com", password=WRONG, ip=ATTACKER_IP).throttle is not None

    # Then that IP is locked for one minute even for an address it never tried
    result = user_sign_in(email="dana@example.com", password=PASSWORD, ip=ATTACKER_IP)
    assert result.user is None
    assert result.throttle is not None and result.throttle.locked is True
    ip_row = LoginThrottle.objects.get(scope="ip", key=ATTACKER_IP)
    assert (ip_row.failures, ip_row.lockouts) == (50, 1)
    assert ip_row.locked_until - ip_row.last_failure_at == timedelta(minutes=1)
    # and another IP is not affected
    assert user_sign_in(email="dana@example.com", password=PASSWORD, ip=VICTIM_IP).user is not None


def test_forty_nine_failures_from_one_ip_do_not_lock_it() -> None:
    make_user()
    for n in range(49):
        _fail(1, email=f"target{n}@example.com")

    assert user_sign_in(email="dana@example.com", password=PASSWORD, ip=ATTACKER_IP).user is not None


# --- The client IP ---------------------------------------------------------------------------------


def _request(forwarded: str | None = None, remote: str = "10.0.0.9"):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_proxies_x_forwarded_for_is_ignored() -> None:
    assert client_ip(_request("203.0.113.5", remote="198.51.100.7")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_proxy_the_rightmost_entry_is_the_client() -> None:
    assert client_ip(_request("203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_proxy_a_forged_leftmost_entry_is_ignored() -> None:
    # The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended the real address
    assert client_ip(_request("192.0.2.1, 203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_proxies_the_second_entry_from_the_right_is_the_client() -> None:
    # Outer proxy appended the client, inner proxy appended the outer proxy's address
    assert client_ip(_request("203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_ip(_request("192.0.2.1, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_fewer_entries_than_proxies_falls_back_to_the_peer_address() -> None:
    assert client_ip(_request("203.0.113.5", remote="10.0.0.9")) == "10.0.0.9"
    assert client_ip(_request(None, remote="10.0.0.9")) == "10.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forged_x_forwarded_for_does_not_escape_the_throttle() -> None:
    # Given an attacker behind the one trusted proxy who changes the forged part of the header each time
    make_user()
    client = Client(REMOTE_ADDR="10.0.0.2")
    statuses = [
        sign_in(
            client, "dana@example.com", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER_IP}"
        ).status_code
        for n in range(6)
    ]

    # Then the attempts are all counted against the real address and the fifth locks it
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert _pair().failures == 5
    # and the victim, through the same proxy from their own address, still signs in
    victim = Client(REMOTE_ADDR="10.0.0.2")
    assert sign_in(victim, "dana@example.com", HTTP_X_FORWARDED_FOR=VICTIM_IP).status_code == 302
