"""CERS IDs and organization codes: PostgreSQL sequences, unique under concurrency, never reused.

The sequences are shared by every test of the run (a rollback does not give numbers back), so the tests
assert the ranges and the order, not the first number.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from opencers.accounts.models import User
from opencers.organizations.addresses import address_wash
from opencers.organizations.models import (
    CERS_ID_MAX,
    CERS_ID_MIN,
    ORGANIZATION_CODE_MAX,
    ORGANIZATION_CODE_MIN,
    Facility,
    Membership,
    Organization,
    PermissionGroup,
)
from opencers.organizations.services import cers_id_allocate, facility_create, organization_create

THREADS = 8
FACILITIES_PER_THREAD = 5


def _lead() -> User:
    return User.objects.create_user(
        "lead.user@example.com", "a long enough password 123", full_name="Lead User", is_active=True
    )


def test_cers_id_range_is_the_states():
    assert (CERS_ID_MIN, CERS_ID_MAX) == (10000001, 29999999)


@pytest.mark.django_db
def test_facilities_get_8_digit_cers_ids_in_range_strictly_increasing():
    lead = _lead()
    address = address_wash(street="1001 I Street", city="", zip_code="95814")

    facilities = [
        facility_create(
            actor=lead, name=f"Site {n}", address=address, new_organization_name="Acme Plating Inc."
        )
        for n in range(3)
    ]

    ids = [facility.cers_id for facility in facilities]
    assert all(CERS_ID_MIN <= cers_id <= CERS_ID_MAX for cers_id in ids)
    assert all(len(str(cers_id)) == 8 for cers_id in ids)
    assert ids[0] < ids[1] < ids[2]
    assert list(Facility.objects.order_by("cers_id").values_list("cers_id", flat=True)) == ids


@pytest.mark.django_db
def test_organization_codes_are_9_digits_from_100000001_strictly_increasing():
    assert (ORGANIZATION_CODE_MIN, ORGANIZATION_CODE_MAX) == (100000001, 999999999)

    codes = [organization_create(name=f"Business {n}").code for n in range(3)]

    assert all(ORGANIZATION_CODE_MIN <= code <= ORGANIZATION_CODE_MAX for code in codes)
    assert all(len(str(code)) == 9 for code in codes)
    assert codes[0] < codes[1] < codes[2]


@pytest.mark.django_db
def test_a_facility_created_with_a_new_organization_makes_the_actor_its_lead_user():
    lead = _lead()

    facility = facility_create(
        actor=lead,
        name="Acme Plating",
        address=address_wash(street="1001 I Street", city="", zip_code="95814"),
        new_organization_name="Acme Plating Inc.",
    )

    organization = Organization.objects.get(pk=facility.organization_id)
    assert organization.name == "Acme Plating Inc."
    assert list(Membership.objects.filter(organization=organization).values_list("user__email", "group")) == [
        ("lead.user@example.com", PermissionGroup.LEAD)
    ]


@pytest.mark.django_db(transaction=True)
def test_cers_ids_are_unique_when_facilities_are_created_concurrently():
    # Given one organization and 8 people adding facilities at the same moment, each in their own
    # transaction on their own database connection,
    lead = _lead()
    organization = facility_create(
        actor=lead,
        name="Head office",
        address=address_wash(street="1001 I Street", city="", zip_code="95814"),
        new_organization_name="Acme Plating Inc.",
    ).organization
    address = address_wash(street="2500 Del Paso Blvd", city="", zip_code="95815")
    start = threading.Barrier(THREADS)
    allocated: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def add_facilities(worker: int) -> None:
        try:
            start.wait(timeout=30)
            for n in range(FACILITIES_PER_THREAD):
                with transaction.atomic():
                    facility = facility_create(
                        actor=lead, name=f"Site {worker}-{n}", address=address, organization=organization
                    )
                with lock:
                    allocated.append(facility.cers_id)
        except BaseException as exc:  # reported by the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add_facilities, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then every facility was created, each with its own CERS ID in the state's range.
    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    assert len(allocated) == THREADS * FACILITIES_PER_THREAD
    assert len(set(allocated)) == len(allocated)
    assert all(CERS_ID_MIN <= cers_id <= CERS_ID_MAX for cers_id in allocated)
    stored = set(Facility.objects.filter(organization=organization).values_list("cers_id", flat=True))
    assert stored == set(allocated) | {Facility.objects.get(name="Head office").cers_id}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_cers_id_is_never_reused():
    # Given a facility whose transaction is rolled back after it got its CERS ID,
    lead = _lead()
    address = address_wash(street="1001 I Street", city="", zip_code="95814")
    lost: list[int] = []
    with pytest.raises(RuntimeError), transaction.atomic():
        facility = facility_create(
            actor=lead, name="Abandoned", address=address, new_organization_name="Acme"
        )
        lost.append(facility.cers_id)
        raise RuntimeError("the request failed after the facility was written")
    assert not Facility.objects.filter(cers_id=lost[0]).exists()

    # when the next facility and the next bare allocation are made,
    kept = facility_create(actor=lead, name="Kept", address=address, new_organization_name="Acme")
    after = cers_id_allocate()

    # then they get numbers after the lost one: it is never handed out again.
    assert lost[0] < kept.cers_id < after
    assert list(Facility.objects.values_list("cers_id", flat=True)) == [kept.cers_id]
