"""Regulator Facility Submittal Query (RFSQ): the submitted elements of a regulator's facilities as
``RegulatorFacilitySubmittalQuery.xsd`` documents, streamed in constant memory.

* What a client sees comes from the review queue selector with the client's identity: only the
  regulator's own elements, never a draft, and 404 for a regulator the identity does not belong to.
* One ``FacilitySubmittal`` of the document is one certification (``FacilitySubmittal`` here) with those
  of its elements that match the filters, in the schema's order.
* A response holds at most ``limit`` facility submittals (in the order they were recorded); the next
  ones are asked for with the continuation key ``after`` (the last one's public id), which the view
  announces in the response.
* The database is read in batches of ``BATCH`` facility submittals (a few queries each); inventory rows
  are written by a fast serializer built from the field table, everything else with lxml.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from lxml import etree

from opencers.core.elements import Element
from opencers.documents.models import Document, DocumentOption
from opencers.edt.codes import STATUS_CODES, namespace
from opencers.edt.models import AttachmentDetail, HistoricalElement, RegulatorKey, RegulatorKeyKind
from opencers.edt.xmlwrite import (
    Writer,
    clean,
    compile_fields_writer,
    element,
    escaped,
    stream_document,
    sub,
    sub_if,
    xml_datetime,
)
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.fields import FieldSpec
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.organizations.models import FacilityElementRoute
from opencers.submittals.models import FacilitySubmittal, SubmittalElement
from opencers.submittals.selectors import review_queue

SCHEMA = "RegulatorFacilitySubmittalQuery"
ROOT = "RegulatorFacilitySubmittals"
MAX_RESULTS = 1000  # facility submittals per response
BATCH = 100  # facility submittals read from the database at a time

# Where each document slot goes in the XML: (list element, item element, DocumentType element).
SLOT_PLACES: dict[tuple[int, str], tuple[str, str, str]] = {
    (Element.HAZARDOUS_MATERIALS_INVENTORY, "site_map"): ("SiteMaps", "SiteMap", "SiteMapDocument"),
    (Element.EMERGENCY_RESPONSE_TRAINING, "emergency_response_plan"): (
        "EmergencyResponseContingencyPlans",
        "EmergencyResponseContingencyPlan",
        "EmergencyResponseContingencyPlanDocument",
    ),
    (Element.EMERGENCY_RESPONSE_TRAINING, "employee_training_plan"): (
        "EmployeeTrainingPlans",
        "EmployeeTrainingPlan",
        "EmployeeTrainingPlanDocument",
    ),
}
# A regulator's locally required documents of each element.
LOCAL_PLACES: dict[int, str] = {
    Element.FACILITY_INFORMATION: "FacilityInformationLocallyCollectedDocuments",
    Element.HAZARDOUS_MATERIALS_INVENTORY: "HMILocallyCollectedDocuments",
    Element.EMERGENCY_RESPONSE_TRAINING: "ERTrainingPlanLocallyCollectedDocuments",
}
LOCAL_SLOT_PREFIX = "local:"
GEOGRAPHIC_FIELDS = (
    "LatitudeMeasure",
    "LongitudeMeasure",
    "HorizontalAccuracyMeasure",
    "HorizontalCollectionMethod",
    "GeographicReferencePoint",
    "HorizontalReferenceDatum",
    "DataCollectionDate",
)
EXPORTED_ELEMENTS = (
    Element.FACILITY_INFORMATION,
    Element.HAZARDOUS_MATERIALS_INVENTORY,
    Element.EMERGENCY_RESPONSE_TRAINING,
)


# --- Which elements ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmittalFilters:
    """The state's RFSQ filters, already parsed (dates as aware datetimes, status as ours)."""

    cers_id: int | None = None
    organization_code: int | None = None
    status: str | None = None
    element: int | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    action_from: datetime | None = None
    action_to: datetime | None = None


def rfsq_elements(*, user: Any, regulator: Any, filters: SubmittalFilters) -> QuerySet[SubmittalElement]:
    """The submitted elements of ``regulator`` that ``user`` may read and that match the filters.

    Raises Http404 when the user is not one of the regulator's (the review queue selector decides).
    """
    elements = review_queue(user=user, regulator=regulator, element=filters.element, status=filters.status)
    elements = elements.filter(element__in=EXPORTED_ELEMENTS, facility_submittal__isnull=False)
    if filters.cers_id is not None:
        elements = elements.filter(facility__cers_id=filters.cers_id)
    if filters.organization_code is not None:
        elements = elements.filter(facility__organization__code=filters.organization_code)
    if filters.submitted_from is not None:
        elements = elements.filter(submitted_at__gte=filters.submitted_from)
    if filters.submitted_to is not None:
        elements = elements.filter(submitted_at__lte=filters.submitted_to)
    if filters.action_from is not None:
        elements = elements.filter(action_at__gte=filters.action_from)
    if filters.action_to is not None:
        elements = elements.filter(action_at__lte=filters.action_to)
    return elements


@dataclass(frozen=True)
class Page:
    submittal_ids: list[int]  # FacilitySubmittal row ids, in order
    more: bool  # there are further facility submittals after this page
    next_after: str | None  # the continuation key for the next page


class UnknownContinuation(ValueError):
    """The continuation key names no facility submittal."""


def rfsq_page(elements: QuerySet[SubmittalElement], *, after: str | None, limit: int) -> Page:
    """The facility submittals of one response: at most ``limit``, after the continuation key."""
    ids = (
        elements.order_by("facility_submittal_id").values_list("facility_submittal_id", flat=True).distinct()
    )
    if after:
        try:
            after_uuid = uuid.UUID(after)
        except ValueError:
            raise UnknownContinuation(after) from None
        after_id = FacilitySubmittal.objects.filter(public_id=after_uuid).values_list("pk", flat=True).first()
        if after_id is None:
            raise UnknownContinuation(after)
        ids = ids.filter(facility_submittal_id__gt=after_id)
    found = list(ids[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    next_after = None
    if more and found:
        next_after = str(FacilitySubmittal.objects.values_list("public_id", flat=True).get(pk=found[-1]))
    return Page(submittal_ids=found, more=more, next_after=next_after)


# --- Reading a batch -----------------------------------------------------------------------------------

_BA_NAMES = [spec.name for spec in BUSINESS_ACTIVITIES_FIELDS]
_OO_NAMES = [spec.name for spec in OWNER_OPERATOR_FIELDS]
_CHEMICAL_NAMES = [spec.name for spec in CHEMICAL_FIELDS]


@dataclass
class _Batch:
    elements: dict[int, list[SubmittalElement]]  # facility submittal id → its elements (schema order)
    activities: dict[int, tuple[Any, ...]]  # element id → (public_id, *values)
    owners: dict[int, tuple[Any, ...]]
    chemicals: dict[int, list[tuple[Any, ...]]]  # element id → [(public_id, *values)]
    documents: dict[int, list[Document]]
    details: dict[int, AttachmentDetail]  # file id → detail
    history: dict[int, HistoricalElement]
    keys: dict[uuid.UUID, str]  # record public id → this regulator's key
    due: dict[tuple[int, int], date | None]  # (facility id, element) → next due date


def _read_batch(elements: QuerySet[SubmittalElement], submittal_ids: list[int], regulator: Any) -> _Batch:
    rows = list(
        elements.filter(facility_submittal_id__in=submittal_ids)
        .select_related("facility", "facility__organization", "submitted_by", "regulator")
        .order_by("facility_submittal_id", "element")
    )
    by_submittal: dict[int, list[SubmittalElement]] = defaultdict(list)
    for row in rows:
        by_submittal[row.facility_submittal_id].append(row)  # type: ignore[index]
    ids = [row.pk for row in rows]
    of_kind: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        of_kind[row.element].append(row.pk)
    facility_ids = {row.facility_id for row in rows}
    activities = {
        values[0]: values[1:]
        for values in BusinessActivities.objects.filter(
            element_id__in=of_kind[Element.FACILITY_INFORMATION]
        ).values_list("element_id", "public_id", *_BA_NAMES)
    }
    owners = {
        values[0]: values[1:]
        for values in OwnerOperator.objects.filter(
            element_id__in=of_kind[Element.FACILITY_INFORMATION]
        ).values_list("element_id", "public_id", *_OO_NAMES)
    }
    chemicals: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for values in (
        InventoryItem.objects.filter(element_id__in=of_kind[Element.HAZARDOUS_MATERIALS_INVENTORY])
        .order_by("element_id", "position", "id")
        .values_list("element_id", "public_id", *_CHEMICAL_NAMES)
    ):
        chemicals[values[0]].append(values[1:])
    documents: dict[int, list[Document]] = defaultdict(list)
    file_ids: list[int] = []
    for document in Document.objects.filter(element_id__in=ids).prefetch_related("files").order_by("slot"):
        documents[document.element_id].append(document)
        file_ids.extend(f.pk for f in document.files.all())
    details = {detail.file_id: detail for detail in AttachmentDetail.objects.filter(file_id__in=file_ids)}
    history = {h.element_id: h for h in HistoricalElement.objects.filter(element_id__in=ids)}
    keys = dict(
        RegulatorKey.objects.filter(regulator=regulator, element_id__in=ids).values_list("public_id", "key")
    )
    keys.update(
        RegulatorKey.objects.filter(
            regulator=regulator, facility_id__in=facility_ids, kind=RegulatorKeyKind.FACILITY
        ).values_list("public_id", "key")
    )
    due = {
        (facility_id, code): next_due
        for facility_id, code, next_due in FacilityElementRoute.objects.filter(
            facility_id__in=facility_ids
        ).values_list("facility_id", "element", "next_due_date")
    }
    return _Batch(by_submittal, activities, owners, chemicals, documents, details, history, keys, due)


# --- Writing ------------------------------------------------------------------------------------------


def _split_name(full_name: str) -> tuple[str, str]:
    first, _sep, last = full_name.strip().partition(" ")
    return first, last.strip()


def header(el: SubmittalElement, batch: _Batch) -> etree._Element:
    """``SubmittalElementHeaderType``: who submitted when, the regulator, its status and action."""
    node = element("SubmittalElementHeader")
    sub(node, "SubmittedOn", el.submitted_at)
    history = batch.history.get(el.pk)
    if history is not None:
        first, last, email = (
            history.submitted_by_first_name,
            history.submitted_by_last_name,
            history.submitted_by_email,
        )
    elif el.submitted_by is not None:
        first, last = _split_name(el.submitted_by.full_name)
        email = el.submitted_by.email
    else:
        first = last = email = ""
    sub(node, "SubmittedByFirstName", first[:80])
    sub(node, "SubmittedByLastName", last[:80])
    sub(node, "SubmittedByEmail", email[:254])
    sub_if(node, "SubmittedByComments", el.submitter_comments)
    sub(node, "RegulatorCode", el.regulator.code)  # type: ignore[union-attr]
    sub(node, "SubmittalStatus", STATUS_CODES[el.status])
    details = sub(node, "SubmittalActionDetails")
    sub(details, "SubmittalActionOn", xml_datetime(el.action_at) if el.action_at else "")
    sub(details, "SubmittalActionAgentName", el.action_agent_name)
    sub(details, "SubmittalActionAgentEmail", el.action_agent_email)
    sub(details, "SubmittalActionComments", el.action_comments)
    sub_if(node, "NextDueDate", batch.due.get((el.facility_id, el.element)))
    regulator_key = batch.keys.get(el.public_id, "")
    if regulator_key and _is_guid(regulator_key):
        sub(node, "SubmittalElementRegulatorKey", regulator_key)
    sub(node, "CERSUniqueKey", el.public_id)
    return node


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text.strip("{}"))
    except ValueError:
        return False
    return True


def _fields(
    parent: etree._Element,
    specs: Iterable[FieldSpec],
    values: Iterable[Any],
    always: frozenset[str] = frozenset(),
) -> None:
    for spec, value in zip(specs, values, strict=True):
        if value is None or value == "":
            if spec.xml in always:
                sub(parent, spec.xml, "")
            continue
        sub(parent, spec.xml, value)


_BA_REQUIRED = frozenset({"BusinessName", "SiteAddress", "City", "ZipCode"})


def facility_information(el: SubmittalElement, batch: _Batch) -> etree._Element:
    node = element("FacilityInformation")
    node.append(header(el, batch))
    activities = batch.activities.get(el.pk)
    if activities is not None:
        part = sub(node, "BusinessActivities")
        _fields(part, BUSINESS_ACTIVITIES_FIELDS, activities[1:], always=_BA_REQUIRED)
        sub_if(part, "BizActivitiesRegulatorKey", batch.keys.get(activities[0], "")[:36])
        sub(part, "CERSUniqueKey", activities[0])
    owner = batch.owners.get(el.pk)
    if owner is not None:
        part = sub(node, "OwnerOperatorInformation")
        _fields(part, OWNER_OPERATOR_FIELDS, owner[1:])
        sub_if(part, "OwnerOperatorRegulatorKey", batch.keys.get(owner[0], "")[:36])
        sub(part, "CERSUniqueKey", owner[0])
    history = batch.history.get(el.pk)
    point = history.geographic_point if history is not None else None
    if point and all(point.get(name) not in (None, "") for name in GEOGRAPHIC_FIELDS):
        cers_point = sub(sub(node, "GeographicInformation"), "CERSPoint")
        for name in GEOGRAPHIC_FIELDS:
            sub(cers_point, name, point[name])
    _local_documents(node, el, batch)
    return node


def _document(tag: str, document: Document, el: SubmittalElement, batch: _Batch) -> etree._Element | None:
    """A ``DocumentType`` element: one of its six options. None when it cannot be expressed."""
    node = element(tag)
    option = document.option
    if option == DocumentOption.UPLOAD:
        files = list(document.files.all())
        if not files:
            return None
        attachments = sub(node, "Attachments")
        for stored in files:
            detail = batch.details.get(stored.pk)
            attachment = sub(attachments, "Attachment")
            sub(attachment, "AttachmentFileName", stored.original_name[:254])
            sub(attachment, "DocumentTitle", ((detail.title if detail else "") or document.title)[:300])
            sub(
                attachment,
                "DocumentDescription",
                ((detail.description if detail else "") or document.description)[:500],
            )
            authored = (detail.date_authored if detail else None) or stored.created_at
            sub(attachment, "DateAuthored", authored)
            sub(attachment, "DocumentRegulatorKey", batch.keys.get(stored.public_id, "")[:36])
            sub(attachment, "CERSUniqueKey", stored.public_id)
    elif option == DocumentOption.EXEMPT:
        sub(sub(node, "Exempt"), "Comment", document.comment[:500])
    elif option == DocumentOption.PROVIDED_TO_REGULATOR and document.date_provided:
        sub(sub(node, "ProvidedToRegulator"), "DateProvided", document.date_provided)
    elif option == DocumentOption.STORED_AT_FACILITY:
        sub(sub(node, "StoredAtFacility"), "CERSID", el.facility.cers_id)
    elif option == DocumentOption.OTHER_ELEMENT and document.other_element:
        other = sub(node, "ProvidedInOtherSubmittalElement")
        sub_if(other, "Comment", document.comment[:500])
        sub(other, "SubmittalElementCode", document.other_element)
    elif option == DocumentOption.PUBLIC_URL and document.public_url:
        sub(node, "PublicInternetUri", document.public_url[:1000])
    else:
        return None
    return node


def _slot_documents(parent: etree._Element, el: SubmittalElement, batch: _Batch) -> None:
    """The element's own document slots, in the schema's order of their places."""
    documents = {document.slot: document for document in batch.documents.get(el.pk, [])}
    for (code, slot), (list_tag, item_tag, document_tag) in SLOT_PLACES.items():
        if code != el.element or slot not in documents:
            continue
        node = _document(document_tag, documents[slot], el, batch)
        if node is not None:
            sub(sub(parent, list_tag), item_tag).append(node)


def _local_documents(parent: etree._Element, el: SubmittalElement, batch: _Batch) -> None:
    """The regulator's locally required documents: one ``…LocallyCollectedDocuments`` element holding the
    attachments of all of them (or, when none is uploaded, how the first one is provided)."""
    local = [d for d in batch.documents.get(el.pk, []) if d.slot.startswith(LOCAL_SLOT_PREFIX)]
    if not local:
        return
    tag = LOCAL_PLACES[el.element]
    uploads = [d for d in local if d.option == DocumentOption.UPLOAD and d.files.all()]
    if uploads:
        merged = element(tag)
        attachments = sub(merged, "Attachments")
        for document in uploads:
            node = _document(tag, document, el, batch)
            if node is not None:
                found = node.find("Attachments")
                if found is not None:
                    attachments.extend(list(found))
        parent.append(merged)
        return
    for document in local:
        node = _document(tag, document, el, batch)
        if node is not None:
            parent.append(node)
            return


_chemical_fields = compile_fields_writer(CHEMICAL_FIELDS, 1)


def _serialize_chemical(row: tuple[Any, ...], regulator_key: str) -> str:
    """One inventory row as ``<Chemical>…</Chemical>`` from ``(public_id, *values)`` as ``_read_batch``
    reads it, in the schema's order (the field table's), ending with the regulator's key and ours."""
    key = (
        f"<ChemicalRegulatorKey>{escaped(regulator_key[:36])}</ChemicalRegulatorKey>" if regulator_key else ""
    )
    return f"<Chemical>{_chemical_fields(row)}{key}<CERSUniqueKey>{row[0]}</CERSUniqueKey></Chemical>"


def _write_inventory(writer: Writer, el: SubmittalElement, batch: _Batch) -> None:
    with writer.open("HazardousMaterialsInventory"):
        writer.write(header(el, batch))
        rows = batch.chemicals.get(el.pk, [])
        if rows:
            with writer.open("Chemicals"):
                writer.raw("".join(_serialize_chemical(row, batch.keys.get(row[0], "")) for row in rows))
        rest = element("Rest")
        _slot_documents(rest, el, batch)
        _local_documents(rest, el, batch)
        for child in rest:
            writer.write(child)


def emergency_response(el: SubmittalElement, batch: _Batch) -> etree._Element:
    node = element("EmergencyResponseTrainingPlans")
    node.append(header(el, batch))
    _slot_documents(node, el, batch)
    _local_documents(node, el, batch)
    return node


def _write_facility_submittal(writer: Writer, elements: list[SubmittalElement], batch: _Batch) -> None:
    facility = elements[0].facility
    with writer.open("FacilitySubmittal"):
        writer.write(element("CERSID", facility.cers_id))
        organization = element("CERSOrganization")
        sub(organization, "OrganizationCode", facility.organization.code)
        sub(organization, "OrganizationName", clean(facility.organization.name)[:100])
        writer.write(organization)
        if facility.regulator_facility_id:
            writer.write(element("FacilityID", facility.regulator_facility_id[:13]))
        facility_key = batch.keys.get(facility.public_id, "")
        if facility_key:
            writer.write(element("FacilityRegulatorKey", facility_key[:36]))
        for el in elements:
            if el.element == Element.FACILITY_INFORMATION:
                writer.write(facility_information(el, batch))
            elif el.element == Element.HAZARDOUS_MATERIALS_INVENTORY:
                _write_inventory(writer, el, batch)
            elif el.element == Element.EMERGENCY_RESPONSE_TRAINING:
                writer.write(emergency_response(el, batch))


def rfsq_stream(
    *,
    elements: QuerySet[SubmittalElement],
    page: Page,
    regulator: Any,
    transaction_key: Any,
    generated_at: datetime,
    note: str = "",
    counter: list[int] | None = None,
) -> Iterator[bytes]:
    """The document of one page, as byte chunks. ``counter[0]`` counts the facility submittals written."""
    schema_namespace = namespace(SCHEMA)

    def body(writer: Writer) -> Iterator[bool]:
        writer.write(element("DataSetDateTime", generated_at))
        writer.write(element("TransactionKey", transaction_key))
        writer.write(element("TransactionStatus", "Accepted"))
        if note:
            writer.comment(note)
        yield True
        for start in range(0, len(page.submittal_ids), BATCH):
            chunk = page.submittal_ids[start : start + BATCH]
            batch = _read_batch(elements, chunk, regulator)
            for submittal_id in chunk:
                found = batch.elements.get(submittal_id)
                if not found:
                    continue
                _write_facility_submittal(writer, found, batch)
                if counter is not None:
                    counter[0] += 1
                yield False

    return stream_document(schema_namespace=schema_namespace, root=ROOT, body=body)
