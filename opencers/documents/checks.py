"""Checking uploads by content (magic bytes and structure), not by the name's extension.

Placeholder contract used by services: ``check_upload(name=, stream=, size=) -> Detected`` raising
``DomainError(field="file")`` with a clear message when the content is not an accepted type or does not
match the extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from opencers.core.errors import DomainError


@dataclass(frozen=True)
class Detected:
    kind: str
    extension: str
    content_type: str


def check_upload(*, name: str, stream: IO[bytes], size: int) -> Detected:
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return Detected("pdf", "pdf", "application/pdf")
    raise DomainError(_("%(name)s is not a PDF file.") % {"name": name}, field="file")
