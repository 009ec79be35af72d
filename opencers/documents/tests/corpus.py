"""Files built in code for the upload tests: valid ones of every accepted type and hostile or broken ones.

Nothing here is a binary literal copied from elsewhere: each builder writes the format's structure, so
the tests show what a valid file of each type is made of.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl

# --- PDF -------------------------------------------------------------------------------------------------


def pdf(text: str = "Site map") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table and trailer."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << "
            b"/F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def truncated_pdf() -> bytes:
    """The first two thirds of a PDF, as an interrupted download or copy leaves it."""
    whole = pdf()
    return whole[: len(whole) * 2 // 3]


# --- Office Open XML (.docx, .xlsx, macro-enabled .xlsm) -------------------------------------------------

_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/>'
    "</Relationships>"
)


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx(text: str = "Emergency response plan", main_type: str = WORD_MAIN) -> bytes:
    """A minimal Word document: content types, package relationships and the main document part."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
        "</Types>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip(
        [
            ("[Content_Types].xml", content_types.encode()),
            ("_rels/.rels", (_RELS % "word/document.xml").encode()),
            ("word/document.xml", document.encode()),
        ]
    )


def xlsx() -> bytes:
    """An Excel workbook written by openpyxl."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Material", "Maximum daily amount"])
    sheet.append(["Sulfuric acid", 1200])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsm() -> bytes:
    """A macro-enabled workbook: the xlsx with the macro content type and a VBA project part."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    entries = []
    for info in source.infolist():
        data = source.read(info)
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        entries.append((info.filename, data))
    entries.append(("xl/vbaProject.bin", ole(b"_VBA_PROJECT_CUR")))
    return _zip(entries)


# --- Word and Excel 97-2003 (compound files) -------------------------------------------------------------


def ole(stream_name: bytes | str = "WordDocument", size: int = 4096) -> bytes:
    """A version 3 compound file ([MS-CFB]) with one stream: header, one FAT sector, one directory sector
    and the stream's sectors (4,096 bytes or more, so it lives in the FAT rather than the mini stream)."""
    name = stream_name.decode() if isinstance(stream_name, bytes) else stream_name
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors = -(-size // 512)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into(
        "<IIII", header, 44, 1, 1, 0, 4096
    )  # FAT sectors, first directory sector, signature, cutoff
    struct.pack_into("<IIII", header, 60, end, 0, end, 0)  # mini FAT, DIFAT
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = [fat_sector, end] + [3 + i for i in range(data_sectors - 1)] + [end]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))

    def entry(entry_name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = entry_name.encode("utf-16-le") + b"\x00\x00"
        raw = bytearray(128)
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, no_stream, no_stream, child)
        struct.pack_into("<II", raw, 116, start, length)
        return bytes(raw)

    directory = entry("Root Entry", 5, 1, end, 0) + entry(name, 2, no_stream, 2, size) + bytes(256)
    body = b"\x00" * (data_sectors * 512)
    return bytes(header) + fat_bytes + directory + body


def doc() -> bytes:
    return ole("WordDocument")


def xls() -> bytes:
    return ole("Workbook")


# --- Images ----------------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    """A 1x1 red pixel."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """An 8x8 grey baseline JPEG: one block whose DC difference and AC coefficients are all zero, coded
    with one-symbol Huffman tables (DC category 0 and AC end-of-block are both the 1-bit code "0")."""

    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    one_code_of_length_one = bytes([1] + [0] * 15)
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes([1] * 64))
        + segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + one_code_of_length_one + b"\x00")  # DC table 0: category 0
        + segment(0xC4, b"\x10" + one_code_of_length_one + b"\x00")  # AC table 0: end of block
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # bits 0 (DC) and 0 (EOB), padded with ones
        + b"\xff\xd9"
    )


def gif() -> bytes:
    """A 1x1 GIF89a with a two-colour table and an LZW-coded pixel."""
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0)
        + b"\xff\xff\xff\x00\x00\x00"
        + b","
        + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
        + b"\x02\x02\x44\x01\x00"
        + b";"
    )


def tiff() -> bytes:
    """A 1x1 8-bit grey uncompressed baseline TIFF (little-endian)."""
    entries = [
        (256, 3, 1, 1),  # ImageWidth
        (257, 3, 1, 1),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8 + 2 + 9 * 12 + 4),  # StripOffsets: right after the directory
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 3, 1, 1),  # RowsPerStrip
        (279, 4, 1, 1),  # StripByteCounts
    ]
    directory = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        directory += (
            struct.pack("<HHII", tag, kind, count, value)
            if kind == 4
            else struct.pack("<HHIHH", tag, kind, count, value, 0)
        )
    return b"II*\x00" + struct.pack("<I", 8) + directory + struct.pack("<I", 0) + b"\x80"


def bmp() -> bytes:
    """A 1x1 24-bit BMP (one blue pixel, the row padded to four bytes)."""
    pixels = b"\xff\x00\x00\x00"
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + pixels


# --- Text, CSV, XML ----------------------------------------------------------------------------------------


def txt() -> bytes:
    return (
        "Emergency equipment: fire extinguishers at each exit, spill kit by loading dock 2 — checked "
        "monthly.\n"
    ).encode()


def csv_windows_1252() -> bytes:
    return "Material,Location\r\nSulfuric acid,“Plating line 1”\r\n".encode("cp1252")


def xml() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<plan><section name="evacuation">Assemble at the north lot.</section></plan>\n'
    )


def xml_entity_bomb() -> bytes:
    """The "billion laughs": ten levels of entities, each ten times the one before."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", '<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    lines += ["]>", "<lolz>&lol9;</lolz>"]
    return "\n".join(lines).encode()


# --- ZIP archives ------------------------------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def zip_archive() -> bytes:
    return _zip([("site-map.pdf", pdf()), ("notes/readme.txt", txt())])


def zip_bomb() -> bytes:
    """30 MB of zeros deflated to about 30 KB: a ratio of about 1,000."""
    return _zip([("zeros.txt", b"\x00" * (30 * 1024 * 1024))])


def zip_with_parent_path() -> bytes:
    return _zip([("plans/plan.pdf", pdf()), ("../../etc/cron.d/evil", b"* * * * * root true\n")])


def zip_with_encrypted_entry() -> bytes:
    """An archive whose entry has the "encrypted" flag (traditional PKWARE encryption) set."""
    raw = bytearray(_zip([("secret.pdf", pdf())], compression=zipfile.ZIP_STORED))
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<H", raw, local + 6, struct.unpack_from("<H", raw, local + 6)[0] | 1)
    struct.pack_into("<H", raw, central + 8, struct.unpack_from("<H", raw, central + 8)[0] | 1)
    return bytes(raw)


# --- Programs and a large generated stream -----------------------------------------------------------------


def windows_program() -> bytes:
    """The start of a Windows executable: the DOS header pointing to a PE signature."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    struct.pack_into("<I", header, 0x3C, 64)
    return bytes(header) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200


class GeneratedStream(io.RawIOBase):
    """A seekable stream of ``size`` bytes made on the fly: a PDF header, filler, and a PDF trailer."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._position = 0
        self._head = b"%PDF-1.4\n"
        self._tail = b"\n%%EOF\n"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        length = max(0, min(len(buffer), self._size - self._position))
        data = bytearray(b" " * length)
        for start, piece in ((0, self._head), (self._size - len(self._tail), self._tail)):
            for index, byte in enumerate(piece):
                at = start + index - self._position
                if 0 <= at < length:
                    data[at] = byte
        buffer[:length] = data
        self._position += length
        return length
