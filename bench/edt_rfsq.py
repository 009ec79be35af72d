"""Regulator Facility Submittal Query benchmark: 1,000 facility submittals with 50 inventory rows each.

The query runs in-process through Django's test client with an agency client's bearer token, exactly as a
CUPA's system calls it (authentication, the review queue selector, the streamed document, the transaction
log), and the response is read chunk by chunk as a client would. Measured: time to the first byte, total
time to the last byte, the process's CPU time for it (the database server's is not included), the
document's size, and the resident memory of the process, sampled every 10 ms while the response streams
(growth = peak − the level before the request). One warm-up run first; the times are the medians of the
following runs, the memory the worst of all runs including the warm-up. The machine's load average is
reported too: on a shared machine, wall-clock times grow with it. Targets: first byte ≤ 0.5 s, total
≤ 5 s, memory growth ≤ 150 MB.

The data (regulator 9901, "Benchmark County CUPA": 1,000 facilities, each with one facility submittal of
Facility Information, an inventory of 50 materials with the fields a real inventory fills, and the plans)
is created once, directly in the tables, in the benchmark's own database (``opencers_bench``, created and
migrated on first use), or in ``DATABASE_URL`` when it is set.

    .venv/bin/python bench/edt_rfsq.py
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "opencers_bench")
REGULATOR_CODE = 9901
SUBMITTALS = 1000
ROWS = 50
RUNS = 3
TARGETS = {"first_byte_s": 0.5, "total_s": 5.0, "memory_growth_mb": 150}


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


def _material(index: int) -> dict[str, Any]:
    """One inventory row with what a real row fills (about 60 fields, as in the state's own data)."""
    liquid = index % 3 != 0
    row: dict[str, Any] = {
        "chemical_location": f"Building {index % 7 + 1}, bay {index % 11 + 1}; north wall & drain <A>",
        "cl_confidential": "N",
        "chemical_name": f"Test substance {index}",
        "trade_secret": "N",
        "common_name": f"Product {index} concentrate",
        "ehs": "N",
        "cas_number": "7664-93-9" if index % 2 else "67-64-1",
        "pf_code_hazard_class": "5" if index % 2 else "10",
        "hm_type": "b" if index % 4 == 0 else "a",
        "radio_active": "N",
        "curies": Decimal(0),
        "physical_state": "b" if liquid else "a",
        "largest_container": Decimal(55),
        "average_daily_amount": Decimal(110 + index),
        "maximum_daily_amount": Decimal(220 + index),
        "units": "a" if liquid else "c",
        "days_on_site": 365,
        "storage_pressure": "a",
        "storage_temperature": "a",
        "hc1_percent_by_weight": Decimal("93.5"),
        "hc1_name": f"Component of product {index}",
        "hc1_ehs": "N",
        "hc1_cas": "7664-93-9",
        "usepasrs_number": "425009",
    }
    for name in (
        "fhc_fire",
        "fhc_reactive",
        "fhc_pressure_release",
        "fhc_acute_health",
        "fhc_chronic_health",
    ):
        row[name] = "Y" if name == "fhc_acute_health" else "N"
    for name in (
        "fhc_physical_flammable",
        "fhc_physical_corrosive_to_metal",
        "fhc_health_acute_toxicity",
        "fhc_health_skin_corrosion_irritation",
        "fhc_health_serious_eye_damage_eye_irritation",
        "fhc_health_carcinogenicity",
    ):
        row[name] = "Y" if index % 2 else "N"
    for name in (
        "sc_above_ground_tank",
        "sc_under_ground_tank",
        "sc_tank_inside_building",
        "sc_steel_drum",
        "sc_plastic_non_metallic_drum",
        "sc_can",
        "sc_carboy",
        "sc_silo",
        "sc_fiber_drum",
        "sc_bag",
        "sc_box",
        "sc_cylinder",
        "sc_glass_bottle",
        "sc_plastic_bottle",
        "sc_tote_bin",
        "sc_tank_truck_tank_wagon",
        "sc_tank_car_rail_car",
        "sc_other",
    ):
        row[name] = "Y" if name == "sc_steel_drum" else "N"
    return row


def _ensure_data() -> Any:
    """The benchmark's regulator, with its 1,000 facility submittals (created on first use)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from opencers.core.elements import Element
    from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
    from opencers.elements.inventory.models import InventoryItem
    from opencers.organizations.models import (
        CERS_ID_SEQUENCE,
        Facility,
        FacilityElementRoute,
        Organization,
        OrganizationOrigin,
    )
    from opencers.organizations.services import organization_code_allocate
    from opencers.regulators.models import Regulator, RegulatorKind
    from opencers.submittals.models import FacilitySubmittal, Status, SubmittalElement

    regulator, _created = Regulator.objects.get_or_create(
        code=REGULATOR_CODE, defaults={"name": "Benchmark County CUPA", "kind": RegulatorKind.CUPA}
    )
    existing = (
        SubmittalElement.objects.filter(regulator=regulator)
        .values("facility_submittal_id")
        .distinct()
        .count()
    )
    if existing >= SUBMITTALS:
        return regulator
    started = time.perf_counter()
    with transaction.atomic():
        organization = Organization.objects.create(
            code=organization_code_allocate(), name="Benchmark Holdings", origin=OrganizationOrigin.BUSINESS
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [CERS_ID_SEQUENCE, SUBMITTALS])
            cers_ids = [row[0] for row in cursor.fetchall()]
        facilities = Facility.objects.bulk_create(
            [
                Facility(
                    cers_id=cers_id,
                    organization=organization,
                    name=f"Benchmark site {n}",
                    street=f"{100 + n} MAIN ST",
                    city="SACRAMENTO",
                    zip_code="95814",
                    address_key=f"{100 + n} MAIN ST|95814",
                    cupa=regulator,
                )
                for n, cers_id in enumerate(cers_ids)
            ]
        )
        codes = (
            Element.FACILITY_INFORMATION,
            Element.HAZARDOUS_MATERIALS_INVENTORY,
            Element.EMERGENCY_RESPONSE_TRAINING,
        )
        FacilityElementRoute.objects.bulk_create(
            [
                FacilityElementRoute(facility=f, element=code, regulator=regulator)
                for f in facilities
                for code in codes
            ]
        )
        elements = SubmittalElement.objects.bulk_create(
            [SubmittalElement(facility=f, element=code) for f in facilities for code in codes]
        )
        by_kind: dict[int, list[SubmittalElement]] = {code: [] for code in codes}
        for element in elements:
            by_kind[element.element].append(element)
        BusinessActivities.objects.bulk_create(
            [
                BusinessActivities(
                    element=element,
                    business_name=element.facility.name,
                    site_address=element.facility.street,
                    city="SACRAMENTO",
                    zip_code="95814",
                    county_id=34,
                    hm_on_site="Y",
                    cal_arp_regulated_substances="N",
                    own_or_operate_ust="N",
                    own_or_operate_apst="N",
                    hw_generator="Y",
                    recycle="N",
                    onsite_hw_treatment="N",
                    financial_assurance="N",
                    rw_consolidation_site="N",
                    hw_tank_closure="N",
                    rcra_large_quantity_generator="N",
                    hhw_collection="N",
                )
                for element in by_kind[Element.FACILITY_INFORMATION]
            ]
        )
        OwnerOperator.objects.bulk_create(
            [
                OwnerOperator(
                    element=element,
                    phone="(916) 555-0100",
                    mailing_address="PO BOX 1",
                    mailing_address_city="SACRAMENTO",
                    operator_name="Benchmark Holdings",
                    operator_phone="(916) 555-0100",
                    owner_name="Benchmark Holdings",
                    owner_phone="(916) 555-0100",
                    owner_mail_address="PO BOX 1",
                    owner_city="SACRAMENTO",
                    e_contact_name="Eve Contact",
                    e_contact_phone="(916) 555-0101",
                    e_contact_mailing_address="PO BOX 1",
                    e_contact_city="SACRAMENTO",
                    pec_name="Pat Primary",
                    pec_title="Plant manager",
                    pec_business_phone="(916) 555-0102",
                    pec24_hr_phone="(916) 555-0103",
                    billing_contact_name="Bill Payer",
                    billing_contact_phone="(916) 555-0104",
                    billing_address="PO BOX 1",
                    billing_address_city="SACRAMENTO",
                )
                for element in by_kind[Element.FACILITY_INFORMATION]
            ]
        )
        rows = [
            InventoryItem(element=element, position=n + 1, **_material(n))
            for element in by_kind[Element.HAZARDOUS_MATERIALS_INVENTORY]
            for n in range(ROWS)
        ]
        InventoryItem.objects.bulk_create(rows, batch_size=5000)
        now = timezone.now()
        submittals = FacilitySubmittal.objects.bulk_create(
            [
                FacilitySubmittal(
                    facility=f,
                    submitted_at=now - timedelta(minutes=n),
                    signer_name="Pat Primary",
                    signer_title="Plant manager",
                    certification_text="Benchmark data.",
                    auth_strength="password",
                )
                for n, f in enumerate(facilities)
            ]
        )
        of_facility = {s.facility_id: s for s in submittals}
        for element in elements:
            submittal = of_facility[element.facility_id]
            element.status = Status.SUBMITTED
            element.facility_submittal = submittal
            element.version = 1
            element.regulator = regulator
            element.submitted_at = submittal.submitted_at
        SubmittalElement.objects.bulk_update(
            elements,
            ["status", "facility_submittal", "version", "regulator", "submitted_at"],
            batch_size=1000,
        )
    print(f"created the benchmark data in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return regulator


def _measure(token: str) -> dict[str, Any]:
    import psutil
    from django.conf import settings
    from django.test import Client

    from opencers.edt.models import EdtTransaction

    process = psutil.Process()
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(process.memory_info().rss)
            time.sleep(0.01)

    gc.collect()
    baseline = process.memory_info().rss
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(
        "/EDT/Regulator/FacilitySubmittal/Query",
        {"regulatorCode": REGULATOR_CODE},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    chunks = iter(response.streaming_content)  # type: ignore[attr-defined]
    size = len(next(chunks))
    first_byte = time.perf_counter() - started
    count = 1
    for chunk in chunks:
        size += len(chunk)
        count += 1
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    response.close()
    stop.set()
    sampler.join()
    logged = EdtTransaction.objects.get(key=response["X-Transaction-Key"])
    if response.status_code != 200 or logged.records != SUBMITTALS:
        raise RuntimeError(
            f"unexpected answer: HTTP {response.status_code}, {logged.records} facility submittals"
        )
    return {
        "first_byte_s": first_byte,
        "total_s": total,
        "cpu_s": cpu,
        "bytes": size,
        "chunks": count,
        "memory_growth_mb": (max(samples, default=baseline) - baseline) / 2**20,
    }


def run() -> dict[str, Any]:
    _setup_django()
    from django.conf import settings

    from opencers.accounts.api_clients import agency_client_create

    settings.DEBUG = False  # no query log kept in memory
    regulator = _ensure_data()
    _client, token = agency_client_create(
        regulator=regulator, actor=None, name="Benchmark system", scopes=["query"], expires_in_days=1
    )
    warm_up = _measure(token)
    runs = [_measure(token) for _ in range(RUNS)]
    figures = {
        "benchmark": "edt_rfsq",
        "facility_submittals": SUBMITTALS,
        "inventory_rows_each": ROWS,
        "runs": RUNS,
        "first_byte_s": round(statistics.median(r["first_byte_s"] for r in runs), 3),
        "total_s": round(statistics.median(r["total_s"] for r in runs), 2),
        "total_s_best": round(min(r["total_s"] for r in runs), 2),
        "cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "document_mb": round(runs[0]["bytes"] / 2**20, 1),
        "chunks": runs[0]["chunks"],
        "memory_growth_mb": round(max(r["memory_growth_mb"] for r in (warm_up, *runs)), 1),
        "load_average": round(os.getloadavg()[0], 1),
    }
    figures["targets_met"] = all(figures[name] <= limit for name, limit in TARGETS.items())
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
