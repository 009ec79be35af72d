"""Export → import is the identity: any inventory within the data dictionary comes back exactly.

Random inventories (texts with formula-like starts, apostrophes, line breaks, XML's special characters
and Excel's own escapes; decimals of every allowed size; every code) are stored in the draft, exported
to the template and imported back with "replace"; the rows are then the same, in the same order.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opencers.core.elements import Element
from opencers.elements.fields import CODE, DECIMAL, INTEGER, TEXT, YESNO, FieldSpec
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.validation import inventory_guidance
from opencers.spreadsheets.services import inventory_export, inventory_import
from opencers.spreadsheets.tests.helpers import inventory_rows
from opencers.submittals.services import draft_get_or_create

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
CAS_NUMBERS = ["7664-93-9", "67-64-1", "7732-18-5", "7782-50-5", "7664-41-7", "108-88-3", "64-17-5"]
TRICKY = [
    "=SUM(A1:A9)",
    "+1 555 0100",
    "-40 °F freezer",
    "@risk",
    "'quoted'",
    "''",
    "'=2+2",
    "Tom & Jerry <lab>",
    "_x0041_ stays as typed",
    "line one\nline two",
    "line one\r\nline two",
    "tab\tinside",
    "bell\x07 and \x1b escape",
    "Ümlaut, 中文, emoji 🧪",
    "0042",
    "1.50",
    "7-3",
    "TRUE",
]


# Any character a database text column can hold (no NUL, no lone surrogates).
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


@st.composite
def texts(draw: Any, spec: FieldSpec) -> str:
    limit = spec.max_length or 50
    text = draw(
        st.one_of(
            st.sampled_from(TRICKY),
            st.text(alphabet=CHARACTERS, min_size=1, max_size=min(limit, 40)),
            st.builds(
                lambda start, rest: start + rest,
                st.sampled_from(["=", "+", "-", "@", "'"]),
                st.text(alphabet=CHARACTERS, max_size=10),
            ),
        )
    )
    text = text.strip()[:limit].strip()
    assume(text)
    return text


@st.composite
def decimals(draw: Any, spec: FieldSpec) -> Decimal:
    total = spec.total_digits or 15
    places = draw(st.integers(0, spec.decimal_places))
    digits = draw(st.integers(1, total))
    places = min(places, digits)
    number = Decimal(draw(st.integers(0, 10**digits - 1))).scaleb(-places)
    if spec.minimum is not None:
        number = max(number, spec.minimum)
    if spec.maximum is not None:
        number = min(number, spec.maximum)
    return number


def value_of(spec: FieldSpec) -> Any:
    if spec.check == "cas":
        return st.sampled_from(CAS_NUMBERS)
    if spec.kind == TEXT:
        if spec.xml == "StateWasteCode":
            return st.from_regex(r"\A[0-9]{3}\Z")
        return texts(spec)
    if spec.kind == YESNO:
        return st.sampled_from(["Y", "N"])
    if spec.kind == CODE:
        return st.sampled_from([code for code, _label in spec.codes])
    if spec.kind == DECIMAL:
        return decimals(spec)
    if spec.kind == INTEGER:
        low = int(spec.minimum) if spec.minimum is not None else 0
        high = int(spec.maximum) if spec.maximum is not None else 2**62
        return st.integers(low, high)
    raise AssertionError(spec.kind)


@st.composite
def items(draw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in CHEMICAL_FIELDS:
        if spec.required or draw(st.integers(0, 4)) == 0:
            values[spec.name] = draw(value_of(spec))
    if values["ehs"] == "Y":
        values["units"] = "c"
    average, maximum = values.get("average_daily_amount"), values["maximum_daily_amount"]
    if average is not None and average > maximum:
        values["average_daily_amount"], values["maximum_daily_amount"] = maximum, average
    for n in range(1, 6):
        if values.get(f"hc{n}_percent_by_weight") is not None and not values.get(f"hc{n}_name"):
            values[f"hc{n}_name"] = f"Component {n}"
    return values


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(rows=st.lists(items(), min_size=1, max_size=6))
def test_export_then_import_gives_the_identical_inventory(world: Any, rows: list[dict[str, Any]]) -> None:
    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    InventoryItem.objects.filter(element=draft).delete()
    stored = [InventoryItem(element=draft, position=n, **values) for n, values in enumerate(rows, start=1)]
    assume(not any(g.level == "required" for g in inventory_guidance(stored)))
    InventoryItem.objects.bulk_create(stored)
    before = inventory_rows(draft)

    exported = inventory_export(facility=world.facility)
    result = inventory_import(
        content=exported,
        file_name="export.xlsx",
        actor=world.users["editor"],
        mode="replace",
        facility=world.facility,
    )

    assert [p.as_line() for p in result.problems if p.blocks] == []
    assert result.imported is True
    assert inventory_rows(draft) == before


def test_numbers_at_the_limits_of_a_spreadsheet_number_round_trip(world: Any) -> None:
    draft = draft_get_or_create(facility=world.facility, element=INVENTORY, actor=world.users["editor"])
    InventoryItem.objects.create(
        element=draft,
        position=1,
        common_name="Long numbers",
        ehs="N",
        physical_state="a",
        units="c",
        maximum_daily_amount=Decimal("99999999999.9999"),
        average_daily_amount=Decimal("0.0001"),
        cclid=9_007_199_254_740_993,  # above 2**53: a double would change it
    )
    before = inventory_rows(draft)

    result = inventory_import(
        content=inventory_export(facility=world.facility),
        file_name="export.xlsx",
        actor=world.users["editor"],
        mode="replace",
        facility=world.facility,
    )

    assert result.imported is True
    assert (
        inventory_rows(draft)
        == before
        == [
            {
                "CCLID": 9_007_199_254_740_993,
                "CommonName": "Long numbers",
                "EHS": "N",
                "PhysicalState": "a",
                "AverageDailyAmount": "0.0001",
                "MaximumDailyAmount": "99999999999.9999",
                "Units": "c",
            }
        ]
    )
