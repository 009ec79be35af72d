"""Duplicate detection in the add-facility wizard: same washed address, or a similar name in the same ZIP."""

from opencers.organizations.addresses import address_wash
from opencers.organizations.selectors import facility_duplicates
from opencers.organizations.services import facility_create


def _duplicates_of(*, name, street, zip_code):
    washed = address_wash(street=street, city="", zip_code=zip_code)
    return facility_duplicates(address_key=washed.key, name=name, zip_code=washed.zip_code)


def test_same_address_typed_differently_is_found(world):
    # Given Acme Plating at "1001 I Street" (world), when someone adds "1001 I St." under another name,
    found = _duplicates_of(name="Capitol Warehouse", street="1001 I St.", zip_code="95814")

    # then the existing facility is offered.
    assert found == [world.facility]


def test_same_address_with_zip_plus_four_is_found(world):
    found = _duplicates_of(name="Capitol Warehouse", street="1001 i street", zip_code="95814-2828")

    assert found == [world.facility]


def test_similar_name_in_the_same_zip_is_found(world):
    # Given "Acme Plating" in 95814, when "ACME Plating Inc" is added at another street of the same ZIP,
    found = _duplicates_of(name="ACME Plating Inc", street="500 Capitol Mall", zip_code="95814")

    # then the existing facility is offered.
    assert found == [world.facility]


def test_similar_name_in_another_zip_is_not_found(world):
    found = _duplicates_of(name="ACME Plating Inc", street="2500 Del Paso Blvd", zip_code="95815")

    assert found == []


def test_unrelated_facility_elsewhere_is_not_found(world):
    found = _duplicates_of(name="Delta Bakery", street="600 K Street", zip_code="95814")

    assert found == []


def test_archived_facility_is_not_offered(world):
    world.facility.archived = True
    world.facility.save(update_fields=["archived"])

    found = _duplicates_of(name="Acme Plating", street="1001 I Street", zip_code="95814")

    assert found == []


def test_same_address_and_similar_name_both_listed_most_similar_first(world):
    # Given a second facility at another street of the same ZIP with a similar name,
    annex = facility_create(
        actor=world.users["lead"],
        name="Acme Plating Annex",
        address=address_wash(street="915 L Street", city="", zip_code="95814"),
        organization=world.organization,
    )

    # when "Acme Plating" is added at 1001 I St., then both are offered, the closest name first.
    found = _duplicates_of(name="Acme Plating", street="1001 I St.", zip_code="95814")

    assert found == [world.facility, annex]
