"""Flammable and combustible liquid classes from flash point and boiling point, at every boundary."""

from decimal import Decimal

import pytest

from opencers.library.fire_code import fire_code_liquid_class


@pytest.mark.parametrize(
    ("flash_f", "boiling_f", "code"),
    [
        (-40, 50, 9),  # I-A
        (72.9, 99.9, 9),
        (72.9, 100, 10),  # I-B: boiling point at 100 °F is no longer I-A
        (Decimal("72.9"), Decimal("100.0"), 10),
        (-4, 132.9, 10),  # acetone
        (73, 99, 11),  # I-C starts at a flash point of 73 °F, whatever the boiling point
        (73, None, 11),
        (Decimal("99.9"), None, 11),
        (100, None, 2),  # II
        (139.9, None, 2),
        (140, None, 3),  # III-A
        (199.9, None, 3),
        (200, None, 4),  # III-B
        (Decimal("450.5"), 600, 4),
    ],
)
def test_liquid_class_at_every_boundary(flash_f, boiling_f, code):
    assert fire_code_liquid_class(flash_f, boiling_f) == code


def test_no_class_without_a_flash_point_or_below_73_without_a_boiling_point():
    assert fire_code_liquid_class(None, 50) is None
    assert fire_code_liquid_class(None, None) is None
    assert fire_code_liquid_class(72.9, None) is None
