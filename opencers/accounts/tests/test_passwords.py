"""Password rules after NIST SP 800-63B: length and a blocklist, no composition rules."""

from __future__ import annotations

import pytest

from opencers.accounts.models import User
from opencers.accounts.services import password_check
from opencers.accounts.tests.helpers import enable_mfa, make_user
from opencers.core.errors import DomainError

pytestmark = pytest.mark.django_db

TOO_SHORT = (
    "Use at least 15 characters. A few words in a row make a strong password that is easy to remember "
    "(8 characters are enough once two-step sign-in is on)."
)
COMMON = "This password is too common."


def _refusal(password: str, user: User) -> str:
    with pytest.raises(DomainError) as caught:
        password_check(password=password, user=user)
    assert caught.value.field == "password"
    return caught.value.message


def _new_person(email: str = "rosa.delgado@example.com", full_name: str = "Rosa Delgado") -> User:
    """The not yet saved account a sign-up checks the password against."""
    return User(email=email, full_name=full_name)


def test_fifteen_lowercase_letters_are_enough() -> None:
    # Given a person signing up, when they choose a 15-character passphrase with no digit, capital or symbol
    # Then it is accepted (no composition rules)
    password_check(password="tangerineladder", user=_new_person())
    password_check(password="quiet orchard b", user=_new_person())


def test_fourteen_characters_are_refused_without_two_step_sign_in() -> None:
    assert _refusal("tangerineladde", _new_person()) == TOO_SHORT


def test_eight_characters_are_enough_with_two_step_sign_in() -> None:
    # Given a person with an authenticator app
    user = make_user()
    enable_mfa(user)
    user = User.objects.get(pk=user.pk)

    # Then 8 characters pass and 7 do not
    password_check(password="riverfox", user=user)
    assert _refusal("riverfo", user) == "Use at least 8 characters."


def test_an_unconfirmed_authenticator_does_not_lower_the_minimum() -> None:
    # Given a person who started but did not finish setting up two-step sign-in
    from opencers.accounts.mfa import mfa_enrollment_start

    user = make_user()
    mfa_enrollment_start(user=user)
    user = User.objects.get(pk=user.pk)

    # Then the minimum stays 15
    assert _refusal("riverfox", user) == TOO_SHORT


def test_at_most_128_characters() -> None:
    password_check(password="b" * 64 + "a" * 64, user=_new_person())
    assert _refusal("b" * 65 + "a" * 64, _new_person()) == "Use at most 128 characters."


def test_common_passwords_are_refused_even_when_long_enough() -> None:
    # Given long passwords from the leaked-password list
    assert _refusal("1q2w3e4r5t6y7u8i", _new_person()) == COMMON
    assert _refusal("123456789qwerty", _new_person()) == COMMON


def test_common_password_is_refused_for_a_two_step_user_too() -> None:
    user = make_user()
    enable_mfa(user)
    user = User.objects.get(pk=user.pk)

    assert _refusal("password", user) == COMMON


def test_password_like_the_email_address_is_refused() -> None:
    assert (
        _refusal("rosa.delgado@example.com", _new_person())
        == "The password is too similar to the e-mail address."
    )


def test_password_like_the_name_is_refused() -> None:
    person = _new_person(full_name="Marguerite Fontenot-Abernathy")

    assert (
        _refusal("marguerite fontenot abernathy", person) == "The password is too similar to the full name."
    )


def test_a_passphrase_unrelated_to_the_person_is_accepted() -> None:
    person = _new_person(email="marguerite@example.com", full_name="Marguerite Fontenot-Abernathy")

    password_check(password="copper kettle sings at dawn", user=person)


def test_every_broken_rule_is_named() -> None:
    # A short, common password that is also the name breaks three rules, and all three are said
    person = _new_person(full_name="password")

    assert (
        _refusal("password", person) == f"{TOO_SHORT} {COMMON} The password is too similar to the full name."
    )
