"""Codes of the state's data exchange and how they map to ours.

* Submittal status (data registry 20.0005): 2 Submitted, 3 Under review, 4 Accepted, 5 Not accepted,
  6 Not applicable. Drafts have no code: they are never exchanged.
* Submittal element codes (20.0071): 1 Facility Information … 10 CalARP, the order of ``Element``.
* The XML element name of each submittal element in RegulatorFacilitySubmittal(Query).xsd.
* Namespaces: we write the schemas' current versions and read any version of the same schema
  (the state's own documents carry older ones such as ``/1/05/``).
"""

from __future__ import annotations

import re

from opencers.core.elements import Element
from opencers.submittals.models import Status

STATUS_CODES: dict[str, str] = {
    Status.SUBMITTED: "2",
    Status.UNDER_REVIEW: "3",
    Status.ACCEPTED: "4",
    Status.NOT_ACCEPTED: "5",
    Status.NOT_APPLICABLE: "6",
}
STATUS_BY_CODE: dict[str, str] = {code: status for status, code in STATUS_CODES.items()}

ELEMENT_XML_NAMES: dict[int, str] = {
    Element.FACILITY_INFORMATION: "FacilityInformation",
    Element.HAZARDOUS_MATERIALS_INVENTORY: "HazardousMaterialsInventory",
    Element.EMERGENCY_RESPONSE_TRAINING: "EmergencyResponseTrainingPlans",
    Element.UST: "UndergroundStorageTanks",
    Element.TIERED_PERMITTING: "OnsiteHazardousWasteTreatmentNotification",
    Element.RECYCLABLE_MATERIALS: "RecyclableMaterialsReport",
    Element.REMOTE_WASTE_CONSOLIDATION: "RemoteWasteConsolidationsAnnualNotification",
    Element.HW_TANK_CLOSURE: "HWTankClosureCertification",
    Element.APSA: "AbovegroundPetroleumStorageTanks",
    Element.CALARP: "CaliforniaAccidentalReleasePrevention",
}
ELEMENTS_BY_XML_NAME: dict[str, int] = {name: code for code, name in ELEMENT_XML_NAMES.items()}

BASE = "http://cersservices.calepa.ca.gov/Schemas/"

# The version of each schema we write (the current one in the state's published set).
CURRENT_VERSIONS = {
    "RegulatorFacilitySubmittalQuery": "1/10",
    "RegulatorFacilitySubmittal": "1/10",
    "RegulatorFacilitySubmittalResponse": "1/06",
    "ChemicalLibraryQuery": "1/08",
    "ViolationLibraryQuery": "1/06",
    "DictionaryDataQuery": "1/05",
    "EndpointMetadata": "1/06",
    "RegulatorFacilityQuery": "1/05",
    "RegulatorOrganizationQuery": "1/05",
    "RegulatorFacilityTransferQuery": "1/06",
}

_NAMESPACE = re.compile(r"^http://cersservices\.calepa\.ca\.gov/Schemas/(?P<schema>[A-Za-z]+)/\d+/\d+/?$")


def namespace(schema: str) -> str:
    """The namespace we write for ``schema``, e.g. ``…/RegulatorFacilitySubmittalQuery/1/10/``."""
    return f"{BASE}{schema}/{CURRENT_VERSIONS[schema]}/"


def schema_of(namespace_uri: str | None) -> str | None:
    """The schema a namespace belongs to, whatever its version (None for anything else)."""
    match = _NAMESPACE.match(namespace_uri or "")
    return match.group("schema") if match else None
