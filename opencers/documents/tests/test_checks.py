"""Uploads are checked by content and structure; the name's extension must agree; refusals store nothing."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from conftest import World
from opencers.core.errors import DomainError
from opencers.documents import checks
from opencers.documents.models import Document, DocumentFile
from opencers.documents.services import document_upload
from opencers.documents.tests import corpus
from opencers.documents.tests.conftest import stored_paths
from opencers.documents.tests.factories import PLANS
from opencers.submittals.services import draft_get_or_create

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACCEPTED: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("site-map.pdf", corpus.pdf, "pdf", "application/pdf"),
    ("Emergency Plan.docx", corpus.docx, "docx", DOCX),
    ("inventory.xlsx", corpus.xlsx, "xlsx", XLSX),
    ("plan.doc", corpus.doc, "doc", "application/msword"),
    ("inventory.xls", corpus.xls, "xls", "application/vnd.ms-excel"),
    ("map.png", corpus.png, "png", "image/png"),
    ("photo.jpg", corpus.jpeg, "jpeg", "image/jpeg"),
    ("photo.JPEG", corpus.jpeg, "jpeg", "image/jpeg"),
    ("map.gif", corpus.gif, "gif", "image/gif"),
    ("scan.tif", corpus.tiff, "tiff", "image/tiff"),
    ("map.bmp", corpus.bmp, "bmp", "image/bmp"),
    ("notes.txt", corpus.txt, "txt", "text/plain; charset=utf-8"),
    ("materials.csv", corpus.csv_windows_1252, "csv", "text/csv; charset=windows-1252"),
    ("plan.xml", corpus.xml, "xml", "application/xml"),
    ("maps.zip", corpus.zip_archive, "zip", "application/zip"),
]

FIX = "open it in the program that made it, save or export it again, and upload the new file."


def _corrupt_zip_entry() -> bytes:
    raw = bytearray(corpus._zip([("site-map.pdf", corpus.pdf())], compression=zipfile.ZIP_STORED))
    raw[30 + len("site-map.pdf") + 20] ^= 0xFF  # a byte of the stored data: the CRC no longer matches
    return bytes(raw)


def _macro_doc() -> bytes:
    return corpus.ole("Macros")


def _presentation() -> bytes:
    return corpus.docx(
        main_type="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    )


def _many_entries() -> bytes:
    return corpus._zip([(f"page-{i}.txt", b"x") for i in range(checks.ZIP_MAX_ENTRIES + 1)])


def _zip_with_program() -> bytes:
    return corpus._zip([("plan.pdf", corpus.pdf()), ("tools/setup.exe", corpus.windows_program())])


def _absolute_path_zip() -> bytes:
    return corpus._zip([("/etc/passwd", b"root:x:0:0\n")])


REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "site-map.docx",
        corpus.pdf,
        "site-map.docx is really a PDF file: rename it to .pdf or upload the right file.",
    ),
    (
        "plan.pdf",
        corpus.windows_program,
        (
            "plan.pdf is a program, not a document: programs cannot be uploaded. Upload the document "
            "itself (PDF is best)."
        ),
    ),
    (
        "site-map.pdf",
        corpus.truncated_pdf,
        f"site-map.pdf is damaged or incomplete (the end of the PDF is missing): {FIX}",
    ),
    (
        "budget.xlsx",
        corpus.xlsm,
        "budget.xlsx contains macros (programs inside the file), which are not accepted: save it "
        "without macros "
        "(as .docx or .xlsx) or as PDF, and upload that file.",
    ),
    (
        "plan.doc",
        _macro_doc,
        "plan.doc contains macros (programs inside the file), which are not accepted: save it without macros "
        "(as .docx or .xlsx) or as PDF, and upload that file.",
    ),
    (
        "maps.zip",
        corpus.zip_bomb,
        "maps.zip cannot be accepted: “zeros.txt” expands to more than 100 times its compressed size, "
        "as in a "
        "“zip bomb”. Create the archive again with normal compression, or upload the files one by one.",
    ),
    (
        "plans.zip",
        corpus.zip_with_parent_path,
        "plans.zip contains a file with an unsafe path (“../../etc/cron.d/evil”): create the archive "
        "again from the "
        "folder holding the files, so that no path starts with “/” or contains “..”.",
    ),
    (
        "passwd.zip",
        _absolute_path_zip,
        "passwd.zip contains a file with an unsafe path (“/etc/passwd”): create the archive again from the "
        "folder holding the files, so that no path starts with “/” or contains “..”.",
    ),
    (
        "secret.zip",
        corpus.zip_with_encrypted_entry,
        (
            "secret.zip contains a password-protected file (“secret.pdf”): create the archive again "
            "without a password and upload it."
        ),
    ),
    (
        "pages.zip",
        _many_entries,
        "pages.zip holds 1001 files; a ZIP archive may hold at most 1000. Split it into several archives.",
    ),
    (
        "tools.zip",
        _zip_with_program,
        (
            "tools.zip contains a program (“tools/setup.exe”), which is not accepted: remove it from the "
            "archive and upload the archive again."
        ),
    ),
    (
        "maps.zip",
        _corrupt_zip_entry,
        f"maps.zip is damaged or incomplete (“site-map.pdf” inside the archive is corrupt): {FIX}",
    ),
    (
        "maps.zip",
        lambda: corpus.zip_archive()[:-30],
        f"maps.zip is damaged or incomplete (the ZIP table of contents cannot be read): {FIX}",
    ),
    (
        "inventory.zip",
        corpus.xlsx,
        "inventory.zip is really an Excel workbook: rename it to .xlsx or upload the right file.",
    ),
    (
        "plan.xls",
        corpus.doc,
        "plan.xls is really a Word 97-2003 document: rename it to .doc or upload the right file.",
    ),
    (
        "photo.png",
        corpus.jpeg,
        "photo.png is really a JPEG image: rename it to .jpg or upload the right file.",
    ),
    ("plan.pdf", corpus.txt, "plan.pdf is really a text file: rename it to .txt or upload the right file."),
    (
        "slides.docx",
        _presentation,
        "slides.docx is a PowerPoint presentation, which is not accepted: save it as PDF and upload the PDF.",
    ),
    (
        "lolz.xml",
        corpus.xml_entity_bomb,
        "lolz.xml contains a document type declaration (DOCTYPE) or entity definitions, which are not "
        "accepted for "
        "safety reasons: remove them and upload the file again.",
    ),
    (
        "plan.xml",
        lambda: b"<plan><a></plan>",
        (
            "plan.xml is not well-formed XML (line 1, column 12: mismatched tag): correct the file and "
            "upload it again."
        ),
    ),
    (
        "data.txt",
        lambda: b"Tank 1\x00\x00\x01\x02",
        "data.txt is not a plain text file (it contains binary data or characters that are not UTF-8 or "
        "Windows-1252): save it again as plain text (UTF-8) or upload it in its real format.",
    ),
    (
        "export.csv",
        lambda: "Material,Location\r\n".encode("utf-16"),
        (
            "export.csv is saved as UTF-16 text: save it again as UTF-8 (in Excel: “CSV UTF-8”) and upload "
            "the new file."
        ),
    ),
    (
        "drawing.dwg",
        lambda: b"AC1032\x00\x00\x01\x02\xff\xfe\x00",
        "drawing.dwg is not a type of file that can be uploaded. Upload PDF (best), Word, Excel, an image "
        "(PNG, JPEG, GIF, TIFF, BMP), text, CSV, XML or ZIP.",
    ),
    (
        "plan.docx",
        lambda: b"\x00\x01\x02\xff" * 10,
        "plan.docx is not a Word document: its content is of another type. Open it in the program that "
        "made it, "
        "save or export it again (PDF is best), and upload the new file.",
    ),
    (
        "empty.pdf",
        lambda: b"",
        (
            "empty.pdf is empty (0 bytes). Check that you chose the right file; if so, open it, save it "
            "again and upload the new copy."
        ),
    ),
]


@pytest.fixture
def draft(world: World, media: Path) -> Any:
    return draft_get_or_create(facility=world.facility, element=PLANS, actor=world.users["lead"])


@pytest.mark.parametrize(
    ("name", "build", "kind", "content_type"), ACCEPTED, ids=[case[0] for case in ACCEPTED]
)
def test_an_accepted_file_is_stored_under_a_generated_key(
    world: World, draft: Any, media: Path, name: str, build: Callable[[], bytes], kind: str, content_type: str
) -> None:
    # given a valid file of an accepted type, named with its type's extension
    data = build()
    # when it is uploaded
    stored = document_upload(
        element=draft,
        slot="emergency_response_plan",
        actor=world.users["lead"],
        name=name,
        stream=io.BytesIO(data),
        size=len(data),
    )
    # then it is stored with the detected type, the content's SHA-256 and a key the server made up
    extension = name.rsplit(".", 1)[1].lower()
    assert (stored.kind, stored.content_type, stored.original_name) == (kind, content_type, name)
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert stored.storage_key.startswith("documents/") and stored.storage_key.endswith(f".{extension}")
    assert name not in stored.storage_key
    assert stored_paths(media) == [stored.storage_key]
    with default_storage.open(stored.storage_key, "rb") as handle:
        assert handle.read() == data


@pytest.mark.parametrize(
    ("name", "build", "message"), REFUSED, ids=[f"{case[0]}-{i}" for i, case in enumerate(REFUSED)]
)
def test_a_refused_file_gets_a_clear_message_and_nothing_is_stored(
    world: World, draft: Any, media: Path, name: str, build: Callable[[], bytes], message: str
) -> None:
    data = build()
    with pytest.raises(DomainError) as refused:
        document_upload(
            element=draft,
            slot="emergency_response_plan",
            actor=world.users["lead"],
            name=name,
            stream=io.BytesIO(data),
            size=len(data),
        )
    assert (refused.value.field, refused.value.message) == ("file", message)
    assert DocumentFile.objects.count() == 0
    assert Document.objects.count() == 0
    assert stored_paths(media) == []


def test_a_file_over_the_limit_is_refused_without_reading_it_into_the_repository(
    world: World, draft: Any, media: Path
) -> None:
    # given a generated stream one byte over 25 MB that otherwise looks like a PDF
    size = 25 * 1024 * 1024 + 1
    stream = corpus.GeneratedStream(size)
    # when it is uploaded, then it is refused by its size
    with pytest.raises(DomainError) as refused:
        document_upload(
            element=draft,
            slot="employee_training_plan",
            actor=world.users["lead"],
            name="big.pdf",
            stream=stream,
            size=size,
        )
    assert (refused.value.field, refused.value.message) == (
        "file",
        "big.pdf is 25.1 MB, larger than the 25 MB limit. Make it smaller (for a scan: a lower "
        "resolution, or black "
        "and white) or split it into several files.",
    )
    assert DocumentFile.objects.count() == 0
    assert stored_paths(media) == []


def test_a_file_of_exactly_the_limit_is_accepted(
    world: World, draft: Any, media: Path, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    stream = corpus.GeneratedStream(2 * 1024 * 1024)
    stored = document_upload(
        element=draft,
        slot="employee_training_plan",
        actor=world.users["lead"],
        name="exact.pdf",
        stream=stream,
        size=2 * 1024 * 1024,
    )
    assert (stored.kind, stored.size) == ("pdf", 2 * 1024 * 1024)
    assert stored_paths(media) == [stored.storage_key]


def test_the_size_the_client_declared_cannot_hide_a_larger_stream() -> None:
    stream = corpus.GeneratedStream(25 * 1024 * 1024 + 1)
    with pytest.raises(DomainError) as refused:
        checks.check_upload(name="big.pdf", stream=stream, size=100)
    assert refused.value.message.startswith("big.pdf is 25.1 MB, larger than the 25 MB limit.")


def test_the_message_names_the_file_without_its_folders_or_control_characters() -> None:
    data = corpus.pdf()
    with pytest.raises(DomainError) as refused:
        checks.check_upload(
            name="C:\\Users\\ann\\maps\\site\u202emap\r\n.docx", stream=io.BytesIO(data), size=len(data)
        )
    assert (
        refused.value.message
        == "sitemap.docx is really a PDF file: rename it to .pdf or upload the right file."
    )


def test_the_stream_is_rewound_after_the_check() -> None:
    stream = io.BytesIO(corpus.zip_archive())
    checks.check_upload(name="maps.zip", stream=stream, size=len(stream.getvalue()))
    assert stream.tell() == 0


def test_declared_sizes_of_a_zip_are_bounded_before_anything_is_decompressed() -> None:
    # given an archive whose central directory declares 200 MB for a small entry (ratio checks aside)
    raw = bytearray(corpus._zip([("a.txt", b"hello")], compression=zipfile.ZIP_STORED))
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 200 * 1024 * 1024)  # uncompressed size
    with pytest.raises(DomainError) as refused:
        checks.check_upload(name="a.zip", stream=io.BytesIO(bytes(raw)), size=len(raw))
    assert refused.value.message == (
        "a.zip cannot be accepted: “a.txt” expands to more than 100 times its compressed size, as in a "
        "“zip bomb”. "
        "Create the archive again with normal compression, or upload the files one by one."
    )


def test_an_entry_producing_fewer_bytes_than_declared_is_corrupt() -> None:
    # given an archive whose entry declares more bytes than its data holds (under the ratio limit)
    raw = bytearray(corpus._zip([("a.txt", b"hello world")], compression=zipfile.ZIP_STORED))
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 20)
    with pytest.raises(DomainError) as refused:
        checks.check_upload(name="a.zip", stream=io.BytesIO(bytes(raw)), size=len(raw))
    assert (
        refused.value.message
        == f"a.zip is damaged or incomplete (“a.txt” inside the archive is corrupt): {FIX}"
    )
