"""Address washing: USPS Publication 28 normalization, and city and county taken from the ZIP code."""

from decimal import Decimal

import pytest

from opencers.core.errors import DomainError
from opencers.organizations.addresses import address_wash, zip_facts


@pytest.mark.parametrize(
    ("entered", "washed"),
    [
        ("1455 Stoney Cross Lane", "1455 STONEY CROSS LN"),
        ("123 North Main Street Suite 4", "123 N MAIN ST STE 4"),
        ("123 N. Main St., Ste 4", "123 N MAIN ST STE 4"),
        ("855 M St #120", "855 M ST # 120"),
        ("855 M St, # 120", "855 M ST # 120"),
        ("855 M Street, Suite 120", "855 M ST STE 120"),
        ("1001 I Street", "1001 I ST"),
        ("1001 I St.", "1001 I ST"),
        ("  2500   del paso   boulevard ", "2500 DEL PASO BLVD"),
    ],
)
def test_street_is_normalized_usps_style(entered, washed):
    # Given a street as people type it, when it is washed, then it reads as USPS Publication 28 writes it.
    assert address_wash(street=entered, city="", zip_code="95814").street == washed


def test_city_county_and_coordinates_come_from_the_zip_code():
    # Given a Bakersfield ZIP code and a city typed loosely, when the address is washed,
    address = address_wash(street="1200 Truxtun Avenue", city="bakersfeild", zip_code="93301")

    # then the city and the county are those of the ZIP code.
    assert address.street == "1200 TRUXTUN AVE"
    assert address.city == "BAKERSFIELD"
    assert address.county_name == "Kern"
    assert address.zip_code == "93301"
    assert address.latitude == Decimal("35.3866")
    assert address.longitude == Decimal("-119.0171")
    assert address.key == "1200 TRUXTUN AVE|93301"


def test_zip_plus_four_keeps_the_full_zip_and_keys_on_five_digits():
    address = address_wash(street="1001 I Street", city="Sacto", zip_code=" 95814-1234 ")

    assert address.city == "SACRAMENTO"
    assert address.county_name == "Sacramento"
    assert address.zip_code == "95814-1234"
    assert address.key == "1001 I ST|95814"


def test_the_same_site_typed_two_ways_has_one_key():
    typed_once = address_wash(street="1001 I Street", city="Sacramento", zip_code="95814")
    typed_again = address_wash(street="1001 i st.", city="", zip_code="95814-0001")

    assert typed_once.key == typed_again.key == "1001 I ST|95814"


def test_zip_facts_of_a_california_zip_and_of_another_state():
    assert zip_facts("95814")["county"] == "Sacramento County"
    assert zip_facts("10001") is None


def test_a_zip_code_outside_california_is_refused_naming_the_field():
    with pytest.raises(DomainError) as refused:
        address_wash(street="350 5th Avenue", city="New York", zip_code="10118")

    assert refused.value.field == "zip_code"
    assert refused.value.message == (
        "10118 is not a California ZIP code. Facilities reported here must be in California."
    )


def test_a_malformed_zip_code_is_refused_naming_the_field():
    with pytest.raises(DomainError) as refused:
        address_wash(street="1001 I Street", city="", zip_code="9581")

    assert refused.value.field == "zip_code"
    assert refused.value.message == "“9581” is not a ZIP code. Use 5 digits, or 5+4 digits like 95814-1234."


@pytest.mark.parametrize("street", ["P.O. Box 123", "PO Box 55", "Post Office Box 9"])
def test_a_po_box_is_refused(street):
    with pytest.raises(DomainError) as refused:
        address_wash(street=street, city="", zip_code="95814")

    assert refused.value.field == "street"
    assert refused.value.message == (
        f"We could not read “{street}” as a street address. Give the number and street of the site "
        "(not a P.O. box), e.g. 1001 I Street."
    )


@pytest.mark.parametrize("street", ["", "   ", "\t\n"])
def test_an_empty_street_is_refused(street):
    with pytest.raises(DomainError) as refused:
        address_wash(street=street, city="Sacramento", zip_code="95814")

    assert refused.value.field == "street"
    assert refused.value.message == "Enter the street address of the site, e.g. 1001 I Street."


def test_an_overlong_street_is_refused_naming_the_field():
    from opencers.core.errors import DomainError
    from opencers.organizations.addresses import address_wash

    with pytest.raises(DomainError) as refused:
        address_wash(street="1 " + "Very Long Street Name " * 6 + "Road", city="", zip_code="95814")
    assert refused.value.field == "street"
    assert "too long" in refused.value.message


def test_the_typed_street_is_kept_next_to_the_washed_one():
    from opencers.organizations.addresses import address_wash

    washed = address_wash(street="1455 Stoney Cross Lane", city="", zip_code="95648")
    assert (washed.entered, washed.street) == ("1455 Stoney Cross Lane", "1455 STONEY CROSS LN")
