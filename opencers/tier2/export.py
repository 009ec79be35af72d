"""Export: a facility's (or an organization's) Hazardous Materials Inventory for a reporting year as a
National Tier II dataset (``spec/TIER2.md`` §7).

Which inventory: the latest version submitted in the reporting year (an accepted one first), a chosen
version, or the draft. The facility's identification comes from the Facility Information that goes with
it (submitted together, or the draft's). The chemicals, their amounts in pounds, range codes and federal
thresholds are the inventory's Tier II summary (``opencers.elements.inventory.tier2``, the same as the
inventory's "Federal Tier II view"); each row becomes one storage location per container type. Nothing
here writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.core.validators import normalize_cas
from opencers.documents.models import DocumentFile, DocumentOption
from opencers.elements.fields import plain
from opencers.elements.inventory.fields import FIELDS_BY_XML
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.thresholds import EHS_CAP_LBS, Library, prepare
from opencers.elements.inventory.tier2 import Tier2Chemical, tier2_summary, whole_pounds
from opencers.organizations.models import Facility as FacilityModel
from opencers.regulators.models import County
from opencers.submittals.models import SUBMITTED_STATUSES, Status, SubmittalElement
from opencers.submittals.selectors import draft_of, last_accepted_or_submitted, versions_of
from opencers.tier2 import standard
from opencers.tier2.dataset import (
    Address,
    Attachment,
    Chemical,
    Component,
    Contact,
    ContactLink,
    Dataset,
    Facility,
    FacilityId,
    Hazard,
    Phone,
    StorageLocation,
)
from opencers.tier2.mapping import boolean, location_description, split_person_name
from opencers.tier2.xmlio import write_xml

INVENTORY = Element.HAZARDOUS_MATERIALS_INVENTORY
FACILITY_INFORMATION = Element.FACILITY_INFORMATION
LATEST, DRAFT = "latest", "draft"
SITE_MAP_SLOT = "site_map"
FEES_TOTAL = "0.00"  # California charges no Tier II filing fee through the standard's fee field
PHYSICAL_STATE_FIELDS = {"a": "solid", "b": "liquid", "c": "gas"}


@dataclass
class ExportOptions:
    year: int
    source: str = LATEST  # LATEST, DRAFT, or a version number
    include_waste: bool = False
    include_below_threshold: bool = False
    manned: bool | None = None  # Tier II asks it and CERS does not keep it: the export needs the answer
    max_occupants: int | None = None
    fire_district: str = ""
    chemical_accident_prevention: bool | None = None  # None: the Business Activities answer (CalARP)
    coordinator_is_primary_contact: bool = False


@dataclass
class ChemicalLine:
    """One chemical as the export page shows it."""

    name: str
    cas: str
    max_lbs: int | None  # None: an amount cannot be converted to pounds
    max_code: str
    ave_lbs: int | None
    ave_code: str
    locations: int
    rows: list[int]
    reason: str


@dataclass
class AttachmentFile:
    file_name: str  # the name in <attachment> and inside the .t2s
    stored: DocumentFile


@dataclass
class FacilityExport:
    facility: FacilityModel
    inventory: SubmittalElement
    record: Facility
    included: list[ChemicalLine] = field(default_factory=list)
    left_out: list[ChemicalLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attachments: list[AttachmentFile] = field(default_factory=list)


@dataclass
class Export:
    dataset: Dataset
    facilities: list[FacilityExport]
    skipped: list[str] = field(default_factory=list)  # facilities of an organization left out, and why

    @property
    def problems(self) -> list[str]:
        return [problem for export in self.facilities for problem in export.problems]

    @property
    def attachments(self) -> list[AttachmentFile]:
        return [attachment for export in self.facilities for attachment in export.attachments]

    def xml(self) -> bytes:
        if self.problems:
            raise ExportRefused(self.problems)
        return write_xml(self.dataset)


class ExportRefused(DomainError):
    """The inventory cannot be exported as it is: ``problems`` says what to correct first."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The Tier II file cannot be made until these problems are corrected."), code="tier2_export"
        )
        self.problems = list(problems)


# --- Which versions ------------------------------------------------------------------------------------


def inventory_choices(facility: FacilityModel) -> list[SubmittalElement]:
    """The draft (if any) and every submitted version, newest first."""
    draft = draft_of(facility, INVENTORY)
    return [*([draft] if draft else []), *versions_of(facility, INVENTORY)]


def inventory_source(facility: FacilityModel, *, year: int, source: str) -> SubmittalElement:
    """The inventory version to export, or ``DomainError`` saying why there is none."""
    if source == DRAFT:
        element = draft_of(facility, INVENTORY)
        if element is None:
            raise DomainError(
                _("%(facility)s has no draft of the inventory. Choose a submitted version.")
                % {"facility": facility.name},
                field="source",
            )
    elif source == LATEST:
        of_year = versions_of(facility, INVENTORY).filter(submitted_at__year=year)
        element = of_year.filter(status=Status.ACCEPTED).first() or of_year.first()
        if element is None:
            raise DomainError(
                _(
                    "No version of the inventory of %(facility)s was submitted in %(year)d. Choose another "
                    "version or the draft."
                )
                % {"facility": facility.name, "year": year},
                field="source",
            )
    else:
        number = int(source) if str(source).isdigit() else -1
        found = versions_of(facility, INVENTORY).filter(version=number).first()
        if found is None:
            raise DomainError(_("There is no such version of the inventory."), field="source")
        element = found
    if element.not_applicable:
        raise DomainError(
            _(
                "That version of the inventory of %(facility)s is marked not applicable: it has nothing to report."
            )
            % {"facility": facility.name},
            field="source",
        )
    return element


def facility_information_for(inventory: SubmittalElement) -> SubmittalElement | None:
    """The Facility Information that goes with an inventory version: submitted with it (else the latest
    submitted before it), or for a draft the Facility Information draft (else the last submitted one)."""
    facility = inventory.facility
    if inventory.is_draft:
        return draft_of(facility, FACILITY_INFORMATION) or last_accepted_or_submitted(
            facility, FACILITY_INFORMATION
        )
    together = SubmittalElement.objects.filter(
        facility_submittal=inventory.facility_submittal_id, element=FACILITY_INFORMATION
    ).first()
    if together is not None and inventory.facility_submittal_id is not None:
        return together
    return (
        SubmittalElement.objects.filter(
            facility=facility,
            element=FACILITY_INFORMATION,
            status__in=SUBMITTED_STATUSES,
            submitted_at__lte=inventory.submitted_at,
        )
        .order_by("-submitted_at")
        .first()
    )


# --- Building the dataset ------------------------------------------------------------------------------


def _day(value: datetime | date | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _related(element: SubmittalElement | None, name: str) -> Any:
    if element is None:
        return None
    try:
        return getattr(element, name)
    except ObjectDoesNotExist:
        return None


class _Builder:
    """Builds one dataset; contacts shared by several facilities are written once."""

    def __init__(self, options: ExportOptions) -> None:
        self.options = options
        self.year = options.year
        self.contacts: dict[str, Contact] = {}
        self.contact_keys: dict[str, tuple[Any, ...]] = {}
        self.file_names: set[str] = set()

    # --- contacts

    def _contact(
        self,
        facility: FacilityModel,
        *,
        name: str,
        person: bool,
        types: list[str],
        title: str = "",
        email: str = "",
        address: Address | None = None,
        phones: list[tuple[str, str]],
        modified: str,
    ) -> Contact:
        first, last = split_person_name(name) if person else ("", " ".join(name.split()))
        contact = Contact(
            first_name=first,
            last_name=last,
            title=title,
            email=email,
            mailing_address=address or Address(country=""),
            contact_types=types,
            phones=[Phone(number=number, type=kind) for number, kind in phones if number],
            last_modified=modified,
        )
        return contact

    def _register(self, facility: FacilityModel, contact: Contact) -> str:
        content = (
            contact.first_name,
            contact.last_name,
            contact.title,
            contact.email,
            tuple(vars(contact.mailing_address).items()),
            tuple(contact.contact_types),
            tuple((p.number, p.type) for p in contact.phones),
        )
        name_key = " ".join(f"{contact.first_name} {contact.last_name}".split()).casefold()
        record = standard.record_id("CT", self.year, name_key, *contact.contact_types)
        if record in self.contacts and self.contact_keys[record] != content:
            record = standard.record_id("CT", self.year, name_key, *contact.contact_types, facility.cers_id)
        if record not in self.contacts:
            contact.record_id = record
            for phone in contact.phones:
                phone.record_id = standard.record_id("PH", self.year, record, phone.number, phone.type)
            self.contacts[record] = contact
            self.contact_keys[record] = content
        return record

    def contacts_of(self, facility: FacilityModel, owner: Any, modified: str) -> list[ContactLink]:
        if owner is None:
            return []
        candidates: list[dict[str, Any]] = []
        owner_address = Address(
            street=owner.owner_mail_address,
            city=owner.owner_city,
            state=owner.owner_state,
            zipcode=owner.owner_zip_code,
            country=owner.owner_country or ("USA" if owner.owner_mail_address else ""),
        )
        if owner.owner_name:
            candidates.append(
                {
                    "name": owner.owner_name,
                    "person": False,
                    "types": [standard.OWNER_OPERATOR],
                    "address": owner_address,
                    "phones": [(owner.owner_phone, standard.PHONE_WORK)],
                }
            )
        if owner.operator_name and _same(owner.operator_name) != _same(owner.owner_name):
            candidates.append(
                {
                    "name": owner.operator_name,
                    "person": False,
                    "types": [standard.OWNER_OPERATOR],
                    "phones": [(owner.operator_phone, standard.PHONE_WORK)],
                }
            )
        for prefix, primary in (("pec", True), ("sec", False)):
            name = getattr(owner, f"{prefix}_name")
            if not name:
                continue
            types = [standard.EMERGENCY_CONTACT]
            if primary and self.options.coordinator_is_primary_contact:
                types.insert(0, standard.EMERGENCY_COORDINATOR)
            candidates.append(
                {
                    "name": name,
                    "person": True,
                    "types": types,
                    "title": getattr(owner, f"{prefix}_title"),
                    "phones": [
                        (getattr(owner, f"{prefix}_business_phone"), standard.PHONE_WORK),
                        (getattr(owner, f"{prefix}24_hr_phone"), standard.PHONE_24_HOUR),
                    ],
                }
            )
        if owner.e_contact_name:
            candidates.append(
                {
                    "name": owner.e_contact_name,
                    "person": True,
                    "types": [standard.TIER2_CONTACT],
                    "email": owner.e_contact_email_address,
                    "address": Address(
                        street=owner.e_contact_mailing_address,
                        city=owner.e_contact_city,
                        state=owner.e_contact_state,
                        zipcode=owner.e_contact_zip_code,
                        country=owner.e_contact_country or ("USA" if owner.e_contact_mailing_address else ""),
                    ),
                    "phones": [(owner.e_contact_phone, standard.PHONE_WORK)],
                }
            )
        # One contact per person: roles, phones and details of the same name are merged.
        merged: dict[str, dict[str, Any]] = {}
        for candidate in candidates:
            key = _same(candidate["name"])
            if key not in merged:
                merged[key] = {
                    **candidate,
                    "types": list(candidate["types"]),
                    "phones": list(candidate["phones"]),
                }
                continue
            into = merged[key]
            into["person"] = into["person"] or candidate["person"]
            into["types"] += [t for t in candidate["types"] if t not in into["types"]]
            into["phones"] += [p for p in candidate["phones"] if p not in into["phones"]]
            for detail in ("title", "email", "address"):
                if not into.get(detail) and candidate.get(detail):
                    into[detail] = candidate[detail]
        links = []
        for candidate in merged.values():
            contact = self._contact(facility, modified=modified, **candidate)
            record = self._register(facility, contact)
            links.append(
                ContactLink(
                    link_id=standard.record_id("CK", self.year, facility.cers_id, record), contact_id=record
                )
            )
        return links

    # --- attachments

    def attachment_name(self, name: str) -> str:
        cleaned = name.replace("/", "_").replace("\\", "_") or "site-map"
        candidate, number = cleaned, 1
        while candidate.casefold() in self.file_names or candidate.casefold() == standard.XML_NAME:
            number += 1
            stem, dot, extension = cleaned.rpartition(".")
            candidate = f"{stem} ({number}).{extension}" if dot else f"{cleaned} ({number})"
        self.file_names.add(candidate.casefold())
        return candidate

    # --- chemicals

    def chemical(
        self, facility: FacilityModel, summary: Tier2Chemical, rows: list[Any], export: FacilityExport
    ) -> Chemical:
        """One Tier II chemical from the inventory's Tier II summary and the rows it groups."""
        first = rows[0]
        key = (facility.cers_id, *summary.key)
        flags = {spec: any(getattr(item, FIELDS_BY_XML[spec].name) == "Y" for item in rows) for spec in _FHC}
        mixture = summary.mixture or any(item.hm_type == "c" for item in rows)
        chemical = Chemical(
            record_id=standard.record_id("CV", self.year, *key),
            name=summary.name,
            cas=summary.cas or normalize_cas(first.cas_number or ""),
            ehs=boolean(summary.ehs),
            pure=boolean(not mixture),
            mixture=boolean(mixture),
            solid=boolean(summary.solid),
            liquid=boolean(summary.liquid),
            gas=boolean(summary.gas),
            hazards=[
                Hazard(category, boolean(any(flags[flag] for flag in cers_flags)))
                for category, cers_flags in standard.HAZARD_CATEGORIES
            ],
            ave_amount=_whole(summary.ave_lbs),
            ave_amount_code=summary.ave_code,
            max_amount=_whole(summary.max_lbs),
            max_amount_code=summary.max_code,
            same_as_last_year=standard.FALSE,
            days_on_site=str(summary.days_on_site) if summary.days_on_site is not None else "",
            max_amt_largest_container=_whole(summary.largest_container_lbs),
            below_reporting_thresholds=boolean(not summary.reportable),
            confidential_storage_locs=boolean(summary.confidential_locations),
            trade_secret=boolean(summary.trade_secret),
            last_modified=_day(max(item.updated_at for item in rows)),
        )
        pounds = {location.row: location.max_lbs for location in summary.locations}
        used: dict[tuple[str, ...], int] = {}
        for number, item in zip(summary.rows, rows, strict=True):
            containers = [
                spec
                for spec, _text in standard.STORAGE_TYPES
                if getattr(item, FIELDS_BY_XML[spec].name) == "Y"
            ]
            if len(containers) > 1:
                export.notes.append(
                    _(
                        "“%(name)s” at %(location)s is kept in %(count)d kinds of containers: Tier II lists "
                        "each, and the amount is given on the first only (CERS does not split amounts by "
                        "container)."
                    )
                    % {
                        "name": item.common_name,
                        "location": item.chemical_location or "—",
                        "count": len(containers),
                    }
                )
            for index, container in enumerate(containers or [""]):
                description = location_description(
                    item.chemical_location,
                    item.map_number,
                    item.grid_number,
                    item.other_storage_container if container == standard.OTHER_CONTAINER else "",
                )
                storage_type = standard.STORAGE_TYPE_OF.get(container, "")
                identity = (description, storage_type, item.storage_pressure, item.storage_temperature)
                used[identity] = used.get(identity, 0) + 1
                chemical.storage_locations.append(
                    StorageLocation(
                        record_id=standard.record_id("CL", self.year, *key, *identity, used[identity]),
                        description=description,
                        storage_type=storage_type,
                        pressure=standard.PRESSURE_OF.get(item.storage_pressure, ""),
                        temperature=standard.TEMPERATURE_OF.get(item.storage_temperature, ""),
                        amount=_whole(pounds.get(number)) if index == 0 else "",
                    )
                )
        if mixture:
            chemical.components = [
                Component(
                    record_id=standard.record_id("CM", self.year, *key, n, component.name, component.cas),
                    name=component.name,
                    cas=component.cas,
                    ehs=boolean(component.ehs),
                    # The code of the component's share of the maximum amount (TIER2.md §6.3).
                    max_amount_code=component.max_code,
                    percentage=plain(component.percent) if component.percent is not None else "",
                    weight_or_volume=standard.WEIGHT,
                )
                for n, component in enumerate(summary.components, start=1)
            ]
            if any(item.additional_mixture_components for item in rows):
                export.notes.append(
                    _(
                        "“%(name)s”: the other mixture components written as text are not exported (Tier II "
                        "lists components one by one; only the five components with names are)."
                    )
                    % {"name": chemical.name}
                )
        return chemical

    # --- the facility

    def facility(self, facility: FacilityModel, inventory: SubmittalElement) -> FacilityExport:
        options = self.options
        information = facility_information_for(inventory)
        activities = _related(information, "business_activities")
        owner = _related(information, "owner_operator")
        items: list[Any] = list(
            InventoryItem.objects.filter(element=inventory)
            .select_related("library_chemical")
            .order_by("position", "id")
        )
        library = Library.for_items(items)
        summaries = tier2_summary(items, library=library, include_waste=options.include_waste)
        export = FacilityExport(facility=facility, inventory=inventory, record=Facility())
        modified = _day(inventory.submitted_at if not inventory.is_draft else inventory.updated_at)
        info_modified = (
            _day(information.submitted_at or information.updated_at) if information is not None else modified
        )
        if information is None:
            export.notes.append(
                _(
                    "%(facility)s has no Facility Information: the owner, contacts and certifier are left "
                    "empty. Complete Facility Information first for a full Tier II file."
                )
                % {"facility": facility.name}
            )
        record = export.record
        record.record_id = standard.record_id("FA", self.year, facility.cers_id)
        record.name = (activities.business_name if activities else "") or facility.name
        street = (activities.site_address if activities else "") or facility.street
        supplemental = activities.site_address_supplemental if activities else ""
        record.street_address = Address(
            street=f"{street} {supplemental}".strip(),
            city=(activities.city if activities else "") or facility.city,
            state="CA",
            zipcode=(activities.zip_code if activities else "") or facility.zip_code,
        )
        if owner is not None:
            record.mailing_address = Address(
                street=owner.mailing_address,
                city=owner.mailing_address_city,
                state=owner.mailing_address_state,
                zipcode=owner.mailing_address_zip_code,
                country="USA" if owner.mailing_address else "",
            )
        record.county = _county(facility, activities)
        record.fire_district = options.fire_district
        record.latitude = plain(facility.latitude) if facility.latitude is not None else ""
        record.longitude = plain(facility.longitude) if facility.longitude is not None else ""
        certifier, signed = _certifier(owner, inventory)
        record.name_and_title_of_certifier = certifier
        record.date_signed = signed
        record.fees_total = FEES_TOTAL
        if owner is not None and owner.phone:
            record.phone = Phone(
                record_id=standard.record_id("PH", self.year, facility.cers_id, "facility"),
                number=owner.phone,
                type=standard.PHONE_WORK,
            )
        if options.manned is None:
            export.problems.append(
                _(
                    "%(facility)s: say whether the facility is manned. Tier II asks it and CERS does not keep "
                    "it."
                )
                % {"facility": facility.name}
            )
        record.manned = boolean(options.manned) if options.manned is not None else ""
        record.max_num_occupants = str(options.max_occupants) if options.max_occupants is not None else ""
        prevention = options.chemical_accident_prevention
        if prevention is None:
            prevention = bool(activities and activities.cal_arp_regulated_substances == "Y")
        record.subject_to_chem_accident_prevention = boolean(prevention)
        record.subject_to_emergency_planning = boolean(_emergency_planning(items, library))
        record.last_modified = max(modified, info_modified)
        record.contact_ids = self.contacts_of(facility, owner, info_modified)
        if owner is not None:
            if owner.naics_code:
                record.facility_ids.append(
                    FacilityId(
                        record_id=standard.record_id("FD", self.year, facility.cers_id, standard.NAICS),
                        type=standard.NAICS,
                        id=owner.naics_code,
                        description="",
                    )
                )
            if owner.dun_and_bradstreet:
                record.facility_ids.append(
                    FacilityId(
                        record_id=standard.record_id("FD", self.year, facility.cers_id, standard.DUNS),
                        type=standard.DUNS,
                        id=owner.dun_and_bradstreet,
                    )
                )
        for summary in summaries:
            line = ChemicalLine(
                name=summary.name,
                cas=summary.cas,
                max_lbs=whole_pounds(summary.max_lbs) if summary.max_lbs is not None else None,
                max_code=summary.max_code,
                ave_lbs=whole_pounds(summary.ave_lbs) if summary.ave_lbs is not None else None,
                ave_code=summary.ave_code,
                locations=len(summary.rows),
                rows=list(summary.rows),
                reason=summary.explanation,
            )
            if summary.reportable is False and not options.include_below_threshold:
                export.left_out.append(line)
                continue
            export.included.append(line)
            export.problems.extend(
                _("%(facility)s, “%(chemical)s”: %(problem)s")
                % {"facility": facility.name, "chemical": summary.name, "problem": problem}
                for problem in summary.problems
            )
            rows = [items[number - 1] for number in summary.rows]
            record.chemicals.append(self.chemical(facility, summary, rows, export))
        wastes = [item for item in items if item.hm_type == "c"]
        if wastes and not options.include_waste:
            export.notes.append(
                _(
                    "%(count)d hazardous waste rows are left out: wastes are outside federal Tier II reporting "
                    "(include them if your LEPC asks for them)."
                )
                % {"count": len(wastes)}
            )
        if any(len(summary.rows) > 1 for summary in summaries):
            export.notes.append(
                _(
                    "Where a chemical is stored at several locations, its maximum and average amounts are the "
                    "sums over the locations. If the largest amounts were not on site at the same time, this "
                    "overstates the facility's maximum (the safe side)."
                )
            )
        for stored in _site_map_files(inventory):
            name = self.attachment_name(stored.original_name)
            export.attachments.append(AttachmentFile(file_name=name, stored=stored))
            record.attachments.append(
                Attachment(
                    record_id=standard.record_id("SK", self.year, facility.cers_id, stored.sha256, name),
                    file_name=name,
                )
            )
        record.site_plan_attached = boolean(bool(export.attachments))
        return export


_FHC = tuple(flag for _category, flags in standard.HAZARD_CATEGORIES for flag in flags)


def _whole(pounds: Decimal | None) -> str:
    return str(whole_pounds(pounds)) if pounds is not None else ""


def _emergency_planning(items: list[Any], library: Library) -> bool:
    """EPCRA section 302: an Extremely Hazardous Substance (pure or inside mixtures, summed over the
    facility) at or above its threshold planning quantity (500 lb when the library has no TPQ for it)."""
    _materials, facility = prepare(items, library)
    for key, total in facility.ehs.items():
        facts = facility.ehs_facts.get(key)
        tpq = facts.tpq_lbs if facts is not None and facts.listed_ehs and facts.tpq_lbs else EHS_CAP_LBS
        if total.status(tpq) is True:
            return True
    return False


def _same(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _county(facility: FacilityModel, activities: Any) -> str:
    if facility.county is not None:
        return facility.county.name
    if activities is not None and activities.county_id:
        county = County.objects.filter(number=activities.county_id).first()
        if county is not None:
            return county.name
    return ""


def _certifier(owner: Any, inventory: SubmittalElement) -> tuple[str, str]:
    """("Name, Title", date signed): Facility Information's signer, else the person who certified the
    inventory version."""
    name = owner.identification_signer_name if owner is not None else ""
    title = owner.identification_signer_title if owner is not None else ""
    signed = owner.identification_signed_date if owner is not None else None
    submittal = inventory.facility_submittal
    if not name and submittal is not None:
        name, title = submittal.signer_name, submittal.signer_title
    if signed is None and submittal is not None:
        signed = submittal.submitted_at.date()
    text = ", ".join(part for part in (name, title) if part)
    return text, _day(signed)


def _site_map_files(inventory: SubmittalElement) -> list[DocumentFile]:
    return list(
        DocumentFile.objects.filter(
            document__element=inventory, document__slot=SITE_MAP_SLOT, document__option=DocumentOption.UPLOAD
        ).order_by("created_at", "id")
    )


# --- Entry points --------------------------------------------------------------------------------------


def export_facility(facility: FacilityModel, options: ExportOptions) -> Export:
    """One facility's dataset. ``DomainError`` when there is no inventory to export."""
    inventory = inventory_source(facility, year=options.year, source=options.source)
    builder = _Builder(options)
    export = builder.facility(facility, inventory)
    dataset = Dataset(
        report_year=str(options.year), facilities=[export.record], contacts=list(builder.contacts.values())
    )
    return Export(dataset=dataset, facilities=[export])


def export_facilities(facilities: list[FacilityModel], options: ExportOptions) -> Export:
    """All the facilities in one dataset; a facility without an inventory to export is left out (and
    listed in ``skipped``). With ``source`` DRAFT each facility's draft is taken; with a version number,
    the latest version of the year is (version numbers are per facility)."""
    builder = _Builder(options)
    exports: list[FacilityExport] = []
    skipped: list[str] = []
    source = options.source if options.source in (LATEST, DRAFT) else LATEST
    for facility in facilities:
        try:
            inventory = inventory_source(facility, year=options.year, source=source)
        except DomainError as error:
            skipped.append(error.message)
            continue
        exports.append(builder.facility(facility, inventory))
    dataset = Dataset(
        report_year=str(options.year),
        facilities=[export.record for export in exports],
        contacts=list(builder.contacts.values()),
    )
    return Export(dataset=dataset, facilities=exports, skipped=skipped)
