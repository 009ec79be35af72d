"""Small rules shared by the export and the import: how CERS location fields become one Tier II
location description and back, booleans, and names of people."""

from __future__ import annotations

import re

from opencers.tier2.standard import FALSE, TRUE

MAP, GRID, OTHER = ", Map ", ", Grid ", ", Other container: "


def boolean(value: bool) -> str:
    return TRUE if value else FALSE


def parse_boolean(text: str) -> bool | None:
    """``true``/``false`` (any case, also Y/N, yes/no, 1/0); None for anything else, "" included."""
    key = (text or "").strip().casefold()
    if key in ("true", "y", "yes", "1"):
        return True
    if key in ("false", "n", "no", "0"):
        return False
    return None


def location_description(location: str, map_number: str = "", grid: str = "", other: str = "") -> str:
    """ChemicalLocation, then ", Map …" and ", Grid …" when given, then the "other container" text on
    the entry of an "Other" container (Tier II has no slot for either)."""
    text = location or ""
    if map_number:
        text += MAP + map_number
    if grid:
        text += GRID + grid
    if other:
        text += OTHER + other
    return text


_DESCRIPTION = re.compile(
    r"^(?P<location>.*?)"
    r"(?:, Map (?P<map>[^,]{1,15}))?"
    r"(?:, Grid (?P<grid>[^,]{1,15}))?"
    r"(?:, Other container: (?P<other>.{1,30}))?$",
    re.DOTALL,
)


def parse_location_description(text: str) -> tuple[str, str, str, str]:
    """(location, map number, grid, other container): the inverse of ``location_description``."""
    match = _DESCRIPTION.match(text or "")
    if match is None:  # pragma: no cover (the pattern matches every text)
        return text, "", "", ""
    return (
        match.group("location"),
        match.group("map") or "",
        match.group("grid") or "",
        match.group("other") or "",
    )


def split_person_name(name: str) -> tuple[str, str]:
    """A person's name as (first names, last name): the last word is the last name."""
    words = (name or "").split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]
