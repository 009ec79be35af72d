"""Checking uploads by content (magic bytes and structure), then the name's extension against the content.

``check_upload(name=, stream=, size=) -> Detected`` accepts the types the state accepts: PDF, Word and
Excel (97-2003 compound files and the .docx/.xlsx Open XML packages, without macros), images (PNG,
JPEG, GIF, TIFF, BMP), plain text and CSV (UTF-8 or Windows-1252), XML (well-formed, no DTD or
entities) and ZIP archives (bounded in entries, sizes and compression ratio; no unsafe paths, links,
programs or encryption). Everything else, and every damaged file, is refused with
``DomainError(field="file")`` whose message names the file and says how to fix it. The check only reads
the stream; nothing is stored here.
"""

from __future__ import annotations

import codecs
import io
import math
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError as XmlParseError
from defusedxml.ElementTree import fromstring as xml_fromstring
from defusedxml.expatreader import DefusedExpatParser
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencers.core.errors import DomainError
from opencers.documents.names import file_extension, safe_display_name

# Limits for ZIP archives (the .docx and .xlsx packages are ZIP archives too).
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 1024 * 1024  # entries (and archives) smaller than this may compress as well as they like
PROGRAM_EXTENSIONS = frozenset(
    [
        "exe",
        "dll",
        "com",
        "scr",
        "bat",
        "cmd",
        "msi",
        "msp",
        "ps1",
        "psm1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "hta",
        "jar",
        "lnk",
        "cpl",
        "sys",
        "app",
        "sh",
        "apk",
    ]
)

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Detected:
    kind: str
    extension: str
    content_type: str


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]  # the first one is what a file of this kind should be named
    content_type: str
    what: Any  # "a PDF file": used in "report.docx is really a PDF file"


KINDS: dict[str, Kind] = {
    "pdf": Kind(("pdf",), "application/pdf", gettext_lazy("a PDF file")),
    "doc": Kind(("doc",), "application/msword", gettext_lazy("a Word 97-2003 document")),
    "xls": Kind(("xls",), "application/vnd.ms-excel", gettext_lazy("an Excel 97-2003 workbook")),
    "docx": Kind(
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("a Word document"),
    ),
    "xlsx": Kind(
        ("xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("an Excel workbook"),
    ),
    "png": Kind(("png",), "image/png", gettext_lazy("a PNG image")),
    "jpeg": Kind(("jpg", "jpeg"), "image/jpeg", gettext_lazy("a JPEG image")),
    "gif": Kind(("gif",), "image/gif", gettext_lazy("a GIF image")),
    "tiff": Kind(("tif", "tiff"), "image/tiff", gettext_lazy("a TIFF image")),
    "bmp": Kind(("bmp",), "image/bmp", gettext_lazy("a BMP image")),
    "txt": Kind(("txt",), "text/plain", gettext_lazy("a text file")),
    "csv": Kind(("csv",), "text/csv", gettext_lazy("a CSV file")),
    "xml": Kind(("xml",), "application/xml", gettext_lazy("an XML file")),
    "zip": Kind(("zip",), "application/zip", gettext_lazy("a ZIP archive")),
}
ACCEPTED_EXTENSIONS = frozenset(ext for kind in KINDS.values() for ext in kind.extensions)
TEXT_KINDS = ("txt", "csv", "xml")

ACCEPTED_TYPES = gettext_lazy(
    "PDF (best), Word, Excel, an image (PNG, JPEG, GIF, TIFF, BMP), text, CSV, XML or ZIP"
)

OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "template",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "template",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "presentation",
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


class _Refused(Exception):
    """Raised inside the checks with the message's template and values; turned into a DomainError."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template)
        self.template = template
        self.values = values


def check_upload(*, name: str, stream: IO[bytes], size: int) -> Detected:
    """What the file really is, or ``DomainError(field="file")`` saying why it is refused and how to fix it.

    The stream is read (never written) and left at its start."""
    shown = safe_display_name(name)
    try:
        detected = _check(shown, stream, size)
    except _Refused as refused:
        raise DomainError(
            refused.template % {"name": shown, **refused.values}, field="file", code="file_refused"
        ) from None
    finally:
        stream.seek(0)
    return detected


# --- The steps --------------------------------------------------------------------------------------


def _check(shown: str, stream: IO[bytes], declared_size: int) -> Detected:
    size = _size_of(stream)
    limit = settings.DOCUMENT_MAX_BYTES
    if max(size, declared_size) > limit:
        raise _Refused(
            _(
                "%(name)s is %(size)s MB, larger than the %(limit)s MB limit. Make it smaller (for a "
                "scan: a lower resolution, or black and white) or split it into several files."
            ),
            size=_megabytes_up(max(size, declared_size)),
            limit=_megabytes(limit),
        )
    if size <= 0:
        raise _Refused(
            _(
                "%(name)s is empty (0 bytes). Check that you chose the right file; if so, open it, "
                "save it again and upload the new copy."
            )
        )
    extension = file_extension(shown)
    head = _read_at(stream, 0, 8192)
    sniffed = _sniff(head)
    if sniffed in _REFUSED_KINDS:
        raise _Refused(_REFUSED_KINDS[sniffed]())
    if sniffed is None:
        kind = _check_text(stream, size, extension, head)
    else:
        kind = _STRUCTURE_CHECKS[sniffed](stream, size, head)
    return _agree(extension, kind, stream, head)


def _agree(extension: str, kind: str, stream: IO[bytes], head: bytes) -> Detected:
    """The extension must name the detected kind (a PDF named .docx is refused with a way out)."""
    spec = KINDS[kind]
    if extension not in spec.extensions:
        raise _Refused(
            _("%(name)s is really %(what)s: rename it to .%(extension)s or upload the right file."),
            what=spec.what,
            extension=spec.extensions[0],
        )
    content_type = spec.content_type
    if kind in ("txt", "csv"):
        content_type = f"{content_type}; charset={_text_encoding(stream)}"
    return Detected(kind=kind, extension=extension, content_type=content_type)


def _sniff(head: bytes) -> str | None:
    """The kind the first bytes announce; None for anything that may be text."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if (
        head.startswith(b"BM")
        and len(head) >= 26
        and head[6:10] == b"\x00\x00\x00\x00"
        and struct.unpack_from("<I", head, 14)[0] in (12, 40, 52, 56, 64, 108, 124)
    ):
        return "bmp"
    if (head.startswith(b"MZ") and b"\x00" in head[:64]) or head.startswith(b"\x7fELF"):
        return "program"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"):
        return "program"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in head[:1024]:  # readers accept up to 1 KB of junk before the header (some scanners add it)
        return "pdf"
    return None


_REFUSED_KINDS: dict[str, Callable[[], str]] = {
    "program": lambda: _(
        "%(name)s is a program, not a document: programs cannot be uploaded. Upload the document "
        "itself (PDF is best)."
    ),
    "rar": lambda: _(
        "%(name)s is a RAR archive, which is not accepted: put the files in a ZIP archive instead, or "
        "upload them one by one."
    ),
    "7z": lambda: _(
        "%(name)s is a 7-Zip archive, which is not accepted: put the files in a ZIP archive instead, "
        "or upload them one by one."
    ),
    "gzip": lambda: _(
        "%(name)s is a gzip archive, which is not accepted: put the files in a ZIP archive instead, or "
        "upload them one by one."
    ),
    "rtf": lambda: _(
        "%(name)s is a Rich Text (RTF) file, which is not accepted: save it as PDF or as a Word "
        "document (.docx) and upload that file."
    ),
}


def _damaged(detail: str) -> _Refused:
    return _Refused(
        _(
            "%(name)s is damaged or incomplete (%(detail)s): open it in the program that made it, save "
            "or export it again, and upload the new file."
        ),
        detail=detail,
    )


# --- PDF ----------------------------------------------------------------------------------------------


def _check_pdf(stream: IO[bytes], size: int, head: bytes) -> str:
    tail = _read_at(stream, max(0, size - 1024), 1024)
    if b"%%EOF" not in tail:
        raise _damaged(_("the end of the PDF is missing"))
    return "pdf"


# --- Images ---------------------------------------------------------------------------------------------


def _check_png(stream: IO[bytes], size: int, head: bytes) -> str:
    if len(head) < 33 or head[8:16] != b"\x00\x00\x00\x0dIHDR":
        raise _damaged(_("the PNG header is missing"))
    width, height = struct.unpack_from(">II", head, 16)
    if width == 0 or height == 0 or zlib.crc32(head[12:29]) != struct.unpack_from(">I", head, 29)[0]:
        raise _damaged(_("the PNG header is corrupt"))
    if b"IEND\xaeB`\x82" not in _read_at(stream, max(0, size - 1024), 1024):
        raise _damaged(_("the end of the image is missing"))
    return "png"


def _check_jpeg(stream: IO[bytes], size: int, head: bytes) -> str:
    position = 2
    for _segment in range(10_000):
        marker = _read_at(stream, position, 4)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise _damaged(_("the JPEG structure is broken"))
        code = marker[1]
        if code == 0xFF:  # fill byte
            position += 1
            continue
        if code == 0xDA:  # start of scan: the image data follows
            break
        if code == 0xD9:
            raise _damaged(_("the JPEG has no image data"))
        if code == 0x01 or 0xD0 <= code <= 0xD7:
            position += 2
            continue
        if len(marker) < 4:
            raise _damaged(_("the JPEG structure is broken"))
        length = struct.unpack_from(">H", marker, 2)[0]
        if length < 2:
            raise _damaged(_("the JPEG structure is broken"))
        position += 2 + length
    else:
        raise _damaged(_("the JPEG structure is broken"))
    if not _find_after(stream, size, position, b"\xff\xd9"):
        raise _damaged(_("the end of the image is missing"))
    return "jpeg"


def _check_gif(stream: IO[bytes], size: int, head: bytes) -> str:
    if len(head) < 14:
        raise _damaged(_("the GIF header is missing"))
    width, height = struct.unpack_from("<HH", head, 6)
    if width == 0 or height == 0:
        raise _damaged(_("the GIF header is corrupt"))
    if not _read_at(stream, max(0, size - 64), 64).rstrip(b"\x00\r\n").endswith(b";"):
        raise _damaged(_("the end of the image is missing"))
    return "gif"


def _check_tiff(stream: IO[bytes], size: int, head: bytes) -> str:
    order = "<" if head[:2] == b"II" else ">"
    big = head[2:4] in (b"+\x00", b"\x00+")
    try:
        if big:
            offset_size, _zero, first = struct.unpack_from(f"{order}HHQ", head, 4)
            if offset_size != 8:
                raise _damaged(_("the TIFF header is corrupt"))
            count_format, count_size, entry_size, next_size = f"{order}Q", 8, 20, 8
        else:
            first = struct.unpack_from(f"{order}I", head, 4)[0]
            count_format, count_size, entry_size, next_size = f"{order}H", 2, 12, 4
    except struct.error:
        raise _damaged(_("the TIFF header is corrupt")) from None
    if first < 8 or first + count_size > size:
        raise _damaged(_("the TIFF directory is missing"))
    raw_count = _read_at(stream, first, count_size)
    count = struct.unpack(count_format, raw_count)[0] if len(raw_count) == count_size else 0
    if count == 0 or first + count_size + count * entry_size + next_size > size:
        raise _damaged(_("the TIFF directory is cut off"))
    return "tiff"


def _check_bmp(stream: IO[bytes], size: int, head: bytes) -> str:
    declared, _reserved, pixels, header_size = struct.unpack_from("<IIII", head, 2)
    if header_size == 12:
        width, height = struct.unpack_from("<HH", head, 18)
    else:
        width, height = struct.unpack_from("<ii", head, 18) if len(head) >= 26 else (0, 0)
    if width == 0 or height == 0 or pixels < 14 + header_size:
        raise _damaged(_("the BMP header is corrupt"))
    if pixels >= size or (declared and declared > size):
        raise _damaged(_("the image data is cut off"))
    return "bmp"


# --- Word and Excel 97-2003 (OLE2 compound files) --------------------------------------------------


def _check_ole(stream: IO[bytes], size: int, head: bytes) -> str:
    names = {n.lower() for n in _ole_entry_names(stream, size)}
    if names & {"encryptedpackage", "encryptioninfo"}:
        raise _Refused(
            _(
                "%(name)s is protected with a password, so nobody can open it: remove the password, "
                "save it, and upload the new file."
            )
        )
    if names & {"macros", "vba", "_vba_project_cur", "_vba_project"}:
        raise _Refused(_macros_message())
    if "worddocument" in names:
        return "doc"
    if names & {"workbook", "book"}:
        return "xls"
    if "powerpoint document" in names:
        raise _Refused(_presentation_message())
    raise _Refused(
        _(
            "%(name)s is an Office file of a type that is not accepted (for example an Outlook message "
            "or an installer): save its content as PDF and upload the PDF."
        )
    )


_FREE, _END_OF_CHAIN, _FAT_SECTOR, _DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC


def _ole_entry_names(stream: IO[bytes], size: int) -> list[str]:
    """The names in a compound file's directory ([MS-CFB]), reading only the header, FAT and directory."""
    header = _read_at(stream, 0, 512)
    broken = _damaged(_("its Office file structure cannot be read"))
    if len(header) < 512:
        raise broken
    major, byte_order, sector_shift = struct.unpack_from("<HHH", header, 26)
    if byte_order != 0xFFFE or (major, sector_shift) not in ((3, 9), (4, 12)):
        raise broken
    sector_size = 1 << sector_shift
    sector_count = (size - sector_size + sector_size - 1) // sector_size  # sectors after the header
    fat_sector_count, first_directory = struct.unpack_from("<II", header, 44)
    first_difat, difat_count = struct.unpack_from("<II", header, 68)
    if sector_count <= 0 or fat_sector_count == 0 or fat_sector_count > sector_count:
        raise broken

    def sector(number: int) -> bytes:
        if number >= sector_count:
            raise broken
        data = _read_at(stream, (number + 1) * sector_size, sector_size)
        if len(data) < sector_size:
            data += b"\x00" * (sector_size - len(data))  # the last sector may be short
        return data

    fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n != _FREE]
    seen: set[int] = set()
    next_difat = first_difat
    while next_difat not in (_END_OF_CHAIN, _FREE) and len(seen) < max(difat_count, 1) + 1:
        if next_difat in seen:
            raise broken
        seen.add(next_difat)
        entries = struct.unpack(f"<{sector_size // 4}I", sector(next_difat))
        fat_sectors.extend(n for n in entries[:-1] if n != _FREE)
        next_difat = entries[-1]
    fat_sectors = fat_sectors[:fat_sector_count]
    if len(fat_sectors) < fat_sector_count:
        raise broken
    fat: list[int] = []
    for number in fat_sectors:
        fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(number)))

    names: list[str] = []
    current, visited = first_directory, set[int]()
    while current != _END_OF_CHAIN:
        if current in visited or current >= len(fat) or len(visited) > 100_000:
            raise broken
        visited.add(current)
        data = sector(current)
        for offset in range(0, sector_size, 128):
            entry = data[offset : offset + 128]
            name_length, entry_type = struct.unpack_from("<HB", entry, 64)
            if entry_type == 0:
                continue
            if entry_type not in (1, 2, 5) or name_length > 64 or name_length % 2:
                raise broken
            if not names and entry_type != 5:
                raise broken  # the first entry is the root
            names.append(entry[: max(0, name_length - 2)].decode("utf-16-le", "replace"))
        current = fat[current]
    if not names:
        raise broken
    return names[1:]


# --- ZIP archives, Word and Excel documents (Open XML packages) --------------------------------------


def _check_zip(stream: IO[bytes], size: int, head: bytes) -> str:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error):
        raise _damaged(_("the ZIP table of contents cannot be read")) from None
    with archive:
        entries = archive.infolist()
        _check_zip_entries(entries, size)
        _check_zip_content(archive, entries)
        return _zip_kind(archive, {entry.filename for entry in entries})


def _check_zip_entries(entries: list[zipfile.ZipInfo], size: int) -> None:
    if not entries:
        raise _Refused(_("%(name)s is an empty ZIP archive: add the files to it and upload it again."))
    if len(entries) > ZIP_MAX_ENTRIES:
        raise _Refused(
            _(
                "%(name)s holds %(count)d files; a ZIP archive may hold at most %(max)d. Split it into "
                "several archives."
            ),
            count=len(entries),
            max=ZIP_MAX_ENTRIES,
        )
    seen: set[str] = set()
    total = 0
    for entry in entries:
        path = entry.filename
        shown = _shown_path(path)
        parts = re.split(r"[\\/]", path)
        if (
            path.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", path)
            or ".." in parts
            or "\x00" in path
            or not path.strip("/\\")
        ):
            raise _Refused(
                _(
                    "%(name)s contains a file with an unsafe path (%(path)s): create the archive again "
                    "from the folder holding the files, so that no path starts with “/” or contains "
                    "“..”."
                ),
                path=shown,
            )
        key = posixpath.normpath(path.replace("\\", "/")).lower()
        if key in seen:
            raise _Refused(
                _("%(name)s contains the same path twice (%(path)s): create the archive again."), path=shown
            )
        seen.add(key)
        if entry.flag_bits & 0x1 or entry.compress_type == 99:
            raise _Refused(
                _(
                    "%(name)s contains a password-protected file (%(path)s): create the archive again "
                    "without a password and upload it."
                ),
                path=shown,
            )
        if entry.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
            zipfile.ZIP_BZIP2,
            zipfile.ZIP_LZMA,
        ):
            raise _Refused(
                _(
                    "%(name)s uses a compression method that cannot be read (%(path)s): create the "
                    "archive again with standard ZIP compression."
                ),
                path=shown,
            )
        if (entry.external_attr >> 16) & 0o170000 == 0o120000:
            raise _Refused(
                _(
                    "%(name)s contains a link (%(path)s), which is not accepted: create the archive "
                    "again with the files themselves."
                ),
                path=shown,
            )
        if not entry.is_dir() and file_extension(path) in PROGRAM_EXTENSIONS:
            raise _Refused(
                _(
                    "%(name)s contains a program (%(path)s), which is not accepted: remove it from the "
                    "archive and upload the archive again."
                ),
                path=shown,
            )
        if entry.file_size >= ZIP_RATIO_FROM and entry.file_size > ZIP_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise _bomb(shown)
        total += entry.file_size
    if total > ZIP_MAX_UNCOMPRESSED:
        raise _too_big_unpacked(total)
    if total >= ZIP_RATIO_FROM and total > ZIP_MAX_RATIO * size:
        raise _bomb(_shown_path(max(entries, key=lambda e: e.file_size).filename))


def _check_zip_content(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry, counting the real bytes (the declared sizes may lie) and checking CRCs."""
    total = 0
    for entry in entries:
        if entry.is_dir():
            continue
        produced = 0
        try:
            with archive.open(entry) as member:
                while chunk := member.read(_CHUNK):
                    produced += len(chunk)
                    total += len(chunk)
                    if total > ZIP_MAX_UNCOMPRESSED:
                        raise _too_big_unpacked(total)
                    if produced >= ZIP_RATIO_FROM and produced > ZIP_MAX_RATIO * max(entry.compress_size, 1):
                        raise _bomb(_shown_path(entry.filename))
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
            raise _damaged(
                _("%(path)s inside the archive is corrupt") % {"path": _shown_path(entry.filename)}
            ) from None
        if produced != entry.file_size:
            raise _damaged(
                _("%(path)s inside the archive is corrupt") % {"path": _shown_path(entry.filename)}
            )


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    """A plain ZIP archive, or the Word or Excel document it really is."""
    if any(posixpath.basename(n.replace("\\", "/")).lower() == "vbaproject.bin" for n in names):
        raise _Refused(_macros_message())
    if "mimetype" in names and archive.read("mimetype")[:100].startswith(
        b"application/vnd.oasis.opendocument"
    ):
        raise _Refused(
            _(
                "%(name)s is an OpenDocument file, which is not accepted: save it as PDF, as a Word "
                "document (.docx) or as an Excel workbook (.xlsx) and upload that file."
            )
        )
    if "[Content_Types].xml" not in names:
        return "zip"
    try:
        types = xml_fromstring(archive.read("[Content_Types].xml"), forbid_dtd=True)
    except (XmlParseError, DefusedXmlException, ValueError):
        raise _damaged(_("its list of parts cannot be read")) from None
    overrides = [
        (element.get("PartName", ""), element.get("ContentType", ""))
        for element in types.iter(f"{CONTENT_TYPES_NS}Override")
    ]
    if any("macroenabled" in content_type.lower() for _part, content_type in overrides):
        raise _Refused(_macros_message())
    for part, content_type in overrides:
        kind = OOXML_MAIN_TYPES.get(content_type)
        if kind is None:
            continue
        if kind == "presentation":
            raise _Refused(_presentation_message())
        if kind == "template":
            raise _Refused(
                _(
                    "%(name)s is a Word or Excel template, not a document: save it as a document "
                    "(.docx or .xlsx) or as PDF and upload that file."
                )
            )
        if part.lstrip("/") not in names:
            raise _damaged(_("its main part is missing"))
        return kind
    return "zip"


def _bomb(path: str) -> _Refused:
    return _Refused(
        _(
            "%(name)s cannot be accepted: %(path)s expands to more than %(ratio)d times its compressed "
            "size, as in a “zip bomb”. Create the archive again with normal compression, or upload the "
            "files one by one."
        ),
        path=path,
        ratio=ZIP_MAX_RATIO,
    )


def _too_big_unpacked(total: int) -> _Refused:
    return _Refused(
        _(
            "%(name)s expands to %(size)s MB, more than the %(limit)s MB allowed for the content of a "
            "ZIP archive: split it into several archives."
        ),
        size=_megabytes_up(total),
        limit=_megabytes(ZIP_MAX_UNCOMPRESSED),
    )


def _shown_path(path: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in path)
    return f"“{cleaned[:100]}{'…' if len(cleaned) > 100 else ''}”"


def _macros_message() -> str:
    return _(
        "%(name)s contains macros (programs inside the file), which are not accepted: save it without "
        "macros (as .docx or .xlsx) or as PDF, and upload that file."
    )


def _presentation_message() -> str:
    return _(
        "%(name)s is a PowerPoint presentation, which is not accepted: save it as PDF and upload the PDF."
    )


# --- Text, CSV and XML ------------------------------------------------------------------------------------


def _check_text(stream: IO[bytes], size: int, extension: str, head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused(
            _(
                "%(name)s is saved as UTF-16 text: save it again as UTF-8 (in Excel: “CSV UTF-8”) and "
                "upload the new file."
            )
        )
    if extension == "xml":
        _check_xml(stream)
        return "xml"
    if extension not in TEXT_KINDS:
        # Not text either: say it is no accepted type (naming what the extension promised, if anything).
        if b"\x00" in head or _text_encoding_of_sample(head) is None:
            if extension in ACCEPTED_EXTENSIONS:
                what = next(kind.what for kind in KINDS.values() if extension in kind.extensions)
                raise _Refused(
                    _(
                        "%(name)s is not %(what)s: its content is of another type. Open it in the "
                        "program that made it, save or export it again (PDF is best), and upload the "
                        "new file."
                    ),
                    what=what,
                )
            raise _Refused(
                _("%(name)s is not a type of file that can be uploaded. Upload %(types)s."),
                types=ACCEPTED_TYPES,
            )
        return "xml" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") else "txt"
    if _text_encoding(stream) is None:
        raise _Refused(
            _(
                "%(name)s is not a plain text file (it contains binary data or characters that are not "
                "UTF-8 or Windows-1252): save it again as plain text (UTF-8) or upload it in its real "
                "format."
            )
        )
    return extension


def _text_encoding(stream: IO[bytes]) -> str | None:
    """``utf-8`` or ``windows-1252`` when the whole stream is text in that encoding without NUL bytes."""
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        stream.seek(0)
        try:
            while chunk := stream.read(_CHUNK):
                if b"\x00" in chunk:
                    return None
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return "utf-8" if encoding == "utf-8" else "windows-1252"
    return None


def _text_encoding_of_sample(sample: bytes) -> str | None:
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _check_xml(stream: IO[bytes]) -> None:
    """Well-formed XML, parsed as a stream (no tree is built).

    DTDs, entities and external references are forbidden: no entity expansion ("billion laughs")."""
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(ContentHandler())
    stream.seek(0)
    try:
        parser.parse(io.BufferedReader(_Unclosable(stream)))
    except DefusedXmlException:
        raise _Refused(
            _(
                "%(name)s contains a document type declaration (DOCTYPE) or entity definitions, which "
                "are not accepted for safety reasons: remove them and upload the file again."
            )
        ) from None
    except SAXParseException as error:
        raise _Refused(
            _(
                "%(name)s is not well-formed XML (line %(line)s, column %(column)s: %(problem)s): "
                "correct the file and upload it again."
            ),
            line=error.getLineNumber(),
            column=(error.getColumnNumber() or 0) + 1,  # expat counts columns from 0
            problem=error.getMessage(),
        ) from None
    finally:
        stream.seek(0)


class _Unclosable(io.RawIOBase):
    """The parser closes what it reads; the upload must stay open for the storage."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- Helpers --------------------------------------------------------------------------------------------


_STRUCTURE_CHECKS: dict[str, Callable[[IO[bytes], int, bytes], str]] = {
    "pdf": _check_pdf,
    "ole": _check_ole,
    "zip": _check_zip,
    "png": _check_png,
    "jpeg": _check_jpeg,
    "gif": _check_gif,
    "tiff": _check_tiff,
    "bmp": _check_bmp,
}


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _read_at(stream: IO[bytes], offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


def _find_after(stream: IO[bytes], size: int, offset: int, needle: bytes) -> bool:
    stream.seek(offset)
    carry = b""
    while chunk := stream.read(_CHUNK):
        if needle in carry + chunk:
            return True
        carry = chunk[-(len(needle) - 1) :]
    return False


def _megabytes(size: int) -> str:
    value = size / 1_048_576
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _megabytes_up(size: int) -> str:
    """Rounded up to a tenth, so a file just over the limit never reads as being at the limit."""
    return f"{math.ceil(size * 10 / 1_048_576) / 10:.1f}"
