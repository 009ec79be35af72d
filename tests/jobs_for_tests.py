"""Tasks that exist only for the test suite.

Production workers never import this module: a worker loads it only when started with
``JOB_EXTRA_TASK_MODULES=tests.jobs_for_tests`` (settings.PROCRASTINATE_IMPORT_PATHS), as
tests/test_job_queue.py does for its worker subprocesses.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from procrastinate.contrib.django import app

QUEUE = "durability_tests"


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as marker:
        marker.write(line + "\n")
        marker.flush()
        os.fsync(marker.fileno())


@app.task(name="tests.record_run", queue=QUEUE)
def record_run(marker_path: str, seconds: float) -> None:
    """Write "started <pid>" to ``marker_path``, sleep, then write "done <pid>"."""
    path = Path(marker_path)
    _append(path, f"started {os.getpid()}")
    time.sleep(seconds)
    _append(path, f"done {os.getpid()}")
