"""The ``.t2s`` package: a ZIP archive holding ``epcra_tier2_data.xml`` at its root and the attached
files named in ``<attachment>`` (``spec/TIER2.md`` §1, §9).

Reading an uploaded file goes through the same content checks as every upload (``documents.checks``:
bounded entries and sizes, no zip bombs, unsafe paths, links, programs or encryption) before anything
is extracted.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from opencers.documents.checks import check_upload
from opencers.documents.names import safe_display_name
from opencers.tier2.standard import XML_NAME
from opencers.tier2.xmlio import Tier2FileError

MAX_XML_BYTES = 20 * 1024 * 1024
# A fixed time for the archive entries: the same export gives the same bytes.
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def build_t2s(xml: bytes, attachments: Iterable[tuple[str, IO[bytes]]]) -> bytes:
    """The ``.t2s`` archive: the XML first, then each attachment under its ``fileName``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo(XML_NAME, date_time=ENTRY_TIME), xml, compress_type=zipfile.ZIP_DEFLATED
        )
        for name, stream in attachments:
            info = zipfile.ZipInfo(name, date_time=ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as target:
                while chunk := stream.read(1024 * 1024):
                    target.write(chunk)
    return buffer.getvalue()


@dataclass
class Upload:
    """What an uploaded Tier II file holds: the XML and (for a .t2s) the other files by name."""

    xml: bytes
    attachments: dict[str, bytes] = field(default_factory=dict)
    packaged: bool = False


def read_upload(*, name: str, data: bytes) -> Upload:
    """The XML of an uploaded ``.xml`` or ``.t2s`` file (``.zip`` accepted too), checked for safety.

    Raises ``Tier2FileError`` (or the upload check's ``DomainError``) with a message for people."""
    shown = safe_display_name(name)
    extension = shown.rpartition(".")[2].casefold() if "." in shown else ""
    if not data:
        raise Tier2FileError(_("%(name)s is empty. Choose the Tier II file again.") % {"name": shown})
    is_zip = data[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    if extension not in ("xml", "t2s", "zip"):
        raise Tier2FileError(
            _("%(name)s is not a Tier II file: upload the .t2s file or the epcra_tier2_data.xml file.")
            % {"name": shown}
        )
    if extension == "xml":
        if is_zip:
            raise Tier2FileError(
                _("%(name)s is really a ZIP archive: rename it to .t2s and upload it again.")
                % {"name": shown}
            )
        if len(data) > MAX_XML_BYTES:
            raise Tier2FileError(_too_big(shown))
        check_upload(name=shown, stream=io.BytesIO(data), size=len(data))
        return Upload(xml=data)
    if not is_zip:
        raise Tier2FileError(
            _("%(name)s is not a .t2s package (a ZIP archive): export it again from Tier2 Submit.")
            % {"name": shown}
        )
    # The shared upload check knows ZIP archives by the .zip extension.
    check_upload(name=f"{shown.rpartition('.')[0] or 'tier2'}.zip", stream=io.BytesIO(data), size=len(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = [entry for entry in archive.infolist() if not entry.is_dir()]
        candidates = [entry for entry in files if posixpath.basename(entry.filename).casefold() == XML_NAME]
        if not candidates:
            raise Tier2FileError(
                _(
                    "%(name)s holds no epcra_tier2_data.xml: it is not a Tier II package. Export it again "
                    "from Tier2 Submit."
                )
                % {"name": shown}
            )
        if len(candidates) > 1:
            raise Tier2FileError(
                _("%(name)s holds several epcra_tier2_data.xml files: upload one facility file at a time.")
                % {"name": shown}
            )
        entry = candidates[0]
        if entry.file_size > MAX_XML_BYTES:
            raise Tier2FileError(_too_big(shown))
        xml = archive.read(entry)
        folder = posixpath.dirname(entry.filename)
        attachments = {
            posixpath.relpath(other.filename, folder or "."): archive.read(other)
            for other in files
            if other is not entry
        }
    if len(xml) > MAX_XML_BYTES:
        raise Tier2FileError(_too_big(shown))
    return Upload(xml=xml, attachments=attachments, packaged=True)


def _too_big(shown: str) -> str:
    return _(
        "%(name)s holds more than %(limit)d MB of XML, more than a Tier II file can hold. Check the file."
    ) % {
        "name": shown,
        "limit": MAX_XML_BYTES // (1024 * 1024),
    }
