"""The response documents of the exchange's write services.

* ``RegulatorFacilitySubmittalResponse`` (schema 1/06) answers the facility submittal (pass-through) and the
  submittal action notification: the transaction (key, the caller's key, when it was received, its status),
  a summary, the keys of what was created and the guidance messages.
* ``RegulatorFacilityCreateResponse`` (schema 1/06) answers facility create: the transaction and its mode,
  the new facility (CERS ID, organization, element owners) or the potential duplicates, and messages.

Only the root element is in the schema's namespace (prefix ``cers``); its children are unqualified, as in
the state's documents. Every response carries a transaction key, also when the request was refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lxml import etree

from opencers.core.elements import Element
from opencers.edt.codes import BASE, ELEMENT_XML_NAMES, namespace
from opencers.edt.incoming import ADVISORY, REQUIRED, WARNING, EdtMessage

SUBMITTAL_RESPONSE = "RegulatorFacilitySubmittalResponse"
FACILITY_CREATE_RESPONSE = "RegulatorFacilityCreateResponse"
FACILITY_CREATE_RESPONSE_NAMESPACE = f"{BASE}{FACILITY_CREATE_RESPONSE}/1/06/"

ACCEPTED, REJECTED = "Accepted", "Rejected"

# Data registry 20.0088: how each element's reporting requirement is written.
REPORTING_REQUIREMENT_CODES = {"na": "1", "applicable": "2", "always": "3"}


@dataclass
class TransactionInfo:
    """What every response says about its transaction."""

    key: uuid.UUID = field(default_factory=uuid.uuid4)
    received: datetime = field(default_factory=lambda: datetime.now(UTC))
    status: str = ACCEPTED
    regulator_transaction_key: str = ""


def xml_datetime(value: datetime) -> str:
    """``2026-03-01T17:05:09Z``: UTC, to the second."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _sub(parent: Any, tag: str, value: Any = None, **attributes: str) -> Any:
    node = etree.SubElement(parent, tag, **attributes)
    if value is not None:
        node.text = value if isinstance(value, str) else str(value)
    return node


def _root(ns: str, tag: str) -> Any:
    return etree.Element(f"{{{ns}}}{tag}", nsmap={"cers": ns}, timeStamp=xml_datetime(datetime.now(UTC)))


def _bytes(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _transaction(parent: Any, info: TransactionInfo, **attributes: str) -> None:
    transaction = _sub(parent, "Transaction", **attributes)
    _sub(transaction, "TransactionKey", str(info.key))
    if info.regulator_transaction_key:
        _sub(transaction, "RegulatorTransactionKey", info.regulator_transaction_key[:36])
    _sub(transaction, "TransactionReceived", xml_datetime(info.received))
    _sub(transaction, "TransactionStatus", info.status)


# --- RegulatorFacilitySubmittalResponse ------------------------------------------------------------------


@dataclass(frozen=True)
class EntityKey:
    resource: str  # EntityResourceType: BA, BOOI, HMI, SM, ERCP, ETP, ...
    cers_unique_key: str
    regulator_key: str = ""


def submittal_response(
    info: TransactionInfo,
    messages: Sequence[EdtMessage],
    *,
    entity_keys: Iterable[EntityKey] = (),
    element_keys: Iterable[tuple[str, str]] = (),
    processed: bool = True,
) -> bytes:
    """The response of the pass-through and of the action notification.

    ``element_keys`` pairs our CERSUniqueKey of each submitted element with the caller's own key (only
    keys in GUID form are written: the schema requires that form).
    """
    root = _root(namespace(SUBMITTAL_RESPONSE), SUBMITTAL_RESPONSE)
    _transaction(root, info)
    summary = _sub(root, "Summary")
    if processed:
        _sub(summary, "DataProcessedOn", xml_datetime(datetime.now(UTC)))
    counts = {level: sum(1 for m in messages if m.level == level) for level in (REQUIRED, WARNING, ADVISORY)}
    if info.status != ACCEPTED:
        _sub(
            summary,
            "ErrorSummary",
            f"The transaction was rejected: {counts[REQUIRED]} required problem(s). Nothing was changed.",
        )
    _sub(summary, "RequiredSummary", f"{counts[REQUIRED]} required")
    _sub(summary, "WarningSummary", f"{counts[WARNING]} warning(s)")
    _sub(summary, "AdvisorySummary", f"{counts[ADVISORY]} advisory")
    keys = list(entity_keys)
    if keys:
        container = _sub(root, "EntityKeys")
        for key in keys:
            entity = _sub(container, "EntityKey")
            _sub(entity, "EntityResource", key.resource)
            if key.regulator_key:
                _sub(entity, "RegulatorKey", key.regulator_key[:36])
            _sub(entity, "CERSUniqueKey", key.cers_unique_key)
    if messages:
        container = _sub(root, "GuidanceMessages")
        for message in messages:
            attributes = {"guidanceCode": str(message.code), "level": message.level}
            if message.entity:
                attributes["entityResource"] = message.entity
            if message.cers_unique_key:
                attributes["cersUniqueKey"] = message.cers_unique_key
            _sub(container, "GuidanceMessage", message.text, **attributes)
    pairs = [(ours, theirs) for ours, theirs in element_keys if _is_guid(theirs)]
    if pairs:
        container = _sub(root, "SubmittalElementKeys")
        for ours, theirs in pairs:
            key_node = _sub(container, "SubmittalElementKey")
            _sub(key_node, "CERSUniqueKey", ours)
            _sub(key_node, "SubmittalElementRegulatorKey", theirs)
    return _bytes(root)


def _is_guid(value: str) -> bool:
    from opencers.edt.incoming import GUID

    return bool(value) and bool(GUID.match(value))


# --- RegulatorFacilityCreateResponse ---------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    facility: Any
    score: int  # 100 for the same washed address; the name similarity otherwise


def facility_create_response(
    info: TransactionInfo,
    *,
    mode: str,
    messages: Sequence[EdtMessage],
    facility: Any = None,
    duplicates: Sequence[Duplicate] = (),
) -> bytes:
    root = _root(FACILITY_CREATE_RESPONSE_NAMESPACE, FACILITY_CREATE_RESPONSE)
    _transaction(root, info, **({"mode": mode} if mode in ("Commit", "Trial") else {}))
    if facility is not None:
        _result(root, facility)
    if duplicates:
        container = _sub(root, "PotentialDuplicates")
        for duplicate in duplicates:
            _duplicate(container, duplicate)
    if messages:
        container = _sub(root, "Messages")
        for message in messages:
            _sub(container, "Message", message.text, type="Error" if message.level == REQUIRED else "Warning")
    return _bytes(root)


def _result(root: Any, facility: Any) -> None:
    result = _sub(root, "Result")
    organization = facility.organization
    _sub(result, "CERSID", facility.cers_id)
    _sub(result, "OrganizationCode", organization.code)
    _sub(result, "OrganizationName", organization.name)
    _sub(result, "OrganizationHeadquarters", organization.headquarters)
    elements = _sub(result, "SubmittalElements")
    routes = {route.element: route for route in facility.routes.select_related("regulator")}
    for code in Element:
        route = routes.get(int(code))
        node = _sub(elements, ELEMENT_XML_NAMES[int(code)])
        if route is not None:
            node.set("regulatorCode", str(route.regulator.code))
            node.set("reportingRequirement", REPORTING_REQUIREMENT_CODES[route.requirement])
            if route.next_due_date:
                node.set("nextDueDate", route.next_due_date.isoformat())
    standardized = _sub(result, "StandardizedAddress")
    _sub(standardized, "SiteAddress", facility.street)
    _sub(standardized, "City", facility.city)
    _sub(standardized, "ZipCode", facility.zip_code)


def _duplicate(container: Any, duplicate: Duplicate) -> None:
    facility = duplicate.facility
    node = _sub(container, "PotentialDuplicate", score=str(duplicate.score))
    _sub(node, "CERSID", facility.cers_id)
    _sub(node, "OrganizationCode", facility.organization.code)
    _sub(node, "OrganizationName", facility.organization.name)
    _sub(node, "OrganizationHeadquarters", facility.organization.headquarters)
    _sub(node, "SiteAddress", facility.street)
    _sub(node, "City", facility.city)
    _sub(node, "ZipCode", facility.zip_code)
    established: date = facility.created_at.date()
    _sub(node, "EstablishedOn", established.isoformat())
