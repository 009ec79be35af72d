"""How each submittal element plugs into the framework.

Each element app registers an ``ElementType`` in its ``AppConfig.ready()``. The framework (drafts,
copying, digests, comparisons, guidance, the submit page) works only through these hooks, so adding an
element (UST, APSA, …) means writing one more ``ElementType``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from opencers.core.elements import Element
from opencers.submittals.guidance import Guidance


@dataclass(frozen=True)
class DocumentSlot:
    key: str  # stable identifier, e.g. "site_map"
    label: str
    help: str = ""
    required: bool = True
    xml_name: str = ""  # the DocumentType element of the state's XML, e.g. "SiteMapDocuments"


@dataclass(frozen=True)
class ElementType:
    element: Element
    # Canonical content of the element's own data (documents are added by the framework): a dict of
    # plain JSON values, in a stable order. Rows (lists of dicts) are compared by ``row_key``.
    content: Callable[[Any], dict[str, Any]]
    # Copy the element's own data from one version to a new draft.
    copy: Callable[[Any, Any], None]
    # Guidance messages about the element's own data.
    guidance: Callable[[Any], list[Guidance]]
    document_slots: tuple[DocumentSlot, ...] = ()
    # For row lists in the content: which fields identify "the same row" across versions.
    row_keys: dict[str, Callable[[dict[str, Any]], str]] = field(default_factory=dict)
    # Field labels for people (XML name → label), used by the change view and messages.
    labels: dict[str, Any] = field(default_factory=dict)
    # The business portal's URL name for editing the draft (kwargs: cers_id).
    edit_url_name: str = ""
    # For display: content section name → (heading, field specs), in display order.
    sections: dict[str, tuple[Any, Sequence[Any]]] = field(default_factory=dict)


_TYPES: dict[int, ElementType] = {}


def register(element_type: ElementType) -> None:
    _TYPES[int(element_type.element)] = element_type


def element_type(element: int) -> ElementType | None:
    return _TYPES.get(int(element))


def supported_elements() -> list[Element]:
    return [Element(code) for code in sorted(_TYPES)]
