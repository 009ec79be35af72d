"""A structural check of Tier II XML documents, standing in for the standard's DTD.

The DTD of the National Tier II data standard could not be obtained (``spec/TIER2.md`` §10). What
TIER2.md recommends instead (§9, the writer checklist) is checked here: the exact namespace and version,
the element order of the tree in §3 (as a content model: each element's children in a fixed sequence,
with the cardinalities the sample shows), the attributes, all 23 hazard entries with their exact
strings in order, lower-case booleans, two-digit range codes, dates, whole-pound amounts, record ids of
the standard's shape (unique, with facility-to-contact links that resolve), empty elements written as
open/close pairs, UTF-8 and no DOCTYPE.

NOAA's sample passes this check (a test keeps it so); every file the export writes must pass it too.
Optionality that the sample cannot show (an element seen only present) is treated as required, except
where TIER2.md records it as optional.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring

from opencers.tier2.standard import DECLARATION, HAZARD_CATEGORIES, NAMESPACE, RECORD_ID, VERSION

ONE, OPTIONAL, MANY = "1", "?", "*"

# Leaf kinds and the text they accept.
TEXT, BOOL, DATE, INT, CODE, FEES, DEGREES, NUMBER, YEAR = (
    "text",
    "bool",
    "date",
    "int",
    "code",
    "fees",
    "degrees",
    "number",
    "year",
)
_PATTERNS = {
    BOOL: re.compile(r"^(true|false)$"),
    DATE: re.compile(r"^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$"),
    INT: re.compile(r"^(\d+)?$"),
    CODE: re.compile(r"^((0[1-9])|(1[0-3]))?$"),
    FEES: re.compile(r"^(\d+\.\d{2})?$"),
    DEGREES: re.compile(r"^(-?\d{1,3}(\.\d+)?)?$"),
    NUMBER: re.compile(r"^(\d+(\.\d+)?)?$"),
    YEAR: re.compile(r"^\d{4}$"),
}


@dataclass(frozen=True)
class Model:
    """An element: its children in order (name, cardinality), or the kind of its text when a leaf."""

    children: tuple[tuple[str, str], ...] = ()
    kind: str = TEXT
    attributes: tuple[tuple[str, str], ...] = ()  # (name, kind) of required attributes


def _leaf(kind: str = TEXT, **attributes: str) -> Model:
    return Model(kind=kind, attributes=tuple(attributes.items()))


RECORD = (("recordid", "recordid"),)
ADDRESS = (("street", ONE), ("city", ONE), ("state", ONE), ("zipcode", ONE))
STATE_FIELDS = (("stateFields", ONE),)

# Models by path suffix: the nearest parent decides which model applies (phone is both a facility's and
# a contact's child, with the same content).
MODELS: dict[str, Model] = {
    "epcraTier2Dataset": Model((("dataset", ONE),), attributes=(("version", "version"),)),
    "dataset": Model((("facilities", ONE), ("contacts", ONE)), attributes=(("reportyear", YEAR),)),
    "facilities": Model((("facility", MANY),)),
    "facility": Model(
        (
            ("facilityName", ONE),
            ("streetAddress", ONE),
            ("mailingAddress", ONE),
            ("county", ONE),
            ("fireDistrict", ONE),
            ("latLong", ONE),
            ("department", ONE),
            ("notes", ONE),
            ("sitePlanAttached", ONE),
            ("siteCoordAbbrevAttached", ONE),
            ("dikeDescriptionAttached", ONE),
            ("facilityInfoSameAsLastYear", ONE),
            ("nameAndTitleOfCertifier", ONE),
            ("dateSigned", ONE),
            ("feesTotal", ONE),
            ("phone", OPTIONAL),
            ("manned", ONE),
            ("maxNumOccupants", ONE),
            ("subjectToChemAccidentPrevention", ONE),
            ("subjectToEmergencyPlanning", ONE),
            *STATE_FIELDS,
            ("lastModified", ONE),
            ("contactIds", ONE),
            ("chemicals", ONE),
            ("facilityIds", ONE),
            ("attachments", ONE),
        ),
        attributes=RECORD,
    ),
    "streetAddress": Model((*ADDRESS, ("country", OPTIONAL))),
    "mailingAddress": Model((*ADDRESS, ("country", ONE))),
    "latLong": Model((("latitude", ONE), ("longitude", ONE))),
    "latitude": _leaf(DEGREES),
    "longitude": _leaf(DEGREES),
    "sitePlanAttached": _leaf(BOOL),
    "siteCoordAbbrevAttached": _leaf(BOOL),
    "dikeDescriptionAttached": _leaf(BOOL),
    "facilityInfoSameAsLastYear": _leaf(BOOL),
    "dateSigned": _leaf(DATE),
    "feesTotal": _leaf(FEES),
    "phone": Model((("phoneNumber", ONE), ("phoneType", ONE)), attributes=RECORD),
    "manned": _leaf(BOOL),
    "maxNumOccupants": _leaf(INT),
    "subjectToChemAccidentPrevention": _leaf(BOOL),
    "subjectToEmergencyPlanning": _leaf(BOOL),
    "stateFields": Model((("stateField", MANY),)),
    "stateField": Model(
        (("label", ONE), ("t2sFieldname", ONE), ("data", ONE)), attributes=(("required", BOOL),)
    ),
    "lastModified": _leaf(DATE),
    "contactIds": Model((("contactId", MANY),)),
    "contactId": _leaf(TEXT, linkId="recordid"),
    "chemicals": Model((("chemical", MANY),)),
    "chemical": Model(
        (
            ("chemName", ONE),
            ("casNumber", ONE),
            ("ehs", ONE),
            ("pure", ONE),
            ("mixture", ONE),
            ("solid", ONE),
            ("liquid", ONE),
            ("gas", ONE),
            ("hazards", ONE),
            ("aveAmount", ONE),
            ("aveAmountCode", ONE),
            ("maxAmount", ONE),
            ("maxAmountCode", ONE),
            ("sameAsLastYear", ONE),
            ("daysOnSite", ONE),
            ("maxAmtLargestContainer", ONE),
            ("belowReportingThresholds", ONE),
            ("confidentialStorageLocs", ONE),
            ("tradeSecret", ONE),
            *STATE_FIELDS,
            ("lastModified", ONE),
            ("storageLocations", ONE),
            ("mixtureComponents", OPTIONAL),
        ),
        attributes=RECORD,
    ),
    "ehs": _leaf(BOOL),
    "pure": _leaf(BOOL),
    "mixture": _leaf(BOOL),
    "solid": _leaf(BOOL),
    "liquid": _leaf(BOOL),
    "gas": _leaf(BOOL),
    "hazards": Model((("hazard", MANY),)),
    "hazard": Model((("category", ONE), ("value", ONE))),
    "value": _leaf(BOOL),
    "aveAmount": _leaf(INT),
    "aveAmountCode": _leaf(CODE),
    "maxAmount": _leaf(INT),
    "maxAmountCode": _leaf(CODE),
    "sameAsLastYear": _leaf(BOOL),
    "daysOnSite": _leaf(INT),
    "maxAmtLargestContainer": _leaf(INT),
    "belowReportingThresholds": _leaf(BOOL),
    "confidentialStorageLocs": _leaf(BOOL),
    "tradeSecret": _leaf(BOOL),
    "storageLocations": Model((("storageLocation", MANY),)),
    "storageLocation": Model(
        (
            ("locationDescription", ONE),
            ("storageType", ONE),
            ("pressure", ONE),
            ("temperature", ONE),
            ("amount", ONE),
        ),
        attributes=RECORD,
    ),
    "amount": _leaf(INT, unit="pounds"),
    "mixtureComponents": Model((("mixtureComponent", MANY),)),
    "mixtureComponent": Model(
        (
            ("componentName", ONE),
            ("casNumber", ONE),
            ("ehs", ONE),
            ("maxAmountCode", ONE),
            ("componentPercentage", ONE),
        ),
        attributes=RECORD,
    ),
    "componentPercentage": _leaf(NUMBER, weightOrVolume="weightOrVolume"),
    "facilityIds": Model((("facilityId", MANY),)),
    "facilityId": Model((("id", ONE), ("description", OPTIONAL)), attributes=(*RECORD, ("type", TEXT))),
    "attachments": Model((("attachment", MANY),)),
    "attachment": Model((("fileName", ONE),), attributes=RECORD),
    "contacts": Model((("contact", MANY),)),
    "contact": Model(
        (
            ("firstName", ONE),
            ("lastName", ONE),
            ("title", ONE),
            ("email", ONE),
            ("mailingAddress", ONE),
            ("contactTypes", ONE),
            ("phones", ONE),
            ("lastModified", ONE),
        ),
        attributes=RECORD,
    ),
    "contactTypes": Model((("contactType", MANY),)),
    "phones": Model((("phone", MANY),)),
}
_CONTAINERS = {name for name, model in MODELS.items() if model.children}


def _local(element: ET.Element) -> tuple[str, str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.startswith("{"):
        namespace, _sep, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _sequence_problems(path: str, names: list[str], model: Model) -> list[str]:
    """Children against the content model, in order: the first deviation is reported."""
    position = 0
    for expected, cardinality in model.children:
        count = 0
        while position < len(names) and names[position] == expected:
            position += 1
            count += 1
        if cardinality == ONE and count != 1:
            if count == 0:
                found = names[position] if position < len(names) else "the end"
                return [f"{path}: <{expected}> expected, found <{found}>"]
            return [f"{path}: <{expected}> appears {count} times; exactly once expected"]
        if cardinality == OPTIONAL and count > 1:
            return [f"{path}: <{expected}> appears {count} times; at most once expected"]
    if position < len(names):
        return [f"{path}: unexpected <{names[position]}> (out of order or unknown)"]
    return []


def _attribute_problems(path: str, element: ET.Element, model: Model) -> list[str]:
    problems = []
    for name, kind in model.attributes:
        value = element.get(name)
        if value is None:
            problems.append(f"{path}: attribute {name} missing")
        elif kind == "recordid":
            if not RECORD_ID.match(value):
                problems.append(f"{path}: {name} “{value}” is not a record id of the standard's shape")
        elif kind == "version":
            if value != VERSION:
                problems.append(f"{path}: version “{value}”, expected “{VERSION}”")
        elif kind == "pounds":
            if value != "pounds":
                problems.append(f"{path}: unit “{value}”, expected “pounds”")
        elif kind == "weightOrVolume":
            if value not in ("weight", "volume"):
                problems.append(f"{path}: weightOrVolume “{value}”, expected weight or volume")
        elif kind in _PATTERNS and not _PATTERNS[kind].match(value):
            problems.append(f"{path}: attribute {name} “{value}” is not a valid {kind}")
    return problems


def check_structure(data: bytes) -> list[str]:
    """Everything in ``data`` that departs from the standard's structure and conventions (empty: none)."""
    if not data.startswith(DECLARATION):
        return ['the document must start with <?xml version="1.0" encoding="utf-8"?> on its own line']
    if b"<!DOCTYPE" in data:
        return ["the document must not have a DOCTYPE"]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ["the document is not UTF-8"]
    if re.search(rb"<[A-Za-z][^<>]*/>", data):
        return ["an empty element is self-closed; empty values are written as <name></name>"]
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException) as error:
        return [f"not well-formed XML: {error}"]
    problems: list[str] = []
    record_ids: dict[str, str] = {}
    contact_ids: set[str] = set()
    links: list[str] = []

    def walk(element: ET.Element, path: str) -> None:
        namespace, local = _local(element)
        here = f"{path}/{local}" if path else local
        if namespace != NAMESPACE:
            problems.append(f"{here}: namespace “{namespace}”, expected “{NAMESPACE}”")
        model = MODELS.get(local, Model())
        problems.extend(_attribute_problems(here, element, model))
        record = element.get("recordid")
        if record is not None:
            if record in record_ids:
                problems.append(f"{here}: recordid {record} is used twice")
            record_ids[record] = local
            if local == "contact":
                contact_ids.add(record)
        children = [child for child in element if isinstance(child.tag, str)]
        if local in _CONTAINERS:
            if (element.text or "").strip():
                problems.append(f"{here}: text where only elements are expected")
            problems.extend(_sequence_problems(here, [_local(c)[1] for c in children], model))
            if local == "hazards":
                problems.extend(_hazard_problems(here, children))
            for child in children:
                walk(child, here)
            return
        if children:
            problems.append(f"{here}: <{_local(children[0])[1]}> inside a value element")
            return
        text = element.text or ""
        if text != text.strip():
            problems.append(f"{here}: value “{text}” has spaces around it")
        pattern = _PATTERNS.get(model.kind)
        if pattern is not None and not pattern.match(text):
            problems.append(f"{here}: “{text}” is not a valid {model.kind}")
        if local == "contactId":
            links.append(text)
            if element.get("linkId") in record_ids:
                problems.append(f"{here}: linkId {element.get('linkId')} is used twice")
            record_ids[element.get("linkId", "")] = "contactId"

    walk(root, "")
    for link in links:
        if link not in contact_ids:
            problems.append(f"contactId {link} names no contact of the dataset")
    return problems


def _hazard_problems(path: str, hazards: list[ET.Element]) -> list[str]:
    categories = []
    for hazard in hazards:
        category = next((c for c in hazard if _local(c)[1] == "category"), None)
        categories.append(category.text or "" if category is not None else "")
    expected = [name for name, _flags in HAZARD_CATEGORIES]
    if categories != expected:
        return [f"{path}: the 23 hazard categories must all be listed, in the standard's order and spelling"]
    return []
