"""Checks of an uploaded workbook's structure, made before any spreadsheet parser sees it.

An .xlsx file is a ZIP archive of XML parts. ``check_workbook`` refuses, with a message saying what is
wrong and what to do: empty and oversized files, content that is not an .xlsx workbook (CSV, PDF, an
Excel 97-2003 file, a password-protected workbook, an .xlsb or .xlsm file), damaged or incomplete
(truncated) files, archives with too many parts, unsafe paths, encrypted parts or unusual compression,
macros (``xl/vbaProject.bin``), "zip bombs" (declared or real sizes too large, or a compression ratio
no normal workbook has) and XML with a document type declaration or entities ("billion laughs"). Every
part is decompressed once, counting the real bytes (declared sizes may lie) and checking its CRC; the
XML parts are scanned for ``<!DOCTYPE`` and ``<!ENTITY`` as they stream by. Nothing is stored here.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XmlParseError
from defusedxml.ElementTree import fromstring as xml_fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from opencers.core.errors import DomainError
from opencers.documents.names import safe_display_name

MAX_ENTRIES = 1000
MAX_RATIO = 200  # a part may expand to at most this many times its compressed size...
RATIO_FROM = 1024 * 1024  # ...once it is larger than this (small parts compress as well as they like)
CHUNK = 1024 * 1024

SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
BINARY_MAIN = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATION = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


class FileRefused(DomainError):
    """The file cannot be read safely (or at all); nothing was stored and nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="file_refused")


def _refuse(name: str, template: str, **values: Any) -> FileRefused:
    return FileRefused(template % {"name": name, **values})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 10 * 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def check_workbook(*, content: bytes, name: str) -> None:
    """Refuse (``FileRefused``) anything but a well-formed, macro-free .xlsx workbook within the limits."""
    shown = safe_display_name(name or "workbook.xlsx")
    size = len(content)
    if size == 0:
        raise _refuse(
            shown,
            _(
                "%(name)s is empty (0 bytes). Check that you chose the right file, save it again in Excel and upload it."
            ),
        )
    if size > settings.SPREADSHEET_MAX_BYTES:
        raise _refuse(
            shown,
            _(
                "%(name)s is %(size)s MB, larger than the %(limit)s MB limit for inventory files. Split it into several files (for example one per facility) and import them one after the other with “Add”."
            ),
            size=_megabytes(size),
            limit=_megabytes(settings.SPREADSHEET_MAX_BYTES),
        )
    _check_kind(shown, content)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error):
        raise _damaged(shown) from None
    with archive:
        entries = archive.infolist()
        _check_entries(shown, entries, size)
        names = {entry.filename for entry in entries}
        _check_parts(shown, archive, names)
        _check_content(shown, archive, entries)


def _damaged(shown: str) -> FileRefused:
    return _refuse(
        shown,
        _(
            "%(name)s is damaged or incomplete (for example, cut off during a download or a copy): open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
        ),
    )


def _not_xlsx(shown: str) -> FileRefused:
    return _refuse(
        shown,
        _(
            "%(name)s is not an Excel workbook (.xlsx): its content is of another type (for example CSV, text or PDF). Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload that file."
        ),
    )


def _macros(shown: str) -> FileRefused:
    return _refuse(
        shown,
        _(
            "%(name)s contains macros (programs inside the workbook), which are not accepted. Save it in Excel as “Excel Workbook (*.xlsx)”, which leaves the macros out, and upload that file."
        ),
    )


def _bomb(shown: str) -> FileRefused:
    return _refuse(
        shown,
        _(
            "%(name)s cannot be accepted: its content expands far more than any normal workbook (as in a “zip bomb”). Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
        ),
    )


def _too_big_unpacked(shown: str, total: int) -> FileRefused:
    return _refuse(
        shown,
        _(
            "%(name)s expands to more than %(limit)s MB when opened, more than an inventory file may. Split it into several files (for example one per facility) and import them one after the other with “Add”."
        ),
        limit=_megabytes(settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES),
    )


def _check_kind(shown: str, content: bytes) -> None:
    head = content[:8]
    if head.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise _refuse(
                shown,
                _(
                    "%(name)s is protected with a password, so it cannot be read. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password, then clear it), save it and upload it again."
                ),
            )
        raise _refuse(
            shown,
            _(
                "%(name)s is an Excel 97-2003 workbook (.xls) or another older Office file. Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload that file."
            ),
        )
    if not head.startswith(b"PK\x03\x04"):
        raise _not_xlsx(shown)


def _check_entries(shown: str, entries: list[zipfile.ZipInfo], size: int) -> None:
    if not entries:
        raise _not_xlsx(shown)
    if len(entries) > MAX_ENTRIES:
        raise _refuse(
            shown,
            _(
                "%(name)s has %(count)d parts inside; a workbook may have at most %(max)d. Copy the inventory into a new workbook, save it and upload that file."
            ),
            count=len(entries),
            max=MAX_ENTRIES,
        )
    seen: set[str] = set()
    declared = 0
    for entry in entries:
        path = entry.filename
        parts = re.split(r"[\\/]", path)
        if (
            path.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", path)
            or ".." in parts
            or "\x00" in path
            or not path.strip("/\\")
        ):
            raise _refuse(
                shown,
                _(
                    "%(name)s contains a part with an unsafe path (%(path)s), which no workbook saved by Excel has. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file."
                ),
                path=_shown_path(path),
            )
        key = posixpath.normpath(path.replace("\\", "/")).lower()
        if key in seen:
            raise _damaged(shown)
        seen.add(key)
        if entry.flag_bits & 0x1 or entry.compress_type == 99:
            raise _refuse(
                shown,
                _(
                    "%(name)s contains encrypted parts, so it cannot be read. Save it again in Excel without a password and upload the new file."
                ),
            )
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                shown,
                _(
                    "%(name)s is packed in an unusual way (compression method %(method)d) that Excel does not use. Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
                ),
                method=entry.compress_type,
            )
        if entry.file_size >= RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise _bomb(shown)
        declared += entry.file_size
        if declared > settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES:
            raise _too_big_unpacked(shown, declared)


def _check_parts(shown: str, archive: zipfile.ZipFile, names: set[str]) -> None:
    if any(posixpath.basename(n.replace("\\", "/")).lower() == "vbaproject.bin" for n in names):
        raise _macros(shown)
    if "[Content_Types].xml" not in names:
        raise _not_xlsx(shown)
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > RATIO_FROM:
        raise _damaged(shown)
    raw = _read_part(shown, archive, info)
    _scan_declarations(shown, raw, b"")
    try:
        types = xml_fromstring(raw, forbid_dtd=True)
    except (XmlParseError, DefusedXmlException, ValueError):
        raise _damaged(shown) from None
    overrides = {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
        for element in types.iter(f"{CONTENT_TYPES_NS}Override")
    }
    kinds = set(overrides.values())
    if MACRO_MAIN in kinds or any("macroenabled" in kind.lower() and "binary" not in kind for kind in kinds):
        raise _macros(shown)
    if BINARY_MAIN in kinds:
        raise _refuse(
            shown,
            _(
                "%(name)s is an Excel Binary Workbook (.xlsb). Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload that file."
            ),
        )
    if overrides.get("xl/workbook.xml") != SHEET_MAIN:
        raise _not_xlsx(shown)
    if "xl/workbook.xml" not in names:
        raise _damaged(shown)


def _read_part(shown: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        raise _damaged(shown) from None


def _scan_declarations(shown: str, chunk: bytes, tail: bytes) -> None:
    """Refuse a document type declaration or an entity definition (``tail`` ends the previous chunk)."""
    data = tail + chunk if tail else chunk
    if b"<!" in data and _DECLARATION.search(data):
        raise _refuse(
            shown,
            _(
                "%(name)s contains XML with a document type declaration or entity definitions (<!DOCTYPE, <!ENTITY>), which no workbook saved by Excel has and which can be used to attack the server. It was not read. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file."
            ),
        )


def _check_content(shown: str, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Decompress every part once: real sizes within the limits, CRCs right, no XML declarations."""
    total = 0
    for entry in entries:
        if entry.is_dir():
            continue
        is_xml = entry.filename.lower().endswith(XML_SUFFIXES)
        produced = 0
        tail = b""
        first = True
        try:
            with archive.open(entry) as member:
                while chunk := member.read(CHUNK):
                    produced += len(chunk)
                    total += len(chunk)
                    if produced > entry.file_size:
                        raise _bomb(shown)  # more than declared: the sizes lie
                    if total > settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES:
                        raise _too_big_unpacked(shown, total)
                    if produced >= RATIO_FROM and produced > MAX_RATIO * max(entry.compress_size, 1):
                        raise _bomb(shown)
                    if is_xml:
                        if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk[1:2] == b"\x00"):
                            raise _refuse(
                                shown,
                                _(
                                    "%(name)s contains XML in an encoding Excel does not write (UTF-16), so it cannot be checked. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file."
                                ),
                            )
                        _scan_declarations(shown, chunk, tail)
                        tail = chunk[-32:]
                    first = False
        except FileRefused:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
            LookupError,
        ):
            raise _damaged(shown) from None
        if produced != entry.file_size:
            raise _damaged(shown)


def _shown_path(path: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in path)
    return f"“{cleaned[:100]}{'…' if len(cleaned) > 100 else ''}”"
