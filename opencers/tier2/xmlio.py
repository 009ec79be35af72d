"""Writing and reading the National Tier II data standard XML (``spec/TIER2.md`` §2-§3).

The writer keeps the standard's element order exactly, writes empty values as an open/close pair,
booleans in lower case, one tab per nesting level, UTF-8 with the sample's declaration and no DOCTYPE:
NOAA's sample read and written back is the same document, byte for byte.

The reader is safe (defusedxml: no DTD, no entities, no external references) and tolerant of layout and
order (TIER2.md §2: a reader must not depend on them); it keeps every value as text. Elements it does not
know are listed (``ReadResult.ignored``) so that nothing is dropped silently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _
from lxml import etree

from opencers.core.errors import DomainError
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
    StateField,
    StorageLocation,
)
from opencers.tier2.standard import DECLARATION, NAMESPACE

# --- Writing -------------------------------------------------------------------------------------------

_NS = f"{{{NAMESPACE}}}"


def _el(parent: etree._Element, name: str, attrs: dict[str, str] | None = None) -> etree._Element:
    element = etree.SubElement(parent, _NS + name)
    element.text = ""  # an element left without children is written <name></name> too
    for key, value in (attrs or {}).items():
        element.set(key, xml_text(value))
    return element


# Characters XML 1.0 cannot hold (control characters other than tab, line feed and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot hold (they can come from pasted text)."""
    return _NOT_XML.sub("", text or "")


def _leaf(parent: etree._Element, name: str, text: str, attrs: dict[str, str] | None = None) -> None:
    _el(parent, name, attrs).text = xml_text(text)  # "" is written as <name></name>, never <name/>


def _address(parent: etree._Element, name: str, address: Address) -> None:
    element = _el(parent, name)
    _leaf(element, "street", address.street)
    _leaf(element, "city", address.city)
    _leaf(element, "state", address.state)
    _leaf(element, "zipcode", address.zipcode)
    if address.country is not None:
        _leaf(element, "country", address.country)


def _phone(parent: etree._Element, phone: Phone) -> None:
    element = _el(parent, "phone", {"recordid": phone.record_id})
    _leaf(element, "phoneNumber", phone.number)
    _leaf(element, "phoneType", phone.type)


def _state_fields(parent: etree._Element, fields: list[StateField]) -> None:
    wrapper = _el(parent, "stateFields")
    for state_field in fields:
        element = _el(wrapper, "stateField", {"required": state_field.required})
        _leaf(element, "label", state_field.label)
        _leaf(element, "t2sFieldname", state_field.fieldname)
        _leaf(element, "data", state_field.data)


def _chemical(parent: etree._Element, chemical: Chemical) -> None:
    element = _el(parent, "chemical", {"recordid": chemical.record_id})
    for name, value in (
        ("chemName", chemical.name),
        ("casNumber", chemical.cas),
        ("ehs", chemical.ehs),
        ("pure", chemical.pure),
        ("mixture", chemical.mixture),
        ("solid", chemical.solid),
        ("liquid", chemical.liquid),
        ("gas", chemical.gas),
    ):
        _leaf(element, name, value)
    hazards = _el(element, "hazards")
    for hazard in chemical.hazards:
        entry = _el(hazards, "hazard")
        _leaf(entry, "category", hazard.category)
        _leaf(entry, "value", hazard.value)
    for name, value in (
        ("aveAmount", chemical.ave_amount),
        ("aveAmountCode", chemical.ave_amount_code),
        ("maxAmount", chemical.max_amount),
        ("maxAmountCode", chemical.max_amount_code),
        ("sameAsLastYear", chemical.same_as_last_year),
        ("daysOnSite", chemical.days_on_site),
        ("maxAmtLargestContainer", chemical.max_amt_largest_container),
        ("belowReportingThresholds", chemical.below_reporting_thresholds),
        ("confidentialStorageLocs", chemical.confidential_storage_locs),
        ("tradeSecret", chemical.trade_secret),
    ):
        _leaf(element, name, value)
    _state_fields(element, chemical.state_fields)
    _leaf(element, "lastModified", chemical.last_modified)
    locations = _el(element, "storageLocations")
    for location in chemical.storage_locations:
        entry = _el(locations, "storageLocation", {"recordid": location.record_id})
        _leaf(entry, "locationDescription", location.description)
        _leaf(entry, "storageType", location.storage_type)
        _leaf(entry, "pressure", location.pressure)
        _leaf(entry, "temperature", location.temperature)
        _leaf(entry, "amount", location.amount, {"unit": location.unit})
    if chemical.components is not None:
        components = _el(element, "mixtureComponents")
        for component in chemical.components:
            entry = _el(components, "mixtureComponent", {"recordid": component.record_id})
            _leaf(entry, "componentName", component.name)
            _leaf(entry, "casNumber", component.cas)
            _leaf(entry, "ehs", component.ehs)
            _leaf(entry, "maxAmountCode", component.max_amount_code)
            _leaf(
                entry,
                "componentPercentage",
                component.percentage,
                {"weightOrVolume": component.weight_or_volume},
            )


def _facility(parent: etree._Element, facility: Facility) -> None:
    element = _el(parent, "facility", {"recordid": facility.record_id})
    _leaf(element, "facilityName", facility.name)
    _address(element, "streetAddress", facility.street_address)
    _address(element, "mailingAddress", facility.mailing_address)
    _leaf(element, "county", facility.county)
    _leaf(element, "fireDistrict", facility.fire_district)
    lat_long = _el(element, "latLong")
    _leaf(lat_long, "latitude", facility.latitude)
    _leaf(lat_long, "longitude", facility.longitude)
    for name, value in (
        ("department", facility.department),
        ("notes", facility.notes),
        ("sitePlanAttached", facility.site_plan_attached),
        ("siteCoordAbbrevAttached", facility.site_coord_abbrev_attached),
        ("dikeDescriptionAttached", facility.dike_description_attached),
        ("facilityInfoSameAsLastYear", facility.facility_info_same_as_last_year),
        ("nameAndTitleOfCertifier", facility.name_and_title_of_certifier),
        ("dateSigned", facility.date_signed),
        ("feesTotal", facility.fees_total),
    ):
        _leaf(element, name, value)
    if facility.phone is not None:
        _phone(element, facility.phone)
    for name, value in (
        ("manned", facility.manned),
        ("maxNumOccupants", facility.max_num_occupants),
        ("subjectToChemAccidentPrevention", facility.subject_to_chem_accident_prevention),
        ("subjectToEmergencyPlanning", facility.subject_to_emergency_planning),
    ):
        _leaf(element, name, value)
    _state_fields(element, facility.state_fields)
    _leaf(element, "lastModified", facility.last_modified)
    links = _el(element, "contactIds")
    for link in facility.contact_ids:
        _leaf(links, "contactId", link.contact_id, {"linkId": link.link_id})
    chemicals = _el(element, "chemicals")
    for chemical in facility.chemicals:
        _chemical(chemicals, chemical)
    ids = _el(element, "facilityIds")
    for facility_id in facility.facility_ids:
        entry = _el(ids, "facilityId", {"recordid": facility_id.record_id, "type": facility_id.type})
        _leaf(entry, "id", facility_id.id)
        if facility_id.description is not None:
            _leaf(entry, "description", facility_id.description)
    attachments = _el(element, "attachments")
    for attachment in facility.attachments:
        entry = _el(attachments, "attachment", {"recordid": attachment.record_id})
        _leaf(entry, "fileName", attachment.file_name)


def _contact(parent: etree._Element, contact: Contact) -> None:
    element = _el(parent, "contact", {"recordid": contact.record_id})
    _leaf(element, "firstName", contact.first_name)
    _leaf(element, "lastName", contact.last_name)
    _leaf(element, "title", contact.title)
    _leaf(element, "email", contact.email)
    _address(element, "mailingAddress", contact.mailing_address)
    types = _el(element, "contactTypes")
    for contact_type in contact.contact_types:
        _leaf(types, "contactType", contact_type)
    phones = _el(element, "phones")
    for phone in contact.phones:
        _phone(phones, phone)
    _leaf(element, "lastModified", contact.last_modified)


def write_xml(dataset: Dataset) -> bytes:
    """The dataset as the standard's XML document (UTF-8 bytes)."""
    root = etree.Element(_NS + "epcraTier2Dataset", nsmap={None: NAMESPACE})
    root.set("version", dataset.version)
    data = _el(root, "dataset", {"reportyear": dataset.report_year})
    facilities = _el(data, "facilities")
    for facility in dataset.facilities:
        _facility(facilities, facility)
    contacts = _el(data, "contacts")
    for contact in dataset.contacts:
        _contact(contacts, contact)
    etree.indent(root, space="\t")
    return DECLARATION + etree.tostring(root, encoding="utf-8") + b"\n"


# --- Reading -------------------------------------------------------------------------------------------

ACCEPTED_NAMESPACES = (NAMESPACE, NAMESPACE.replace("https://", "http://", 1), "")


class Tier2FileError(DomainError):
    """A file that is not a readable Tier II dataset; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="tier2_file")


@dataclass
class ReadResult:
    dataset: Dataset
    ignored: list[str] = field(default_factory=list)  # paths of elements the reader does not know


def _split(tag: object) -> tuple[str, str]:
    text = tag if isinstance(tag, str) else ""
    if text.startswith("{"):
        namespace, _sep, local = text[1:].partition("}")
        return namespace, local
    return "", text


class _Reader:
    def __init__(self) -> None:
        self.ignored: list[str] = []

    def children(self, element: ET.Element, path: str, known: tuple[str, ...]) -> dict[str, list[ET.Element]]:
        found: dict[str, list[ET.Element]] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            _ns, local = _split(child.tag)
            if local in known:
                found.setdefault(local, []).append(child)
            else:
                where = f"{path}/{local}"
                if where not in self.ignored:
                    self.ignored.append(where)
        return found

    @staticmethod
    def text(found: dict[str, list[ET.Element]], name: str) -> str:
        elements = found.get(name)
        return (elements[0].text or "").strip() if elements else ""

    @staticmethod
    def each(found: dict[str, list[ET.Element]], name: str) -> Iterator[ET.Element]:
        yield from found.get(name, [])

    @staticmethod
    def first(found: dict[str, list[ET.Element]], name: str) -> ET.Element | None:
        elements = found.get(name)
        return elements[0] if elements else None

    def address(self, element: ET.Element | None, path: str) -> Address:
        if element is None:
            return Address(country="")
        found = self.children(element, path, ("street", "city", "state", "zipcode", "country"))
        return Address(
            street=self.text(found, "street"),
            city=self.text(found, "city"),
            state=self.text(found, "state"),
            zipcode=self.text(found, "zipcode"),
            country=self.text(found, "country") if "country" in found else None,
        )

    def phone(self, element: ET.Element, path: str) -> Phone:
        found = self.children(element, path, ("phoneNumber", "phoneType"))
        return Phone(
            record_id=element.get("recordid", ""),
            number=self.text(found, "phoneNumber"),
            type=self.text(found, "phoneType"),
        )

    def state_fields(self, element: ET.Element | None, path: str) -> list[StateField]:
        if element is None:
            return []
        result = []
        for entry in self.children(element, path, ("stateField",)).get("stateField", []):
            found = self.children(entry, f"{path}/stateField", ("label", "t2sFieldname", "data"))
            result.append(
                StateField(
                    label=self.text(found, "label"),
                    fieldname=self.text(found, "t2sFieldname"),
                    data=self.text(found, "data"),
                    required=entry.get("required", "false"),
                )
            )
        return result

    def chemical(self, element: ET.Element, path: str) -> Chemical:
        names = [
            "chemName",
            "casNumber",
            "ehs",
            "pure",
            "mixture",
            "solid",
            "liquid",
            "gas",
            "hazards",
            "aveAmount",
            "aveAmountCode",
            "maxAmount",
            "maxAmountCode",
            "sameAsLastYear",
            "daysOnSite",
            "maxAmtLargestContainer",
            "belowReportingThresholds",
            "confidentialStorageLocs",
            "tradeSecret",
            "stateFields",
            "lastModified",
            "storageLocations",
            "mixtureComponents",
        ]
        found = self.children(element, path, tuple(names))
        hazards = []
        hazards_element = self.first(found, "hazards")
        if hazards_element is not None:
            for entry in self.children(hazards_element, f"{path}/hazards", ("hazard",)).get("hazard", []):
                parts = self.children(entry, f"{path}/hazards/hazard", ("category", "value"))
                hazards.append(Hazard(self.text(parts, "category"), self.text(parts, "value")))
        locations = []
        locations_element = self.first(found, "storageLocations")
        if locations_element is not None:
            location_path = f"{path}/storageLocations/storageLocation"
            for entry in self.children(
                locations_element, f"{path}/storageLocations", ("storageLocation",)
            ).get("storageLocation", []):
                parts = self.children(
                    entry,
                    location_path,
                    ("locationDescription", "storageType", "pressure", "temperature", "amount"),
                )
                amount = self.first(parts, "amount")
                locations.append(
                    StorageLocation(
                        record_id=entry.get("recordid", ""),
                        description=self.text(parts, "locationDescription"),
                        storage_type=self.text(parts, "storageType"),
                        pressure=self.text(parts, "pressure"),
                        temperature=self.text(parts, "temperature"),
                        amount=self.text(parts, "amount"),
                        unit=amount.get("unit", "") if amount is not None else "",
                    )
                )
        components = None
        components_element = self.first(found, "mixtureComponents")
        if components_element is not None:
            components = []
            component_path = f"{path}/mixtureComponents/mixtureComponent"
            for entry in self.children(
                components_element, f"{path}/mixtureComponents", ("mixtureComponent",)
            ).get("mixtureComponent", []):
                parts = self.children(
                    entry,
                    component_path,
                    ("componentName", "casNumber", "ehs", "maxAmountCode", "componentPercentage"),
                )
                percentage = self.first(parts, "componentPercentage")
                components.append(
                    Component(
                        record_id=entry.get("recordid", ""),
                        name=self.text(parts, "componentName"),
                        cas=self.text(parts, "casNumber"),
                        ehs=self.text(parts, "ehs"),
                        max_amount_code=self.text(parts, "maxAmountCode"),
                        percentage=self.text(parts, "componentPercentage"),
                        weight_or_volume=percentage.get("weightOrVolume", "")
                        if percentage is not None
                        else "",
                    )
                )
        return Chemical(
            record_id=element.get("recordid", ""),
            name=self.text(found, "chemName"),
            cas=self.text(found, "casNumber"),
            ehs=self.text(found, "ehs"),
            pure=self.text(found, "pure"),
            mixture=self.text(found, "mixture"),
            solid=self.text(found, "solid"),
            liquid=self.text(found, "liquid"),
            gas=self.text(found, "gas"),
            hazards=hazards,
            ave_amount=self.text(found, "aveAmount"),
            ave_amount_code=self.text(found, "aveAmountCode"),
            max_amount=self.text(found, "maxAmount"),
            max_amount_code=self.text(found, "maxAmountCode"),
            same_as_last_year=self.text(found, "sameAsLastYear"),
            days_on_site=self.text(found, "daysOnSite"),
            max_amt_largest_container=self.text(found, "maxAmtLargestContainer"),
            below_reporting_thresholds=self.text(found, "belowReportingThresholds"),
            confidential_storage_locs=self.text(found, "confidentialStorageLocs"),
            trade_secret=self.text(found, "tradeSecret"),
            state_fields=self.state_fields(self.first(found, "stateFields"), f"{path}/stateFields"),
            last_modified=self.text(found, "lastModified"),
            storage_locations=locations,
            components=components,
        )

    def facility(self, element: ET.Element, path: str) -> Facility:
        names = [
            "facilityName",
            "streetAddress",
            "mailingAddress",
            "county",
            "fireDistrict",
            "latLong",
            "department",
            "failedTier2SubmitValidation",
            "notes",
            "sitePlanAttached",
            "siteCoordAbbrevAttached",
            "dikeDescriptionAttached",
            "facilityInfoSameAsLastYear",
            "nameAndTitleOfCertifier",
            "dateSigned",
            "feesTotal",
            "phone",
            "manned",
            "maxNumOccupants",
            "subjectToChemAccidentPrevention",
            "subjectToEmergencyPlanning",
            "stateFields",
            "lastModified",
            "contactIds",
            "chemicals",
            "facilityIds",
            "attachments",
        ]
        found = self.children(element, path, tuple(names))
        if (
            "failedTier2SubmitValidation" in found
            and f"{path}/failedTier2SubmitValidation" not in self.ignored
        ):
            self.ignored.append(f"{path}/failedTier2SubmitValidation")
        lat_long = self.first(found, "latLong")
        lat_found = (
            self.children(lat_long, f"{path}/latLong", ("latitude", "longitude"))
            if lat_long is not None
            else {}
        )
        phone = self.first(found, "phone")
        links = []
        links_element = self.first(found, "contactIds")
        if links_element is not None:
            for link in self.children(links_element, f"{path}/contactIds", ("contactId",)).get(
                "contactId", []
            ):
                links.append(
                    ContactLink(link_id=link.get("linkId", ""), contact_id=(link.text or "").strip())
                )
        chemicals = []
        chemicals_element = self.first(found, "chemicals")
        if chemicals_element is not None:
            for entry in self.children(chemicals_element, f"{path}/chemicals", ("chemical",)).get(
                "chemical", []
            ):
                chemicals.append(self.chemical(entry, f"{path}/chemicals/chemical"))
        ids = []
        ids_element = self.first(found, "facilityIds")
        if ids_element is not None:
            for entry in self.children(ids_element, f"{path}/facilityIds", ("facilityId",)).get(
                "facilityId", []
            ):
                parts = self.children(entry, f"{path}/facilityIds/facilityId", ("id", "description"))
                ids.append(
                    FacilityId(
                        record_id=entry.get("recordid", ""),
                        type=entry.get("type", ""),
                        id=self.text(parts, "id"),
                        description=self.text(parts, "description") if "description" in parts else None,
                    )
                )
        attachments = []
        attachments_element = self.first(found, "attachments")
        if attachments_element is not None:
            for entry in self.children(attachments_element, f"{path}/attachments", ("attachment",)).get(
                "attachment", []
            ):
                parts = self.children(entry, f"{path}/attachments/attachment", ("fileName",))
                attachments.append(
                    Attachment(record_id=entry.get("recordid", ""), file_name=self.text(parts, "fileName"))
                )
        return Facility(
            record_id=element.get("recordid", ""),
            name=self.text(found, "facilityName"),
            street_address=self.address(self.first(found, "streetAddress"), f"{path}/streetAddress"),
            mailing_address=self.address(self.first(found, "mailingAddress"), f"{path}/mailingAddress"),
            county=self.text(found, "county"),
            fire_district=self.text(found, "fireDistrict"),
            latitude=self.text(lat_found, "latitude"),
            longitude=self.text(lat_found, "longitude"),
            department=self.text(found, "department"),
            notes=self.text(found, "notes"),
            site_plan_attached=self.text(found, "sitePlanAttached"),
            site_coord_abbrev_attached=self.text(found, "siteCoordAbbrevAttached"),
            dike_description_attached=self.text(found, "dikeDescriptionAttached"),
            facility_info_same_as_last_year=self.text(found, "facilityInfoSameAsLastYear"),
            name_and_title_of_certifier=self.text(found, "nameAndTitleOfCertifier"),
            date_signed=self.text(found, "dateSigned"),
            fees_total=self.text(found, "feesTotal"),
            phone=self.phone(phone, f"{path}/phone") if phone is not None else None,
            manned=self.text(found, "manned"),
            max_num_occupants=self.text(found, "maxNumOccupants"),
            subject_to_chem_accident_prevention=self.text(found, "subjectToChemAccidentPrevention"),
            subject_to_emergency_planning=self.text(found, "subjectToEmergencyPlanning"),
            state_fields=self.state_fields(self.first(found, "stateFields"), f"{path}/stateFields"),
            last_modified=self.text(found, "lastModified"),
            contact_ids=links,
            chemicals=chemicals,
            facility_ids=ids,
            attachments=attachments,
        )

    def contact(self, element: ET.Element, path: str) -> Contact:
        names = [
            "firstName",
            "lastName",
            "title",
            "email",
            "mailingAddress",
            "contactTypes",
            "phones",
            "lastModified",
            "parentCompanyDunAndBradstreet",
        ]
        found = self.children(element, path, tuple(names))
        if (
            "parentCompanyDunAndBradstreet" in found
            and f"{path}/parentCompanyDunAndBradstreet" not in self.ignored
        ):
            self.ignored.append(f"{path}/parentCompanyDunAndBradstreet")
        types = []
        types_element = self.first(found, "contactTypes")
        if types_element is not None:
            for entry in self.children(types_element, f"{path}/contactTypes", ("contactType",)).get(
                "contactType", []
            ):
                types.append((entry.text or "").strip())
        phones = []
        phones_element = self.first(found, "phones")
        if phones_element is not None:
            for entry in self.children(phones_element, f"{path}/phones", ("phone",)).get("phone", []):
                phones.append(self.phone(entry, f"{path}/phones/phone"))
        return Contact(
            record_id=element.get("recordid", ""),
            first_name=self.text(found, "firstName"),
            last_name=self.text(found, "lastName"),
            title=self.text(found, "title"),
            email=self.text(found, "email"),
            mailing_address=self.address(self.first(found, "mailingAddress"), f"{path}/mailingAddress"),
            contact_types=types,
            phones=phones,
            last_modified=self.text(found, "lastModified"),
        )


def read_xml(data: bytes) -> ReadResult:
    """Parse a Tier II dataset. Raises ``Tier2FileError`` (a message for people) for anything else."""
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Tier2FileError(
            _(
                "The file contains a document type declaration (DOCTYPE) or entity definitions, which are "
                "not accepted for safety reasons. Tier II files have neither: export the file again."
            )
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise Tier2FileError(
            _(
                "The file is not well-formed XML (line %(line)s, column %(column)s). "
                "Export it again from the program that made it."
            )
            % {"line": line, "column": column + 1}
        ) from None
    except (ValueError, UnicodeError):
        raise Tier2FileError(_("The file is not readable XML text. Export it again.")) from None
    namespace, local = _split(root.tag)
    if local != "epcraTier2Dataset" or namespace not in ACCEPTED_NAMESPACES:
        raise Tier2FileError(
            _(
                "This is not a Tier II file of the National Tier II data standard: its first element is "
                "“%(element)s”, not “epcraTier2Dataset”. Export the Tier II data (for example from Tier2 "
                "Submit) and upload that file."
            )
            % {"element": local[:80]}
        )
    reader = _Reader()
    top = reader.children(root, "epcraTier2Dataset", ("dataset",))
    data_element = reader.first(top, "dataset")
    if data_element is None:
        raise Tier2FileError(_("The Tier II file has no dataset element: it holds no facility to import."))
    found = reader.children(data_element, "dataset", ("facilities", "contacts"))
    facilities = []
    facilities_element = reader.first(found, "facilities")
    if facilities_element is not None:
        for entry in reader.children(facilities_element, "facilities", ("facility",)).get("facility", []):
            facilities.append(reader.facility(entry, "facility"))
    contacts = []
    contacts_element = reader.first(found, "contacts")
    if contacts_element is not None:
        for entry in reader.children(contacts_element, "contacts", ("contact",)).get("contact", []):
            contacts.append(reader.contact(entry, "contact"))
    dataset = Dataset(
        report_year=data_element.get("reportyear", ""),
        facilities=facilities,
        contacts=contacts,
        version=root.get("version", ""),
    )
    return ReadResult(dataset=dataset, ignored=reader.ignored)
