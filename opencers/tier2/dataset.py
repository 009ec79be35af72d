"""The National Tier II data standard's records as plain data (``spec/TIER2.md`` §3).

Every value is kept as the text the file holds (or will hold): reading a file and writing it back gives
the same document. Turning text into numbers, booleans and CERS fields is the export's and the import's
business. ``None`` means "the element is absent"; ``""`` means "present and empty".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Address:
    street: str = ""
    city: str = ""
    state: str = ""
    zipcode: str = ""
    country: str | None = None  # the site address has no country in the sample


@dataclass
class Phone:
    record_id: str = ""
    number: str = ""
    type: str = ""


@dataclass
class StateField:
    label: str = ""
    fieldname: str = ""
    data: str = ""
    required: str = "false"


@dataclass
class Hazard:
    category: str
    value: str


@dataclass
class StorageLocation:
    record_id: str = ""
    description: str = ""
    storage_type: str = ""
    pressure: str = ""
    temperature: str = ""
    amount: str = ""
    unit: str = "pounds"


@dataclass
class Component:
    record_id: str = ""
    name: str = ""
    cas: str = ""
    ehs: str = "false"
    max_amount_code: str = ""
    percentage: str = ""
    weight_or_volume: str = "weight"


@dataclass
class Chemical:
    record_id: str = ""
    name: str = ""
    cas: str = ""
    ehs: str = "false"
    pure: str = "false"
    mixture: str = "false"
    solid: str = "false"
    liquid: str = "false"
    gas: str = "false"
    hazards: list[Hazard] = field(default_factory=list)
    ave_amount: str = ""
    ave_amount_code: str = ""
    max_amount: str = ""
    max_amount_code: str = ""
    same_as_last_year: str = "false"
    days_on_site: str = ""
    max_amt_largest_container: str = ""
    below_reporting_thresholds: str = "false"
    confidential_storage_locs: str = "false"
    trade_secret: str = "false"  # noqa: S105 (a boolean, not a secret)
    state_fields: list[StateField] = field(default_factory=list)
    last_modified: str = ""
    storage_locations: list[StorageLocation] = field(default_factory=list)
    components: list[Component] | None = None  # None: no <mixtureComponents> (a pure chemical)


@dataclass
class ContactLink:
    link_id: str
    contact_id: str


@dataclass
class FacilityId:
    record_id: str = ""
    type: str = ""
    id: str = ""
    description: str | None = None  # only NAICS ids carry a description in the sample


@dataclass
class Attachment:
    record_id: str = ""
    file_name: str = ""


@dataclass
class Facility:
    record_id: str = ""
    name: str = ""
    street_address: Address = field(default_factory=Address)
    mailing_address: Address = field(default_factory=lambda: Address(country=""))
    county: str = ""
    fire_district: str = ""
    latitude: str = ""
    longitude: str = ""
    department: str = ""
    notes: str = ""
    site_plan_attached: str = "false"
    site_coord_abbrev_attached: str = "false"
    dike_description_attached: str = "false"
    facility_info_same_as_last_year: str = "false"
    name_and_title_of_certifier: str = ""
    date_signed: str = ""
    fees_total: str = ""
    phone: Phone | None = None
    manned: str = ""
    max_num_occupants: str = ""
    subject_to_chem_accident_prevention: str = "false"
    subject_to_emergency_planning: str = "false"
    state_fields: list[StateField] = field(default_factory=list)
    last_modified: str = ""
    contact_ids: list[ContactLink] = field(default_factory=list)
    chemicals: list[Chemical] = field(default_factory=list)
    facility_ids: list[FacilityId] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Contact:
    record_id: str = ""
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    email: str = ""
    mailing_address: Address = field(default_factory=lambda: Address(country=""))
    contact_types: list[str] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    last_modified: str = ""


@dataclass
class Dataset:
    report_year: str
    facilities: list[Facility] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    version: str = "1.0.0"
