"""Helpers of the EDT write-service tests: agency clients, posting documents, validating the responses.

The state's schemas and samples are not part of the project: they are read from ``../shared/cers-edt-schemas``
and ``../shared/cers-edt-samples`` (``EDT_SCHEMA_DIR`` / ``EDT_SAMPLES_DIR`` override); a test that needs them
is skipped, saying so, when they are absent.

Two defects of the published response schemas are lifted when validating, and nothing else:
RegulatorFacilityCreateResponse 1/06 caps every date at 2024-12-31 (a facility's ``EstablishedOn`` and an
element's ``nextDueDate`` are later than that today; the current schemas cap dates at 2099-12-31), and it
limits organization codes to 8 digits where its own request schema, the data registry and our codes have 9
(100000001-999999999). ``validate(..., errata=True)`` raises the first cap to 2099 and the second to
999999999. Every other response is validated against its schema exactly as published.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_DIR = Path(os.environ.get("EDT_SCHEMA_DIR", ROOT.parent / "shared" / "cers-edt-schemas"))
SAMPLES_DIR = Path(os.environ.get("EDT_SAMPLES_DIR", ROOT.parent / "shared" / "cers-edt-samples"))

SUBMITTAL_RESPONSE = "RegulatorFacilitySubmittalResponse"
CREATE_RESPONSE = "RegulatorFacilityCreateResponse"


def schema_path(name: str) -> Path:
    path = SCHEMA_DIR / f"{name}.xsd"
    if not path.is_file():
        pytest.skip(
            f"The state's schema {name}.xsd is not in {SCHEMA_DIR} (set EDT_SCHEMA_DIR to its folder)."
        )
    return path


def sample(name: str) -> bytes:
    path = SAMPLES_DIR / name
    if not path.is_file():
        pytest.skip(f"The state's sample {name} is not in {SAMPLES_DIR} (set EDT_SAMPLES_DIR to its folder).")
    return path.read_bytes()


@cache
def _schema(name: str, errata: bool) -> etree.XMLSchema:
    text = schema_path(name).read_text(encoding="utf-8")
    if errata:
        text = text.replace('"2024-12-31T23:59:59Z"', '"2099-12-31T23:59:59Z"').replace(
            '"2024-12-31"', '"2099-12-31"'
        )
        text = re.sub(
            r'(<xs:simpleType name="OrganizationCodeType">.*?<xs:maxInclusive value=")99999999(")',
            r"\g<1>999999999\g<2>",
            text,
            count=1,
            flags=re.DOTALL,
        )
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8")))


def validate(document: bytes, schema: str, *, errata: bool = False) -> etree._Element:
    """Assert that ``document`` is valid against the state's ``schema``; return its root."""
    root = etree.fromstring(document)
    xml_schema = _schema(schema, errata)
    if not xml_schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in list(xml_schema.error_log)[:10])
        raise AssertionError(f"not valid against {schema}.xsd:\n{errors}\n{document.decode()[:3000]}")
    return root


def agency_client(regulator: Any, scopes: list[str], name: str = "County system") -> tuple[Any, str]:
    from opencers.accounts.api_clients import agency_client_create

    return agency_client_create(regulator=regulator, actor=None, name=name, scopes=scopes)


def post_xml(
    http: Any, url: str, body: bytes, token: str | None, content_type: str = "application/xml"
) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return http.post(url, data=body, content_type=content_type, **headers)


def messages_of(root: etree._Element) -> list[tuple[str, str]]:
    """(level or type, text) of every message of a response, in order."""
    found = [(m.get("level"), m.text or "") for m in root.iter("GuidanceMessage")]
    found += [(m.get("type"), m.text or "") for m in root.iter("Message")]
    return found


def status_of(root: etree._Element) -> str:
    return root.findtext("Transaction/TransactionStatus") or ""


# --- A facility submittal document, built from the schema's element names ------------------------------

RFS_NAMESPACE = "http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilitySubmittal/1/10/"
PHONE = "(916) 555-0100"
BUSINESS_ACTIVITIES = {
    "HMOnSite": "Y",
    "CalARPRegulatedSubstances": "N",
    "OwnOrOperateUST": "N",
    "OwnOrOperateAPST": "N",
    "HWGenerator": "N",
    "Recycle": "N",
    "OnsiteHWTreatment": "N",
    "FinancialAssurance": "N",
    "RWConsolidationSite": "N",
    "HWTankClosure": "N",
    "RCRALargeQuantityGenerator": "N",
    "HHWCollection": "N",
}
OWNER_OPERATOR = {
    "BeginningDate": "2010-01-01",
    "Phone": PHONE,
    "MailingAddress": "PO Box 1",
    "MailingAddressCity": "Sacramento",
    "OperatorName": "Acme Plating Inc.",
    "OperatorPhone": PHONE,
    "OwnerName": "Acme Holdings",
    "OwnerPhone": PHONE,
    "OwnerMailAddress": "PO Box 1",
    "OwnerCity": "Sacramento",
    "EContactName": "Eve Contact",
    "EContactPhone": PHONE,
    "EContactMailingAddress": "PO Box 1",
    "EContactCity": "Sacramento",
    "PECName": "Pat Primary",
    "PECTitle": "Plant manager",
    "PECBusinessPhone": PHONE,
    "PEC24HrPhone": "(916) 555-0199",
    "DocumentPreparerName": "Eve Contact",
    "IdentificationSignerName": "Pat Primary",
    "IdentificationSignerTitle": "Plant manager",
    "BillingContactName": "Bill Payer",
    "BillingContactPhone": PHONE,
    "BillingAddress": "PO Box 1",
    "BillingAddressCity": "Sacramento",
}
CHEMICAL = {
    "ChemicalLocation": "Plating line 1",
    "ChemicalName": "Sulfuric acid",
    "CommonName": "Sulfuric acid",
    "EHS": "Y",
    "CASNumber": "7664-93-9",
    "HMType": "a",
    "PhysicalState": "b",
    "AverageDailyAmount": "800",
    "MaximumDailyAmount": "1200",
    "Units": "c",
    "DaysOnSite": "365",
}
ELEMENT_KEYS = {
    "FacilityInformation": "11111111-1111-4111-8111-111111111111",
    "HazardousMaterialsInventory": "22222222-2222-4222-8222-222222222222",
    "EmergencyResponseTrainingPlans": "33333333-3333-4333-8333-333333333333",
}


def _fields(
    parent: Any, values: dict[str, str], specs: Any, regulator_key_name: str, regulator_key: str
) -> None:
    for spec in specs:  # the field tables follow the schema's order
        if spec.xml in values:
            etree.SubElement(parent, spec.xml).text = values[spec.xml]
    etree.SubElement(parent, regulator_key_name).text = regulator_key


def _header(parent: Any, name: str, regulator_code: int) -> None:
    header = etree.SubElement(parent, "SubmittalElementHeader")
    etree.SubElement(header, "SubmittalType").text = "2"
    submitter = etree.SubElement(header, "Submitter")
    etree.SubElement(submitter, "SubmittedOn").text = "2026-11-20T16:30:00Z"
    etree.SubElement(submitter, "SubmitterFirstName").text = "Pat"
    etree.SubElement(submitter, "SubmitterLastName").text = "Primary"
    etree.SubElement(submitter, "SubmitterEmail").text = "pat.primary@acme.example"
    etree.SubElement(submitter, "SubmitterComments").text = f"{name} as entered in the county portal."
    etree.SubElement(header, "RegulatorCode").text = str(regulator_code)
    etree.SubElement(header, "SubmittalElementRegulatorKey").text = ELEMENT_KEYS[name]


def document(parent: Any, name: str, how: str, **values: str) -> None:
    """A document slot provided in one of the six ways of ``DocumentType``."""
    slot = etree.SubElement(parent, name)
    if how == "Attachments":
        attachments = etree.SubElement(slot, "Attachments")
        attachment = etree.SubElement(attachments, "Attachment")
        etree.SubElement(attachment, "AttachmentFileName").text = values["file"]
        etree.SubElement(attachment, "DocumentTitle").text = values.get("title", "Site map")
        etree.SubElement(attachment, "DocumentDescription").text = values.get("description", "Site map, 2026")
        etree.SubElement(attachment, "DateAuthored").text = "2026-01-15T09:00:00Z"
        etree.SubElement(attachment, "DocumentRegulatorKey").text = values.get("key", "DOC-1")
    elif how == "Exempt":
        etree.SubElement(etree.SubElement(slot, "Exempt"), "Comment").text = values["comment"]
    elif how == "ProvidedToRegulator":
        etree.SubElement(etree.SubElement(slot, "ProvidedToRegulator"), "DateProvided").text = values["date"]
    elif how == "StoredAtFacility":
        etree.SubElement(etree.SubElement(slot, "StoredAtFacility"), "CERSID").text = values["cers_id"]
    elif how == "PublicInternetUri":
        etree.SubElement(slot, "PublicInternetUri").text = values["url"]
    elif how == "ProvidedInOtherSubmittalElement":
        other = etree.SubElement(slot, "ProvidedInOtherSubmittalElement")
        etree.SubElement(other, "SubmittalElementCode").text = values["code"]


def submittal_xml(
    facility: Any,
    *,
    regulator_code: int = 3400,
    chemicals: list[dict[str, str]] | None = None,
    site_map: tuple[str, dict[str, str]] = ("StoredAtFacility", {}),
    plans: bool = True,
    owner_operator: dict[str, str] | None = None,
    transaction_key: str = "44444444-4444-4444-8444-444444444444",
) -> bytes:
    """A RegulatorFacilitySubmittals document (schema 1/10) for ``facility``: Facility Information, an
    inventory (``chemicals``; None leaves the element out) and the plans, as a local portal sends it."""
    from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS, OWNER_OPERATOR_FIELDS
    from opencers.elements.inventory.fields import CHEMICAL_FIELDS

    root = etree.Element(f"{{{RFS_NAMESPACE}}}RegulatorFacilitySubmittals", nsmap={"cers": RFS_NAMESPACE})
    etree.SubElement(root, "RegulatorTransactionKey").text = transaction_key
    submittal = etree.SubElement(root, "FacilitySubmittal")
    etree.SubElement(submittal, "CERSID").text = str(facility.cers_id)
    etree.SubElement(submittal, "FacilityRegulatorKey").text = "FA0001724"
    info = etree.SubElement(submittal, "FacilityInformation")
    _header(info, "FacilityInformation", regulator_code)
    activities = {
        "BusinessName": facility.name,
        "SiteAddress": facility.street,
        "City": facility.city,
        "ZipCode": facility.zip_code,
        "CountyID": "34",
        **BUSINESS_ACTIVITIES,
    }
    _fields(
        etree.SubElement(info, "BusinessActivities"),
        activities,
        BUSINESS_ACTIVITIES_FIELDS,
        "BizActivitiesRegulatorKey",
        "BA-1",
    )
    _fields(
        etree.SubElement(info, "OwnerOperatorInformation"),
        owner_operator if owner_operator is not None else OWNER_OPERATOR,
        OWNER_OPERATOR_FIELDS,
        "OwnerOperatorRegulatorKey",
        "BOOI-1",
    )
    if chemicals is not None:
        inventory = etree.SubElement(submittal, "HazardousMaterialsInventory")
        _header(inventory, "HazardousMaterialsInventory", regulator_code)
        rows = etree.SubElement(inventory, "Chemicals")
        for position, chemical in enumerate(chemicals, start=1):
            _fields(
                etree.SubElement(rows, "Chemical"),
                chemical,
                CHEMICAL_FIELDS,
                "ChemicalRegulatorKey",
                f"CHEM-{position}",
            )
        how, values = site_map
        document(inventory, "SiteMapDocuments", how, **({"cers_id": str(facility.cers_id)} | values))
    if plans:
        plan = etree.SubElement(submittal, "EmergencyResponseTrainingPlans")
        _header(plan, "EmergencyResponseTrainingPlans", regulator_code)
        document(plan, "EmergencyResponseContingencyPlanDocument", "ProvidedToRegulator", date="2026-01-10")
        document(
            plan,
            "EmployeeTrainingPlanDocument",
            "PublicInternetUri",
            url="https://acme.example/training-plan.pdf",
        )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# --- A submittal action notification ---------------------------------------------------------------------

ACTION_NAMESPACE = (
    "http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilitySubmittalActionNotification/1/05/"
)
ACTION_CODES = {"under_review": "3", "accepted": "4", "not_accepted": "5", "not_applicable": "6"}


def action_xml(
    *actions: dict[str, Any], transaction_key: str = "55555555-5555-4555-8555-555555555555"
) -> bytes:
    """A RegulatorFacilitySubmittalActionNotifications document; each action names ``element`` (a submitted
    SubmittalElement), ``status`` and optionally ``comments``, ``when``, ``cers_id``, ``regulator_code``."""
    root = etree.Element(
        f"{{{ACTION_NAMESPACE}}}RegulatorFacilitySubmittalActionNotifications",
        nsmap={"cers": ACTION_NAMESPACE},
    )
    etree.SubElement(root, "RegulatorTransactionKey").text = transaction_key
    elements = etree.SubElement(root, "SubmittalElements")
    for action in actions:
        element = action["element"]
        node = etree.SubElement(elements, "SubmittalElement", code=str(action.get("code", element.element)))
        etree.SubElement(node, "CERSUniqueKey").text = str(action.get("key", element.public_id))
        etree.SubElement(node, "CERSID").text = str(action.get("cers_id", element.facility.cers_id))
        etree.SubElement(node, "RegulatorCode").text = str(
            action.get("regulator_code", element.regulator.code)
        )
        etree.SubElement(node, "SubmittalAction").text = ACTION_CODES[action["status"]]
        etree.SubElement(node, "SubmittalActionOn").text = action.get("when", "")
        etree.SubElement(node, "SubmittalActionAgentName").text = action.get("agent", "Ines Inspector")
        etree.SubElement(node, "SubmittalActionAgentEmail").text = action.get(
            "email", "ines@saccounty.example"
        )
        if "comments" in action:
            etree.SubElement(node, "SubmittalActionComments").text = action["comments"]
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
