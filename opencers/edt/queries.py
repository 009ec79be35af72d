"""The exchange's library and regulator query documents, other than the facility submittal query.

* Chemical Library Query (``ChemicalLibraryQuery.xsd``): our chemical library, whole (streamed) or one
  substance by CAS number or library id (CCLID).
* Violation Library Query (``ViolationLibraryQuery.xsd``): there is no violation library yet; the answer is
  the schema's valid empty document.
* Data dictionary (``DictionaryDataQuery.xsd``): every field of the element field tables, with its codes.
* Endpoint metadata (``EndpointMetadata.xsd``): the authentication test lists the query services and
  whether the client's token reaches each one.
* Regulator Facility Query, Regulator Organization Query (``RegulatorFacilityQuery.xsd``,
  ``RegulatorOrganizationQuery.xsd``): the facilities and organizations of the client's jurisdiction.
* Regulator Facility Transfer Query (``RegulatorFacilityTransferQuery.xsd``): no facility has been
  transferred yet; the answer is the schema's valid empty document.
* Refusals: a ``RegulatorFacilitySubmittalResponse`` with the transaction rejected and the reason.

Mappings of our values to the state's codes that the schemas do not spell out: organization origin
(ROQ names, RFQ numbers 1-6 in the ROQ's order: EDT, Business, Cal/EPA, Letter, Seeding, CUPA) and the
reporting requirement (20.0088: 1 not applicable, 2 applicable, 3 always applicable, as the facility
create response writes it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from opencers.core.elements import Element
from opencers.core.validators import normalize_cas
from opencers.edt.codes import ELEMENT_XML_NAMES, namespace
from opencers.edt.models import RegulatorKey, RegulatorKeyKind
from opencers.edt.xmlwrite import (
    Writer,
    escaped,
    root_element,
    stream_document,
    sub,
    sub_if,
    to_bytes,
    xml_datetime,
)
from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
from opencers.elements.fields import CODE, DATE, DECIMAL, INTEGER, TEXT, YES_NO, YESNO, FieldSpec
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.library.fire_code import fire_code_liquid_class
from opencers.library.models import Chemical
from opencers.organizations.models import (
    Facility,
    FacilityElementRoute,
    Organization,
    OrganizationOrigin,
    Requirement,
)
from opencers.organizations.selectors import facilities_for_user
from opencers.submittals.models import FacilitySubmittal

XSI = "http://www.w3.org/2001/XMLSchema-instance"
MAX_FACILITIES = 1000  # per Regulator Facility Query response
MAX_ORGANIZATIONS = 500  # per Regulator Organization Query response

ORIGIN_NAMES: dict[str, str] = {
    OrganizationOrigin.EXCHANGE: "EDT",
    OrganizationOrigin.BUSINESS: "Business",
    OrganizationOrigin.STATE: "Cal/EPA",
    OrganizationOrigin.REGULATOR: "CUPA",
}
ORIGIN_NUMBERS = {"EDT": "1", "Business": "2", "Cal/EPA": "3", "Letter": "4", "Seeding": "5", "CUPA": "6"}
REPORTING_REQUIREMENT_CODES: dict[str, str] = {
    Requirement.NOT_APPLICABLE: "1",
    Requirement.APPLICABLE: "2",
    Requirement.ALWAYS: "3",
}


# --- Refusals ------------------------------------------------------------------------------------------

CODE_AUTHENTICATION = 110
CODE_SCOPE = 111
CODE_NOT_FOUND = 130
CODE_PARAMETER = 120


def refusal_document(*, key: Any, message: str, code: int, received: datetime) -> bytes:
    """``RegulatorFacilitySubmittalResponse`` saying the transaction was rejected, and why."""
    schema = "RegulatorFacilitySubmittalResponse"
    root = root_element(namespace(schema), schema, timeStamp=received)
    transaction = sub(root, "Transaction")
    sub(transaction, "TransactionKey", key)
    sub(transaction, "TransactionReceived", received)
    sub(transaction, "TransactionStatus", "Rejected")
    summary = sub(root, "Summary")
    sub(summary, "ErrorSummary", message)
    messages = sub(root, "GuidanceMessages")
    sub(messages, "GuidanceMessage", message).attrib.update({"guidanceCode": str(code), "level": "Required"})
    return to_bytes(root)


# --- Chemical library ------------------------------------------------------------------------------------

_CLQ_SCHEMA = "ChemicalLibraryQuery"
_NIL = ' xsi:nil="true"'
_FHC_TAGS = (
    "FHCFire",
    "FHCReactive",
    "FHCPressureRelease",
    "FHCAcuteHealth",
    "FHCChronicHealth",
    "FHCPhysicalFlammable",
    "FHCPhysicalGasUnderPressure",
    "FHCPhysicalExplosive",
    "FHCPhysicalSelfHeating",
    "FHCPhysicalPyrophoric",
    "FHCPhysicalOxidizer",
    "FHCPhysicalOrganicPeroxide",
    "FHCPhysicalSelfReactive",
    "FHCPhysicalPyrophoricGas",
    "FHCPhysicalCorrosiveToMetal",
    "FHCPhysicalContactWaterEmitsFlammableGas",
    "FHCPhysicalCombustibleDust",
    "FHCPhysicalHazardNotOtherwiseClassified",
    "FHCHealthCarcinogenicity",
    "FHCHealthAcuteToxicity",
    "FHCHealthReproductiveToxicity",
    "FHCHealthSkinCorrosionIrritation",
    "FHCHealthRespiratorySkinSensitization",
    "FHCHealthSeriousEyeDamageEyeIrritation",
    "FHCHealthSpecificTargetOrganToxicity",
    "FHCHealthAspirationHazard",
    "FHCHealthGermCellMutagenicity",
    "FHCHealthSimpleAsphyxiant",
    "FHCHealthHazardNotOtherwiseClassified",
)
# What the library does not record about a substance: written empty (or nil where the schema allows).
_UNKNOWN_HAZARDS = "".join(f"<{tag}/>" for tag in _FHC_TAGS)
_UNKNOWN_COMPONENTS = "".join(
    f"<Component{n}Percent{_NIL}/><Component{n}Name/><Component{n}EHS/><Component{n}CAS/>"
    for n in range(1, 6)
)
_CHEMICAL_COLUMNS = (
    "ccl_id",
    "cas",
    "name",
    "ehs",
    "physical_state",
    "flash_point_f",
    "boiling_point_f",
    "updated_at",
)


def _chemical_markup(row: tuple[Any, ...]) -> str:
    ccl_id, cas, name, ehs, state, flash, boiling, updated = row
    fire_class = fire_code_liquid_class(flash, boiling) if state == "b" else None
    fire_codes = "".join(
        f"<FireCode{n}>{fire_class}</FireCode{n}>" if n == 1 and fire_class else f"<FireCode{n}{_NIL}/>"
        for n in range(1, 9)
    )
    name_text = escaped(name[:500])
    return (
        f"<Chemical><CCLID>{ccl_id}</CCLID><CAS>{escaped(cas)}</CAS><USEPASRSNumber/>"
        f"<ChemicalName>{name_text}</ChemicalName><CommonName>{name_text}</CommonName>"
        f"<PhysState>{escaped(state)}</PhysState><HMType>a</HMType><EHS>{'Y' if ehs else 'N'}</EHS>"
        f"{fire_codes}{_UNKNOWN_HAZARDS}<STACode/><RadioActive/><Curies{_NIL}/><TradeSecret/><Comments/>"
        f"{_UNKNOWN_COMPONENTS}<AdditionalMixtureComponent/><DOTHazClassID{_NIL}/>"
        f"<LastUpdated>{xml_datetime(updated)}</LastUpdated><Prop65Types/></Chemical>"
    )


def chemical_find(identifier: str) -> Chemical | None:
    """A substance by CAS number (with or without hyphens) or by library id (CCLID)."""
    text = identifier.strip()
    if "-" in text:
        return Chemical.objects.filter(cas=normalize_cas(text)).first()
    if text.isdigit():
        by_id = Chemical.objects.filter(ccl_id=int(text)).first() if len(text) <= 9 else None
        return by_id or Chemical.objects.filter(cas=normalize_cas(text)).first()
    return None


def chemical_library_stream(
    *, chemicals: QuerySet[Chemical], generated_at: datetime, counter: list[int] | None = None
) -> Iterator[bytes]:
    """The library (or the given substances) as a ``Chemicals`` document, streamed in CCLID order."""

    def body(writer: Writer) -> Iterator[bool]:
        yield True
        rows = chemicals.order_by("ccl_id").values_list(*_CHEMICAL_COLUMNS)
        batch: list[str] = []
        for row in rows.iterator(chunk_size=2000):
            batch.append(_chemical_markup(row))
            if counter is not None:
                counter[0] += 1
            if len(batch) >= 200:
                writer.raw("".join(batch))
                batch = []
                yield False
        if batch:
            writer.raw("".join(batch))

    return stream_document(
        schema_namespace=namespace(_CLQ_SCHEMA),
        root="Chemicals",
        body=body,
        attributes={"dataSetDateTime": generated_at},
        extra_namespaces={"xsi": XSI},
    )


# --- Violation library -----------------------------------------------------------------------------------


def violation_library_document(*, generated_at: datetime) -> bytes:
    """The violation library: empty until one is loaded (the schema's valid empty document)."""
    schema = "ViolationLibraryQuery"
    return to_bytes(root_element(namespace(schema), "Violations", dataSetDateTime=generated_at))


# --- Data dictionary ---------------------------------------------------------------------------------------

DICTIONARY_TABLES: tuple[tuple[Element, str, tuple[FieldSpec, ...]], ...] = (
    (Element.FACILITY_INFORMATION, "Business Activities", BUSINESS_ACTIVITIES_FIELDS),
    (Element.FACILITY_INFORMATION, "Owner/Operator Identification", OWNER_OPERATOR_FIELDS),
    (Element.HAZARDOUS_MATERIALS_INVENTORY, "Hazardous Materials Inventory", CHEMICAL_FIELDS),
)
_GENERIC_TYPES = {
    TEXT: "String",
    YESNO: "Boolean",
    CODE: "Code",
    DECIMAL: "Decimal",
    INTEGER: "Integer",
    DATE: "Date",
}


def _field_format(spec: FieldSpec) -> str:
    if spec.kind == TEXT:
        return f"Text, up to {spec.max_length} characters" if spec.max_length else "Text"
    if spec.kind == YESNO:
        return "Y or N"
    if spec.kind == CODE:
        return "One of the codes"
    if spec.kind == DECIMAL:
        digits = spec.total_digits or 15
        return f"Number, up to {digits} digits, {spec.decimal_places} after the decimal point"
    if spec.kind == INTEGER:
        return "Whole number"
    return "Date, YYYY-MM-DD"


def _registry_number(spec: FieldSpec) -> str:
    """The field's data dictionary number without its letter suffix (216aa → 216)."""
    digits = ""
    for character in spec.updd:
        if not character.isdigit():
            break
        digits += character
    return digits or "0"


def data_dictionary_document(*, generated_at: datetime, xml_tag: str = "") -> bytes:
    """Every field of the element field tables (or the one named ``xml_tag``), with its code list."""
    schema = "DictionaryDataQuery"
    root = root_element(namespace(schema), "DictionaryData", dataSetDateTime=generated_at)
    elements = sub(root, "DataElements")
    for code, section, specs in DICTIONARY_TABLES:
        for spec in specs:
            if xml_tag and spec.xml != xml_tag:
                continue
            node = sub(elements, "DataElement")
            sub(node, "Name", str(spec.label))
            sub(node, "FieldIdentifier", spec.updd)
            sub(node, "CERSDataRegistryID", _registry_number(spec))
            sub(node, "DataStandard", "Unified Program Data Dictionary")
            sub(node, "Section", f"{Element(code).label}: {section}")
            sub(node, "Description", str(spec.label))
            sub(node, "XMLTag", spec.xml)
            sub(node, "Instructions", str(spec.help))
            sub(node, "FieldFormat", _field_format(spec))
            sub(node, "GenericDataType", _GENERIC_TYPES[spec.kind])
            if spec.max_length:
                sub(node, "DataLength", spec.max_length)
            sub(node, "CERSMinimallyRequiredField", "true" if spec.required else "false")
            sub(node, "LastUpdated", generated_at)
            codes = spec.codes or (YES_NO if spec.kind == YESNO else ())
            if codes:
                values = sub(node, "Values")
                for value, label in codes:
                    sub(values, "Value", str(label)).set("code", value)
    return to_bytes(root)


# --- Endpoint metadata (authentication test) ------------------------------------------------------------


@dataclass(frozen=True)
class EndpointInfo:
    name: str
    tier: int
    acronym: str
    category: str
    url_fragment: str
    description: str
    scope: str
    output_schema: str


def endpoints_document(
    *, endpoints: Sequence[EndpointInfo], scopes: Iterable[str], base_url: str, generated_at: datetime
) -> bytes:
    """The query services, each marked available or not to the client (by its token's scopes)."""
    schema = "EndpointMetadata"
    granted = set(scopes)
    root = root_element(namespace(schema), "Endpoints", environment="OpenCERS", timeStamp=generated_at.date())
    for info in endpoints:
        node = sub(root, "Endpoint")
        sub(node, "Name", info.name)
        sub(node, "Tier", info.tier)
        sub(node, "Acronym", info.acronym)
        available = info.scope in granted
        sub(
            node,
            "Status",
            "Available" if available else f"Not available: the token lacks the '{info.scope}' scope",
        )
        sub(node, "Category", info.category)
        sub(node, "AcceptsZipPackages", "false")
        sub(node, "UrlFragment", info.url_fragment)
        sub(node, "Description", info.description)
        sub(node, "Uri", base_url.rstrip("/") + info.url_fragment)
        output = sub(node, "OutputSchema")
        sub(output, "Name", info.output_schema)
        sub(output, "Location", f"{info.output_schema}.xsd")
        sub(output, "Namespace", namespace(info.output_schema))
        sub(output, "PublishDate", "")
        sub(output, "FileName", f"{info.output_schema}.xsd")
    return to_bytes(root)


# --- Facilities and organizations of a jurisdiction ---------------------------------------------------------


def jurisdiction_facilities(*, user: Any, regulator: Any) -> QuerySet[Facility]:
    """The facilities ``regulator`` regulates (its CUPA area or an element it owns), as ``user`` may see them."""
    return (
        facilities_for_user(user=user, permission="facility:view")
        .filter(Q(cupa=regulator) | Q(routes__regulator=regulator))
        .distinct()
    )


@dataclass(frozen=True)
class FacilityFilters:
    cers_id: int | None = None
    organization_code: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def facility_query(facilities: QuerySet[Facility], filters: FacilityFilters) -> QuerySet[Facility]:
    if filters.cers_id is not None:
        facilities = facilities.filter(cers_id=filters.cers_id)
    if filters.organization_code is not None:
        facilities = facilities.filter(organization__code=filters.organization_code)
    if filters.created_from is not None:
        facilities = facilities.filter(created_at__gte=filters.created_from)
    if filters.created_to is not None:
        facilities = facilities.filter(created_at__lte=filters.created_to)
    return facilities


def _last_submittals(facility_ids: Iterable[int]) -> dict[int, tuple[datetime | None, datetime | None]]:
    rows = (
        FacilitySubmittal.objects.filter(facility_id__in=list(facility_ids))
        .values("facility_id")
        .annotate(first=Min("submitted_at"), last=Max("submitted_at"))
    )
    return {row["facility_id"]: (row["first"], row["last"]) for row in rows}


def _date_of(value: datetime | None) -> date | None:
    """The day in California."""
    return timezone.localdate(value) if value is not None else None


def facility_query_document(
    *,
    facilities: QuerySet[Facility],
    regulator: Any,
    key: Any,
    generated_at: datetime,
    limit: int = MAX_FACILITIES,
) -> tuple[bytes, int, int]:
    """The Regulator Facility Query document of at most ``limit`` facilities (by CERS ID), with the total
    count; returns (document, returned, total)."""
    total = facilities.count()
    page = list(facilities.select_related("organization", "cupa").order_by("cers_id")[:limit])
    ids = [f.pk for f in page]
    submittals = _last_submittals(ids)
    routes: dict[int, dict[int, FacilityElementRoute]] = {}
    for route in FacilityElementRoute.objects.filter(facility_id__in=ids).select_related("regulator"):
        routes.setdefault(route.facility_id, {})[route.element] = route
    keys = dict(
        RegulatorKey.objects.filter(
            regulator=regulator, facility_id__in=ids, kind=RegulatorKeyKind.FACILITY
        ).values_list("facility_id", "key")
    )
    organization_ids = {f.organization_id for f in page}
    counts = _organization_counts(organization_ids)
    org_last = _organization_last_submittals(organization_ids)
    schema = "RegulatorFacilityQuery"
    root = root_element(
        namespace(schema),
        schema,
        timeStamp=generated_at,
        returnedResultCount=len(page),
        totalQueryResultCount=total,
        transactionKey=key,
    )
    for facility in page:
        node = sub(root, "Facility")
        first, last = submittals.get(facility.pk, (None, None))
        sub(node, "CERSID", facility.cers_id)
        sub_if(node, "FacilityID", facility.regulator_facility_id)
        sub_if(node, "FacilityRegulatorKey", keys.get(facility.pk, "")[:36])
        lead = facility.cupa or regulator
        sub(node, "RegulatorCode", lead.code)
        sub(node, "Name", facility.name)
        sub_if(node, "LastSubmittalOn", _date_of(last))
        established = min(filter(None, (facility.created_at, first)))
        sub(node, "EstablishedOn", _date_of(established))
        organization = facility.organization
        org = sub(node, "Organization")
        sub(org, "Code", organization.code)
        sub(org, "Name", organization.name)
        sub_if(org, "Headquarters", organization.headquarters)
        facility_count, user_count = counts.get(organization.pk, (0, 0))
        sub(org, "FacilityCount", facility_count)
        sub(org, "UserCount", user_count)
        sub(org, "LeadRegulatorCode", lead.code)
        sub_if(org, "LastSubmittalOn", _date_of(org_last.get(organization.pk)))
        sub(org, "Origin", ORIGIN_NUMBERS[ORIGIN_NAMES.get(organization.origin, "Business")])
        elements = sub(node, "SubmittalElements")
        own = routes.get(facility.pk, {})
        for code in Element:
            owned: FacilityElementRoute | None = own.get(code)
            owner = owned.regulator if owned is not None else lead
            requirement = owned.requirement if owned is not None else Requirement.NOT_APPLICABLE
            entry = sub(elements, ELEMENT_XML_NAMES[code])
            entry.set("regulatorCode", str(owner.code))
            entry.set("reportingRequirement", REPORTING_REQUIREMENT_CODES[requirement])
            if owned is not None and owned.next_due_date is not None:
                entry.set("nextDueDate", owned.next_due_date.isoformat())
        address = sub(node, "FacilityAddress")
        sub(address, "SiteAddress", facility.street)
        sub(address, "City", facility.city)
        sub(address, "ZipCode", facility.zip_code)
    return to_bytes(root), len(page), total


def _organization_counts(organization_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    rows = Organization.objects.filter(pk__in=list(organization_ids)).annotate(
        facility_count=Count("facilities", distinct=True),
        user_count=Count("memberships", filter=Q(memberships__user__is_service_account=False), distinct=True),
    )
    return {row.pk: (row.facility_count, row.user_count) for row in rows}


def _organization_last_submittals(organization_ids: Iterable[int]) -> dict[int, datetime]:
    rows = (
        FacilitySubmittal.objects.filter(facility__organization_id__in=list(organization_ids))
        .values("facility__organization_id")
        .annotate(last=Max("submitted_at"))
    )
    return {row["facility__organization_id"]: row["last"] for row in rows}


@dataclass(frozen=True)
class OrganizationFilters:
    organization_code: int | None = None
    cers_id: int | None = None
    name: str = ""
    created_from: datetime | None = None


def organization_query_document(
    *,
    facilities: QuerySet[Facility],
    filters: OrganizationFilters,
    key: Any,
    generated_at: datetime,
    limit: int = MAX_ORGANIZATIONS,
) -> tuple[bytes, int]:
    """The organizations owning facilities of the jurisdiction (``facilities``), each with those facilities."""
    organizations = Organization.objects.filter(pk__in=facilities.values("organization_id"))
    if filters.organization_code is not None:
        organizations = organizations.filter(code=filters.organization_code)
    if filters.cers_id is not None:
        organizations = organizations.filter(facilities__cers_id=filters.cers_id)
    if filters.name:
        organizations = organizations.filter(name__icontains=filters.name)
    if filters.created_from is not None:
        organizations = organizations.filter(created_at__gte=filters.created_from)
    page = list(organizations.order_by("code")[:limit])
    ids = [o.pk for o in page]
    counts = _organization_counts(ids)
    last = _organization_last_submittals(ids)
    multi = dict(
        Organization.objects.filter(pk__in=ids)
        .annotate(cupas=Count("facilities__cupa", distinct=True))
        .values_list("pk", "cupas")
    )
    visible: dict[int, list[Facility]] = {}
    for facility in facilities.filter(organization_id__in=ids).order_by("cers_id"):
        visible.setdefault(facility.organization_id, []).append(facility)
    facility_last = _last_submittals(f.pk for group in visible.values() for f in group)
    schema = "RegulatorOrganizationQuery"
    root = root_element(
        namespace(schema), schema, timeStamp=generated_at, resultCount=len(page), transactionKey=key
    )
    for organization in page:
        node = sub(root, "Organization")
        sub(node, "OrganizationCode", organization.code)
        sub(node, "OrganizationName", organization.name[:100])
        sub_if(node, "OrganizationHeadquarters", organization.headquarters[:75])
        facility_count, user_count = counts.get(organization.pk, (0, 0))
        sub(node, "FacilityCount", facility_count)
        sub(node, "UserCount", user_count)
        sub(node, "EstablishedOn", _date_of(organization.created_at))
        sub(node, "IsMJB", "true" if multi.get(organization.pk, 0) > 1 else "false")
        sub(node, "Origin", ORIGIN_NAMES.get(organization.origin, "Business"))
        sub_if(node, "LastSubmittalDate", _date_of(last.get(organization.pk)))
        listed = sub(node, "Facilities")
        for facility in visible.get(organization.pk, []):
            entry = sub(listed, "Facility")
            sub(entry, "CERSID", facility.cers_id)
            sub(entry, "FacilityName", facility.name[:70])
            sub_if(entry, "FacilityID", facility.regulator_facility_id)
            sub(entry, "SiteAddress", facility.street[:70])
            sub(entry, "City", facility.city[:60])
            sub(entry, "ZipCode", facility.zip_code[:10])
            sub_if(entry, "LastSubmittalDate", _date_of(facility_last.get(facility.pk, (None, None))[1]))
    return to_bytes(root), len(page)


def facility_transfer_document(*, key: Any, generated_at: datetime) -> bytes:
    """Facility transfers of the jurisdiction: none are recorded yet (the schema's valid empty document)."""
    schema = "RegulatorFacilityTransferQuery"
    return to_bytes(root_element(namespace(schema), schema, timeStamp=generated_at, transactionKey=key))


def new_key() -> uuid.UUID:
    return uuid.uuid4()
