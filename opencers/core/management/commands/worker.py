"""Run a job worker: ``manage.py worker [--concurrency N] [--queue NAME ...]``."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

from opencers.core.jobs import run_worker


class Command(BaseCommand):
    help = "Run a worker of the durable job queue (retries jobs whose worker was killed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--queue", action="append", dest="queues", default=None)

    def handle(self, *args: Any, concurrency: int, queues: list[str] | None, **options: Any) -> None:
        worker_app = app.with_connector(app.connector.get_worker_connector())  # type: ignore[attr-defined]
        asyncio.run(run_worker(worker_app, concurrency=concurrency, queues=queues))
