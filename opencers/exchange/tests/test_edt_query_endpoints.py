"""The EDT query services over HTTP: tokens and scopes, jurisdictions, filters, drafts, pagination,
streaming, the transaction log, documents, and the round trip of the state's sample (import, then export
with the same values). Every document produced is validated against the state's schema."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve
from django.utils import timezone
from lxml import etree

from conftest import World
from opencers.accounts.api_clients import agency_client_create, api_client_revoke, organization_client_create
from opencers.accounts.models import ApiClient
from opencers.core.elements import Element
from opencers.documents.models import DocumentFile, DocumentOption
from opencers.documents.services import document_set_option, document_upload
from opencers.documents.tests import corpus
from opencers.edt.importer import edt_import
from opencers.edt.models import EdtTransaction
from opencers.edt.tests.edt_query_helpers import (
    differences,
    facility_submittals,
    sample_path,
    streamed,
    validate,
)
from opencers.library.models import Chemical, ChemicalSource
from opencers.submittals.models import LocalRequirement, Status, SubmittalElement
from opencers.submittals.services import draft_get_or_create, element_review, facility_submit
from opencers.submittals.tests.factories import add_material, complete_facility_info

RFSQ = "RegulatorFacilitySubmittalQuery"
QUERY = "/EDT/Regulator/FacilitySubmittal/Query"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Stored files go to a temporary directory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def token_for(regulator: Any, scopes: list[str] | None = None) -> str:
    _client, token = agency_client_create(
        regulator=regulator, actor=None, name="County system", scopes=scopes or ["library", "query"]
    )
    return token


def get(token: str | None, path: str, **params: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(path, params, **headers)


def rfsq(token: str, regulator_code: int, **params: Any) -> etree._Element:
    response = get(token, QUERY, regulatorCode=regulator_code, **params)
    assert response.status_code == 200, streamed(response)
    return validate(streamed(response), RFSQ)


def unique_keys(root: etree._Element) -> set[str]:
    return {node.text for node in root.iter("CERSUniqueKey")}


def element_keys(root: etree._Element) -> set[str]:
    return {node.text for node in root.iter("SubmittalElementHeader") for node in node.iter("CERSUniqueKey")}


def import_sample() -> None:
    with sample_path().open("rb") as source:
        edt_import(source=source, name="Untitled1.xml")


def submit_hmbp(
    world: World, *, site_map: str, emergency: str, training: str, local: str | None = None
) -> Any:
    """Facility Information, an inventory of two materials and the plans of Acme, submitted together,
    with each document slot provided as asked; returns the facility submittal."""
    facility, lead = world.facility, world.users["lead"]
    complete_facility_info(facility, lead)
    inventory = draft_get_or_create(
        facility=facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=lead
    )
    if not inventory.inventory_items.exists():
        add_material(inventory, 1)
        add_material(
            inventory,
            2,
            common_name="Nickel & sulfate <bath>",
            chemical_name="Nickel sulfate",
            cas_number="7786-81-4",
            ehs="N",
            hm_type="b",
            physical_state="b",
            units="a",
            maximum_daily_amount=55,
            average_daily_amount=40,
            hc1_percent_by_weight=25,
            hc1_name="Nickel sulfate",
            hc1_ehs="N",
            chemical_location="Tank 3",
        )
    plans = draft_get_or_create(facility=facility, element=Element.EMERGENCY_RESPONSE_TRAINING, actor=lead)
    for draft, slot, option in (
        (inventory, "site_map", site_map),
        (plans, "emergency_response_plan", emergency),
        (plans, "employee_training_plan", training),
    ):
        provide(draft, slot, option, lead)
    if local is not None:
        requirement = LocalRequirement.objects.get_or_create(
            regulator=world.sac, element=Element.HAZARDOUS_MATERIALS_INVENTORY, title="Fire department permit"
        )[0]
        provide(inventory, f"local:{requirement.public_id}", local, lead)
    return facility_submit(
        facility=facility,
        actor=lead,
        element_codes=[1, 2, 3],
        signer_name="Lena Lead",
        signer_title="Owner",
        comments={2: "Two tanks replaced."},
    )


def provide(draft: Any, slot: str, option: str, actor: Any) -> None:
    if option == DocumentOption.UPLOAD:
        data = corpus.pdf(slot)
        document_upload(
            element=draft, slot=slot, actor=actor, name=f"{slot}.pdf", stream=io.BytesIO(data), size=len(data)
        )
        return
    document_set_option(
        element=draft,
        slot=slot,
        option=option,
        actor=actor,
        other_element=Element.FACILITY_INFORMATION if option == DocumentOption.OTHER_ELEMENT else None,
        date_provided=date(2026, 1, 15) if option == DocumentOption.PROVIDED_TO_REGULATOR else None,
        public_url="https://example.com/plan.pdf" if option == DocumentOption.PUBLIC_URL else "",
        comment="No employees handle the materials." if option == DocumentOption.EXEMPT else "",
    )


# --- Authentication, scopes, jurisdictions ------------------------------------------------------------------

ENDPOINTS = [
    ("/EDT/Library/AuthenticationTest", "library"),
    ("/EDT/Library/Violations", "library"),
    ("/EDT/Library/Chemicals", "library"),
    ("/EDT/Library/Chemicals/7664-93-9", "library"),
    ("/EDT/Library/DataDictionary", "library"),
    (f"{QUERY}?regulatorCode=3400", "query"),
    (
        "/EDT/Regulator/FacilitySubmittal/Document/0fefde8d-cd3e-4761-80f3-a520a58c5fba?regulatorCode=3400",
        "query",
    ),
    ("/EDT/Regulator/Facility/Query?regulatorCode=3400", "query"),
    ("/EDT/Regulator/Organization/Query?regulatorCode=3400", "query"),
    ("/EDT/Regulator/FacilityTransfer/Query?regulatorCode=3400", "query"),
]


@pytest.mark.parametrize(("path", "scope"), ENDPOINTS)
def test_no_token_bad_tokens_and_missing_scopes_are_refused(world: World, path: str, scope: str) -> None:
    good = token_for(world.sac)
    other_scope = token_for(world.sac, ["cme"])
    revoked_client, revoked = agency_client_create(
        regulator=world.sac, actor=None, name="Old", scopes=[scope]
    )
    api_client_revoke(client=revoked_client, actor=None)
    expired_client, expired = agency_client_create(
        regulator=world.sac, actor=None, name="Expired", scopes=[scope]
    )
    ApiClient.objects.filter(pk=expired_client.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    business = organization_client_create(
        organization=world.organization, actor=world.users["lead"], name="ERP", scopes=["business:read"]
    )[1]
    for token, status in (
        (None, 401),
        ("oc_not-a-real-token", 401),
        (revoked, 401),
        (expired, 401),
        (other_scope, 403),
        (business, 403),
    ):
        response = get(token, path)
        assert response.status_code == status, (token, response.status_code)
        root = validate(streamed(response), "RegulatorFacilitySubmittalResponse")
        assert root.findtext("Transaction/TransactionStatus") == "Rejected"
        assert root.findtext("Transaction/TransactionKey") == response["X-Transaction-Key"]
        assert response["X-Transaction-Status"] == "Rejected"
        if status == 401:
            assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
    assert get(good, path).status_code in (200, 404)


@pytest.mark.parametrize(
    "path",
    [
        QUERY,
        "/EDT/Regulator/Facility/Query",
        "/EDT/Regulator/Organization/Query",
        "/EDT/Regulator/FacilityTransfer/Query",
    ],
)
def test_another_agencys_code_answers_404(world: World, path: str) -> None:
    # given a token of Sacramento County's CUPA
    token = token_for(world.sac)
    # when it asks for Kern County's data
    response = get(token, path, regulatorCode=1500)
    # then the answer is 404, as for a code that does not exist, and the refusal is logged
    assert response.status_code == 404
    root = validate(streamed(response), "RegulatorFacilitySubmittalResponse")
    assert root.findtext("Summary/ErrorSummary") == "Not found, or not in your agency's jurisdiction."
    assert get(token, path, regulatorCode=9999).status_code == 404
    logged = EdtTransaction.objects.get(key=response["X-Transaction-Key"])
    assert (logged.status, logged.http_status, logged.regulator) == ("Rejected", 404, world.sac)


def test_an_agency_never_sees_another_jurisdiction(world: World, media: Path) -> None:
    # given Kern County's history imported and Acme (Sacramento) submitted
    import_sample()
    submittal = submit_hmbp(world, site_map="upload", emergency="exempt", training="stored_at_facility")
    sac, kern = token_for(world.sac), token_for(world.kern)
    # then each agency's query holds its own facilities only, even when asked by CERS ID
    assert {n.text for n in rfsq(sac, 3400).iter("CERSID")} == {str(world.facility.cers_id)}
    assert {n.findtext("CERSID") for n in rfsq(kern, 1500).findall("FacilitySubmittal")} == {
        "10232704",
        "10233124",
        "10230592",
        "10231816",
    }
    assert rfsq(sac, 3400, CERSID=10232704).findall("FacilitySubmittal") == []
    # and a document of the other jurisdiction is not found
    stored = DocumentFile.objects.get(
        document__element__facility_submittal=submittal, document__slot="site_map"
    )
    response = get(kern, f"/EDT/Regulator/FacilitySubmittal/Document/{stored.public_id}", regulatorCode=1500)
    assert response.status_code == 404
    facilities = get(sac, "/EDT/Regulator/Facility/Query", regulatorCode=3400)
    root = validate(
        streamed(facilities), "RegulatorFacilityQuery", lift_date_cap=True, widen_organization_code=True
    )
    assert [n.findtext("CERSID") for n in root.findall("Facility")] == [str(world.facility.cers_id)]
    organizations = get(sac, "/EDT/Regulator/Organization/Query", regulatorCode=3400)
    root = validate(streamed(organizations), "RegulatorOrganizationQuery", lift_date_cap=True)
    assert [n.findtext("OrganizationCode") for n in root.findall("Organization")] == [
        str(world.organization.code)
    ]


# --- The facility submittal query ----------------------------------------------------------------------------


def test_a_portal_submittal_is_exported_with_its_data_and_documents(world: World, media: Path) -> None:
    # given Acme submitted in the portal with each way of providing a document, twice
    first = submit_hmbp(
        world, site_map="upload", emergency="exempt", training="provided_to_regulator", local="exempt"
    )
    second = submit_hmbp(
        world, site_map="stored_at_facility", emergency="other_element", training="public_url", local="upload"
    )
    token = token_for(world.sac)
    # when Sacramento's system queries
    response = get(token, QUERY, regulatorCode=3400)
    # then the document streams, is valid against the schema, and holds both facility submittals
    assert isinstance(response, StreamingHttpResponse)
    body = streamed(response)
    root = validate(body, RFSQ)
    assert (
        root.tag
        == "{http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilitySubmittalQuery/1/10/}RegulatorFacilitySubmittals"
    )
    assert root.findtext("TransactionKey") == response["X-Transaction-Key"]
    assert root.findtext("TransactionStatus") == "Accepted"
    found = root.findall("FacilitySubmittal")
    assert len(found) == 2
    older = found[0]
    assert older.findtext("CERSID") == str(world.facility.cers_id)
    assert older.findtext("CERSOrganization/OrganizationCode") == str(world.organization.code)
    header = older.find("HazardousMaterialsInventory/SubmittalElementHeader")
    inventory = SubmittalElement.objects.get(
        facility_submittal=first, element=Element.HAZARDOUS_MATERIALS_INVENTORY
    )
    assert header.findtext("CERSUniqueKey") == str(inventory.public_id)
    assert header.findtext("SubmittedOn") == inventory.submitted_at.astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert (header.findtext("SubmittedByFirstName"), header.findtext("SubmittedByLastName")) == ("Lead", "")
    assert header.findtext("SubmittedByEmail") == "lead@example.com"
    assert header.findtext("SubmittedByComments") == "Two tanks replaced."
    assert (header.findtext("RegulatorCode"), header.findtext("SubmittalStatus")) == ("3400", "2")
    assert header.findtext("NextDueDate") is not None
    # the inventory rows, in order, with special characters intact
    chemicals = older.findall("HazardousMaterialsInventory/Chemicals/Chemical")
    assert [c.findtext("CommonName") for c in chemicals] == ["Sulfuric acid", "Nickel & sulfate <bath>"]
    assert chemicals[0].findtext("MaximumDailyAmount") == "1200"
    assert chemicals[1].findtext("HC1PercentByWeight") == "25"
    assert [child.tag for child in chemicals[0]][-1] == "CERSUniqueKey"
    # the six ways of providing a document
    site_map = older.find(
        "HazardousMaterialsInventory/SiteMaps/SiteMap/SiteMapDocument/Attachments/Attachment"
    )
    stored = DocumentFile.objects.get(document__element=inventory, document__slot="site_map")
    assert (site_map.findtext("AttachmentFileName"), site_map.findtext("CERSUniqueKey")) == (
        "site_map.pdf",
        str(stored.public_id),
    )
    assert site_map.findtext("DocumentTitle") == "Site map"
    plans = older.find("EmergencyResponseTrainingPlans")
    assert (
        plans.findtext(
            "EmergencyResponseContingencyPlans/EmergencyResponseContingencyPlan/EmergencyResponseContingencyPlanDocument/Exempt/Comment"
        )
        == "No employees handle the materials."
    )
    assert (
        plans.findtext(
            "EmployeeTrainingPlans/EmployeeTrainingPlan/EmployeeTrainingPlanDocument/ProvidedToRegulator/DateProvided"
        )
        == "2026-01-15"
    )
    assert older.findtext("HazardousMaterialsInventory/HMILocallyCollectedDocuments/Exempt/Comment") == (
        "No employees handle the materials."
    )
    newer = found[1]
    assert newer.findtext(
        "HazardousMaterialsInventory/SiteMaps/SiteMap/SiteMapDocument/StoredAtFacility/CERSID"
    ) == str(world.facility.cers_id)
    plans = newer.find("EmergencyResponseTrainingPlans")
    assert (
        plans.findtext(
            "EmergencyResponseContingencyPlans/EmergencyResponseContingencyPlan/EmergencyResponseContingencyPlanDocument/ProvidedInOtherSubmittalElement/SubmittalElementCode"
        )
        == "1"
    )
    assert (
        plans.findtext(
            "EmployeeTrainingPlans/EmployeeTrainingPlan/EmployeeTrainingPlanDocument/PublicInternetUri"
        )
        == "https://example.com/plan.pdf"
    )
    local = newer.find("HazardousMaterialsInventory/HMILocallyCollectedDocuments/Attachments/Attachment")
    assert local.findtext("AttachmentFileName").endswith(".pdf")
    assert second.elements.count() == 3
    # and the call is in the transaction log with its size and count
    logged = EdtTransaction.objects.get(key=response["X-Transaction-Key"])
    assert (logged.status, logged.records, logged.response_bytes) == ("Accepted", 2, len(body))
    assert logged.client.regulator == world.sac


def test_a_document_is_downloaded_by_its_unique_key(world: World, media: Path) -> None:
    submittal = submit_hmbp(world, site_map="upload", emergency="exempt", training="stored_at_facility")
    stored = DocumentFile.objects.get(
        document__element__facility_submittal=submittal, document__slot="site_map"
    )
    token = token_for(world.sac)
    response = get(token, f"/EDT/Regulator/FacilitySubmittal/Document/{stored.public_id}", regulatorCode=3400)
    assert response.status_code == 200
    assert streamed(response) == corpus.pdf("site_map")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Transaction-Status"] == "Accepted"
    assert EdtTransaction.objects.get(key=response["X-Transaction-Key"]).records == 1
    # a draft's file is never served, nor a key that is not a file
    draft = draft_get_or_create(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, actor=world.users["lead"]
    )
    draft_file = document_upload(
        element=draft,
        slot="site_map",
        actor=world.users["lead"],
        name="new.pdf",
        stream=io.BytesIO(corpus.pdf()),
        size=len(corpus.pdf()),
    )
    assert (
        get(
            token, f"/EDT/Regulator/FacilitySubmittal/Document/{draft_file.public_id}", regulatorCode=3400
        ).status_code
        == 404
    )
    assert (
        get(
            token, f"/EDT/Regulator/FacilitySubmittal/Document/{submittal.public_id}", regulatorCode=3400
        ).status_code
        == 404
    )


def test_drafts_are_never_returned(world: World, media: Path) -> None:
    # given a submitted HMBP and, after it, new drafts of all three elements
    submit_hmbp(world, site_map="upload", emergency="exempt", training="stored_at_facility")
    lead = world.users["lead"]
    drafts = [
        draft_get_or_create(facility=world.facility, element=code, actor=lead)
        for code in (
            Element.FACILITY_INFORMATION,
            Element.HAZARDOUS_MATERIALS_INVENTORY,
            Element.EMERGENCY_RESPONSE_TRAINING,
        )
    ]
    add_material(drafts[1], 1, common_name="Draft-only solvent")
    # when the regulator queries everything
    root = rfsq(token_for(world.sac), 3400)
    body = etree.tostring(root)
    # then only the submitted versions are there
    submitted = {
        str(k)
        for k in SubmittalElement.objects.exclude(status=Status.DRAFT).values_list("public_id", flat=True)
    }
    assert element_keys(root) == submitted
    assert not {str(d.public_id) for d in drafts} & unique_keys(root)
    assert b"Draft-only solvent" not in body


def test_filters(world: World, media: Path) -> None:
    # given Kern's history (2014) and a Kern portal submittal of Brightwater (today)
    import_sample()
    complete_facility_info(world.other_facility, world.users["other_business"])
    facility_submit(
        facility=world.other_facility,
        actor=world.users["other_business"],
        element_codes=[1],
        signer_name="Bo Bright",
        signer_title="Owner",
    )
    token = token_for(world.kern)

    def cers_ids(**params: Any) -> list[str]:
        return [n.findtext("CERSID") for n in rfsq(token, 1500, **params).findall("FacilitySubmittal")]

    everything = cers_ids()
    assert sorted(everything) == sorted(
        ["10232704", "10233124", "10230592", "10231816", str(world.other_facility.cers_id)]
    )
    assert cers_ids(CERSID=10233124) == ["10233124"]
    assert sorted(cers_ids(organizationCode=90200878)) == ["10230592", "10232704", "10233124"]
    assert cers_ids(status=4) == ["10231816"]
    assert len(cers_ids(status=2)) == 4
    assert cers_ids(submittedOnStart="01-01-2015") == [str(world.other_facility.cers_id)]
    # the sample's four were submitted on January 1, 2014 in California (13:26, 21:23, 22:49 and 23:37)
    assert sorted(cers_ids(submittedOnEnd="01-01-2014")) == ["10230592", "10231816", "10232704", "10233124"]
    assert sorted(cers_ids(submittedOnEnd="01-01-2014 22:00")) == ["10230592", "10231816"]
    assert sorted(cers_ids(submittedOnStart="2014-01-01 22:00", submittedOnEnd="2014-01-01")) == [
        "10232704",
        "10233124",
    ]
    assert cers_ids(submittedOnStart="01-02-2014", submittedOnEnd="12-31-2014") == []
    assert cers_ids(submittalActionOnStart="01-03-2014", submittalActionOnEnd="01-03-2014 23:59:59") == [
        "10231816"
    ]
    assert cers_ids(submittalActionOnStart="01-04-2014") == []
    # one element only: each facility submittal then holds just that element
    root = rfsq(token, 1500, submittalElement=2)
    assert {child.tag for fs in root.findall("FacilitySubmittal") for child in fs} == {
        "CERSID",
        "CERSOrganization",
        "FacilityRegulatorKey",
        "HazardousMaterialsInventory",
    }
    # a bad parameter is refused, saying which and why
    response = get(token, QUERY, regulatorCode=1500, submittedOnStart="2014-13-45")
    assert response.status_code == 400
    root = validate(streamed(response), "RegulatorFacilitySubmittalResponse")
    assert root.findtext("Summary/ErrorSummary").startswith("submittedOnStart: “2014-13-45” is not a date.")
    assert get(token, QUERY, regulatorCode=1500, status=1).status_code == 400
    assert get(token, QUERY).status_code == 400


def test_large_results_come_in_pages_with_a_continuation(world: World) -> None:
    import_sample()
    token = token_for(world.kern)
    response = get(token, QUERY, regulatorCode=1500, limit=3)
    root = validate(streamed(response), RFSQ)
    first_page = [n.findtext("CERSID") for n in root.findall("FacilitySubmittal")]
    assert len(first_page) == 3
    after = response["X-Continuation-Key"]
    assert re.fullmatch(r"[0-9a-f-]{36}", after)
    assert response["Link"] == (
        f'<http://testserver{QUERY}?after={after}&limit=3&regulatorCode=1500>; rel="next"'
    )
    comments = [c.text for c in root.iter(etree.Comment)]
    assert comments == [
        f" This response holds the first 3 facility submittals matching the query; more follow. Ask for the "
        f"next ones with after={after} (also in the Link header). "
    ]
    logged = EdtTransaction.objects.get(key=response["X-Transaction-Key"])
    assert logged.messages[0]["level"] == "advisory"
    following = get(token, QUERY, regulatorCode=1500, limit=3, after=after)
    root = validate(streamed(following), RFSQ)
    second_page = [n.findtext("CERSID") for n in root.findall("FacilitySubmittal")]
    assert not following.has_header("Link")
    assert sorted(first_page + second_page) == sorted(
        n.findtext("CERSID") for n in rfsq(token, 1500).findall("FacilitySubmittal")
    )
    assert get(token, QUERY, regulatorCode=1500, after="not-a-key").status_code == 400
    assert get(token, QUERY, regulatorCode=1500, limit=1001).status_code == 400


# --- The round trip of the state's sample ----------------------------------------------------------------------


def test_the_sample_comes_back_with_the_same_values(world: World) -> None:
    # given the state's sample (schema 1/05) imported
    source = etree.parse(str(sample_path())).getroot()
    import_sample()
    # when Kern County's system queries the facilities again
    exported = rfsq(token_for(world.kern), 1500)
    # then the document (schema 1/10) is valid, and every value of the sample is there, field by field
    ours = facility_submittals(exported)
    for cers_id, original in facility_submittals(source).items():
        assert differences(original, ours[cers_id], skip=("UndergroundStorageTanks",)) == [], cers_id
        assert len(ours[cers_id].findall("HazardousMaterialsInventory/Chemicals/Chemical")) == len(
            original.findall("HazardousMaterialsInventory/Chemicals/Chemical")
        )
    # and the migrated documents are described, but their files were not part of the migration
    key = "c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281"
    response = get(
        token_for(world.kern), f"/EDT/Regulator/FacilitySubmittal/Document/{key}", regulatorCode=1500
    )
    assert response.status_code == 404
    root = validate(streamed(response), "RegulatorFacilitySubmittalResponse")
    assert "as a description only" in root.findtext("Summary/ErrorSummary")


def test_a_regulator_action_shows_in_the_next_query(world: World, media: Path) -> None:
    submittal = submit_hmbp(world, site_map="upload", emergency="exempt", training="stored_at_facility")
    inventory = submittal.elements.get(element=Element.HAZARDOUS_MATERIALS_INVENTORY)
    element_review(
        element_id=inventory.pk,
        reviewer=world.users["regulator"],
        status=Status.NOT_ACCEPTED,
        comments="Add the waste oil.",
        action_at=datetime(2026, 2, 3, 16, 0, tzinfo=UTC),
    )
    root = rfsq(token_for(world.sac), 3400, status=5)
    header = root.find("FacilitySubmittal/HazardousMaterialsInventory/SubmittalElementHeader")
    assert header.findtext("SubmittalStatus") == "5"
    details = header.find("SubmittalActionDetails")
    assert [
        details.findtext(t)
        for t in (
            "SubmittalActionOn",
            "SubmittalActionAgentName",
            "SubmittalActionAgentEmail",
            "SubmittalActionComments",
        )
    ] == [
        "2026-02-03T16:00:00Z",
        "Regulator",
        "regulator@example.com",
        "Add the waste oil.",
    ]
    assert root.find("FacilitySubmittal/FacilityInformation") is None


# --- Libraries ----------------------------------------------------------------------------------------------


def _chemicals() -> list[Chemical]:
    return [
        Chemical.objects.create(
            cas="7664-93-9", name="Sulfuric acid", ehs=True, physical_state="b", source=ChemicalSource.EHS
        ),
        Chemical.objects.create(
            cas="67-64-1",
            name="Acetone",
            physical_state="b",
            flash_point_f=-4,
            boiling_point_f=133,
            source=ChemicalSource.CHEMICALS,
        ),
        Chemical.objects.create(name="Mixture & <co>", source=ChemicalSource.MANUAL),
    ]


def test_the_chemical_library(world: World) -> None:
    sulfuric, acetone, mixture = _chemicals()
    token = token_for(world.sac, ["library"])
    response = get(token, "/EDT/Library/Chemicals")
    assert isinstance(response, StreamingHttpResponse)
    root = validate(streamed(response), "ChemicalLibraryQuery")
    rows = {n.findtext("CCLID"): n for n in root.findall("Chemical")}
    assert set(rows) == {str(c.ccl_id) for c in (sulfuric, acetone, mixture)}
    assert rows[str(sulfuric.ccl_id)].findtext("EHS") == "Y"
    assert rows[str(acetone.ccl_id)].findtext("FireCode1") == "10"  # Flammable liquid I-B
    assert rows[str(mixture.ccl_id)].findtext("ChemicalName") == "Mixture & <co>"
    one = get(token, "/EDT/Library/Chemicals/7664-93-9")
    assert [
        n.findtext("CCLID") for n in validate(streamed(one), "ChemicalLibraryQuery").findall("Chemical")
    ] == [str(sulfuric.ccl_id)]
    by_id = get(token, f"/EDT/Library/Chemicals/{acetone.ccl_id}")
    assert validate(streamed(by_id), "ChemicalLibraryQuery").findtext("Chemical/CAS") == "67-64-1"
    assert get(token, "/EDT/Library/Chemicals/50-00-0").status_code == 404


def test_the_violation_library_data_dictionary_and_authentication_test(world: World) -> None:
    token = token_for(world.sac, ["library"])
    violations = validate(streamed(get(token, "/EDT/Library/Violations")), "ViolationLibraryQuery")
    assert violations.findall("Violation") == []
    dictionary = validate(streamed(get(token, "/EDT/Library/DataDictionary")), "DictionaryDataQuery")
    units = next(e for e in dictionary.iter("DataElement") if e.findtext("XMLTag") == "Units")
    assert [(v.get("code"), v.text) for v in units.iter("Value")] == [
        ("a", "Gallons"),
        ("b", "Cubic feet"),
        ("c", "Pounds"),
        ("d", "Tons"),
    ]
    one = validate(
        streamed(get(token, "/EDT/Library/DataDictionary", xmlTag="CountyID")), "DictionaryDataQuery"
    )
    assert [e.findtext("FieldIdentifier") for e in one.iter("DataElement")] == ["105a"]
    endpoints = validate(streamed(get(token, "/EDT/Library/AuthenticationTest")), "EndpointMetadata")
    statuses = {e.findtext("Acronym"): e.findtext("Status") for e in endpoints.findall("Endpoint")}
    assert statuses["CLQ"] == "Available"
    assert statuses["RFSQ"] == "Not available: the token lacks the 'query' scope"


def test_facility_organization_and_transfer_queries(world: World) -> None:
    import_sample()
    token = token_for(world.kern)
    response = get(token, "/EDT/Regulator/Facility/Query", regulatorCode=1500, organizationCode=90200878)
    root = validate(
        streamed(response), "RegulatorFacilityQuery", lift_date_cap=True, widen_organization_code=True
    )
    assert root.get("transactionKey") == response["X-Transaction-Key"]
    assert (root.get("returnedResultCount"), root.get("totalQueryResultCount")) == ("3", "3")
    facility = root.find("Facility")
    assert facility.findtext("CERSID") == "10230592"
    assert facility.findtext("FacilityRegulatorKey") == "FA0000019"
    assert facility.findtext("EstablishedOn") == "2014-01-01"  # the first submittal, 05:23 UTC on Jan 2
    assert facility.find("SubmittalElements/FacilityInformation").get("regulatorCode") == "1500"
    organizations = validate(
        streamed(get(token, "/EDT/Regulator/Organization/Query", regulatorCode=1500, CERSID=10231816)),
        "RegulatorOrganizationQuery",
        lift_date_cap=True,
    )
    assert [o.findtext("OrganizationCode") for o in organizations.findall("Organization")] == ["90198871"]
    assert organizations.findtext("Organization/Origin") == "Cal/EPA"
    transfers = get(token, "/EDT/Regulator/FacilityTransfer/Query", regulatorCode=1500)
    root = validate(streamed(transfers), "RegulatorFacilityTransferQuery", lift_date_cap=True)
    assert root.findall("RegulatorFacilityTransfer") == []
    assert root.get("transactionKey") == transfers["X-Transaction-Key"]


def test_a_migrated_document_with_its_file_is_downloaded(world: World, media: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    key = "c0f1ad5c-ad9b-44ae-97e4-5cdd507c8281"
    (folder / f"{key}.pdf").write_bytes(corpus.pdf("Site map"))
    with sample_path().open("rb") as source:
        edt_import(source=source, name="Untitled1.xml", files_from=folder)
    response = get(
        token_for(world.kern), f"/EDT/Regulator/FacilitySubmittal/Document/{key}", regulatorCode=1500
    )
    assert response.status_code == 200
    assert streamed(response) == corpus.pdf("Site map")
    assert 'filename="Facility maps.pdf"' in response["Content-Disposition"]


def test_a_client_that_stops_reading_is_logged(world: World) -> None:
    import_sample()
    request = RequestFactory().get(
        QUERY, {"regulatorCode": 1500}, HTTP_AUTHORIZATION=f"Bearer {token_for(world.kern)}"
    )
    response = resolve(QUERY).func(request)
    first = next(iter(response.streaming_content))
    assert first.endswith(b"<TransactionStatus>Accepted</TransactionStatus>")
    # the server closes the response when the client goes (without closing the test's connection as the
    # end of a real request would)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    logged = EdtTransaction.objects.get(key=response["X-Transaction-Key"])
    assert (logged.status, logged.response_bytes, logged.records) == ("Errors", len(first), 0)
    assert logged.messages == [
        {"level": "error", "message": "The client stopped reading before the end of the document."}
    ]
