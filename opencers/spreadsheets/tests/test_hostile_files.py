"""The corpus of bad files: each is refused with its exact message, and nothing changes or is kept.

Given a facility and its editor, when a hostile or broken file is uploaded, then the upload is refused
before anything is stored (or, for what only the parser can find, the job is marked refused and the file
is deleted), the inventory, the drafts and the audit log are unchanged.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from opencers.core.errors import DomainError
from opencers.spreadsheets.models import ImportJob, ImportStatus
from opencers.spreadsheets.safety import FileRefused
from opencers.spreadsheets.services import import_start, inventory_import
from opencers.spreadsheets.tests.conftest import stored_paths
from opencers.spreadsheets.tests.helpers import rezip, row, snapshot, workbook

NAME = "inventory.xlsx"

NOT_XLSX = (
    "inventory.xlsx is not an Excel workbook (.xlsx): its content is of another type (for example CSV, text "
    "or PDF). Open it in Excel, save it as “Excel Workbook (*.xlsx)” and upload that file."
)
DAMAGED = (
    "inventory.xlsx is damaged or incomplete (for example, cut off during a download or a copy): open it in "
    "Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
)
MACROS = (
    "inventory.xlsx contains macros (programs inside the workbook), which are not accepted. Save it in Excel "
    "as “Excel Workbook (*.xlsx)”, which leaves the macros out, and upload that file."
)
BOMB = (
    "inventory.xlsx cannot be accepted: its content expands far more than any normal workbook (as in a “zip "
    "bomb”). Open it in Excel, save it again as an Excel Workbook (.xlsx) and upload the new file."
)
DTD = (
    "inventory.xlsx contains XML with a document type declaration or entity definitions (<!DOCTYPE, "
    "<!ENTITY>), which no workbook saved by Excel has and which can be used to attack the server. It was not "
    "read. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file."
)
ENCRYPTED_PART = (
    "inventory.xlsx contains encrypted parts, so it cannot be read. Save it again in Excel without a "
    "password and upload the new file."
)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row></sheetData></worksheet>"""


def _good(world: Any) -> bytes:
    return workbook([row(world.facility.cers_id)])


def _patch_flags(content: bytes, name: str, flag: int) -> bytes:
    """Set a general-purpose flag bit of one entry, in its local header and in the central directory."""
    data = bytearray(content)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_length]) == encoded:
            struct.pack_into("<H", data, local + 6, struct.unpack_from("<H", data, local + 6)[0] | flag)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == encoded:
            struct.pack_into("<H", data, central + 8, struct.unpack_from("<H", data, central + 8)[0] | flag)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return output.getvalue()


WORD_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _content_types(world: Any) -> bytes:
    return zipfile.ZipFile(io.BytesIO(_good(world))).read("[Content_Types].xml")


CASES: dict[str, tuple[Any, str]] = {
    "empty file": (
        lambda world: b"",
        "inventory.xlsx is empty (0 bytes). Check that you chose the right file, save it again in Excel and upload it.",
    ),
    "CSV renamed .xlsx": (lambda world: b"CERSID,CommonName\r\n10000001,Acetone\r\n", NOT_XLSX),
    "PDF renamed .xlsx": (lambda world: b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", NOT_XLSX),
    "Excel 97-2003 workbook": (
        lambda world: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024,
        "inventory.xlsx is an Excel 97-2003 workbook (.xls) or another older Office file. Open it in Excel, "
        "save it as “Excel Workbook (*.xlsx)” and upload that file.",
    ),
    "password-protected workbook": (
        lambda world: (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le")
        ),
        "inventory.xlsx is protected with a password, so it cannot be read. Open it in Excel, remove the "
        "password (File › Info › Protect Workbook › Encrypt with Password, then clear it), save it and upload it again.",
    ),
    "plain ZIP archive": (lambda world: _zip({"notes.txt": b"hello"}), NOT_XLSX),
    "Word document renamed .xlsx": (
        lambda world: _zip({"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w/>"}),
        NOT_XLSX,
    ),
    "macros (vbaProject.bin)": (
        lambda world: rezip(_good(world), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        MACROS,
    ),
    "macro-enabled workbook type": (
        lambda world: rezip(
            _good(world),
            replace={
                "[Content_Types].xml": _content_types(world).replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            },
        ),
        MACROS,
    ),
    "Excel binary workbook": (
        lambda world: rezip(
            _good(world),
            replace={
                "[Content_Types].xml": _content_types(world).replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.binary.macroEnabled.main",
                )
            },
        ),
        "inventory.xlsx is an Excel Binary Workbook (.xlsb). Open it in Excel, save it as “Excel Workbook "
        "(*.xlsx)” and upload that file.",
    ),
    "zip bomb (compression ratio)": (
        lambda world: rezip(_good(world), add={"xl/media/image1.png": b"\x00" * (20 * 1024 * 1024)}),
        BOMB,
    ),
    "XML entity bomb in the sheet": (
        lambda world: rezip(_good(world), replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
        DTD,
    ),
    "XML entity bomb in the content types": (
        lambda world: rezip(
            _good(world),
            replace={
                "[Content_Types].xml": _content_types(world).replace(
                    b"?>", b'?><!DOCTYPE t [<!ENTITY a "aaaa">]>', 1
                )
            },
        ),
        DTD,
    ),
    "truncated file": (lambda world: _good(world)[: len(_good(world)) // 2], DAMAGED),
    "truncated part (bad CRC)": (
        lambda world: _flip_last_data_byte(_good(world), "xl/worksheets/sheet1.xml"),
        DAMAGED,
    ),
    "encrypted part": (
        lambda world: _patch_flags(_good(world), "xl/worksheets/sheet1.xml", 0x1),
        ENCRYPTED_PART,
    ),
    "path traversal": (
        lambda world: rezip(_good(world), add={"../../etc/cron.d/evil.xml": b"<x/>"}),
        "inventory.xlsx contains a part with an unsafe path (“../../etc/cron.d/evil.xml”), which no workbook "
        "saved by Excel has. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file.",
    ),
    "absolute path": (
        lambda world: rezip(_good(world), add={"/tmp/evil.xml": b"<x/>"}),  # noqa: S108 (a path inside the archive)
        "inventory.xlsx contains a part with an unsafe path (“/tmp/evil.xml”), which no workbook saved by Excel "
        "has. Save the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file.",
    ),
    "too many parts": (
        lambda world: rezip(_good(world), add={f"xl/extra/part{n}.xml": b"<x/>" for n in range(1000)}),
        "inventory.xlsx has 1010 parts inside; a workbook may have at most 1000. Copy the inventory into a new "
        "workbook, save it and upload that file.",
    ),
    "unusual compression": (
        lambda world: rezip(_good(world), compression=zipfile.ZIP_BZIP2),
        "inventory.xlsx is packed in an unusual way (compression method 12) that Excel does not use. Open it in "
        "Excel, save it again as an Excel Workbook (.xlsx) and upload the new file.",
    ),
    "UTF-16 XML": (
        lambda world: rezip(
            _good(world),
            replace={
                "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-16"?><worksheet/>'.encode(
                    "utf-16"
                )
            },
        ),
        "inventory.xlsx contains XML in an encoding Excel does not write (UTF-16), so it cannot be checked. Save "
        "the inventory again in Excel as an Excel Workbook (.xlsx) and upload that file.",
    ),
}


def _flip_last_data_byte(content: bytes, name: str) -> bytes:
    """Corrupt one compressed byte of a part (its CRC no longer matches: a damaged download)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo(name)
    data = bytearray(content)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_or_broken_file_is_refused_before_anything_is_stored(
    world: Any, media: Path, case: str
) -> None:
    make, expected = CASES[case]
    content = make(world)
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        import_start(
            user=world.users["editor"],
            content=content,
            file_name=NAME,
            mode="replace",
            facility=world.facility,
        )

    assert refused.value.message == expected
    assert snapshot() == before
    assert ImportJob.objects.count() == 0
    assert stored_paths(media) == []


@pytest.mark.parametrize(
    "case", ["CSV renamed .xlsx", "zip bomb (compression ratio)", "XML entity bomb in the sheet"]
)
def test_the_command_line_engine_refuses_the_same_files_with_the_same_messages(world: Any, case: str) -> None:
    make, expected = CASES[case]
    before = snapshot()

    with pytest.raises(FileRefused) as refused:
        inventory_import(
            content=make(world), file_name=NAME, actor=None, mode="replace", facility=world.facility
        )

    assert refused.value.message == expected
    assert snapshot() == before


def test_a_file_larger_than_the_limit_is_refused(world: Any, settings: Any, media: Path) -> None:
    settings.SPREADSHEET_MAX_BYTES = 2048
    content = workbook([row(world.facility.cers_id, ChemicalDescriptionComment="x" * 900)] * 3)
    before = snapshot()

    with pytest.raises(FileRefused) as refused:
        import_start(
            user=world.users["editor"],
            content=content,
            file_name=NAME,
            mode="append",
            facility=world.facility,
        )

    assert refused.value.message == (
        f"inventory.xlsx is {len(content) / 1048576:.1f} MB, larger than the 0.0 MB limit for inventory files. Split it "
        "into several files (for example one per facility) and import them one after the other with “Add”."
    )
    assert snapshot() == before
    assert stored_paths(media) == []


def test_a_file_expanding_beyond_the_limit_is_refused(world: Any, settings: Any, media: Path) -> None:
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 200_000
    noise = bytes((n * 7919) % 251 for n in range(300_000))  # does not compress
    content = rezip(_good(world), add={"xl/media/image1.png": noise})
    before = snapshot()

    with pytest.raises(FileRefused) as refused:
        import_start(
            user=world.users["editor"],
            content=content,
            file_name=NAME,
            mode="append",
            facility=world.facility,
        )

    assert refused.value.message == (
        "inventory.xlsx expands to more than 0.2 MB when opened, more than an inventory file may. Split it into "
        "several files (for example one per facility) and import them one after the other with “Add”."
    )
    assert snapshot() == before
    assert stored_paths(media) == []


def _refused_by_the_parser(world: Any, media: Path, content: bytes) -> ImportJob:
    before = snapshot()
    job = import_start(
        user=world.users["editor"], content=content, file_name=NAME, mode="replace", facility=world.facility
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED
    assert job.file_key == ""
    assert stored_paths(media) == []
    inventory_rows, _audit, drafts = snapshot()
    assert (inventory_rows, drafts) == (before[0], before[2])
    return job


def test_a_workbook_without_a_cersid_header_is_refused_and_not_kept(world: Any, media: Path) -> None:
    content = workbook([{"Name": "Acetone", "Amount": 5}], columns=["Name", "Amount"])

    job = _refused_by_the_parser(world, media, content)

    assert job.message == (
        "inventory.xlsx has no header row: no sheet has a cell “CERSID” in its first 20 rows. Use the inventory "
        "template: its first row names the columns, starting with CERSID."
    )


def test_parsing_beyond_the_memory_limit_is_stopped_and_refused(
    world: Any, settings: Any, media: Path
) -> None:
    settings.SPREADSHEET_PARSE_MEMORY_BYTES = 16 * 1024 * 1024

    job = _refused_by_the_parser(world, media, _good(world))

    assert job.message == (
        "inventory.xlsx could not be read within the memory allowed for an inventory file (16 MB). If it is a "
        "very large inventory, split it into several files (for example one per facility) and import them one "
        "after the other with “Add”; if not, the file may be damaged: save it again in Excel and upload the new file."
    )


def test_parsing_beyond_the_time_limit_is_killed_and_refused(world: Any, settings: Any, media: Path) -> None:
    settings.SPREADSHEET_PARSE_SECONDS = 0

    job = _refused_by_the_parser(world, media, _good(world))

    assert job.message == (
        "inventory.xlsx could not be read within 0 seconds, the time allowed for an inventory file. If it is a "
        "very large inventory, split it into several files (for example one per facility) and import them one "
        "after the other with “Add”."
    )
