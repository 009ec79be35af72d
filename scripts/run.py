"""`make run`: start the embedded database (unless DATABASE_URL is set), migrate, load the demo data, and
serve the portal on http://127.0.0.1:8000 together with a job worker. Ctrl-C stops everything this
script started, including the database.

Environment: PORT (default 8000), HOST (default 127.0.0.1), SKIP_DEMO=1 to skip the demo data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opencers.core import embedded_db  # noqa: E402

PYTHON = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def main() -> int:
    started_db = False
    if not os.environ.get("DATABASE_URL"):
        started_db = embedded_db.start()
        print(
            ("Started" if started_db else "Reusing")
            + f" the embedded database: {embedded_db.default_cluster().url()}"
        )
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\nStopping…")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if started_db:
            embedded_db.stop()
            print("Stopped the embedded database.")

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        manage("migrate", "--noinput", "-v", "0")
        if os.environ.get("SKIP_DEMO") != "1":
            manage("seed_demo")
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        children.append(subprocess.Popen([PYTHON, "manage.py", "worker"], cwd=ROOT))  # noqa: S603
        children.append(subprocess.Popen([PYTHON, "manage.py", "runserver", f"{host}:{port}"], cwd=ROOT))  # noqa: S603
        print(
            f"\nOpenCERS is running on http://{host}:{port}/  (Ctrl-C stops the portal, the worker and the database)\n"
        )
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    except subprocess.CalledProcessError as exc:
        print(f"Set-up step failed: {exc}", file=sys.stderr)
        stop()
        return 1
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
