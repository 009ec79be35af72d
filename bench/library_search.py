"""Chemical library search benchmark: 200 searches over the full library (about 76,000 substances).

Runs against the embedded PostgreSQL cluster in a database of its own (``opencers_bench``, created,
migrated and loaded with the full library on first use), or against ``DATABASE_URL`` when it is set.
When imported by ``bench/run.py`` after Django is set up, it uses the configured database (loading the
library there if it is missing). Prints and returns the median and 95th percentile in milliseconds.

    .venv/bin/python bench/library_search.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "opencers_bench")
SEARCHES = 200

# What people type: names, synonyms, typos, word starts, CAS numbers with and without hyphens.
QUERIES = [
    "chlorine",
    "chlorene",
    "sulfuric acid",
    "sulfuric acd",
    "hydrochlo",
    "hydrochloric acid",
    "muriatic acid",
    "sodium hydroxide",
    "caustic soda",
    "acetone",
    "acetnoe",
    "7664-93-9",
    "67641",
    "7782-50-5",
    "toluene",
    "toluen",
    "isopropyl alcohol",
    "isoproply alcohol",
    "hydrogen peroxide",
    "methanol",
    "methanal",
    "ethanol",
    "xylene",
    "propane",
    "butane",
    "nitric acid",
    "formaldehyde",
    "formaldehide",
    "ethylene glycol",
    "ammonia",
    "amonia",
    "anhydrous ammonia",
    "sodium hypochlorite",
    "acetylene",
    "oxygen",
    "nitrogen",
    "argon",
    "hydrofluoric acid",
    "phosphoric acid",
    "benzene",
]


def _setup_django() -> None:
    from django.apps import apps

    if apps.ready:
        return
    sys.path.insert(0, str(ROOT))
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
        return
    import django

    django.setup()


def run() -> dict[str, Any]:
    _setup_django()
    from opencers.library.models import Chemical, ChemicalName
    from opencers.library.selectors import chemical_search
    from opencers.library.services import library_load

    load_seconds = None
    if Chemical.objects.count() < 60_000:
        started = time.perf_counter()
        library_load()
        load_seconds = round(time.perf_counter() - started, 1)

    for query in QUERIES:  # warm the caches
        chemical_search(query)
    timings = []
    for index in range(SEARCHES):
        query = QUERIES[index % len(QUERIES)]
        started = time.perf_counter()
        chemical_search(query)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "benchmark": "library_search",
        "searches": SEARCHES,
        "distinct_queries": len(QUERIES),
        "substances": Chemical.objects.count(),
        "search_names": ChemicalName.objects.count(),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(statistics.quantiles(timings, n=20)[18], 1),
        "max_ms": round(max(timings), 1),
        "load_seconds": load_seconds,
    }


if __name__ == "__main__":
    figures = run()
    for key, value in figures.items():
        print(f"{key}: {value}")
