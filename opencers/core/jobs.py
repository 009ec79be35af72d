"""The durable job queue: procrastinate on PostgreSQL (DESIGN rule 6).

Tasks live in each domain app's ``tasks.py`` (auto-discovered), take ids, run after commit and call
services. The worker (``manage.py worker``) sends a heartbeat every ``JOB_HEARTBEAT_SECONDS``; a job
whose worker stopped sending heartbeats for ``JOB_STALLED_AFTER_SECONDS`` (a worker killed with SIGKILL,
a machine lost) is put back in the queue by any running worker and runs again. Tasks are therefore
written to be idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings
from procrastinate import App

logger = logging.getLogger(__name__)


def on_app_ready(app: App) -> None:
    """Hook called by procrastinate's Django app once it is configured."""


async def retry_stalled_jobs(app: App) -> list[int]:
    """Put back in the queue every job whose worker has gone silent. Returns the job ids retried."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOB_STALLED_AFTER_SECONDS
    )
    retried: list[int] = []
    for job in stalled:
        assert job.id is not None
        await app.job_manager.retry_job(job)
        retried.append(job.id)
        logger.warning("Job %s (%s) was stalled: its worker stopped; queued again.", job.id, job.task_name)
    return retried


async def _recover_forever(app: App, interval: float) -> None:
    while True:
        try:
            await retry_stalled_jobs(app)
        except Exception:  # the recovery loop must survive a transient database error
            logger.exception("Checking for stalled jobs failed; trying again in %s s.", interval)
        await asyncio.sleep(interval)


async def run_worker(app: App, *, concurrency: int = 2, queues: list[str] | None = None) -> None:
    heartbeat = float(settings.JOB_HEARTBEAT_SECONDS)
    stalled_after = float(settings.JOB_STALLED_AFTER_SECONDS)
    options: dict[str, Any] = {
        "concurrency": concurrency,
        "update_heartbeat_interval": heartbeat,
        "stalled_worker_timeout": stalled_after,
        "delete_jobs": "successful",
        "install_signal_handlers": True,
    }
    if queues:
        options["queues"] = queues
    async with app.open_async():
        recovery = asyncio.create_task(
            _recover_forever(app, interval=max(1.0, min(heartbeat, stalled_after / 2)))
        )
        try:
            await app.run_worker_async(**options)
        finally:
            recovery.cancel()
