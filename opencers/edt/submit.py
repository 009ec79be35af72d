"""Facility submittal pass-through (RFS): a local portal forwards what a business entered there.

The document (``RegulatorFacilitySubmittals``, any version of the schema, alone or in a ZIP archive with the
attached files) becomes drafts of each element it carries, filled through the same services as the business
portal (Business Activities, Owner/Operator Identification, inventory rows, the six ways of providing a
document, uploads checked by content), and is then submitted by ``submittals.services.facility_submit``
with the origin ``local_portal`` and the portal named: exactly as if the business had submitted here. The
same guidance rules apply: one Required message (or one field the services refuse) rejects the whole
transaction with every message, and nothing is kept (the drafts, rows, documents and files go with the
rolled-back transaction; files already written to storage are swept later by ``documents_sweep``).

A facility must report through the client's local portal (``opencers.edt.channels``); a facility that
reports in the business portal is refused with a message. The facility must be in the client's
jurisdiction: another agency's facility answers 404.

The archive is checked like an uploaded ZIP (``opencers.documents.checks``: entries, paths, links,
programs, encryption, sizes and compression ratios, CRCs) before anything is read from it, and every
attached file is checked by content when it is stored (``documents.services.document_files_upload``).
"""

from __future__ import annotations

import posixpath
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.documents import checks
from opencers.documents.models import DocumentOption
from opencers.documents.services import Upload, document_files_upload, document_set_option
from opencers.edt.channels import pass_through_refusal
from opencers.edt.codes import ELEMENTS_BY_XML_NAME
from opencers.edt.incoming import (
    ADVISORY,
    CODE_CHANNEL,
    CODE_DOCUMENT,
    CODE_FIELD,
    CODE_GUIDANCE,
    CODE_NOT_FOUND,
    CODE_NOTE,
    REQUIRED,
    WARNING,
    EdtMessage,
    EdtRejected,
    Problems,
    child,
    fields_of,
    parse_date,
    parse_datetime,
    parse_document,
    parse_int,
    rejected,
    text,
)
from opencers.edt.models import AttachmentDetail, HistoricalElement, RegulatorKey, RegulatorKeyKind
from opencers.edt.responses import EntityKey
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.facility_info.services import (
    FieldProblems,
    business_activities_save,
    owner_operator_save,
)
from opencers.elements.inventory.bulk import BulkRowProblems, inventory_rows_write
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.models import Facility
from opencers.organizations.selectors import facility_get_for_user
from opencers.submittals.guidance import Guidance
from opencers.submittals.models import Origin, SubmittalElement
from opencers.submittals.registry import supported_elements
from opencers.submittals.rules import document_slots, element_guidance
from opencers.submittals.selectors import draft_of
from opencers.submittals.services import draft_discard, draft_get_or_create, facility_submit

SCHEMA = "RegulatorFacilitySubmittal"
ROOT = "RegulatorFacilitySubmittals"
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_BYTES = checks.ZIP_MAX_UNCOMPRESSED
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
MAX_CHEMICALS = 20000

# The response's EntityResourceType of each part.
ENTITY_OF_SLOT = {
    "SiteMapDocuments": "SM",
    "EmergencyResponseContingencyPlanDocument": "ERCP",
    "EmployeeTrainingPlanDocument": "ETP",
}
LOCAL_DOCUMENT_ENTITY = {
    Element.FACILITY_INFORMATION: "FILRD",
    Element.HAZARDOUS_MATERIALS_INVENTORY: "HMILRD",
    Element.EMERGENCY_RESPONSE_TRAINING: "ERTPLRD",
}
BA_FIELDS = {spec.xml for spec in BUSINESS_ACTIVITIES_FIELDS} | {"BusinessActivities"}
BOOI_FIELDS = {spec.xml for spec in OWNER_OPERATOR_FIELDS} | {"OwnerOperatorInformation"}
HMI_FIELDS = {spec.xml for spec in CHEMICAL_FIELDS} | {"Chemicals"}
DATA_PARTS = {
    "SubmittalElementHeader",
    "BusinessActivities",
    "OwnerOperatorInformation",
    "Chemicals",
}
LEVELS = {"required": REQUIRED, "warning": WARNING, "advisory": ADVISORY}


# --- What the document says ------------------------------------------------------------------------------


@dataclass
class AttachmentInput:
    file_name: str
    title: str
    description: str
    date_authored: datetime | None
    regulator_key: str


@dataclass
class DocumentInput:
    xml_name: str
    option: str
    comment: str = ""
    date_provided: date | None = None
    other_element: int | None = None
    public_url: str = ""
    attachments: list[AttachmentInput] = field(default_factory=list)


@dataclass
class ElementInput:
    code: int
    regulator_code: int | None
    regulator_key: str
    submitted_on: datetime | None
    submitter_first_name: str
    submitter_last_name: str
    submitter_email: str
    submitter_comments: str
    business_activities: dict[str, str] | None = None
    owner_operator: dict[str, str] | None = None
    chemicals: list[dict[str, str]] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Element(self.code).label)


@dataclass
class SubmittalRequest:
    regulator_transaction_key: str
    cers_id: int
    facility_regulator_key: str
    elements: list[ElementInput]
    notes: list[EdtMessage] = field(default_factory=list)


@dataclass
class SubmittalOutcome:
    messages: list[EdtMessage]
    submittal: Any
    element_keys: list[tuple[str, str]]
    entity_keys: list[EntityKey]


# --- Reading the package ----------------------------------------------------------------------------------


@dataclass
class Package:
    """The submittal document and, for a ZIP archive, the attached files by name."""

    xml: bytes
    archive: zipfile.ZipFile | None = None
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def find(self, name: str) -> zipfile.ZipInfo | None:
        key = name.replace("\\", "/").strip("/").lower()
        return self.files.get(key) or self.files.get(posixpath.basename(key))

    @contextmanager
    def open(self, info: zipfile.ZipInfo) -> Iterator[IO[bytes]]:
        assert self.archive is not None
        with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as spool:
            with self.archive.open(info) as member:
                while chunk := member.read(1024 * 1024):
                    spool.write(chunk)
            spool.seek(0)
            yield spool


def is_archive(head: bytes) -> bool:
    return head[:4] in ZIP_MAGIC


def package_read(stream: IO[bytes], size: int) -> Package:
    """The XML alone, or the ZIP archive checked and opened (its XML is the one ``RegulatorFacilitySubmittals``)."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if not is_archive(head):
        if size > MAX_XML_BYTES:
            raise _too_large(size, MAX_XML_BYTES, status=413)
        return Package(xml=stream.read())
    if size > MAX_ARCHIVE_BYTES:
        raise _too_large(size, MAX_ARCHIVE_BYTES, status=413)
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
        checks._check_zip_entries(entries, size)
        checks._check_zip_content(archive, entries)
    except checks._Refused as refused:
        raise rejected(refused.template % {"name": _("The ZIP archive"), **refused.values}) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise rejected(_("The ZIP archive cannot be read: create it again and send it again.")) from None
    files: dict[str, zipfile.ZipInfo] = {}
    candidates = []
    for entry in entries:
        if entry.is_dir():
            continue
        key = entry.filename.replace("\\", "/").strip("/").lower()
        files[key] = entry
        if key.endswith(".xml") and _root_name(archive, entry) == ROOT:
            candidates.append(entry)
    if len(candidates) != 1:
        raise rejected(
            _(
                "The ZIP archive must hold exactly one %(root)s XML document (it holds %(count)d), with the "
                "attached files next to it."
            )
            % {"root": ROOT, "count": len(candidates)}
        )
    if candidates[0].file_size > MAX_XML_BYTES:
        raise _too_large(candidates[0].file_size, MAX_XML_BYTES, status=413)
    xml = archive.read(candidates[0])
    del files[candidates[0].filename.replace("\\", "/").strip("/").lower()]
    return Package(xml=xml, archive=archive, files=files)


def _root_name(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str:
    """The local name of the root element, read from the first bytes (nothing is parsed)."""
    with archive.open(entry) as member:
        head = member.read(4096).decode("utf-8", "replace")
    for part in head.split("<")[1:]:
        if part.startswith(("?", "!")):
            continue
        name = part.split()[0].rstrip(">/") if part.split() else ""
        return name.rpartition(":")[2]
    return ""


def _too_large(size: int, limit: int, *, status: int) -> EdtRejected:
    return rejected(
        _("The request is %(size).1f MB; at most %(limit).0f MB are accepted here.")
        % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
        http_status=status,
    )


# --- Parsing -----------------------------------------------------------------------------------------------


def parse_submittal(data: bytes) -> SubmittalRequest:
    root = parse_document(data, schema=SCHEMA, root=ROOT)
    problems = Problems()
    submittal = child(root, "FacilitySubmittal")
    if submittal is None:
        raise rejected(_("The document has no FacilitySubmittal."))
    cers_id = parse_int(text(submittal, "CERSID"))
    if cers_id is None:
        raise rejected(_("FacilitySubmittal: CERSID is required, the facility's CERS ID."), code=CODE_FIELD)
    supported = {int(e) for e in supported_elements()}
    elements: list[ElementInput] = []
    notes: list[EdtMessage] = []
    for node in submittal:
        tag = str(node.tag)
        if tag in ("CERSID", "FacilityID", "FacilityRegulatorKey"):
            continue
        code = ELEMENTS_BY_XML_NAME.get(tag)
        if code is None:
            notes.append(
                EdtMessage(
                    WARNING,
                    _("%(tag)s is not part of a facility submittal; it was not read.") % {"tag": tag},
                    CODE_NOTE,
                )
            )
            continue
        if code not in supported:
            problems.add(
                _(
                    "%(element)s cannot be received through the exchange yet: send the submittal without it, "
                    "and this element to the regulator directly."
                )
                % {"element": Element(code).label},
                code=CODE_DOCUMENT,
            )
            continue
        if any(e.code == code for e in elements):
            problems.add(_("%(element)s appears twice.") % {"element": Element(code).label})
            continue
        elements.append(_parse_element(node, code, problems, notes))
    if not any(e.code == Element.FACILITY_INFORMATION for e in elements):
        problems.add(_("FacilityInformation is required: it is part of every facility submittal."))
    problems.raise_if_blocking()
    return SubmittalRequest(
        regulator_transaction_key=(text(root, "RegulatorTransactionKey") or "")[:36],
        cers_id=cers_id,
        facility_regulator_key=(text(submittal, "FacilityRegulatorKey") or "")[:36],
        elements=elements,
        notes=notes,
    )


def _parse_element(node: ET.Element, code: int, problems: Problems, notes: list[EdtMessage]) -> ElementInput:
    label = str(Element(code).label)
    header = child(node, "SubmittalElementHeader")
    submitter = child(header, "Submitter")
    if header is None or submitter is None:
        problems.add(
            _("%(element)s: SubmittalElementHeader with its Submitter is required.") % {"element": label}
        )
    for ignored in ("RegulatorSubmittalAction", "NextDueDate", "ReportingRequirement"):
        if child(header, ignored) is not None:
            notes.append(
                EdtMessage(
                    ADVISORY,
                    _("%(element)s: %(name)s is not taken from a business's submittal; it was not used.")
                    % {"element": label, "name": ignored},
                    CODE_NOTE,
                )
            )
    element = ElementInput(
        code=code,
        regulator_code=parse_int(text(header, "RegulatorCode")),
        regulator_key=text(header, "SubmittalElementRegulatorKey") or "",
        submitted_on=parse_datetime(text(submitter, "SubmittedOn")),
        submitter_first_name=(text(submitter, "SubmitterFirstName") or "")[:80],
        submitter_last_name=(text(submitter, "SubmitterLastName") or "")[:80],
        submitter_email=(text(submitter, "SubmitterEmail") or "")[:240],
        submitter_comments=(text(submitter, "SubmitterComments") or "")[:1500],
    )
    if submitter is not None and not (element.submitter_first_name or element.submitter_last_name):
        problems.add(_("%(element)s: the Submitter's name is required.") % {"element": label})
    if code == Element.FACILITY_INFORMATION:
        activities = child(node, "BusinessActivities")
        owner = child(node, "OwnerOperatorInformation")
        element.business_activities = fields_of(activities) if activities is not None else None
        element.owner_operator = fields_of(owner) if owner is not None else None
    if code == Element.HAZARDOUS_MATERIALS_INVENTORY:
        chemicals = child(node, "Chemicals")
        rows = chemicals.findall("Chemical") if chemicals is not None else []
        if len(rows) > MAX_CHEMICALS:
            problems.add(
                _("%(element)s has %(count)d materials; at most %(max)d are accepted in one submittal.")
                % {"element": label, "count": len(rows), "max": MAX_CHEMICALS}
            )
        element.chemicals = [fields_of(row) for row in rows]
    for part in node:
        if str(part.tag) not in DATA_PARTS:
            element.documents.append(_parse_document(part, label, problems))
    return element


def _parse_document(node: ET.Element, label: str, problems: Problems) -> DocumentInput:
    name = str(node.tag)
    where = f"{label}, {name}"
    options = [part for part in node if isinstance(part.tag, str)]
    if len(options) != 1:
        problems.add(
            _(
                "%(where)s: give exactly one way the document is provided (Attachments, Exempt, "
                "ProvidedToRegulator, StoredAtFacility, ProvidedInOtherSubmittalElement or PublicInternetUri)."
            )
            % {"where": where}
        )
        return DocumentInput(name, "")
    option = options[0]
    kind = str(option.tag)
    if kind == "Exempt":
        return DocumentInput(name, DocumentOption.EXEMPT, comment=text(option, "Comment") or "")
    if kind == "ProvidedToRegulator":
        raw = text(option, "DateProvided")
        provided = parse_date(raw)
        if provided is None:
            problems.add(_("%(where)s: DateProvided must be a date, e.g. 2026-02-01.") % {"where": where})
        return DocumentInput(name, DocumentOption.PROVIDED_TO_REGULATOR, date_provided=provided)
    if kind == "StoredAtFacility":
        return DocumentInput(name, DocumentOption.STORED_AT_FACILITY)
    if kind == "ProvidedInOtherSubmittalElement":
        other = parse_int(text(option, "SubmittalElementCode"))
        if other is None:
            problems.add(
                _("%(where)s: SubmittalElementCode must be an element code from 1 to 10.") % {"where": where}
            )
        return DocumentInput(
            name, DocumentOption.OTHER_ELEMENT, other_element=other, comment=text(option, "Comment") or ""
        )
    if kind == "PublicInternetUri":
        return DocumentInput(name, DocumentOption.PUBLIC_URL, public_url=(option.text or "").strip())
    if kind == "Attachments":
        attachments = []
        for position, attachment in enumerate(option.findall("Attachment"), start=1):
            file_name = text(attachment, "AttachmentFileName") or ""
            if not file_name:
                problems.add(
                    _("%(where)s, attachment %(n)d: AttachmentFileName is required.")
                    % {"where": where, "n": position}
                )
            attachments.append(
                AttachmentInput(
                    file_name=file_name,
                    title=(text(attachment, "DocumentTitle") or "")[:300],
                    description=(text(attachment, "DocumentDescription") or "")[:500],
                    date_authored=parse_datetime(text(attachment, "DateAuthored")),
                    regulator_key=(text(attachment, "DocumentRegulatorKey") or "")[:255],
                )
            )
        if not attachments:
            problems.add(_("%(where)s: Attachments must list at least one Attachment.") % {"where": where})
        return DocumentInput(name, DocumentOption.UPLOAD, attachments=attachments)
    problems.add(
        _("%(where)s: %(kind)s is not a way to provide a document.") % {"where": where, "kind": kind}
    )
    return DocumentInput(name, "")


# --- Processing ------------------------------------------------------------------------------------------


@dataclass
class _Run:
    """The state of one pass-through while it is processed."""

    client: Any
    actor: Any
    facility: Facility
    package: Package
    transaction_key: str
    problems: list[EdtMessage] = field(default_factory=list)
    notes: list[EdtMessage] = field(default_factory=list)
    entity_keys: list[EntityKey] = field(default_factory=list)
    regulator_keys: list[RegulatorKey] = field(default_factory=list)

    def problem(self, text_: str, *, code: int = CODE_FIELD, entity: str = "") -> None:
        self.problems.append(EdtMessage(REQUIRED, text_, code, entity))

    def key(self, kind: str, record: Any, key: str, element: SubmittalElement | None, entity: str) -> None:
        if entity:  # an element's own key goes to SubmittalElementKeys instead
            self.entity_keys.append(EntityKey(entity, str(record.public_id), key))
        if key:
            self.regulator_keys.append(
                RegulatorKey(
                    regulator=self.client.regulator,
                    kind=kind,
                    public_id=record.public_id,
                    facility=self.facility,
                    element=element,
                    key=key[:255],
                )
            )


@transaction.atomic
def submittal_pass_through(
    *, request: SubmittalRequest, package: Package, client: Any, actor: Any, transaction_key: str
) -> SubmittalOutcome:
    """Build the drafts and submit them, or refuse everything (``EdtRejected``) with every message."""
    try:
        facility = facility_get_for_user(user=actor, cers_id=request.cers_id)
    except Http404:
        raise rejected(
            _("Facility %(cers_id)s does not exist or is not in your jurisdiction.")
            % {"cers_id": request.cers_id},
            code=CODE_NOT_FOUND,
            http_status=404,
        ) from None
    facility = (
        Facility.objects.select_for_update(of=("self",))
        .select_related("reporting_client")
        .get(pk=facility.pk)
    )
    refusal = pass_through_refusal(facility=facility, client=client)
    if refusal:
        raise rejected(refusal, code=CODE_CHANNEL, http_status=409)
    run = _Run(
        client=client, actor=actor, facility=facility, package=package, transaction_key=transaction_key
    )
    drafts: dict[int, SubmittalElement] = {}
    refused: set[int] = set()
    for element in request.elements:
        problems_before = len(run.problems)
        drafts[element.code] = _fill(run, element)
        if len(run.problems) > problems_before:
            refused.add(element.code)
    guidance_messages = []
    for element in request.elements:
        # The rules speak of what was saved: for an element whose input was refused, only its problems.
        if element.code not in refused:
            guidance_messages.extend(_guidance(drafts[element.code], element))
    problems = run.problems + [m for m in guidance_messages if m.level == REQUIRED]
    if problems:
        raise EdtRejected(problems + [m for m in guidance_messages if m.level != REQUIRED], http_status=422)
    first = next(e for e in request.elements if e.code == Element.FACILITY_INFORMATION)
    owner: Any = OwnerOperator.objects.filter(element=drafts[Element.FACILITY_INFORMATION]).first()
    submitter = " ".join(p for p in (first.submitter_first_name, first.submitter_last_name) if p)
    detail = _("%(portal)s (client %(prefix)s…), submitted by %(submitter)s <%(email)s>") % {
        "portal": client.name,
        "prefix": client.token_prefix,
        "submitter": submitter,
        "email": first.submitter_email,
    }
    try:
        submittal = facility_submit(
            facility=facility,
            actor=actor,
            element_codes=[e.code for e in request.elements],
            signer_name=(owner.identification_signer_name if owner else "") or submitter,
            signer_title=owner.identification_signer_title if owner else "",
            comments={e.code: e.submitter_comments for e in request.elements},
            auth_strength="sign-in at the local portal",
            origin=Origin.LOCAL_PORTAL,
            origin_detail=detail,
            check_permission=False,
        )
    except DomainError as error:
        raise rejected(
            error.message,
            code=CODE_CHANNEL if error.code == "reporting_channel" else CODE_FIELD,
            http_status=409 if error.code == "reporting_channel" else 422,
        ) from None
    RegulatorKey.objects.bulk_create(run.regulator_keys, ignore_conflicts=True)
    if request.facility_regulator_key:
        RegulatorKey.objects.update_or_create(
            regulator=client.regulator,
            public_id=facility.public_id,
            defaults={
                "kind": RegulatorKeyKind.FACILITY,
                "facility": facility,
                "key": request.facility_regulator_key,
            },
        )
    element_keys = []
    for element in request.elements:
        draft = drafts[element.code]
        element_keys.append((str(draft.public_id), element.regulator_key))
    messages = [*request.notes, *run.notes, *guidance_messages]
    messages.append(
        EdtMessage(
            ADVISORY,
            _("Submitted %(elements)s of facility %(cers_id)s to the regulator.")
            % {"elements": ", ".join(e.label for e in request.elements), "cers_id": facility.cers_id},
            CODE_NOTE,
        )
    )
    return SubmittalOutcome(
        messages=messages, submittal=submittal, element_keys=element_keys, entity_keys=run.entity_keys
    )


def _fill(run: _Run, element: ElementInput) -> SubmittalElement:
    """A fresh draft holding exactly what the document says (a draft made here before is replaced)."""
    existing = draft_of(run.facility, element.code)
    if existing is not None:
        draft_discard(draft=existing, actor=run.actor)
        run.notes.append(
            EdtMessage(
                WARNING,
                _("%(element)s: the draft that was started in the business portal was replaced.")
                % {"element": element.label},
                CODE_NOTE,
            )
        )
    draft = draft_get_or_create(facility=run.facility, element=element.code, actor=run.actor)
    HistoricalElement.objects.create(
        element=draft,
        submitted_by_first_name=element.submitter_first_name,
        submitted_by_last_name=element.submitter_last_name,
        submitted_by_email=element.submitter_email,
        source_transaction_key=run.transaction_key,
    )
    run.key(RegulatorKeyKind.ELEMENT, draft, element.regulator_key, draft, "")
    owner = run.facility.routes.filter(element=element.code).select_related("regulator").first()
    if (
        element.regulator_code is not None
        and owner is not None
        and owner.regulator.code != element.regulator_code
    ):
        run.notes.append(
            EdtMessage(
                WARNING,
                _("%(element)s goes to its regulator, %(owner)s (%(code)s), not to %(given)s.")
                % {
                    "element": element.label,
                    "owner": owner.regulator.name,
                    "code": owner.regulator.code,
                    "given": element.regulator_code,
                },
                CODE_NOTE,
            )
        )
    if element.code == Element.FACILITY_INFORMATION:
        _fill_facility_information(run, element, draft)
    if element.code == Element.HAZARDOUS_MATERIALS_INVENTORY:
        _fill_inventory(run, element, draft)
    for document in element.documents:
        _fill_document(run, element, draft, document)
    return draft


def _fill_facility_information(run: _Run, element: ElementInput, draft: SubmittalElement) -> None:
    for data, save, entity, key_name, kind, model in (
        (
            element.business_activities,
            business_activities_save,
            "BA",
            "BizActivitiesRegulatorKey",
            RegulatorKeyKind.BUSINESS_ACTIVITIES,
            BusinessActivities,
        ),
        (
            element.owner_operator,
            owner_operator_save,
            "BOOI",
            "OwnerOperatorRegulatorKey",
            RegulatorKeyKind.OWNER_OPERATOR,
            OwnerOperator,
        ),
    ):
        if data is None:
            continue  # the guidance says what is missing
        try:
            with transaction.atomic():
                save(draft=draft, actor=run.actor, data=data)
        except FieldProblems as error:
            for name, message in error.problems.items():
                run.problem(f"{element.label}, {name}: {message}", entity=entity)
            continue
        record = model.objects.get(element=draft)
        run.key(kind, record, data.get(key_name, ""), draft, entity)


def _fill_inventory(run: _Run, element: ElementInput, draft: SubmittalElement) -> None:
    """Every row through the inventory's bulk write (the material form's parsing and checks, all or nothing)."""
    rows = [
        {name: value for name, value in row.items() if name != "ChemicalRegulatorKey"}
        for row in element.chemicals
    ]
    try:
        with transaction.atomic():
            inventory_rows_write(draft=draft, actor=run.actor, rows=rows, replace=True)
    except BulkRowProblems as error:
        for row, name, message in error.row_problems:
            run.problem(
                _("%(element)s, material %(row)d, %(field)s: %(message)s")
                % {"element": element.label, "row": row, "field": name or "Chemical", "message": message},
                entity="HMI",
            )
        return
    items = InventoryItem.objects.filter(element=draft).order_by("position", "id").only("public_id")
    for item, row in zip(items, element.chemicals, strict=True):
        run.key(RegulatorKeyKind.CHEMICAL, item, row.get("ChemicalRegulatorKey", ""), draft, "HMI")


def _slot_for(
    run: _Run, element: ElementInput, draft: SubmittalElement, document: DocumentInput
) -> tuple[str, str] | None:
    """The slot key and response entity of a document of the XML (None when it has no slot here)."""
    slots = document_slots(draft)
    for slot in slots:
        if slot.xml_name and slot.xml_name == document.xml_name:
            return slot.key, ENTITY_OF_SLOT.get(slot.xml_name, "")
    if document.xml_name.endswith("LocallyCollectedDocuments"):
        local = [slot for slot in slots if slot.key.startswith("local:")]
        if len(local) == 1:
            return local[0].key, LOCAL_DOCUMENT_ENTITY.get(Element(element.code), "")
        run.notes.append(
            EdtMessage(
                WARNING,
                _(
                    "%(element)s, %(name)s: the regulator asks for %(count)d locally required documents here, "
                    "so this one could not be matched to one of them; it was not kept."
                )
                % {"element": element.label, "name": document.xml_name, "count": len(local)},
                CODE_NOTE,
            )
        )
        return None
    run.notes.append(
        EdtMessage(
            ADVISORY,
            _("%(element)s, %(name)s: no such document is collected here; it was not kept.")
            % {"element": element.label, "name": document.xml_name},
            CODE_NOTE,
        )
    )
    return None


def _fill_document(
    run: _Run, element: ElementInput, draft: SubmittalElement, document: DocumentInput
) -> None:
    found = _slot_for(run, element, draft, document)
    if found is None or not document.option:
        return
    slot, entity = found
    where = f"{element.label}, {document.xml_name}"
    try:
        with transaction.atomic():
            if document.option != DocumentOption.UPLOAD:
                record = document_set_option(
                    element=draft,
                    slot=slot,
                    option=document.option,
                    actor=run.actor,
                    other_element=document.other_element,
                    date_provided=document.date_provided,
                    public_url=document.public_url,
                    comment=document.comment,
                )
                if entity:
                    run.entity_keys.append(EntityKey(entity, str(record.public_id)))
                return
            _attach(run, draft, slot, entity, document, where)
    except DomainError as error:
        run.problem(f"{where}: {error.message}", entity=entity)


def _attach(
    run: _Run, draft: SubmittalElement, slot: str, entity: str, document: DocumentInput, where: str
) -> None:
    if run.package.archive is None:
        raise DomainError(
            _(
                "the attached files are not in the request: send the XML and its files together in a ZIP archive."
            )
        )
    missing = [a.file_name for a in document.attachments if run.package.find(a.file_name) is None]
    if missing:
        raise DomainError(_("%(files)s is not in the ZIP archive.") % {"files": ", ".join(missing)})
    description = next((a.description for a in document.attachments if a.description), "")
    document_set_option(
        element=draft, slot=slot, option=DocumentOption.UPLOAD, actor=run.actor, description=description
    )
    for attachment in document.attachments:
        info = run.package.find(attachment.file_name)
        assert info is not None
        with run.package.open(info) as stream:
            (stored,) = document_files_upload(
                element=draft,
                slot=slot,
                actor=run.actor,
                uploads=[Upload(posixpath.basename(attachment.file_name), stream, info.file_size)],
            )
        AttachmentDetail.objects.create(
            file=stored,
            element=draft,
            title=attachment.title,
            description=attachment.description,
            date_authored=attachment.date_authored,
        )
        run.key(RegulatorKeyKind.DOCUMENT, stored, attachment.regulator_key, draft, entity or "FILF")


def _guidance(draft: SubmittalElement, element: ElementInput) -> list[EdtMessage]:
    return [_message(g, element, draft) for g in element_guidance(draft)]


def _message(guidance: Guidance, element: ElementInput, draft: SubmittalElement) -> EdtMessage:
    if guidance.field in BA_FIELDS:
        entity = "BA"
    elif guidance.field in BOOI_FIELDS:
        entity = "BOOI"
    elif guidance.field in ENTITY_OF_SLOT:
        entity = ENTITY_OF_SLOT[guidance.field]
    elif guidance.field.startswith("local:"):
        entity = LOCAL_DOCUMENT_ENTITY.get(Element(element.code), "")
    elif element.code == Element.HAZARDOUS_MATERIALS_INVENTORY or guidance.field in HMI_FIELDS:
        entity = "HMI"
    else:
        entity = ""
    where = element.label
    if guidance.row:
        where = _("%(element)s, material %(row)d") % {"element": where, "row": guidance.row}
    name = guidance.field or ""
    text_ = f"{where}, {name}: {guidance.message}" if name else f"{where}: {guidance.message}"
    return EdtMessage(
        LEVELS.get(str(guidance.level), REQUIRED), text_, CODE_GUIDANCE, entity, str(draft.public_id)
    )
