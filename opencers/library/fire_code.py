"""Fire code hazard classes that follow from physical data (data dictionary field 210).

Flammable and combustible liquids are classed by flash point and boiling point (California Fire Code
chapter 57 / NFPA 30), temperatures in °F:

====  ==============================  ===========================================
code  class                           definition
====  ==============================  ===========================================
9     Flammable Liquid, Class I-A     flash point < 73 and boiling point < 100
10    Flammable Liquid, Class I-B     flash point < 73 and boiling point ≥ 100
11    Flammable Liquid, Class I-C     73 ≤ flash point < 100
2     Combustible Liquid, Class II    100 ≤ flash point < 140
3     Combustible Liquid, Class III-A 140 ≤ flash point < 200
4     Combustible Liquid, Class III-B flash point ≥ 200
====  ==============================  ===========================================
"""

from __future__ import annotations

from decimal import Decimal

FLAMMABLE_IA = 9
FLAMMABLE_IB = 10
FLAMMABLE_IC = 11
COMBUSTIBLE_II = 2
COMBUSTIBLE_IIIA = 3
COMBUSTIBLE_IIIB = 4

Number = Decimal | float | int


def fire_code_liquid_class(flash_f: Number | None, boiling_f: Number | None) -> int | None:
    """The fire code hazard class code of a liquid with this flash point and boiling point (°F).

    None when the flash point is unknown, or when it is below 73 °F and the boiling point, which
    separates I-A from I-B, is unknown.
    """
    if flash_f is None:
        return None
    flash = Decimal(str(flash_f))
    if flash < 73:
        if boiling_f is None:
            return None
        return FLAMMABLE_IA if Decimal(str(boiling_f)) < 100 else FLAMMABLE_IB
    if flash < 100:
        return FLAMMABLE_IC
    if flash < 140:
        return COMBUSTIBLE_II
    if flash < 200:
        return COMBUSTIBLE_IIIA
    return COMBUSTIBLE_IIIB
