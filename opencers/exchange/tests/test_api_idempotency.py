"""Idempotency keys (including 20 concurrent identical requests) and per-client rate limits."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from opencers.accounts.models import ApiClient
from opencers.core.elements import Element
from opencers.elements.inventory.models import InventoryItem
from opencers.exchange.api.base import rate_limit_hit
from opencers.exchange.models import IdempotencyRecord, RateLimitCounter
from opencers.exchange.tests.api_support import body, call, organization_token, personal_token
from opencers.submittals.services import draft_get_or_create

ROW = {
    "CommonName": "Diesel",
    "EHS": "N",
    "PhysicalState": "b",
    "MaximumDailyAmount": "500",
    "Units": "a",
    "ChemicalLocation": "Yard tank",
}


def _rows_url(world) -> str:
    return f"/api/v1/facilities/{world.facility.cers_id}/elements/inventory/draft/rows/"


def _draft_etag(world, token) -> str:
    draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    return call("GET", f"/api/v1/facilities/{world.facility.cers_id}/elements/inventory/draft/", token)[
        "ETag"
    ]


def test_a_retry_returns_the_first_response_and_creates_nothing_more(world):
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    headers = {"If-Match": etag, "Idempotency-Key": "order-42"}
    first = call("POST", _rows_url(world), token, {"rows": [ROW]}, headers=headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    retry = call("POST", _rows_url(world), token, {"rows": [ROW]}, headers=headers)
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    assert retry["ETag"] == first["ETag"]
    assert InventoryItem.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(world):
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    headers = {"If-Match": etag, "Idempotency-Key": "order-42"}
    assert call("POST", _rows_url(world), token, {"rows": [ROW]}, headers=headers).status_code == 201
    other = call("POST", _rows_url(world), token, {"rows": [{**ROW, "CommonName": "Other"}]}, headers=headers)
    assert other.status_code == 422
    assert body(other)["code"] == "idempotency_key_reused"
    assert body(other)["errors"][0]["field"] == "Idempotency-Key"
    assert list(InventoryItem.objects.values_list("common_name", flat=True)) == ["Diesel"]


def test_keys_are_scoped_per_client(world):
    mine = personal_token(world, "editor")
    theirs = organization_token(world)
    etag = _draft_etag(world, mine)
    first = call(
        "POST", _rows_url(world), mine, {"rows": [ROW]}, headers={"If-Match": etag, "Idempotency-Key": "k1"}
    )
    second = call(
        "POST",
        _rows_url(world),
        theirs,
        {"rows": [ROW]},
        headers={"If-Match": first["ETag"], "Idempotency-Key": "k1"},
    )
    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert InventoryItem.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 2


def test_a_refusal_by_the_rules_is_remembered_but_a_stale_if_match_frees_the_key(world):
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    bad = {"rows": [{**ROW, "Units": "litres"}]}
    refused = call("POST", _rows_url(world), token, bad, headers={"If-Match": etag, "Idempotency-Key": "a"})
    assert refused.status_code == 422
    again = call("POST", _rows_url(world), token, bad, headers={"If-Match": etag, "Idempotency-Key": "a"})
    assert again.status_code == 422
    assert again["Idempotent-Replayed"] == "true"
    stale = call(
        "POST",
        _rows_url(world),
        token,
        {"rows": [ROW]},
        headers={"If-Match": '"old"', "Idempotency-Key": "b"},
    )
    assert stale.status_code == 412
    assert not IdempotencyRecord.objects.filter(key="b").exists()
    fixed = call(
        "POST",
        _rows_url(world),
        token,
        {"rows": [ROW]},
        headers={"If-Match": stale["ETag"], "Idempotency-Key": "b"},
    )
    assert fixed.status_code == 201
    assert InventoryItem.objects.count() == 1


def test_a_malformed_key_is_refused(world):
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    response = call(
        "POST",
        _rows_url(world),
        token,
        {"rows": [ROW]},
        headers={"If-Match": etag, "Idempotency-Key": "x" * 256},
    )
    assert response.status_code == 400
    assert body(response)["code"] == "invalid_idempotency_key"
    assert not InventoryItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_requests_create_exactly_one_record(world, live_server):
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    url = live_server.url + _rows_url(world)
    payload = json.dumps({"rows": [ROW]}).encode()
    start = threading.Barrier(20)

    def send(_n: int) -> tuple[int, bytes, str | None]:
        request = urllib.request.Request(  # noqa: S310 (the test server)
            url,
            data=payload,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "If-Match": etag,
                "Idempotency-Key": "same-key-for-all",
            },
        )
        start.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (the test server)
                return response.status, response.read(), response.headers.get("Idempotent-Replayed")
        except urllib.error.HTTPError as error:
            return error.code, error.read(), None

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, range(20)))
    assert [status for status, _body, _replayed in results] == [201] * 20
    assert len({content for _status, content, _replayed in results}) == 1
    assert sorted(str(replayed) for _status, _content, replayed in results) == ["None"] + ["true"] * 19
    assert InventoryItem.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


# --- Rate limits ---------------------------------------------------------------------------------------------


def test_over_the_limit_answers_429_with_retry_after(world, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 3600
    token = personal_token(world, "lead", ["business:read"])
    other = personal_token(world, "viewer", ["business:read"])
    statuses = [call("GET", "/api/v1/facilities/", token).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = call("GET", "/api/v1/facilities/", token)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert body(refused)["code"] == "too_many_requests"
    assert refused["X-RateLimit-Remaining"] == "0"
    assert call("GET", "/api/v1/facilities/", other).status_code == 200  # limits are per client


def test_a_rate_limited_write_changes_nothing(world, settings):
    settings.API_RATE_LIMIT = 1
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 3600
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)  # the one request allowed
    response = call(
        "POST", _rows_url(world), token, {"rows": [ROW]}, headers={"If-Match": etag, "Idempotency-Key": "z"}
    )
    assert response.status_code == 429
    assert not InventoryItem.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_new_window_starts_a_new_count_and_forgets_old_windows(world, settings):
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_LIMIT_WINDOW_SECONDS = 60
    token = personal_token(world, "lead", ["business:read"])
    client = ApiClient.objects.get(token_prefix=token[:10])
    assert rate_limit_hit(client.pk, now=120.0)[0] == 1
    assert rate_limit_hit(client.pk, now=150.0)[0] == 2
    hits, limit, left = rate_limit_hit(client.pk, now=170.0)
    assert (hits, limit, left) == (3, 2, 10.0)
    assert rate_limit_hit(client.pk, now=185.0)[0] == 1
    assert RateLimitCounter.objects.filter(client=client).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_counting_is_exact(world):
    token = personal_token(world, "lead", ["business:read"])
    client = ApiClient.objects.get(token_prefix=token[:10])
    start = threading.Barrier(20)

    def hit(_n: int) -> int:
        start.wait(timeout=30)
        try:
            return rate_limit_hit(client.pk, now=1000.0)[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        counts = sorted(pool.map(hit, range(20)))
    assert counts == list(range(1, 21))


def test_keys_are_forgotten_after_the_retention_period(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.API_IDEMPOTENCY_HOURS = 1
    token = personal_token(world, "editor")
    etag = _draft_etag(world, token)
    first = call(
        "POST", _rows_url(world), token, {"rows": [ROW]}, headers={"If-Match": etag, "Idempotency-Key": "old"}
    )
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=2))
    other = call(
        "POST",
        _rows_url(world),
        token,
        {"rows": [ROW]},
        headers={"If-Match": first["ETag"], "Idempotency-Key": "new"},
    )
    assert other.status_code == 201
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    again = call(
        "POST",
        _rows_url(world),
        token,
        {"rows": [ROW]},
        headers={"If-Match": other["ETag"], "Idempotency-Key": "old"},
    )
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert InventoryItem.objects.count() == 3
