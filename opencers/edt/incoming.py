"""Reading the documents a data exchange client sends: safely, in any version of the schema, with messages.

* Safe: DTDs, entities and external references are refused before anything else is read (defusedxml),
  so no entity expansion ("billion laughs") and no file or network access can happen.
* Any version: the root element may carry the schema's current namespace, an older version of it (the
  state's own samples carry ``/1/05/``), or no namespace at all; the children are unqualified, as in the
  state's documents (children qualified with the root's namespace are read too).
* Messages: a problem is an ``EdtMessage`` naming the field (the schema's element name) and saying how to
  fix it; ``EdtRejected`` carries them with the HTTP status of the refusal. Nothing is written here.

The state's schemas bound dates to 2024 (older sets) or 2099; those bounds are not applied to what a
client sends, since a regulator acts today.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils import timezone
from django.utils.translation import gettext as _

from opencers.edt.codes import BASE

# Message levels: the guidance levels of the submittal response, and the error/warning of the others.
REQUIRED, WARNING, ADVISORY = "Required", "Warning", "Advisory"

# Guidance codes of our messages (the response schemas require a positive number per message).
CODE_DOCUMENT = 100  # the document cannot be read (not XML, wrong root, namespace, size, archive)
CODE_FIELD = 110  # a field of the document is missing or malformed
CODE_NOT_FOUND = 120  # a facility or element the client may not reach, or that does not exist
CODE_JURISDICTION = 130  # outside the client's jurisdiction
CODE_CHANNEL = 140  # the facility's reporting channel refuses this
CODE_DUPLICATE = 150  # an existing facility at the same address
CODE_REFUSED = 160  # a rule of the service refused it (e.g. Not accepted without comments)
CODE_GUIDANCE = 200  # a guidance message of an element (the same rules as the portal)
CODE_NOTE = 300  # what was done, or what was not used

GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


@dataclass(frozen=True)
class EdtMessage:
    level: str  # Required / Warning / Advisory
    text: str
    code: int = CODE_FIELD
    entity: str = ""  # EntityResourceType of the submittal response (BA, BOOI, HMI, SM, ...)
    cers_unique_key: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"level": self.level, "code": self.code, "message": self.text}
        if self.entity:
            data["entity"] = self.entity
        if self.cers_unique_key:
            data["cers_unique_key"] = self.cers_unique_key
        return data


class EdtRejected(Exception):
    """The transaction is refused with these messages; nothing was changed."""

    def __init__(self, messages: list[EdtMessage], *, http_status: int = 400) -> None:
        super().__init__("; ".join(m.text for m in messages))
        self.messages = messages
        self.http_status = http_status


def rejected(text: str, *, code: int = CODE_DOCUMENT, http_status: int = 400) -> EdtRejected:
    return EdtRejected([EdtMessage(REQUIRED, text, code)], http_status=http_status)


@dataclass
class Problems:
    """Collects the problems of a document so that the client gets all of them at once."""

    messages: list[EdtMessage] = field(default_factory=list)

    def add(self, text: str, *, level: str = REQUIRED, code: int = CODE_FIELD, entity: str = "") -> None:
        self.messages.append(EdtMessage(level, text, code, entity))

    @property
    def blocking(self) -> bool:
        return any(m.level == REQUIRED for m in self.messages)

    def raise_if_blocking(self, http_status: int = 400) -> None:
        if self.blocking:
            raise EdtRejected(self.messages, http_status=http_status)


# --- Parsing -------------------------------------------------------------------------------------------


def parse_document(data: bytes, *, schema: str, root: str) -> ET.Element:
    """The document's root, its tags without namespace, after checking it is ``root`` of ``schema``.

    Raises ``EdtRejected`` (400) for anything that is not such a document, saying what was found.
    """
    if not data.strip():
        raise rejected(_("The request has no body: send the %(root)s XML document.") % {"root": root})
    try:
        element = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise rejected(
            _(
                "The document contains a document type declaration (DOCTYPE) or entity definitions, which "
                "are not accepted for safety reasons: remove them."
            )
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise rejected(
            _("The document is not well-formed XML (line %(line)s, column %(column)s): %(problem)s.")
            % {"line": line, "column": column + 1, "problem": str(error).split(":")[0]}
        ) from None
    namespace, local = split_tag(element.tag)
    if local != root:
        raise rejected(
            _("The document's root element is %(found)s; this service reads %(root)s documents.")
            % {"found": local, "root": root}
        )
    if namespace and not re.fullmatch(re.escape(f"{BASE}{schema}/") + r"\d+/\d+/?", namespace):
        raise rejected(
            _("The namespace %(namespace)s is not one of the %(schema)s schema's (%(base)s%(schema)s/1/NN/).")
            % {"namespace": namespace, "schema": schema, "base": BASE}
        )
    for node in element.iter():
        node_namespace, node_local = split_tag(node.tag) if isinstance(node.tag, str) else ("", "")
        if node_namespace in ("", namespace):
            node.tag = node_local
        node.attrib = {split_tag(key)[1]: value for key, value in node.attrib.items()}
    return element


def split_tag(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def child(parent: ET.Element | None, name: str) -> ET.Element | None:
    return parent.find(name) if parent is not None else None


def text(parent: ET.Element | None, name: str) -> str | None:
    """The stripped text of the child ``name``; None when the child is absent ("" when it is empty)."""
    node = child(parent, name)
    if node is None:
        return None
    return (node.text or "").strip()


def fields_of(parent: ET.Element) -> dict[str, str]:
    """The simple children of an element as ``{name: text}`` (the raw input of a field table)."""
    return {
        node.tag: (node.text or "").strip() for node in parent if isinstance(node.tag, str) and len(node) == 0
    }


# --- Values --------------------------------------------------------------------------------------------


def required_text(
    parent: ET.Element | None, name: str, problems: Problems, *, where: str, max_length: int | None = None
) -> str:
    value = text(parent, name)
    if not value:
        problems.add(_("%(where)s: %(name)s is required.") % {"where": where, "name": name})
        return ""
    return checked_length(value, name, problems, where=where, max_length=max_length)


def optional_text(
    parent: ET.Element | None, name: str, problems: Problems, *, where: str, max_length: int | None = None
) -> str:
    return checked_length(text(parent, name) or "", name, problems, where=where, max_length=max_length)


def checked_length(value: str, name: str, problems: Problems, *, where: str, max_length: int | None) -> str:
    if max_length is not None and len(value) > max_length:
        problems.add(
            _("%(where)s: %(name)s is %(length)d characters long; at most %(max)d are allowed.")
            % {"where": where, "name": name, "length": len(value), "max": max_length}
        )
    return value


def parse_boolean(value: str | None) -> bool | None:
    if value is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


def parse_int(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"[+]?\d{1,12}", value.strip()):
        return None
    return int(value)


def parse_uuid(value: str | None) -> uuid.UUID | None:
    if value is None or not GUID.match(value.strip()):
        return None
    return uuid.UUID(value.strip().strip("{}"))


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def parse_datetime(value: str | None) -> datetime | None:
    """An xs:dateTime; without a time zone it is California time (where the regulator acted)."""
    if not value:
        return None
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_decimal(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
