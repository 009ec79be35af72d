"""Facility submittal pass-through (RFS): a local portal's submittal, submitted as if the business had done it here."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from opencers.core.elements import Element
from opencers.core.errors import DomainError
from opencers.core.models import AuditEvent
from opencers.documents.models import Document, DocumentFile, DocumentOption
from opencers.edt.channels import reporting_channel_set
from opencers.edt.models import AttachmentDetail, EdtTransaction, HistoricalElement, RegulatorKey
from opencers.edt.tests.edt_write_support import (
    CHEMICAL,
    OWNER_OPERATOR,
    SUBMITTAL_RESPONSE,
    agency_client,
    messages_of,
    post_xml,
    status_of,
    submittal_xml,
    validate,
)
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.inventory.models import InventoryItem
from opencers.notifications.models import EmailMessage
from opencers.organizations.models import ReportingChannel
from opencers.submittals.models import FacilitySubmittal, Origin, Status, SubmittalElement
from opencers.submittals.services import facility_submit
from opencers.submittals.tests.factories import complete_facility_info

URL = "/EDT/Regulator/FacilitySubmittal/Submit"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SUBMITTED = (
    "Submitted Facility Information, Hazardous Materials Inventory, Emergency Response and Training Plans of "
    "facility {} to the regulator."
)


@pytest.fixture
def portal(world: Any) -> tuple[Any, str]:
    """Sacramento's local portal: a client that forwards submittals, and Acme reporting through it."""
    client, token = agency_client(world.sac, ["submittal_submit"], name="Sacramento local portal")
    reporting_channel_set(
        facility=world.facility,
        actor=world.users["regulator"],
        regulator=world.sac,
        channel=ReportingChannel.LOCAL_PORTAL,
        client=client,
    )
    world.facility.refresh_from_db()
    return client, token


def send(token: str, body: bytes, content_type: str = "application/xml") -> tuple[Any, Any]:
    response = post_xml(Client(), URL, body, token, content_type=content_type)
    return response, validate(response.content, SUBMITTAL_RESPONSE)


def archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in files.items():
            package.writestr(name, content)
    return buffer.getvalue()


def stored_state() -> tuple[int, ...]:
    """Counts of everything a pass-through may write."""
    return (
        FacilitySubmittal.objects.count(),
        SubmittalElement.objects.count(),
        BusinessActivities.objects.count(),
        OwnerOperator.objects.count(),
        InventoryItem.objects.count(),
        Document.objects.count(),
        DocumentFile.objects.count(),
        HistoricalElement.objects.count(),
        AttachmentDetail.objects.count(),
        RegulatorKey.objects.count(),
        EmailMessage.objects.count(),
        AuditEvent.objects.filter(action__startswith="element.").count(),
    )


def test_a_submittal_document_is_submitted_as_if_the_business_had_submitted_here(world, portal):
    client, token = portal
    body = submittal_xml(world.facility, chemicals=[CHEMICAL, CHEMICAL | {"ChemicalLocation": "Store room"}])
    validate(body, "RegulatorFacilitySubmittal")
    EmailMessage.objects.all().delete()

    response, root = send(token, body)

    assert response.status_code == 200
    assert status_of(root) == "Accepted"
    assert messages_of(root) == [("Advisory", SUBMITTED.format(world.facility.cers_id))]
    submittal = FacilitySubmittal.objects.get()
    assert (submittal.origin, submittal.facility, submittal.signer_name, submittal.signer_title) == (
        Origin.LOCAL_PORTAL,
        world.facility,
        "Pat Primary",
        "Plant manager",
    )
    assert submittal.origin_detail == (
        f"Sacramento local portal (client {client.token_prefix}…), submitted by Pat Primary "
        "<pat.primary@acme.example>"
    )
    assert submittal.submitted_by == client.identity
    elements = {e.element: e for e in submittal.elements.all()}
    assert sorted(elements) == [1, 2, 3]
    assert {e.status for e in elements.values()} == {Status.SUBMITTED}
    assert {e.regulator for e in elements.values()} == {world.sac}
    assert elements[1].submitter_comments == "FacilityInformation as entered in the county portal."
    assert elements[1].business_activities.hm_on_site == "Y"
    assert elements[1].owner_operator.pec24_hr_phone == "(916) 555-0199"
    rows = list(InventoryItem.objects.filter(element=elements[2]).order_by("position"))
    assert [(r.common_name, r.chemical_location, r.maximum_daily_amount) for r in rows] == [
        ("Sulfuric acid", "Plating line 1", 1200),
        ("Sulfuric acid", "Store room", 1200),
    ]
    documents = {d.slot: d for d in Document.objects.filter(element__in=elements.values())}
    assert documents["site_map"].option == DocumentOption.STORED_AT_FACILITY
    assert (
        documents["emergency_response_plan"].option,
        str(documents["emergency_response_plan"].date_provided),
    ) == (
        DocumentOption.PROVIDED_TO_REGULATOR,
        "2026-01-10",
    )
    assert documents["employee_training_plan"].public_url == "https://acme.example/training-plan.pdf"
    history = HistoricalElement.objects.get(element=elements[1])
    assert (history.submitted_by_first_name, history.submitted_by_email) == (
        "Pat",
        "pat.primary@acme.example",
    )
    assert history.source_transaction_key == root.findtext("Transaction/TransactionKey")

    # The caller's keys: each element's, each part's and each row's, kept for the queries.
    keys = {(k.kind, k.key) for k in RegulatorKey.objects.filter(regulator=world.sac)}
    assert keys == {
        ("element", "11111111-1111-4111-8111-111111111111"),
        ("element", "22222222-2222-4222-8222-222222222222"),
        ("element", "33333333-3333-4333-8333-333333333333"),
        ("business_activities", "BA-1"),
        ("owner_operator", "BOOI-1"),
        ("chemical", "CHEM-1"),
        ("chemical", "CHEM-2"),
        ("facility", "FA0001724"),
    }
    pairs = [
        (k.findtext("CERSUniqueKey"), k.findtext("SubmittalElementRegulatorKey"))
        for k in root.iter("SubmittalElementKey")
    ]
    assert pairs == [
        (str(elements[1].public_id), "11111111-1111-4111-8111-111111111111"),
        (str(elements[2].public_id), "22222222-2222-4222-8222-222222222222"),
        (str(elements[3].public_id), "33333333-3333-4333-8333-333333333333"),
    ]

    # The same notifications as a submission in the portal: the regulator and the Lead User, not the client.
    emails = sorted(EmailMessage.objects.values_list("kind", "to_address"))
    assert emails == [
        ("submittal_confirmation", "lead@example.com"),
        ("submittal_received_regulator", "regulator@example.com"),
    ]
    event = AuditEvent.objects.get(action="facility.submitted")
    assert event.data["origin"] == Origin.LOCAL_PORTAL
    logged = EdtTransaction.objects.get()
    assert (logged.status, logged.http_status, logged.records, logged.client) == ("Accepted", 200, 3, client)


def test_a_zip_archive_brings_the_attached_documents(world, portal):
    _client, token = portal
    body = submittal_xml(
        world.facility,
        chemicals=[CHEMICAL],
        site_map=("Attachments", {"file": "documents/site-map.pdf", "title": "Site map 2026", "key": "SM-7"}),
    )
    validate(body, "RegulatorFacilitySubmittal")
    response, root = send(
        token, archive({"submittal.xml": body, "documents/site-map.pdf": PDF}), "application/zip"
    )
    assert response.status_code == 200
    stored = DocumentFile.objects.get()
    assert (stored.original_name, stored.kind, stored.size, stored.document.slot) == (
        "site-map.pdf",
        "pdf",
        len(PDF),
        "site_map",
    )
    assert stored.document.element.status == Status.SUBMITTED
    assert stored.document.description == "Site map, 2026"
    detail = AttachmentDetail.objects.get(file=stored)
    assert (detail.title, detail.description, detail.date_authored.isoformat()) == (
        "Site map 2026",
        "Site map, 2026",
        "2026-01-15T09:00:00+00:00",
    )
    assert RegulatorKey.objects.get(public_id=stored.public_id).key == "SM-7"
    entity = next(k for k in root.iter("EntityKey") if k.findtext("EntityResource") == "SM")
    assert (entity.findtext("RegulatorKey"), entity.findtext("CERSUniqueKey")) == (
        "SM-7",
        str(stored.public_id),
    )


def test_a_required_problem_rejects_everything_with_the_messages(world, portal):
    _client, token = portal
    before = stored_state()
    owner = {k: v for k, v in OWNER_OPERATOR.items() if k != "IdentificationSignerName"}
    body = submittal_xml(world.facility, chemicals=[CHEMICAL], owner_operator=owner)
    validate(body, "RegulatorFacilitySubmittal")
    response, root = send(token, body)
    assert response.status_code == 422
    assert status_of(root) == "Rejected"
    required = [m for m in messages_of(root) if m[0] == "Required"]
    assert required == [
        (
            "Required",
            "Facility Information, IdentificationSignerName: Give the signer's name: regulators do not accept "
            "Owner/Operator Identification without the certification.",
        )
    ]
    message = root.find("GuidanceMessages/GuidanceMessage")
    assert (message.get("entityResource"), message.get("guidanceCode")) == ("BOOI", "200")
    assert stored_state() == before
    logged = EdtTransaction.objects.get()
    assert (logged.status, logged.http_status) == ("Rejected", 422)
    assert logged.messages[0]["message"] == required[0][1]


def test_field_problems_name_the_material_and_field(world, portal):
    _client, token = portal
    before = stored_state()
    body = submittal_xml(world.facility, chemicals=[CHEMICAL, CHEMICAL | {"CASNumber": "7664-93-8"}])
    response, root = send(token, body)
    assert response.status_code == 422
    assert messages_of(root) == [
        (
            "Required",
            "Hazardous Materials Inventory, material 2, CASNumber: The CAS number 7664-93-8 has a wrong check "
            "digit (it should end in 9). Copy the number again from the Safety Data Sheet.",
        )
    ]
    assert stored_state() == before


def test_attachments_must_come_in_the_archive(world, portal):
    _client, token = portal
    before = stored_state()
    body = submittal_xml(
        world.facility, chemicals=[CHEMICAL], site_map=("Attachments", {"file": "site-map.pdf"})
    )
    response, root = send(token, body)
    assert response.status_code == 422
    assert (
        "Required",
        "Hazardous Materials Inventory, SiteMapDocuments: the attached files are not in the request: send the XML and its files together in a ZIP archive.",
    ) in messages_of(root)

    response, root = send(token, archive({"submittal.xml": body, "other.pdf": PDF}), "application/zip")
    assert response.status_code == 422
    assert (
        "Required",
        "Hazardous Materials Inventory, SiteMapDocuments: site-map.pdf is not in the ZIP archive.",
    ) in messages_of(root)
    assert stored_state() == before


def test_an_attachment_whose_content_is_not_what_its_name_says_is_refused(world, portal):
    _client, token = portal
    before = stored_state()
    body = submittal_xml(
        world.facility, chemicals=[CHEMICAL], site_map=("Attachments", {"file": "site-map.pdf"})
    )
    response, root = send(
        token, archive({"submittal.xml": body, "site-map.pdf": b"MZ\x90\x00 not a pdf"}), "application/zip"
    )
    assert response.status_code == 422
    texts = [text for _level, text in messages_of(root)]
    assert any(
        text.startswith("Hazardous Materials Inventory, SiteMapDocuments: site-map.pdf ") for text in texts
    )
    assert stored_state() == before


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"submittal.xml": b"<x/>", "../evil.pdf": PDF},
            "The ZIP archive contains a file with an unsafe path (“../evil.pdf”): create the archive again from "
            "the folder holding the files, so that no path starts with “/” or contains “..”.",
        ),
        (
            {"readme.txt": b"hello"},
            "The ZIP archive must hold exactly one RegulatorFacilitySubmittals XML document (it holds 0), with "
            "the attached files next to it.",
        ),
        (
            {"tool.exe": b"MZ"},
            "The ZIP archive contains a program (“tool.exe”), which is not accepted: remove it from the archive and "
            "upload the archive again.",
        ),
    ],
)
def test_unsafe_archives_are_refused_before_anything_is_read(world, portal, files, message):
    _client, token = portal
    before = stored_state()
    response, root = send(token, archive(files), "application/zip")
    assert response.status_code == 400
    assert messages_of(root) == [("Required", message)]
    assert stored_state() == before


def test_a_document_with_a_doctype_is_refused(world, portal):
    _client, token = portal
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><RegulatorFacilitySubmittals>&e;</RegulatorFacilitySubmittals>'
    response, root = send(token, body)
    assert response.status_code == 400
    assert messages_of(root) == [
        (
            "Required",
            "The document contains a document type declaration (DOCTYPE) or entity definitions, which are not "
            "accepted for safety reasons: remove them.",
        )
    ]


def test_elements_not_received_yet_are_refused_by_name(world, portal):
    _client, token = portal
    body = submittal_xml(world.facility, chemicals=[CHEMICAL]).replace(
        b"</FacilitySubmittal>", b"<UndergroundStorageTanks/></FacilitySubmittal>"
    )
    response, root = send(token, body)
    assert response.status_code == 400
    assert messages_of(root) == [
        (
            "Required",
            "Underground Storage Tanks cannot be received through the exchange yet: send the submittal without "
            "it, and this element to the regulator directly.",
        )
    ]


def test_a_draft_started_in_the_business_portal_is_replaced(world, portal):
    _client, token = portal
    draft = complete_facility_info(world.facility, world.users["lead"])
    response, root = send(token, submittal_xml(world.facility, chemicals=None, plans=False))
    assert response.status_code == 200
    assert (
        "Warning",
        "Facility Information: the draft that was started in the business portal was replaced.",
    ) in messages_of(root)
    assert not SubmittalElement.objects.filter(pk=draft.pk).exists()
    assert (
        SubmittalElement.objects.get(facility=world.facility, element=Element.FACILITY_INFORMATION).status
        == Status.SUBMITTED
    )


# --- One reporting channel per facility ----------------------------------------------------------------


def test_a_facility_that_reports_in_the_business_portal_refuses_a_pass_through(world):
    _client, token = agency_client(world.sac, ["submittal_submit"], name="Sacramento local portal")
    before = stored_state()
    response, root = send(token, submittal_xml(world.facility, chemicals=[CHEMICAL]))
    assert response.status_code == 409
    assert messages_of(root) == [
        (
            "Required",
            f"Facility {world.facility.cers_id} reports in the business portal, not through a local portal: its "
            "business submits there. Ask the regulator to switch the facility to your portal first if the "
            "business now reports through it.",
        )
    ]
    assert stored_state() == before


def test_another_local_portal_of_the_agency_is_refused(world, portal):
    _other, token = agency_client(world.sac, ["submittal_submit"], name="Another portal")
    before = stored_state()
    response, root = send(token, submittal_xml(world.facility, chemicals=[CHEMICAL]))
    assert response.status_code == 409
    assert messages_of(root) == [
        (
            "Required",
            f"Facility {world.facility.cers_id} reports through another local portal (Sacramento local portal). "
            "Ask the regulator to switch the facility to your portal first if the business now reports through it.",
        )
    ]
    assert stored_state() == before


def test_the_business_portal_refuses_a_facility_that_reports_through_a_local_portal(world, portal):
    complete_facility_info(world.facility, world.users["lead"])
    with pytest.raises(DomainError) as refused:
        facility_submit(
            facility=world.facility,
            actor=world.users["lead"],
            element_codes=[Element.FACILITY_INFORMATION],
            signer_name="Lena Lead",
            signer_title="Owner",
        )
    assert refused.value.message == (
        "Acme Plating reports through a local portal, Sacramento local portal: submit there. If the business now "
        "reports here, ask Sacramento County CUPA to switch the facility back to this portal."
    )
    assert FacilitySubmittal.objects.count() == 0


def test_a_client_of_another_agency_gets_not_found_and_nothing_changes(world, portal):
    _kern, token = agency_client(world.kern, ["submittal_submit"], name="Kern portal")
    before = stored_state()
    response, root = send(token, submittal_xml(world.facility, chemicals=[CHEMICAL], regulator_code=1500))
    assert response.status_code == 404
    assert messages_of(root) == [
        ("Required", f"Facility {world.facility.cers_id} does not exist or is not in your jurisdiction.")
    ]
    assert stored_state() == before
    assert EdtTransaction.objects.get().regulator == world.kern


def test_the_scope_is_required(world, portal):
    _client, token = agency_client(world.sac, ["facility_create", "action"])
    before = stored_state()
    response, root = send(token, submittal_xml(world.facility, chemicals=[CHEMICAL]))
    assert response.status_code == 403
    assert messages_of(root) == [
        ("Required", "The token does not have the 'submittal_submit' scope needed here.")
    ]
    assert stored_state() == before
