"""Inventory spreadsheet import benchmark: a 500-row and a 50,000-row file, validated and written.

Measured server-side, as the import service runs it: structure checks, parsing (python-calamine in its
limited child process), every cell parsed, the inventory rules, CERSID routing, and the write (COPY) of
every row into an empty draft inventory, in one transaction, including the foreign key checks PostgreSQL
makes at commit (the transaction is then rolled back, so that every run starts from the same state). Targets: 500 rows ≤ 0.25 s; 50,000 rows ≤ 6 s and ≤ 500 MB peak memory
(peak resident memory of the parsing child and of the importing process, each measured on its own), and
the ratio to the time python-calamine alone takes to read the same file (goal ≤ 2.5×).

Runs against the embedded PostgreSQL cluster in a database of its own (``opencers_bench``, created and
migrated on first use), or against ``DATABASE_URL``. Each size runs in a fresh process so that its peak
memory is its own. The files are generated once (XlsxWriter, shared strings, like Excel) under
``var/bench/``.

    .venv/bin/python bench/inventory_import.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "opencers_bench")
FILES = ROOT / "var" / "bench"
DATA_VERSION = 1
SIZES = (500, 50_000)
RUNS = {500: 9, 50_000: 3}
TARGETS = {500: 0.25, 50_000: 6.0}
MEMORY_TARGET_MB = 500
RATIO_GOAL = 2.5


def _setup_django() -> None:
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencers.settings")
    if not os.environ.get("DATABASE_URL"):
        import psycopg

        from opencers.core import embedded_db

        embedded_db.start()
        port = embedded_db.default_cluster().port()
        server = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(server, autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE])
            if not found.fetchone():
                connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/{BENCH_DATABASE}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_facility() -> tuple[Any, Any]:
    """The benchmark's organization, facility and Lead User (created once)."""
    from opencers.accounts.models import User
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.models import Facility
    from opencers.organizations.services import facility_create

    user = User.objects.filter(email="bench-lead@example.com").first()
    if user is None:
        user = User.objects.create_user(
            "bench-lead@example.com", "a long enough bench password 1", full_name="Bench Lead", is_active=True
        )
    facility = Facility.objects.filter(name="Bench Chemicals", organization__memberships__user=user).first()
    if facility is None:
        facility = facility_create(
            actor=user,
            name="Bench Chemicals",
            address=address_wash(street="1001 I Street", city="", zip_code="95814"),
            new_organization_name="Bench Chemicals Inc.",
        )
    return user, facility


def bench_file(size: int, cers_id: int) -> Path:
    """The benchmark file of ``size`` rows (made once, as Excel would: shared strings, numbers as numbers)."""
    import xlsxwriter

    from bench._inventory_data import rows
    from opencers.spreadsheets.columns import TEMPLATE_COLUMNS

    path = FILES / f"inventory_{size}_{cers_id}_v{DATA_VERSION}.xlsx"
    if path.exists():
        return path
    FILES.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    book = xlsxwriter.Workbook(str(partial), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Inventory")
    position = {name: index for index, name in enumerate(TEMPLATE_COLUMNS)}
    sheet.write_row(0, 0, TEMPLATE_COLUMNS)
    for number, values in enumerate(rows(size, cers_id), start=1):
        for name, value in values.items():
            if isinstance(value, str):
                sheet.write_string(number, position[name], value)
            else:
                sheet.write_number(number, position[name], value)
    book.close()
    partial.rename(path)
    return path


def calamine_alone(path: Path, runs: int) -> float:
    """Median seconds python-calamine takes to read the sheet into Python values."""
    from python_calamine import CalamineWorkbook

    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(size: int) -> dict[str, Any]:
    """One size, in this process: import it ``RUNS[size]`` times, each rolled back."""
    import resource

    _setup_django()
    from django.db import connection, transaction

    from opencers.spreadsheets.importer import import_check, import_write

    user, facility = bench_facility()
    path = bench_file(size, facility.cers_id)
    content = path.read_bytes()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    class Rollback(Exception):
        pass

    timings: list[float] = []
    cpu: list[tuple[float, float]] = []  # (this process, the parsing child) CPU seconds per run
    phases: list[dict[str, float]] = []
    child_peak = 0
    problems = 0
    for _run in range(RUNS[size]):
        try:
            with transaction.atomic():
                cpu_started = time.process_time()
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                plan = import_check(content=content, file_name=path.name, actor=user, facility=facility)
                checked = time.perf_counter()
                import_write(plan=plan, actor=user, mode="replace")
                with connection.cursor() as cursor:
                    # The foreign keys are checked at commit (deferred); check them now, inside the timing.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                finished = time.perf_counter()
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                timings.append(finished - started)
                cpu.append(
                    (
                        time.process_time() - cpu_started,
                        after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime,
                    )
                )
                phases.append({**plan.timings, "write": finished - checked})
                child_peak = max(child_peak, plan.child_peak_rss)
                problems = len(plan.problems)
                if plan.blocked:
                    raise SystemExit(f"The benchmark file has problems: {plan.problems[:5]}")
                del plan
                raise Rollback
        except Rollback:
            pass
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # before calamine alone runs here
    calamine = calamine_alone(path, max(3, RUNS[size] // 3))
    median = statistics.median(timings)
    median_phase = {key: round(statistics.median(p[key] for p in phases), 3) for key in phases[0]}
    return {
        "rows": size,
        "file_bytes": len(content),
        "runs": len(timings),
        "median_s": round(median, 3),
        "best_s": round(min(timings), 3),
        "phases_s": median_phase,
        "main_cpu_s": round(statistics.median(main for main, _child in cpu), 3),
        "child_cpu_s": round(statistics.median(child for _main, child in cpu), 3),
        "calamine_alone_s": round(calamine, 3),
        "ratio_to_calamine": round(median / calamine, 2),
        "child_peak_rss_mb": round(child_peak / 1e6),
        "main_peak_rss_mb": round(rss_after / 1e6),
        "main_rss_before_mb": round(rss_before / 1e6),
        "warnings": problems,
    }


def run() -> dict[str, Any]:
    """Every size in a fresh process (its own peak memory); the figures and the targets."""
    environment = dict(os.environ)
    results: dict[str, Any] = {"benchmark": "inventory_import"}
    for size in SIZES:
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--size", str(size)],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"inventory_import {size} failed:\n{completed.stdout}\n{completed.stderr}")
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        results[f"rows_{size}"] = figures
    small, large = results["rows_500"], results["rows_50000"]
    results["summary"] = [
        {
            "figure": "500 rows: validate + write",
            "value": small["median_s"],
            "unit": "s",
            "target": TARGETS[500],
        },
        {
            "figure": "50,000 rows: validate + write",
            "value": large["median_s"],
            "unit": "s",
            "target": TARGETS[50_000],
        },
        {
            "figure": "50,000 rows: peak memory of the parsing child",
            "value": large["child_peak_rss_mb"],
            "unit": "MB",
            "target": MEMORY_TARGET_MB,
        },
        {
            "figure": "50,000 rows: peak memory of the importing process",
            "value": large["main_peak_rss_mb"],
            "unit": "MB",
            "target": MEMORY_TARGET_MB,
        },
        {
            "figure": "50,000 rows: ratio to python-calamine alone",
            "value": large["ratio_to_calamine"],
            "unit": "×",
            "target": RATIO_GOAL,
        },
        {
            "figure": "50,000 rows: python-calamine alone",
            "value": large["calamine_alone_s"],
            "unit": "s",
            "target": None,
        },
        {
            "figure": "50,000 rows: CPU of the importing process",
            "value": large["main_cpu_s"],
            "unit": "s",
            "target": None,
        },
        {
            "figure": "50,000 rows: CPU of the parsing child",
            "value": large["child_cpu_s"],
            "unit": "s",
            "target": None,
        },
    ]
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        print(json.dumps(run(), indent=2))
