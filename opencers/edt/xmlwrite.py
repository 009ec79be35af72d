"""Writing the exchange's XML with lxml: value formats, small trees, and documents streamed in constant memory.

``stream_document`` writes a document through ``lxml.etree.xmlfile`` into a small buffer and hands the
bytes out as they accumulate, so a document of any size is produced in constant memory. The body is a
generator that writes through a ``Writer`` and yields at points where the bytes written so far may be
sent (``True`` to send them at once, e.g. right after the header, for a quick first byte).

The elements of the state's schemas are unqualified: only the root element is in the schema's namespace
(prefix ``cers``), as in the state's own documents.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from opencers.elements.fields import CODE, DATE, DECIMAL, INTEGER, TEXT, YES_NO, YESNO, FieldSpec

CHUNK_BYTES = 64 * 1024

# Characters XML 1.0 does not allow (control characters other than tab, line feed, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    """Text safe for XML: control characters that XML cannot carry are dropped."""
    text = str(text)
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def escaped(text: Any) -> str:
    return escape(clean(text))


_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]").search


def text_markup(text: str) -> str:
    """Text content for pre-serialized markup: escaped (and cleaned) only when it needs to be."""
    return escape(clean(text)) if _NEEDS_WORK(text) else text


def xml_datetime(value: datetime) -> str:
    """``2014-01-02T07:37:34Z``: UTC, to the second."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def xml_date(value: date) -> str:
    return value.isoformat()


def xml_decimal(value: Decimal) -> str:
    """Plain notation without trailing zeros: ``16800``, ``12.5``."""
    normalized = value.normalize()
    return format(normalized, "f")


def xml_value(value: Any) -> str:
    """A stored value as the exchange writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return xml_decimal(value)
    if isinstance(value, datetime):
        return xml_datetime(value)
    if isinstance(value, date):
        return xml_date(value)
    return clean(value)


def compile_fields_writer(specs: Sequence[FieldSpec], first_index: int) -> Callable[[Sequence[Any]], str]:
    """A function writing the filled fields of a row as child elements, in the field table's order.

    ``row[first_index + n]`` holds the stored value of ``specs[n]`` (as ``values_list`` reads it: text
    columns hold strings, never None). The function is generated from the field table, one expression per
    field, because it runs for every inventory row of a query (tens of thousands): codes and Y/N answers
    come from tables of ready markup, and the row's text is checked once for characters that need escaping
    (rarely any; then each text is escaped on its own).
    """
    namespace: dict[str, Any] = {"_text": text_markup, "_decimal": xml_decimal, "_needs": _NEEDS_WORK}
    fast, careful, texts = [], [], []
    for offset, spec in enumerate(specs):
        tag, index = spec.xml, first_index + offset
        if not tag.isidentifier():
            raise ValueError(f"Not an XML name: {tag!r}")
        if spec.kind in (YESNO, CODE):
            table = f"_codes{offset}"
            namespace[table] = {
                code: f"<{tag}>{escape(code)}</{tag}>" for code, _label in spec.codes or YES_NO
            }
            expression = f"({table}[v] if v in {table} else '<{tag}>' + _text(v) + '</{tag}>') if (v := row[{index}]) else ''"
            fast.append(expression)
            careful.append(expression)
        elif spec.kind == TEXT:
            texts.append(f"row[{index}] or ''")
            fast.append(f"('<{tag}>' + v + '</{tag}>') if (v := row[{index}]) else ''")
            careful.append(f"('<{tag}>' + _text(v) + '</{tag}>') if (v := row[{index}]) else ''")
        elif spec.kind in (DECIMAL, INTEGER, DATE):
            value = {DECIMAL: "_decimal(v)", INTEGER: "str(v)", DATE: "v.isoformat()"}[spec.kind]
            expression = f"('<{tag}>' + {value} + '</{tag}>') if (v := row[{index}]) is not None else ''"
            fast.append(expression)
            careful.append(expression)
        else:
            raise ValueError(f"Unknown kind {spec.kind!r} of {tag}")
    source = "\n".join(
        [
            "def write(row):",
            f"    if _needs(''.join(({', '.join(texts)},))):",
            "        return ''.join((" + ", ".join(careful) + ",))",
            "    return ''.join((" + ", ".join(fast) + ",))",
        ]
    )
    exec(compile(source, "<fields writer>", "exec"), namespace)  # noqa: S102 (source built above from the field table)
    writer: Callable[[Sequence[Any]], str] = namespace["write"]
    return writer


def sub(parent: etree._Element, tag: str, value: Any = None) -> etree._Element:
    """A child element with ``value`` as its text (no text for None)."""
    child = etree.SubElement(parent, tag)
    if value is not None:
        child.text = xml_value(value)
    return child


def sub_if(parent: etree._Element, tag: str, value: Any) -> etree._Element | None:
    """A child element only when ``value`` is filled."""
    if value is None or value == "":
        return None
    return sub(parent, tag, value)


def element(tag: str, value: Any = None, **attributes: Any) -> etree._Element:
    node = etree.Element(tag, {k: xml_value(v) for k, v in attributes.items() if v is not None})
    if value is not None:
        node.text = xml_value(value)
    return node


def root_element(schema_namespace: str, tag: str, **attributes: Any) -> etree._Element:
    return etree.Element(
        f"{{{schema_namespace}}}{tag}",
        {k: xml_value(v) for k, v in attributes.items() if v is not None},
        nsmap={"cers": schema_namespace},
    )


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


class Writer:
    """What a streamed body writes through: whole elements, open containers, pre-serialized rows."""

    def __init__(self, xf: Any, out: io.BytesIO) -> None:
        self._xf = xf
        self._out = out

    def write(self, node: etree._Element) -> None:
        self._xf.write(node)

    def comment(self, text: str) -> None:
        self._xf.write(etree.Comment(" " + clean(text).replace("--", "- -") + " "))

    def open(self, tag: str, **attributes: Any) -> AbstractContextManager[Any]:
        return self._xf.element(tag, {k: xml_value(v) for k, v in attributes.items() if v is not None})

    def raw(self, markup: str) -> None:
        """Pre-serialized, well-formed markup (the fast row serializers); everything before it is flushed."""
        self._xf.flush()
        self._out.write(markup.encode("utf-8"))

    @property
    def size(self) -> int:
        return self._out.tell()


def _drain(out: io.BytesIO) -> bytes:
    data = out.getvalue()
    out.seek(0)
    out.truncate()
    return data


def stream_document(
    *,
    schema_namespace: str,
    root: str,
    body: Callable[[Writer], Iterator[bool]],
    attributes: dict[str, Any] | None = None,
    extra_namespaces: dict[str, str] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[bytes]:
    """The document as a sequence of byte chunks (about ``chunk_bytes`` each), written as it is read."""
    out = io.BytesIO()
    attrib = {k: xml_value(v) for k, v in (attributes or {}).items() if v is not None}
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        nsmap = {"cers": schema_namespace, **(extra_namespaces or {})}
        with xf.element(f"{{{schema_namespace}}}{root}", attrib, nsmap=nsmap):
            writer = Writer(xf, out)
            for send_now in body(writer):
                xf.flush()
                if send_now or out.tell() >= chunk_bytes:
                    yield _drain(out)
    yield _drain(out)


def document_bytes(chunks: Iterator[bytes]) -> bytes:
    """A streamed document in one piece (tests, management commands)."""
    return b"".join(chunks)
