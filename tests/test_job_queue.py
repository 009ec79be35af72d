"""The job queue is durable: a job whose worker is killed with SIGKILL mid-run is run again and completes.

Real ``manage.py worker`` subprocesses work on the test database (it must be committed to, hence
``transaction=True``). The job is tests.jobs_for_tests.record_run, which the workers load through
``JOB_EXTRA_TASK_MODULES``; it writes "started <pid>" to a file, sleeps, then writes "done <pid>".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.jobs_for_tests import QUEUE, record_run

HEARTBEAT_SECONDS = 1
STALLED_AFTER_SECONDS = 3
JOB_SECONDS = 4
START_TIMEOUT = 60  # a worker process imports Django and the project before it fetches its first job
FINISH_TIMEOUT = 45  # typically about 8 s from the kill; generous for a loaded CI machine


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _start_worker(log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "JOB_STALLED_AFTER_SECONDS": str(STALLED_AFTER_SECONDS),
        "JOB_EXTRA_TASK_MODULES": "tests.jobs_for_tests",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "worker",
                "--concurrency",
                "1",
                "--queue",
                QUEUE,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _wait_for(condition: Callable[[], bool], timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    details = "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists()
    )
    pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n{details}")


def _lines(marker: Path) -> list[str]:
    return marker.read_text(encoding="utf-8").splitlines() if marker.exists() else []


def _job_status(job_id: int) -> str | None:
    """The job's status, or None once the worker deleted it (successful jobs are deleted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", [job_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_runs_again_and_completes(tmp_path):
    marker = tmp_path / "runs.txt"
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers: list[subprocess.Popen[bytes]] = []
    try:
        # Given a job in the queue and a worker that starts running it,
        job_id = record_run.defer(marker_path=str(marker), seconds=JOB_SECONDS)
        first = _start_worker(logs[0])
        workers.append(first)
        _wait_for(lambda: len(_lines(marker)) >= 1, START_TIMEOUT, "the first worker to start the job", logs)
        assert _lines(marker) == [f"started {first.pid}"]
        assert _job_status(job_id) == "doing"

        # when that worker is killed outright in the middle of the job (no chance to clean up),
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        assert _job_status(job_id) == "doing"

        # and another worker is running,
        second = _start_worker(logs[1])
        workers.append(second)

        # then the job is found stalled, run again by the second worker, and completes.
        _wait_for(
            lambda: _job_status(job_id) in (None, "succeeded", "failed"),
            FINISH_TIMEOUT,
            "the job to finish",
            logs,
        )
        assert _job_status(job_id) in (None, "succeeded")
        assert _lines(marker) == [f"started {first.pid}", f"started {second.pid}", f"done {second.pid}"]
        assert second.poll() is None, "the second worker should still be running"
    finally:
        for worker in workers:
            _stop(worker)
