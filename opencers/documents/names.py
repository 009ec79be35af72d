"""File names given by people: cleaned for display, and encoded safely for a download's header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME = 200
_REFUSED_CHARACTERS = set('"<>|:*?;\\/')
_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._() +-]")


def safe_display_name(name: str) -> str:
    """The user's file name without any path, control, format or quoting characters, at most 200 characters.

    The extension is kept when the name is shortened, so the name still says what the file is.
    """
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in _REFUSED_CHARACTERS)
    cleaned = " ".join(cleaned.split()).strip(" .")
    if not cleaned:
        return "document"
    if len(cleaned) <= MAX_NAME:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return f"{stem[: MAX_NAME - len(extension) - 1].rstrip(' .')}.{extension}"
    return cleaned[:MAX_NAME]


def file_extension(name: str) -> str:
    """The lower-case extension of a file name without the dot ("" when there is none)."""
    base = safe_display_name(name)
    stem, dot, extension = base.rpartition(".")
    return extension.lower() if dot and stem else ""


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback ``filename`` and the exact name as RFC 6266 ``filename*``.

    The name is cleaned first, so no quote, semicolon, backslash or line break can reach the header.
    """
    cleaned = safe_display_name(name)
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    ascii_stem = _ascii(stem) or "document"
    ascii_extension = _ascii(extension)
    ascii_name = f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _ASCII_SAFE.sub("_", folded).strip(" ._")
