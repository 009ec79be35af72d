"""Guidance rules of the Hazardous Materials Inventory (per row and for the whole inventory).

The threshold engine (reportability, unit conversion) adds its own messages; these are the data
dictionary rules every row must meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from opencers.elements.fields import plain
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.validation import stored_row_guidance
from opencers.submittals.guidance import ADVISORY, REQUIRED, WARNING, Guidance

POUNDS, TONS = "c", "d"
WASTE, MIXTURE = "c", "b"


def row_guidance(item: Any, row: int) -> list[Guidance]:
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
        messages.append(
            Guidance(
                REQUIRED,
                "Units",
                _(
                    "Extremely hazardous substances must be reported in pounds. Convert the amounts to pounds and set Units to pounds."
                ),
                row=row,
            )
        )
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


def inventory_guidance(items: Iterable[Any]) -> list[Guidance]:
    messages: list[Guidance] = []
    seen: dict[tuple[str, str, str], int] = {}
    for position, item in enumerate(items, start=1):
        messages.extend(row_guidance(item, position))
        key = (
            (item.cas_number or item.common_name).strip().lower(),
            item.chemical_location.strip().lower(),
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
    return messages
