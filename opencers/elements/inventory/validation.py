"""Guidance rules of the Hazardous Materials Inventory (per row and for the whole inventory).

These are the data dictionary rules every row must meet. ``inventory_guidance`` adds the data-quality
rules that compare the rows with the chemical library (``quality.py``) and the reportability of each
material (``thresholds.py``); the library facts they need are read once for all rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from opencers.elements.fields import plain
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.quality import quality_guidance
from opencers.elements.inventory.thresholds import (
    Library,
    evaluating,
    pounds_suggestion,
    reportability_guidance,
    thresholds_evaluate,
)
from opencers.elements.validation import stored_row_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING, Guidance

POUNDS, TONS = "c", "d"
WASTE, MIXTURE = "c", "b"


def row_guidance(item: Any, row: int, *, library: Library | None = None) -> list[Guidance]:
    messages = stored_row_guidance(item, CHEMICAL_FIELDS, row=row)
    if (
        item.average_daily_amount is not None
        and item.maximum_daily_amount is not None
        and item.average_daily_amount > item.maximum_daily_amount
    ):
        messages.append(
            Guidance(
                REQUIRED,
                "AverageDailyAmount",
                _(
                    "The average daily amount (%(avg)s) is larger than the maximum (%(max)s). The average cannot exceed the largest amount on site."
                )
                % {"avg": plain(item.average_daily_amount), "max": plain(item.maximum_daily_amount)},
                row=row,
            )
        )
    if item.ehs == "Y" and item.units and item.units != POUNDS:
        text = _(
            "Extremely hazardous substances must be reported in pounds. Convert the amounts to pounds and set Units to pounds."
        )
        suggestion = pounds_suggestion(item, library) if library is not None else ""
        messages.append(Guidance(REQUIRED, "Units", f"{text} {suggestion}" if suggestion else text, row=row))
    if item.hm_type == WASTE and not item.state_waste_code:
        messages.append(
            Guidance(
                WARNING,
                "StateWasteCode",
                _("Give the 3-digit California waste code of this waste (e.g. 221 for waste oil)."),
                row=row,
            )
        )
    if item.state_waste_code and not (len(item.state_waste_code) == 3 and item.state_waste_code.isdigit()):
        messages.append(
            Guidance(
                REQUIRED,
                "StateWasteCode",
                _("“%(code)s” is not a California waste code: it has 3 digits, e.g. 221.")
                % {"code": item.state_waste_code},
                row=row,
            )
        )
    if item.hm_type == MIXTURE and not item.hc1_name and not item.additional_mixture_components:
        messages.append(
            Guidance(
                ADVISORY,
                "HC1Name",
                _("For a mixture, list its hazardous components (name, percent by weight, CAS)."),
                row=row,
            )
        )
    if item.sc_other == "Y" and not item.other_storage_container:
        messages.append(
            Guidance(WARNING, "OtherStorageContainer", _("Describe the “other” storage container."), row=row)
        )
    if item.radio_active == "Y" and item.curies is None:
        messages.append(
            Guidance(WARNING, "Curies", _("Give the amount in curies for a radioactive material."), row=row)
        )
    for n in range(1, 6):
        name, pct = getattr(item, f"hc{n}_name"), getattr(item, f"hc{n}_percent_by_weight")
        if pct is not None and not name:
            messages.append(
                Guidance(
                    REQUIRED,
                    f"HC{n}Name",
                    _("Component %(n)d has a percentage but no name.") % {"n": n},
                    row=row,
                )
            )
    return messages


def inventory_guidance(
    items: Iterable[Any], *, rows: Iterable[int] | None = None, library: Library | None = None
) -> list[Guidance]:
    """The rules of every row and of the whole inventory. Rows are numbered 1, 2, 3… in order, or by
    ``rows`` (e.g. the spreadsheet rows the items came from, so that messages name the row people see).

    Besides the rules of each row and duplicates: the data-quality rules against the chemical library
    (``quality.py``) and the reportability of each material (``thresholds.py``). ``library`` holds the
    facts of the substances the rows name; without it they are read in one query."""
    items = list(items)
    numbers = list(rows) if rows is not None else list(range(1, len(items) + 1))
    if library is None:
        library = Library.for_items(items)
    with evaluating():  # see evaluating: tens of thousands of rows
        return _inventory_messages(items, numbers, library)


def _inventory_messages(items: list[Any], numbers: list[int], library: Library) -> list[Guidance]:
    messages: list[Guidance] = []
    seen: dict[tuple[str, str, str], int] = {}
    for position, item in zip(numbers, items, strict=False):
        messages.extend(row_guidance(item, position, library=library))
        key = (
            " ".join((item.cas_number or item.common_name).split()).casefold(),
            " ".join(item.chemical_location.split()).casefold(),
            item.hm_type,
        )
        if key in seen:
            messages.append(
                Guidance(
                    WARNING,
                    "CommonName",
                    _(
                        "Same material and location as row %(other)d. Combine the two rows, or tell the locations apart."
                    )
                    % {"other": seen[key]},
                    row=position,
                )
            )
        else:
            seen[key] = position
    messages.extend(quality_guidance(items, library, rows=numbers))
    messages.extend(reportability_guidance(thresholds_evaluate(items, library=library, rows=numbers)))
    return messages
