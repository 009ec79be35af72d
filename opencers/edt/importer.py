"""Migration from the state's system: a ``RegulatorFacilitySubmittalQuery`` document loaded as history.

``edt_import`` reads a document exported by the state's RFSQ endpoint (any version of the schema, e.g.
``/1/05/``) and records what it holds as historical submittals:

* organizations by their code, facilities with the CERS IDs of the document (the CERS ID sequence is
  moved past every imported ID, so it never hands one out again), regulators by their code (a code not
  yet known is created from the document: the county CUPA when the code is the county's, else a
  participating agency under it);
* each facility submittal as it was made: every element is built as a draft (Business Activities,
  Owner/Operator Identification, inventory rows, documents), then submitted through the framework
  (origin ``migration``, the original submission time, digests, immutability), then given its recorded
  regulator action (status, time, agent, comments);
* the records keep the state's ``CERSUniqueKey`` values as their public ids and the regulator's keys,
  so exporting them again gives the same document, and importing the same document twice changes
  nothing the second time.

Values are stored as the state's system recorded them: each is parsed by its field table (a value that
cannot be stored, e.g. a code that no longer exists, is left out with a warning), but not re-formatted,
and guidance messages do not block a historical submittal. Elements OpenCERS does not have yet (UST,
tiered permitting, …) are reported and left out. Documents arrive as metadata (title, file name, date,
keys): the files themselves are not part of an RFSQ document. When they were fetched from the state's
document query into a folder (one file per ``CERSUniqueKey``), ``files_from`` names that folder and each
file is stored like an upload (checked by its content first); the others stay described only.

The whole document is imported in one transaction: a refused document changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from opencers.core.audit import audit_log
from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.documents.models import Document, DocumentFile, DocumentOption
from opencers.documents.services import Upload, document_files_upload
from opencers.edt.codes import ELEMENTS_BY_XML_NAME, STATUS_BY_CODE, schema_of
from opencers.edt.models import AttachmentDetail, HistoricalElement, RegulatorKey, RegulatorKeyKind
from opencers.edt.rfsq import GEOGRAPHIC_FIELDS, SLOT_PLACES
from opencers.edt.services import transaction_record
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.fields import FieldProblem, FieldSpec, parse_value
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.addresses import address_wash
from opencers.organizations.models import (
    CERS_ID_MAX,
    CERS_ID_MIN,
    CERS_ID_SEQUENCE,
    ORGANIZATION_CODE_SEQUENCE,
    Facility,
    FacilityElementRoute,
    Organization,
    OrganizationOrigin,
)
from opencers.regulators.models import County, Regulator, RegulatorKind
from opencers.regulators.reference import cupa_code
from opencers.regulators.selectors import cupa_for_zip, element_owners
from opencers.submittals.models import Origin, Status, SubmittalElement
from opencers.submittals.registry import element_type
from opencers.submittals.selectors import draft_of
from opencers.submittals.services import draft_get_or_create, element_review, facility_submit

ROOT = "RegulatorFacilitySubmittals"
SCHEMA = "RegulatorFacilitySubmittalQuery"
IMPORTED_ELEMENTS = (
    Element.FACILITY_INFORMATION,
    Element.HAZARDOUS_MATERIALS_INVENTORY,
    Element.EMERGENCY_RESPONSE_TRAINING,
)
UNKNOWN_TITLE = "Not recorded in the state's system"
AUTH_STRENGTH = "recorded by the state's system (CERS)"


class ImportRefused(DomainError):
    """The document cannot be imported; ``problems`` says why, each naming the facility concerned."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The document was not imported (nothing changed): %(problems)s")
            % {"problems": " ".join(problems)}
        )
        self.problems = problems


@dataclass
class ImportReport:
    transaction_key: str = ""
    source_sha256: str = ""
    facility_submittals: int = 0
    elements: int = 0
    inventory_rows: int = 0
    already_imported: int = 0
    organizations_created: list[int] = field(default_factory=list)
    facilities_created: list[int] = field(default_factory=list)
    regulators_created: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_imported: int = 0
    files_from: Path | None = None  # where the documents' files are looked for

    def as_dict(self) -> dict[str, Any]:
        return {
            "transaction_key": self.transaction_key,
            "facility_submittals": self.facility_submittals,
            "elements": self.elements,
            "inventory_rows": self.inventory_rows,
            "already_imported": self.already_imported,
            "organizations_created": self.organizations_created,
            "facilities_created": self.facilities_created,
            "regulators_created": self.regulators_created,
            "files_imported": self.files_imported,
            "warnings": self.warnings,
        }


# --- Reading the document ------------------------------------------------------------------------------


def _text(node: etree._Element | None, path: str = "") -> str:
    found = node.find(path) if (node is not None and path) else node
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def _datetime(text: str) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.strip())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip().strip("{}"))
    except (ValueError, AttributeError):
        return None


@dataclass
class _Header:
    code: int
    xml_name: str
    node: etree._Element
    key: uuid.UUID
    submitted_at: datetime
    first_name: str
    last_name: str
    email: str
    comments: str
    regulator_code: int
    status: str
    action_at: datetime | None
    agent_name: str
    agent_email: str
    action_comments: str
    regulator_key: str


def _header(xml_name: str, node: etree._Element, where: str) -> _Header:
    header = node.find("SubmittalElementHeader")
    if header is None:
        raise ImportRefused(
            [
                _("%(where)s: %(element)s has no SubmittalElementHeader.")
                % {"where": where, "element": xml_name}
            ]
        )
    key = _uuid(_text(header, "CERSUniqueKey"))
    submitted_at = _datetime(_text(header, "SubmittedOn"))
    code_text = _text(header, "RegulatorCode")
    status_code = _text(header, "SubmittalStatus")
    problems = []
    if key is None:
        problems.append(
            _("%(where)s: %(element)s has no valid CERSUniqueKey.") % {"where": where, "element": xml_name}
        )
    if submitted_at is None:
        problems.append(
            _("%(where)s: %(element)s has no SubmittedOn date.") % {"where": where, "element": xml_name}
        )
    if not code_text.isdigit():
        problems.append(
            _("%(where)s: %(element)s has no RegulatorCode.") % {"where": where, "element": xml_name}
        )
    if status_code not in STATUS_BY_CODE:
        problems.append(
            _("%(where)s: %(element)s has the submittal status “%(status)s”, which is not 2 to 6.")
            % {"where": where, "element": xml_name, "status": status_code}
        )
    if problems:
        raise ImportRefused(problems)
    action = header.find("SubmittalActionDetails")
    return _Header(
        code=ELEMENTS_BY_XML_NAME[xml_name],
        xml_name=xml_name,
        node=node,
        key=key,  # type: ignore[arg-type]
        submitted_at=submitted_at,  # type: ignore[arg-type]
        first_name=_text(header, "SubmittedByFirstName")[:80],
        last_name=_text(header, "SubmittedByLastName")[:80],
        email=_text(header, "SubmittedByEmail")[:240],
        comments=_text(header, "SubmittedByComments"),
        regulator_code=int(code_text),
        status=STATUS_BY_CODE[status_code],
        action_at=_datetime(_text(action, "SubmittalActionOn")) if action is not None else None,
        agent_name=_text(action, "SubmittalActionAgentName")[:80] if action is not None else "",
        agent_email=_text(action, "SubmittalActionAgentEmail")[:254] if action is not None else "",
        action_comments=_text(action, "SubmittalActionComments")[:1500] if action is not None else "",
        regulator_key=_text(header, "SubmittalElementRegulatorKey")[:255],
    )


def _facility_submittals(source: IO[bytes], report: ImportReport) -> Iterator[etree._Element]:
    """The ``FacilitySubmittal`` elements of the document, one at a time (memory stays flat)."""
    digest = hashlib.sha256()

    class _Reader:
        def read(self, size: int = -1) -> bytes:
            data = source.read(size)
            digest.update(data)
            return data

    root = None
    try:
        for event, node in etree.iterparse(
            _Reader(), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False
        ):
            if event == "start" and root is None:
                root = node
                qname = etree.QName(node)
                if qname.localname != ROOT or schema_of(qname.namespace) != SCHEMA:
                    raise ImportRefused(
                        [
                            _(
                                "This is not a Regulator Facility Submittal Query document (its root is %(root)s; "
                                "expected RegulatorFacilitySubmittals of the RegulatorFacilitySubmittalQuery schema)."
                            )
                            % {"root": node.tag}
                        ]
                    )
                continue
            if event != "end" or node.getparent() is not root:
                continue
            if node.tag == "TransactionKey":
                report.transaction_key = (node.text or "").strip()
            elif node.tag == "FacilitySubmittal":
                yield node
                node.clear()
                while node.getprevious() is not None:
                    del root[0]
    except etree.XMLSyntaxError as exc:
        raise ImportRefused([_("The file is not well-formed XML: %(error)s") % {"error": exc.msg}]) from None
    report.source_sha256 = digest.hexdigest()


# --- Values ---------------------------------------------------------------------------------------------


def _values(
    node: etree._Element | None, specs: tuple[FieldSpec, ...], where: str, report: ImportReport
) -> dict[str, Any]:
    """Stored values (by model attribute) of the children of ``node`` named in the field table."""
    if node is None:
        return {}
    values: dict[str, Any] = {}
    by_xml = {spec.xml: spec for spec in specs}
    for child in node:
        if not isinstance(child.tag, str):
            continue
        spec = by_xml.get(child.tag)
        if spec is None or child.text is None:
            continue
        try:
            value = parse_value(spec, child.text)
        except FieldProblem as problem:
            report.warnings.append(
                _("%(where)s, %(field)s “%(value)s” was left out: %(problem)s")
                % {
                    "where": where,
                    "field": spec.xml,
                    "value": child.text.strip()[:60],
                    "problem": problem.message,
                }
            )
            continue
        values[spec.name] = value
    return values


# --- Organizations, regulators, facilities --------------------------------------------------------------


def _advance_sequence(sequence: str, value: int) -> None:
    """Make sure ``sequence`` never hands out ``value`` (or anything below it) again."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (fixed names)
        last_value, is_called = cursor.fetchone()
        if value > last_value or (value == last_value and not is_called):
            cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])


def _organization(node: etree._Element, where: str, report: ImportReport) -> Organization:
    code_text = _text(node, "CERSOrganization/OrganizationCode")
    if not code_text.isdigit():
        raise ImportRefused([_("%(where)s has no OrganizationCode.") % {"where": where}])
    code = int(code_text)
    organization = Organization.objects.filter(code=code).first()
    if organization is not None:
        return organization
    name = " ".join(_text(node, "CERSOrganization/OrganizationName").split())[:100] or f"Organization {code}"
    _advance_sequence(ORGANIZATION_CODE_SEQUENCE, code)
    organization = Organization.objects.create(code=code, name=name, origin=OrganizationOrigin.STATE)
    audit_log(organization, "organization.imported", data={"code": code, "name": name})
    report.organizations_created.append(code)
    return organization


def _regulator(code: int, county_number: int | None, report: ImportReport) -> Regulator:
    regulator = Regulator.objects.filter(code=code).first()
    if regulator is not None:
        return regulator
    county = County.objects.filter(number=county_number).first() if county_number else None
    if county is not None and cupa_code(county.number) == code:
        regulator = Regulator.objects.create(
            code=code, name=f"{county.name} County CUPA", kind=RegulatorKind.CUPA, county=county
        )
    else:
        parent = Regulator.objects.filter(county=county, kind=RegulatorKind.CUPA).first() if county else None
        regulator = Regulator.objects.create(
            code=code,
            name=f"Regulator {code} (from the state's system)",
            kind=RegulatorKind.PA if parent else RegulatorKind.CUPA,
            county=county,
            parent=parent,
        )
    audit_log(regulator, "regulator.imported", data={"code": code, "name": regulator.name})
    report.regulators_created.append(code)
    return regulator


def _facility(
    node: etree._Element,
    cers_id: int,
    organization: Organization,
    headers: list[_Header],
    regulators: dict[int, Regulator],
    where: str,
    report: ImportReport,
) -> Facility:
    facility = Facility.objects.filter(cers_id=cers_id).first()
    if facility is not None:
        if facility.organization_id != organization.pk:
            report.warnings.append(
                _(
                    "%(where)s: the facility belongs to organization %(ours)s here, not %(theirs)s; kept as it is."
                )
                % {"where": where, "ours": facility.organization.code, "theirs": organization.code}
            )
        _routes(facility, headers, regulators, where, report, new=False)
        return facility
    information = next((h for h in headers if h.code == Element.FACILITY_INFORMATION), None)
    activities = information.node.find("BusinessActivities") if information else None
    site = _text(activities, "SiteAddress")
    city = _text(activities, "City")
    zip_code = _text(activities, "ZipCode")
    name = " ".join((_text(activities, "BusinessName") or organization.name).split())[:100]
    try:
        washed = address_wash(street=site, city=city, zip_code=zip_code)
        street, washed_city, key = washed.street, washed.city, washed.key
        latitude, longitude = washed.latitude, washed.longitude
    except DomainError as problem:
        report.warnings.append(
            _("%(where)s: the address was kept as recorded (%(problem)s)")
            % {"where": where, "problem": problem.message}
        )
        street, washed_city = " ".join(site.upper().split())[:100], city.upper()[:100]
        key, latitude, longitude = f"{street}|{zip_code[:5]}", None, None
    point = _point(information.node if information else None)
    if point is not None:
        latitude, longitude = _coordinate(point["LatitudeMeasure"]), _coordinate(point["LongitudeMeasure"])
    county_number = _county_number(activities)
    county = County.objects.filter(number=county_number).first() if county_number else None
    cupa = cupa_for_zip(zip_code)
    if cupa is None and information is not None:
        candidate = regulators[information.regulator_code]
        cupa = candidate if candidate.kind == RegulatorKind.CUPA else candidate.parent
    _advance_sequence(CERS_ID_SEQUENCE, cers_id)
    facility = Facility.objects.create(
        cers_id=cers_id,
        organization=organization,
        name=name or f"Facility {cers_id}",
        street=street,
        street_entered=site[:200],
        city=washed_city or city.upper()[:100],
        zip_code=zip_code[:10],
        county=county,
        address_key=key[:200],
        epa_id=_text(activities, "EPAID")[:12],
        regulator_facility_id=_text(node, "FacilityID")[:13],
        latitude=latitude,
        longitude=longitude,
        cupa=cupa,
    )
    _routes(facility, headers, regulators, where, report, new=True)
    audit_log(facility, "facility.imported", data={"cers_id": cers_id, "name": facility.name})
    report.facilities_created.append(cers_id)
    return facility


def _routes(
    facility: Facility,
    headers: list[_Header],
    regulators: dict[int, Regulator],
    where: str,
    report: ImportReport,
    *,
    new: bool,
) -> None:
    """Each imported element's owner: the regulator named in the document (for a new facility, the
    other elements go to the owners of its ZIP code)."""
    existing = {route.element: route for route in FacilityElementRoute.objects.filter(facility=facility)}
    owners: dict[int, Regulator] = dict(element_owners(facility.zip_code)) if new else {}
    for header in headers:
        owners[header.code] = regulators[header.regulator_code]
    for code, regulator in owners.items():
        route = existing.get(code)
        if route is None:
            FacilityElementRoute.objects.create(facility=facility, element=code, regulator=regulator)
        elif route.regulator_id != regulator.pk:
            report.warnings.append(
                _(
                    "%(where)s: %(element)s is reported to regulator %(ours)s here, not %(theirs)s as in the "
                    "document; the imported version goes to %(ours)s."
                )
                % {
                    "where": where,
                    "element": Element(code).label,
                    "ours": route.regulator.code,
                    "theirs": regulator.code,
                }
            )


def _county_number(activities: etree._Element | None) -> int | None:
    text = _text(activities, "CountyID")
    return int(text) if text.isdigit() and 1 <= int(text) <= 58 else None


def _point(information: etree._Element | None) -> dict[str, str] | None:
    point = information.find("GeographicInformation/CERSPoint") if information is not None else None
    if point is None:
        return None
    values = {name: _text(point, name) for name in GEOGRAPHIC_FIELDS}
    if not all(values.values()) or _coordinate(values["LatitudeMeasure"]) is None:
        return None
    return values


def _coordinate(text: str) -> Decimal | None:
    try:
        value = Decimal(text).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return value if abs(value) <= 180 else None


# --- Elements -------------------------------------------------------------------------------------------


def _regulator_key(
    regulator: Regulator, kind: str, public_id: Any, facility: Facility, element: Any, key: str
) -> None:
    key = key.strip()[:255]
    if not key:
        return
    RegulatorKey.objects.update_or_create(
        regulator=regulator,
        public_id=public_id,
        defaults={"kind": kind, "facility": facility, "element": element, "key": key},
    )


def _free_public_id(model: Any, wanted: uuid.UUID | None) -> uuid.UUID:
    """The state's key as our public id, unless it is missing or already taken."""
    if wanted is not None and not model.objects.filter(public_id=wanted).exists():
        return wanted
    return uuid.uuid4()


def _fill_facility_information(
    draft: SubmittalElement,
    header: _Header,
    facility: Facility,
    regulator: Regulator,
    where: str,
    report: ImportReport,
) -> None:
    for tag, model, specs, kind, key_tag in (
        (
            "BusinessActivities",
            BusinessActivities,
            BUSINESS_ACTIVITIES_FIELDS,
            RegulatorKeyKind.BUSINESS_ACTIVITIES,
            "BizActivitiesRegulatorKey",
        ),
        (
            "OwnerOperatorInformation",
            OwnerOperator,
            OWNER_OPERATOR_FIELDS,
            RegulatorKeyKind.OWNER_OPERATOR,
            "OwnerOperatorRegulatorKey",
        ),
    ):
        node = header.node.find(tag)
        if node is None:
            continue
        public_id = _free_public_id(model, _uuid(_text(node, "CERSUniqueKey")))
        model.objects.create(
            element=draft, public_id=public_id, **_values(node, specs, f"{where}, {tag}", report)
        )
        _regulator_key(regulator, kind, public_id, facility, draft, _text(node, key_tag))


def _fill_inventory(
    draft: SubmittalElement,
    header: _Header,
    facility: Facility,
    regulator: Regulator,
    where: str,
    report: ImportReport,
) -> None:
    rows = []
    keys = []
    for position, node in enumerate(header.node.findall("Chemicals/Chemical"), start=1):
        public_id = _free_public_id(InventoryItem, _uuid(_text(node, "CERSUniqueKey")))
        values = _values(node, CHEMICAL_FIELDS, f"{where}, inventory row {position}", report)
        rows.append(InventoryItem(element=draft, position=position, public_id=public_id, **values))
        keys.append((public_id, _text(node, "ChemicalRegulatorKey")))
    InventoryItem.objects.bulk_create(rows, batch_size=1000)
    for public_id, key in keys:
        _regulator_key(regulator, RegulatorKeyKind.CHEMICAL, public_id, facility, draft, key)
    report.inventory_rows += len(rows)


def _fill_documents(
    draft: SubmittalElement,
    header: _Header,
    facility: Facility,
    regulator: Regulator,
    where: str,
    report: ImportReport,
) -> None:
    etype = element_type(header.code)
    labels = {slot.key: str(slot.label) for slot in (etype.document_slots if etype else ())}
    for (code, slot), (list_tag, item_tag, document_tag) in SLOT_PLACES.items():
        if code != header.code:
            continue
        nodes = header.node.findall(f"{list_tag}/{item_tag}/{document_tag}")
        if nodes:
            _document(draft, slot, labels.get(slot, slot), nodes, facility, regulator, where, report)
    for tag in ("LocallyCollectedDocuments", "MiscellaneousStateRequiredDocuments"):
        for child in header.node:
            if isinstance(child.tag, str) and child.tag.endswith(tag):
                report.warnings.append(
                    _("%(where)s: %(tag)s were left out (no matching document is required here).")
                    % {"where": where, "tag": child.tag}
                )


def _attachment_files(
    draft: SubmittalElement, slot: str, attachments: list[etree._Element], where: str, report: ImportReport
) -> dict[etree._Element, DocumentFile]:
    """The attachments whose files are in ``report.files_from`` (named by their CERSUniqueKey, with or
    without an extension, as the state's document query saves them), stored like any upload: checked by
    their content first. A file that is missing or refused leaves its attachment described only."""
    found: dict[etree._Element, DocumentFile] = {}
    if report.files_from is None:
        return found
    for attachment in attachments:
        key = _text(attachment, "CERSUniqueKey")
        if _uuid(key) is None:
            continue
        candidates = sorted(report.files_from.glob(f"{key}*"))
        if not candidates:
            report.warnings.append(
                _("%(where)s: no file for document %(key)s in %(folder)s; it is described only.")
                % {"where": where, "key": key, "folder": report.files_from}
            )
            continue
        name = _text(attachment, "AttachmentFileName") or candidates[0].name
        try:
            with candidates[0].open("rb") as stream:
                stored = document_files_upload(
                    element=draft,
                    slot=slot,
                    actor=None,
                    uploads=[Upload(name, stream, candidates[0].stat().st_size)],
                )[0]
        except DomainError as refused:
            report.warnings.append(
                _("%(where)s: the file of document %(key)s was not kept (%(problem)s); it is described only.")
                % {"where": where, "key": key, "problem": refused.message}
            )
            continue
        found[attachment] = stored
        report.files_imported += 1
    return found


def _document(
    draft: SubmittalElement,
    slot: str,
    title: str,
    nodes: list[etree._Element],
    facility: Facility,
    regulator: Regulator,
    where: str,
    report: ImportReport,
) -> None:
    """One slot from its ``DocumentType`` element(s): attachments of all of them, else the first's option."""
    attachments = [a for node in nodes for a in node.findall("Attachments/Attachment")]
    document = Document(element=draft, slot=slot, title=title[:150])
    if attachments:
        with_files = _attachment_files(draft, slot, attachments, where, report)
        document = Document.objects.filter(element=draft, slot=slot).first() or document
        document.option = DocumentOption.UPLOAD
        document.save()
        for attachment in attachments:
            wanted = _uuid(_text(attachment, "CERSUniqueKey"))
            stored = with_files.get(attachment)
            if stored is not None:
                public_id = _free_public_id(DocumentFile, wanted)
                DocumentFile.objects.filter(pk=stored.pk).update(public_id=public_id)
            else:
                public_id = _free_public_id(DocumentFile, wanted)
                stored = DocumentFile.objects.create(
                    document=document,
                    public_id=public_id,
                    original_name=_text(attachment, "AttachmentFileName")[:255] or "document",
                    storage_key="",
                    size=0,
                    sha256="",
                    content_type="",
                    kind="",
                )
            AttachmentDetail.objects.create(
                file=stored,
                element=draft,
                title=_text(attachment, "DocumentTitle")[:300],
                description=_text(attachment, "DocumentDescription")[:500],
                date_authored=_datetime(_text(attachment, "DateAuthored")),
            )
            _regulator_key(
                regulator,
                RegulatorKeyKind.DOCUMENT,
                public_id,
                facility,
                draft,
                _text(attachment, "DocumentRegulatorKey"),
            )
        return
    node = nodes[0]
    if node.find("Exempt") is not None:
        document.option = DocumentOption.EXEMPT
        document.comment = _text(node, "Exempt/Comment")[:500]
    elif node.find("ProvidedToRegulator") is not None:
        document.option = DocumentOption.PROVIDED_TO_REGULATOR
        provided = _text(node, "ProvidedToRegulator/DateProvided")
        document.date_provided = date.fromisoformat(provided[:10]) if provided else None
    elif node.find("StoredAtFacility") is not None:
        document.option = DocumentOption.STORED_AT_FACILITY
    elif node.find("ProvidedInOtherSubmittalElement") is not None:
        document.option = DocumentOption.OTHER_ELEMENT
        document.comment = _text(node, "ProvidedInOtherSubmittalElement/Comment")[:500]
        other = _text(node, "ProvidedInOtherSubmittalElement/SubmittalElementCode")
        document.other_element = int(other) if other.isdigit() and int(other) in Element.values else None
    elif node.find("PublicInternetUri") is not None:
        document.option = DocumentOption.PUBLIC_URL
        document.public_url = _text(node, "PublicInternetUri")[:1000]
    else:
        report.warnings.append(
            _("%(where)s: an empty %(slot)s document was left out.") % {"where": where, "slot": slot}
        )
        return
    document.save()


_FILLERS: dict[int, tuple[Any, ...]] = {
    Element.FACILITY_INFORMATION: (_fill_facility_information, _fill_documents),
    Element.HAZARDOUS_MATERIALS_INVENTORY: (_fill_inventory, _fill_documents),
    Element.EMERGENCY_RESPONSE_TRAINING: (_fill_documents,),
}


def _signer(headers: list[_Header]) -> tuple[str, str]:
    information = next(h for h in headers if h.code == Element.FACILITY_INFORMATION)
    owner = information.node.find("OwnerOperatorInformation")
    name = _text(owner, "IdentificationSignerName")
    title = _text(owner, "IdentificationSignerTitle")
    if not name:
        name = " ".join(part for part in (information.first_name, information.last_name) if part)
    return (name or UNKNOWN_TITLE)[:80], (title or UNKNOWN_TITLE)[:50]


def _import_group(
    facility: Facility,
    headers: list[_Header],
    regulators: dict[int, Regulator],
    source_key: str,
    where: str,
    report: ImportReport,
) -> None:
    """One certification: the drafts, the submission, the recorded regulator actions."""
    drafts: dict[int, SubmittalElement] = {}
    for header in headers:
        if draft_of(facility, header.code) is not None:
            raise ImportRefused(
                [
                    _(
                        "%(where)s: the facility has a draft of %(element)s in progress here. Import history "
                        "before the business starts drafting, or ask them to submit or discard the draft first."
                    )
                    % {"where": where, "element": Element(header.code).label}
                ]
            )
        draft = draft_get_or_create(facility=facility, element=header.code, actor=None)
        SubmittalElement.objects.filter(pk=draft.pk).update(public_id=header.key)
        draft.public_id = header.key
        regulator = regulators[header.regulator_code]
        for fill in _FILLERS[header.code]:
            fill(draft, header, facility, regulator, f"{where}, {header.xml_name}", report)
        HistoricalElement.objects.create(
            element=draft,
            submitted_by_first_name=header.first_name,
            submitted_by_last_name=header.last_name,
            submitted_by_email=header.email,
            geographic_point=_point(header.node) if header.code == Element.FACILITY_INFORMATION else None,
            source_transaction_key=source_key[:40],
        )
        drafts[header.code] = draft
    signer_name, signer_title = _signer(headers)
    facility_submit(
        facility=facility,
        actor=None,
        element_codes=list(drafts),
        signer_name=signer_name,
        signer_title=signer_title,
        comments={h.code: h.comments for h in headers if h.comments},
        auth_strength=AUTH_STRENGTH,
        origin=Origin.MIGRATION,
        origin_detail=f"RFSQ transaction {source_key}"[:200],
        check_permission=False,
        submitted_at=headers[0].submitted_at,
    )
    for header in headers:
        regulator = regulators[header.regulator_code]
        _regulator_key(
            regulator,
            RegulatorKeyKind.ELEMENT,
            header.key,
            facility,
            drafts[header.code],
            header.regulator_key,
        )
        if header.status != Status.SUBMITTED:
            element_review(
                element_id=drafts[header.code].pk,
                reviewer=None,
                status=header.status,
                comments=header.action_comments,
                agent_name=header.agent_name,
                agent_email=header.agent_email,
                action_at=header.action_at or header.submitted_at,
                check_permission=False,
                historical=True,
            )
    report.facility_submittals += 1
    report.elements += len(headers)


def _import_facility_submittal(
    node: etree._Element, source_key: str, index: int, report: ImportReport
) -> None:
    cers_text = _text(node, "CERSID")
    where = _("Facility submittal %(n)d (CERS ID %(cers_id)s)") % {"n": index, "cers_id": cers_text or "?"}
    if not cers_text.isdigit() or not CERS_ID_MIN <= int(cers_text) <= CERS_ID_MAX:
        raise ImportRefused(
            [
                _("%(where)s: the CERS ID must be a number from %(min)d to %(max)d.")
                % {"where": where, "min": CERS_ID_MIN, "max": CERS_ID_MAX}
            ]
        )
    cers_id = int(cers_text)
    headers: list[_Header] = []
    for child in node:
        if not isinstance(child.tag, str) or child.tag not in ELEMENTS_BY_XML_NAME:
            continue
        if ELEMENTS_BY_XML_NAME[child.tag] not in IMPORTED_ELEMENTS:
            report.warnings.append(
                _("%(where)s: %(element)s was left out: OpenCERS does not have this submittal element yet.")
                % {"where": where, "element": child.tag}
            )
            continue
        headers.append(_header(child.tag, child, where))
    if not headers:
        report.warnings.append(
            _("%(where)s holds no submittal element OpenCERS has; nothing imported.") % {"where": where}
        )
        return
    existing = set(
        SubmittalElement.objects.filter(public_id__in=[h.key for h in headers]).values_list(
            "public_id", flat=True
        )
    )
    new_headers = [h for h in headers if h.key not in existing]
    report.already_imported += len(headers) - len(new_headers)
    if not new_headers:
        return
    county_number = next(
        (
            _county_number(h.node.find("BusinessActivities"))
            for h in new_headers
            if h.code == Element.FACILITY_INFORMATION
        ),
        None,
    )
    regulators = {h.regulator_code: _regulator(h.regulator_code, county_number, report) for h in new_headers}
    organization = _organization(node, where, report)
    facility = _facility(node, cers_id, organization, new_headers, regulators, where, report)
    facility_key = _text(node, "FacilityRegulatorKey")
    if facility_key:
        owner = next((h for h in new_headers if h.code == Element.FACILITY_INFORMATION), new_headers[0])
        _regulator_key(
            regulators[owner.regulator_code],
            RegulatorKeyKind.FACILITY,
            facility.public_id,
            facility,
            None,
            facility_key,
        )
    groups: dict[datetime, list[_Header]] = defaultdict(list)
    for header in sorted(new_headers, key=lambda h: (h.submitted_at, h.code)):
        groups[header.submitted_at].append(header)
    for submitted_at, group in groups.items():
        if not any(h.code == Element.FACILITY_INFORMATION for h in group):
            report.warnings.append(
                _(
                    "%(where)s: the elements submitted on %(when)s were left out: a facility submittal must "
                    "include Facility Information, and this one has none in the document."
                )
                % {"where": where, "when": submitted_at.isoformat()}
            )
            continue
        _import_group(facility, group, regulators, source_key, where, report)


@transaction.atomic
def edt_import(*, source: IO[bytes], name: str = "", files_from: Path | None = None) -> ImportReport:
    """Import a RegulatorFacilitySubmittalQuery document (see the module's description).

    Raises ``ImportRefused`` (nothing changed) for a document that is not one, is not well-formed, or holds
    a facility submittal that cannot be recorded; everything else is reported in ``ImportReport``.
    """
    report = ImportReport(files_from=files_from)
    for index, node in enumerate(_facility_submittals(source, report), start=1):
        _import_facility_submittal(node, report.transaction_key, index, report)
    transaction_record(
        endpoint="import_edt",
        method="IMPORT",
        status="Accepted",
        http_status=200,
        query=name[:2000],
        regulator_transaction_key=report.transaction_key,
        messages=[{"level": "warning", "message": message} for message in report.warnings],
        records=report.elements,
    )
    return report
