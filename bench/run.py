"""Run the benchmarks and record their figures in bench/RESULTS.md (``make bench``).

Every module of this folder with a ``run() -> dict`` function is a benchmark (modules starting with "_"
are helpers). Name some to run only those (``bench/run.py inventory_import``); the rows of the others
stay in RESULTS.md as they were. A benchmark's ``run()`` may give a ``summary``: a list of figures
(``figure``, ``value``, ``unit``, ``target``); otherwise each of its numbers is a figure without a target.
Each row records the machine (CPU model, cores, RAM, from /proc) and the load average when it ran, since
the machine may be shared.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
HEADER = "| Benchmark | Figure | Value | Target | Ratio to target | Machine | Date (UTC) |"
RULE = "|---|---|---|---|---|---|---|"
INTRO = """# Benchmark results

Made by `make bench` (`bench/run.py`); each module of `bench/` says what it measures and how. "Ratio to
target" is the value divided by the target: at most 1 means the target is met. Wall-clock figures depend
on the machine and on what else runs on it: the load average (1 minute) at the start of each benchmark is
given with the machine.
"""


def machine() -> str:
    model, cores, memory = "unknown CPU", os.cpu_count() or 0, 0
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
        if models:
            model, cores = models[0], len(models)
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        load = "?"
    return f"{model}, {cores} cores, {memory / 2**30:.0f} GB RAM, load {load}"


def modules(names: list[str]) -> list[str]:
    found = sorted(
        path.stem
        for path in BENCH.glob("*.py")
        if not path.stem.startswith("_") and path.stem != "run" and "def run(" in path.read_text()
    )
    if names:
        unknown = set(names) - set(found)
        if unknown:
            raise SystemExit(
                f"No such benchmark: {', '.join(sorted(unknown))} (there are: {', '.join(found)})"
            )
        return [name for name in found if name in names]
    return found


def figures(name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(result.get("summary"), list):
        return result["summary"]
    return [
        {"figure": key.replace("_", " "), "value": value, "unit": "", "target": None}
        for key, value in result.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def row(name: str, figure: dict[str, Any], where: str, when: str) -> str:
    value, target, unit = figure["value"], figure.get("target"), figure.get("unit", "")
    shown = f"{value} {unit}".strip()
    if target:
        ratio = f"{value / target:.2f}"
        target_shown = f"≤ {target} {unit}".strip()
    else:
        ratio, target_shown = "", ""
    return f"| {name} | {figure['figure']} | {shown} | {target_shown} | {ratio} | {where} | {when} |"


def kept_rows(names: set[str]) -> list[str]:
    """The table rows of benchmarks not run this time."""
    if not RESULTS.exists():
        return []
    kept = []
    for line in RESULTS.read_text().splitlines():
        if line.startswith("| ") and line not in (HEADER,) and not line.startswith("|---"):
            benchmark = line.split("|")[1].strip()
            if benchmark != "Benchmark" and benchmark not in names:
                kept.append(line)
    return kept


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    selected = modules(argv)
    rows: list[str] = []
    details: dict[str, Any] = {}
    for name in selected:
        where = machine()
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M")
        print(f"Running {name}…", flush=True)
        result = importlib.import_module(f"bench.{name}").run()
        details[name] = result
        for figure in figures(name, result):
            rows.append(row(name, figure, where, when))
    table = sorted(kept_rows(set(selected)) + rows, key=lambda line: line.split("|")[1].strip())
    RESULTS.write_text(INTRO + "\n" + HEADER + "\n" + RULE + "\n" + "\n".join(table) + "\n")
    print(json.dumps(details, indent=2))
    print(f"Figures written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
