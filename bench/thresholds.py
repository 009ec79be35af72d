"""Threshold evaluation benchmark: a 50,000-row inventory, as the spreadsheet import holds it (unsaved rows).

Two inventories over the full chemical library: a large facility (2,000 materials in 25 locations each:
pure liquids, solids and gases from the library, EHSs, mixtures with components, lubricating oils, wastes,
materials the library does not know) and a worst case of 50,000 different materials. Each is timed for
``thresholds_evaluate`` (the library facts read in its one query included), and for the whole of
``inventory_guidance`` and ``tier2_summary``. Goal: threshold evaluation of 50,000 rows in 1 s or less.

Runs against the embedded PostgreSQL cluster in a database of its own (``opencers_bench``, created,
migrated and loaded with the full library on first use), or against ``DATABASE_URL`` when it is set.
When imported by ``bench/run.py`` after Django is set up, it uses the configured database.

    .venv/bin/python bench/thresholds.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "opencers_bench")
ROWS = 50_000
MATERIALS = 2_000
RUNS = 5
GOAL_SECONDS = 1.0


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


def _library_ready() -> None:
    from opencers.library.models import Chemical
    from opencers.library.services import library_load

    if Chemical.objects.count() < 60_000:
        library_load()


def _substances(rng: random.Random) -> dict[str, list[tuple[str, str, str]]]:
    """(name, CAS) of library substances by kind: EHSs, liquids with a density, gases, solids, others."""
    from opencers.library.models import Chemical

    base = Chemical.objects.exclude(cas="")
    kinds = {
        "ehs": base.filter(ehs=True, tpq_lbs__isnull=False),
        "liquid": base.filter(physical_state="b", density_lb_per_gal__isnull=False, ehs=False),
        "gas": base.filter(physical_state="c", molecular_weight__isnull=False, ehs=False),
        "solid": base.filter(physical_state="a", ehs=False),
        "other": base.filter(ehs=False),
    }
    found = {}
    for kind, query in kinds.items():
        rows = list(query.values_list("name", "cas", "physical_state")[:ROWS])
        rng.shuffle(rows)
        found[kind] = rows
    return found


def _row(name: str, cas: str, location: str, rng: random.Random, **values: Any) -> Any:
    from opencers.elements.inventory.models import InventoryItem

    maximum = Decimal(rng.choice((5, 20, 54, 55, 100, 250, 499, 500, 1200, 6000)))
    row = {
        "common_name": name[:500],
        "chemical_name": name[:500],
        "cas_number": cas,
        "ehs": "N",
        "hm_type": "a",
        "physical_state": "b",
        "units": "a",
        "maximum_daily_amount": maximum,
        "average_daily_amount": maximum / 2,
        "days_on_site": 365,
        "chemical_location": location,
        "pf_code_hazard_class": rng.choice(("", "2", "5", "10", "14", "31")),
        "sc_steel_drum": "Y",
    }
    row.update(values)
    return InventoryItem(**row)


def _material(
    index: int, found: dict[str, list[tuple[str, str, str]]], rng: random.Random
) -> tuple[str, str, dict[str, Any]]:
    """One material: (name, CAS, other values), spread over the kinds a real inventory has."""
    kind = index % 20
    if kind < 2:
        name, cas, state = found["ehs"][index % len(found["ehs"])]
        return name, cas, {"ehs": "Y", "units": "c", "physical_state": state or "b"}
    if kind < 8:
        name, cas, _state = found["liquid"][index % len(found["liquid"])]
        return name, cas, {"units": rng.choice(("a", "c"))}
    if kind < 10:
        name, cas, _state = found["gas"][index % len(found["gas"])]
        return name, cas, {"physical_state": "c", "units": rng.choice(("b", "c"))}
    if kind < 13:
        name, cas, _state = found["solid"][index % len(found["solid"])]
        return name, cas, {"physical_state": "a", "units": rng.choice(("c", "d"))}
    if kind < 15:
        return (
            f"Cleaner blend {index}",
            "",
            {
                "hm_type": "b",
                "hc1_name": "Sodium hydroxide",
                "hc1_cas": "1310-73-2",
                "hc1_percent_by_weight": Decimal(rng.choice(("0.5", "2", "10"))),
                "hc2_name": "Chlorine",
                "hc2_cas": "7782-50-5",
                "hc2_ehs": rng.choice(("Y", "N")),
                "hc2_percent_by_weight": Decimal("0.5"),
            },
        )
    if kind == 15:
        return rng.choice(("Motor oil 10W-30", "Gear oil", "Hydraulic oil")) + f" {index}", "", {}
    if kind == 16:
        return f"Waste stream {index}", "", {"hm_type": "c", "state_waste_code": "221"}
    name, cas, _state = found["other"][index % len(found["other"])]
    return name, cas, {"units": rng.choice(("a", "c")), "physical_state": rng.choice(("a", "b"))}


def inventory(materials: int, rows: int, seed: int = 25507) -> list[Any]:
    rng = random.Random(seed)
    found = _substances(rng)
    locations = rows // materials
    chosen = [_material(index, found, rng) for index in range(materials)]
    return [
        _row(name, cas, f"Building {spot // 5 + 1}, room {spot % 5 + 1}", rng, **values)
        for spot in range(locations)
        for name, cas, values in chosen
    ]


def _time(function: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def _cpu(function: Any, *args: Any) -> float:
    """Processor time of this process: what the evaluation itself costs when other processes share the
    machine's cores (wall-clock time then includes waiting for a core)."""
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def _measure(items: list[Any]) -> dict[str, Any]:
    from opencers.elements.inventory.thresholds import Library, thresholds_evaluate
    from opencers.elements.inventory.tier2 import tier2_summary
    from opencers.elements.inventory.validation import inventory_guidance

    evaluations, library_reads, processor = [], [], []
    for _run in range(RUNS):
        seconds, results = _time(thresholds_evaluate, items)
        evaluations.append(seconds)
        library_reads.append(_time(Library.for_items, items)[0])
        processor.append(_cpu(thresholds_evaluate, items))
    explained, _texts = _time(lambda: [result.explanation for result in results])
    guidance_seconds, messages = _time(inventory_guidance, items)
    tier2_seconds, chemicals = _time(tier2_summary, items)
    return {
        "rows": len(items),
        "materials": len(results),
        "reportable": sum(1 for result in results if result.reportable),
        "below": sum(1 for result in results if result.reportable is False),
        "cannot_tell": sum(1 for result in results if result.reportable is None),
        "thresholds_median_s": round(statistics.median(evaluations), 3),
        "thresholds_max_s": round(max(evaluations), 3),
        "thresholds_cpu_median_s": round(statistics.median(processor), 3),
        "all_explanations_written_s": round(explained, 3),
        "library_read_median_s": round(statistics.median(library_reads), 3),
        "inventory_guidance_s": round(guidance_seconds, 3),
        "guidance_messages": len(messages),
        "tier2_summary_s": round(tier2_seconds, 3),
        "tier2_chemicals": len(chemicals),
    }


def run() -> dict[str, Any]:
    _setup_django()
    _library_ready()
    from opencers.elements.inventory.thresholds import thresholds_evaluate

    facility = inventory(MATERIALS, ROWS)
    first_call, _results = _time(thresholds_evaluate, facility)  # includes loading pint, once per process
    figures: dict[str, Any] = {"benchmark": "thresholds", "first_call_s": round(first_call, 3)}
    figures.update({f"facility_{key}": value for key, value in _measure(facility).items()})
    distinct = inventory(ROWS, ROWS, seed=370)
    figures.update({f"distinct_{key}": value for key, value in _measure(distinct).items()})
    figures["goal_s"] = GOAL_SECONDS
    figures["goal_met"] = figures["facility_thresholds_median_s"] <= GOAL_SECONDS
    figures["load_average"] = round(os.getloadavg()[0], 2)
    figures["cores"] = os.cpu_count()
    return figures


if __name__ == "__main__":
    figures = run()
    for key, value in figures.items():
        print(f"{key}: {value}")
