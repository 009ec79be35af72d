"""Template helpers of the inventory pages: ``{% inventory_reportability facility rows %}`` shows, per
material, whether it must be reported and why (the threshold engine's one-line explanations)."""

from __future__ import annotations

from typing import Any

from django import template

from opencers.elements.inventory.thresholds import thresholds_evaluate

register = template.Library()


def _item(line: Any) -> Any:
    """An inventory row from a line of the list page (a dict holding an ItemRow), an ItemRow or a row."""
    row = line["row"] if isinstance(line, dict) else line
    return getattr(row, "item", row)


@register.inclusion_tag("business/inventory/_reportability.html")
def inventory_reportability(facility: Any, rows: list[Any]) -> dict[str, Any]:
    items = [_item(line) for line in rows]
    results = thresholds_evaluate(items) if items else []
    return {
        "facility": facility,
        "results": results,
        "reportable": sum(1 for result in results if result.reportable),
        "below": sum(1 for result in results if result.reportable is False),
        "unknown": sum(1 for result in results if result.reportable is None),
    }
