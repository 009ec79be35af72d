import pytest

from opencers.core.validators import (
    cas_check_digit,
    check_cas,
    check_epa_id,
    check_phone,
    check_zip,
    normalize_cas,
    normalize_phone,
)


@pytest.mark.parametrize("cas", ["7664-41-7", "7782-50-5", "50-00-0", "7732-18-5", "1310-73-2"])
def test_valid_cas_numbers_pass(cas):
    assert check_cas(cas) is None


def test_wrong_check_digit_names_the_right_one():
    assert check_cas("7664-41-8") == (
        "The CAS number 7664-41-8 has a wrong check digit (it should end in 7). Copy the number again from the Safety Data Sheet."
    )


def test_malformed_cas_is_explained():
    assert "is not a CAS number" in check_cas("7664417x")


def test_check_digit_of_formaldehyde():
    assert cas_check_digit("50-00") == 0


def test_bare_digits_get_hyphens():
    assert normalize_cas("7664417") == "7664-41-7"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("916-555-0100", "(916) 555-0100"), ("1 (916) 555 0100 ext 42", "(916) 555-0100 x42")],
)
def test_phone_normalization(raw, expected):
    assert normalize_phone(raw) == expected


def test_short_phone_is_refused():
    assert check_phone("555-0100") is not None


@pytest.mark.parametrize(
    ("value", "ok"), [("95814", True), ("95814-1234", True), ("9581", False), ("ABCDE", False)]
)
def test_zip(value, ok):
    assert (check_zip(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("CAL000123456", True), ("CAD981234567", True), ("CA12345", False)]
)
def test_epa_id(value, ok):
    assert (check_epa_id(value) is None) is ok
