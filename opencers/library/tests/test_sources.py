"""Reading the sources: physical state at 20 °C, units, and which synonyms are worth searching."""

import pytest

from opencers.library.sources import kelvin_to_fahrenheit, physical_state_at_room_temperature, useful_synonyms


@pytest.mark.parametrize(
    ("melting_k", "boiling_k", "state"),
    [
        (273.15, 373.15, "b"),  # water
        (293.16, 400.0, "a"),  # melts just above 20 °C
        (293.15, 400.0, "b"),  # melts at 20 °C
        (172.2, 239.1, "c"),  # chlorine
        (None, 239.1, "c"),
        (None, 293.15, "c"),  # boils at 20 °C
        (320.0, None, "a"),
        (250.0, None, ""),  # liquid or gas: unknown
        (None, 350.0, ""),  # solid or liquid: unknown
        (None, None, ""),
    ],
)
def test_physical_state_at_20_c(melting_k, boiling_k, state):
    assert physical_state_at_room_temperature(melting_k, boiling_k) == state


def test_kelvin_to_fahrenheit():
    assert kelvin_to_fahrenheit(273.15) == 32.0
    assert kelvin_to_fahrenheit(373.15) == 212.0
    assert kelvin_to_fahrenheit(239.11) == -29.3
    assert kelvin_to_fahrenheit(None) is None


def test_synonyms_keep_names_people_type_and_drop_codes_and_repeats():
    synonyms = useful_synonyms(
        [
            "sulfuric acid",  # the primary name again
            "Sulfuric  acid",  # the same but for case and spacing
            "oil of vitriol",
            "7664-93-9",  # the CAS number
            "EINECS 231-639-5",
            "UNII-O40UQP6WCF",
            "DTXSID5029683",
            "stk366316",  # vendor code
            "H2SO4",  # formula people type
            "battery acid",
            "x" * 101,  # a systematic name too long to type
        ],
        primary="sulfuric acid",
        cas="7664-93-9",
    )
    assert synonyms == ["oil of vitriol", "H2SO4", "battery acid"]
