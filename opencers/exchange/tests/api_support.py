"""Helpers of the JSON API tests: tokens of the matrix personas and a client that sends them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from opencers.accounts.api_clients import (
    agency_client_create,
    organization_client_create,
    personal_token_create,
)

ALL_BUSINESS = ["business:read", "business:write", "business:submit"]
ALL_REGULATOR = ["regulator:read", "regulator:act"]


def personal_token(world: Any, persona: str, scopes: list[str] | None = None) -> str:
    _client, token = personal_token_create(
        user=world.users[persona], name=f"{persona} script", scopes=scopes or ALL_BUSINESS
    )
    return token


def organization_token(world: Any, scopes: list[str] | None = None, organization: Any = None) -> str:
    _client, token = organization_client_create(
        organization=organization or world.organization,
        actor=world.users["lead"],
        name="ERP",
        scopes=scopes or ALL_BUSINESS,
    )
    return token


def agency_token(world: Any, scopes: list[str] | None = None, regulator: Any = None) -> str:
    _client, token = agency_client_create(
        regulator=regulator or world.sac, actor=None, name="County system", scopes=scopes or ALL_REGULATOR
    )
    return token


def call(
    method: str,
    url: str,
    token: str | None = None,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Any:
    """One API request through the test client (no cookies, no session), JSON in and out."""
    client = Client()
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    kwargs: dict[str, Any] = {"headers": sent}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    response = getattr(client, method.lower())(url, **kwargs)
    return response


def body(response: Any) -> Any:
    return json.loads(response.content) if response.content else None
