"""JSON API inventory benchmark: replace a draft inventory with 5,000 rows in one request (target ≤ 2 s).

``PUT /api/v1/facilities/{cers_id}/elements/inventory/draft/rows/`` with an ``If-Match`` and an
``Idempotency-Key``, sent through the whole Django stack (middleware, bearer authentication, rate limit,
idempotency record, row lock, parsing and checking every value of every row, the bulk write in one COPY,
the new ETag). The guidance of the whole inventory is read separately (``include_guidance=true`` asks for
it in the answer, at extra cost) by Django's in-process test client: no network, everything else real.
Each round replaces the 5,000 rows left by the previous one.

Runs against the embedded PostgreSQL cluster in a database of its own (``opencers_bench``, created and
migrated on first use), or against ``DATABASE_URL`` when it is set. When imported by ``bench/run.py``
after Django is set up, it uses the configured database.

    .venv/bin/python bench/api_inventory.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "opencers_bench")
ROWS = 5000
ROUNDS = 3
TARGET_SECONDS = 2.0

MATERIALS = [
    ("Sulfuric acid", "7664-93-9", "Y", "a", "b", "c"),
    ("Sodium hydroxide", "1310-73-2", "N", "a", "a", "c"),
    ("Diesel fuel", "68476-34-6", "N", "b", "b", "a"),
    ("Acetone", "67-64-1", "N", "a", "b", "a"),
    ("Propane", "74-98-6", "N", "a", "c", "b"),
    ("Used oil", "", "N", "c", "b", "a"),
    ("Chlorine", "7782-50-5", "Y", "a", "c", "c"),
    ("Paint thinner", "", "N", "b", "b", "a"),
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


def rows(count: int = ROWS) -> list[dict[str, Any]]:
    """Realistic rows keyed by XML name: names, CAS numbers, hazards, amounts, containers, locations."""
    result = []
    for index in range(count):
        name, cas, ehs, hm_type, state, units = MATERIALS[index % len(MATERIALS)]
        maximum = 100 + (index % 900)
        row = {
            "CommonName": f"{name} {index // len(MATERIALS) + 1}",
            "ChemicalName": name,
            "EHS": ehs,
            "HMType": hm_type,
            "PhysicalState": state,
            "MaximumDailyAmount": str(maximum),
            "AverageDailyAmount": str(maximum // 2),
            "LargestContainer": "55",
            "Units": "c" if ehs == "Y" else units,
            "DaysOnSite": 365,
            "ChemicalLocation": f"Building {index % 40 + 1}, room {index % 7 + 1}",
            "FHCFire": "Y" if state != "a" else "N",
            "FHCAcuteHealth": "Y" if ehs == "Y" else "N",
            "SCSteelDrum": "Y",
            "StoragePressure": "a",
            "StorageTemperature": "a",
        }
        if cas:
            row["CASNumber"] = cas
        if hm_type == "c":
            row["StateWasteCode"] = "221"
        result.append(row)
    return result


def _token_and_facility() -> tuple[str, int]:
    from opencers.accounts.api_clients import personal_token_create
    from opencers.accounts.models import User
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.services import facility_create

    email = "bench.api@example.com"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, uuid.uuid4().hex, full_name="Bench API", is_active=True)
    facility = user.memberships.first().organization.facilities.first() if user.memberships.exists() else None
    if facility is None:
        facility = facility_create(
            actor=user,
            name="Bench API Plant",
            address=address_wash(
                street=f"{100 + User.objects.count()} Bench Street", city="", zip_code="95814"
            ),
            new_organization_name="Bench API Inc.",
        )
    _client, token = personal_token_create(
        user=user, name="bench", scopes=["business:read", "business:write"], expires_in_days=1
    )
    return token, facility.cers_id


def run() -> dict[str, Any]:
    _setup_django()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    token, cers_id = _token_and_facility()
    base = f"/api/v1/facilities/{cers_id}/elements/inventory/"
    client = Client()
    auth = {"Authorization": f"Bearer {token}"}
    started = client.post(base + "draft/", data="{}", content_type="application/json", headers=auth)
    assert started.status_code in (200, 201), started.content[:500]
    etag = started["ETag"]
    payload = json.dumps({"rows": rows()})
    timings = []
    for _round in range(ROUNDS):
        began = time.perf_counter()
        response = client.put(
            base + "draft/rows/",
            data=payload,
            content_type="application/json",
            headers={**auth, "If-Match": etag, "Idempotency-Key": uuid.uuid4().hex},
        )
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.content[:1000]
        answer = response.json()
        assert answer["row_count"] == ROWS, answer["row_count"]
        etag = response["ETag"]
    return {
        "benchmark": "api_inventory_replace",
        "rows": ROWS,
        "request_bytes": len(payload),
        "rounds": ROUNDS,
        "median_seconds": round(statistics.median(timings), 3),
        "max_seconds": round(max(timings), 3),
        "target_seconds": TARGET_SECONDS,
        "within_target": max(timings) <= TARGET_SECONDS,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    figures = run()
    for key, value in figures.items():
        print(f"{key}: {value}")
