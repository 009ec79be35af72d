"""/healthz: database and job-queue status for the load balancer and the operators."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from opencers.accounts.tests.helpers import make_user
from opencers.notifications.services import email_send

pytestmark = pytest.mark.django_db


def test_healthy_answers_200_with_database_and_queue_status() -> None:
    # Given one e-mail waiting in the queue and no worker running
    user = make_user()
    email_send(to=user.email, kind="password_changed", user=user, context={"user": user})

    # When the health check is asked
    response = Client().get("/healthz")

    # Then it answers 200 with the status of both, and is never cached
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "queue": "ok",
        "queue_detail": {"waiting": 1, "running": 0, "live_workers": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_database_down_answers_503() -> None:
    # Given a database that refuses connections
    refused = OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        # When the health check is asked
        response = Client().get("/healthz")

    # Then it answers 503 saying the database is unavailable
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "queue": "unknown", "error": "OperationalError"}
