"""Facility create (RFC) with the state's own sample documents: trial, commit, duplicates, jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from opencers.accounts.api_clients import api_client_revoke
from opencers.core.models import AuditEvent
from opencers.edt.models import EdtTransaction, RegulatorKey, RegulatorKeyKind
from opencers.edt.tests.edt_write_support import (
    CREATE_RESPONSE,
    agency_client,
    messages_of,
    post_xml,
    sample,
    status_of,
    validate,
)
from opencers.organizations.models import Facility, Organization, OrganizationOrigin, ReportingChannel
from opencers.regulators.models import County, JurisdictionZip, Regulator, RegulatorKind

URL = "/EDT/Regulator/Facility/Create"
GEO = (
    "Warning",
    "GeographicInformation is not used: the coordinates come from the washed address's ZIP code.",
)
SAC_DUPLICATE = (
    "A facility already exists at 1001 I ST, 95814 ({} Acme Plating). Use its CERS ID, or set "
    "IgnoreExactDuplicateAddressWarning to true and say in Comments why another facility is needed."
)
NOT_CALIFORNIA = (
    "ZipCode: 98967-8678 is not a California ZIP code. Facilities reported here must be in California."
)


@pytest.fixture
def regions(world: Any) -> dict[str, Regulator]:
    """Kern also covers Delano (the Chevron samples); Placer County covers Lincoln (the 1455 samples)."""
    JurisdictionZip.objects.create(regulator=world.kern, zip_code="93215")
    placer = Regulator.objects.create(
        code=3100,
        name="Placer County CUPA",
        kind=RegulatorKind.CUPA,
        county=County.objects.create(number=31, name="Placer"),
    )
    JurisdictionZip.objects.create(regulator=placer, zip_code="95648")
    return {"sac": world.sac, "kern": world.kern, "placer": placer}


def in_mode(data: bytes, mode: str) -> bytes:
    return data.replace(b'mode="Commit"', f'mode="{mode}"'.encode()).replace(
        b'mode="Trial"', f'mode="{mode}"'.encode()
    )


def call(
    regulator: Regulator, body: bytes, scopes: tuple[str, ...] = ("facility_create",)
) -> tuple[Any, Any]:
    _client, token = agency_client(regulator, list(scopes))
    response = post_xml(Client(), URL, body, token)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response, validate(response.content, CREATE_RESPONSE, errata=True)


# Every sample, in both modes: (sample, regulator, mode) → (HTTP status, transaction status, messages,
# whether a facility is created).
TRIAL_NOTE = "Trial: no facility was created. The address washes to {}."
LINCOLN = "1455 STONEY CROSS LN, LINCOLN 95648"
DELANO = "4828 N INDIANAPOLIS AVE, DELANO 93215"
NOT_GUID = (
    "Warning",
    "RegulatorTransactionKey “2f60a382-1cde-4e9d-98bd-6cf5ae3a7bfg” is not a GUID; it is kept as given.",
)
SAMPLES = [
    ("CreateFacility-1455.xml", "placer"),
    ("CreateFacility-1455_-_v105.xml", "placer"),
    ("CreateFacility-1455_-_v106.xml", "placer"),
    ("CreateFacility-1455_-_v106_ignoredupwarning-false.xml", "placer"),
    ("RFC-Chevron__112.xml", "kern"),
    ("RFC-Chevron__112_-_no_ns.xml", "kern"),
]


@pytest.mark.parametrize(("name", "region"), SAMPLES)
def test_each_sample_trial_creates_nothing_and_commit_creates_the_facility(world, regions, name, region):
    data = sample(name)
    washed = LINCOLN if region == "placer" else DELANO
    extra = [GEO] if region == "kern" else []
    warnings = ([NOT_GUID] if "no_ns" in name else []) + extra
    before = Facility.objects.count()

    response, root = call(regions[region], in_mode(data, "Trial"))
    assert response.status_code == 200
    assert status_of(root) == "Accepted"
    assert root.find("Transaction").get("mode") == "Trial"
    assert root.find("Result") is None
    assert root.find("PotentialDuplicates") is None
    assert messages_of(root) == [*warnings, ("Warning", TRIAL_NOTE.format(washed))]
    assert Facility.objects.count() == before

    response, root = call(regions[region], in_mode(data, "Commit"))
    assert response.status_code == 200
    assert status_of(root) == "Accepted"
    assert messages_of(root) == warnings
    facility = Facility.objects.get(cers_id=int(root.findtext("Result/CERSID")))
    assert Facility.objects.count() == before + 1
    assert facility.cupa == regions[region]
    assert facility.organization.origin == OrganizationOrigin.EXCHANGE
    assert root.findtext("Result/OrganizationCode") == str(facility.organization.code)
    assert root.findtext("Result/StandardizedAddress/SiteAddress") == washed.split(",")[0]
    elements = root.find("Result/SubmittalElements")
    assert [e.tag for e in elements] == [
        "FacilityInformation",
        "HazardousMaterialsInventory",
        "EmergencyResponseTrainingPlans",
        "UndergroundStorageTanks",
        "OnsiteHazardousWasteTreatmentNotification",
        "RecyclableMaterialsReport",
        "RemoteWasteConsolidationsAnnualNotification",
        "HWTankClosureCertification",
        "AbovegroundPetroleumStorageTanks",
        "CaliforniaAccidentalReleasePrevention",
    ]
    assert {e.get("regulatorCode") for e in elements} == {str(regions[region].code)}
    assert facility.reporting_channel == ReportingChannel.BUSINESS_PORTAL


def test_the_chevron_sample_keeps_its_identifiers_and_the_regulator_key(world, regions):
    response, root = call(regions["kern"], in_mode(sample("RFC-Chevron__112.xml"), "Commit"))
    assert response.status_code == 200
    facility = Facility.objects.get(cers_id=int(root.findtext("Result/CERSID")))
    assert (facility.name, facility.epa_id, facility.regulator_facility_id) == (
        "Chevron #112",
        "CA8382292929",
        "FA0063026",
    )
    key = RegulatorKey.objects.get(public_id=facility.public_id)
    assert (key.kind, key.key, key.regulator) == (RegulatorKeyKind.FACILITY, "FA0063026", world.kern)
    actions = list(
        AuditEvent.objects.filter(facility_id=facility.pk).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["facility.created", "facility.created_through_exchange"]
    detail = AuditEvent.objects.get(facility_id=facility.pk, action="facility.created_through_exchange")
    assert detail.data["comments"] == "Testing facility and CE-CL"
    assert detail.data["regulator_transaction_key"] == "2f60a382-1cde-4e9d-98bd-6cf5ae3a7bfe"


@pytest.mark.parametrize("mode", ["Trial", "Commit"])
def test_a_zip_code_outside_california_is_refused(world, regions, mode):
    before = Facility.objects.count()
    response, root = call(regions["sac"], in_mode(sample("CreateFacility_-_855_M_St__120_Fesno.xml"), mode))
    assert response.status_code == 422
    assert status_of(root) == "Rejected"
    assert messages_of(root) == [("Error", NOT_CALIFORNIA)]
    assert Facility.objects.count() == before


@pytest.mark.parametrize("mode", ["Trial", "Commit"])
def test_a_document_without_site_address_is_refused(world, regions, mode):
    response, root = call(regions["sac"], in_mode(sample("CreateFacility_-_No_Address.xml"), mode))
    assert response.status_code == 400
    assert status_of(root) == "Rejected"
    assert messages_of(root) == [("Error", "FacilityAddress: SiteAddress is required.")]


def test_an_exact_duplicate_address_is_shown_on_trial_and_refused_on_commit(world, regions):
    data = sample("CreateFacility-_1001_Sac_-_v106_ignoredupwarning-false.xml")
    before = Facility.objects.count()
    response, root = call(regions["sac"], in_mode(data, "Trial"))
    assert response.status_code == 200
    duplicate = root.find("PotentialDuplicates/PotentialDuplicate")
    assert duplicate.get("score") == "100"
    assert duplicate.findtext("CERSID") == str(world.facility.cers_id)
    assert duplicate.findtext("OrganizationCode") == str(world.organization.code)
    assert duplicate.findtext("SiteAddress") == "1001 I ST"
    assert messages_of(root) == [
        ("Warning", SAC_DUPLICATE.format(world.facility.cers_id)),
        ("Warning", TRIAL_NOTE.format("1001 I ST, SACRAMENTO 95814")),
    ]

    response, root = call(regions["sac"], data)
    assert response.status_code == 409
    assert status_of(root) == "Rejected"
    assert root.find("Result") is None
    assert root.findtext("PotentialDuplicates/PotentialDuplicate/CERSID") == str(world.facility.cers_id)
    assert messages_of(root) == [("Error", SAC_DUPLICATE.format(world.facility.cers_id))]
    assert Facility.objects.count() == before


def test_an_exact_duplicate_is_created_when_the_document_overrides_the_warning(world, regions):
    data = sample("CreateFacility_-_1001_Sac_-_v106_ignoredupwarning-true.xml")
    before = Facility.objects.count()
    response, root = call(regions["sac"], in_mode(data, "Trial"))
    assert response.status_code == 200
    assert root.findtext("PotentialDuplicates/PotentialDuplicate/CERSID") == str(world.facility.cers_id)
    assert messages_of(root) == [
        (
            "Warning",
            f"A facility already exists at 1001 I ST ({world.facility.cers_id} Acme Plating); a commit would "
            "create another one, as IgnoreExactDuplicateAddressWarning is true.",
        ),
        ("Warning", TRIAL_NOTE.format("1001 I ST, SACRAMENTO 95814")),
    ]
    assert Facility.objects.count() == before

    response, root = call(regions["sac"], data)
    assert response.status_code == 200
    assert status_of(root) == "Accepted"
    created = Facility.objects.get(cers_id=int(root.findtext("Result/CERSID")))
    assert created.address_key == world.facility.address_key
    assert created.name == "Cal/EPA Fun Center"
    assert root.findtext("PotentialDuplicates/PotentialDuplicate/CERSID") == str(world.facility.cers_id)
    assert messages_of(root) == [
        (
            "Warning",
            f"A facility already exists at 1001 I ST ({world.facility.cers_id} Acme Plating); created anyway as "
            "asked.",
        )
    ]


def test_a_client_of_another_agency_cannot_create_in_this_jurisdiction(world, regions):
    before = Facility.objects.count()
    response, root = call(
        regions["kern"], sample("CreateFacility_-_1001_Sac_-_v106_ignoredupwarning-true.xml")
    )
    assert response.status_code == 403
    assert status_of(root) == "Rejected"
    assert messages_of(root) == [
        (
            "Error",
            "ZIP code 95814 (SACRAMENTO) is not in the jurisdiction of Kern County CUPA: only the regulator of "
            "the site can create a facility there.",
        )
    ]
    assert Facility.objects.count() == before
    logged = EdtTransaction.objects.get(key=root.findtext("Transaction/TransactionKey"))
    assert (logged.status, logged.http_status, logged.regulator) == ("Rejected", 403, world.kern)


def test_an_existing_organization_of_the_jurisdiction_receives_the_facility(world, regions):
    data = sample("CreateFacility_-_1001_Sac_-_v106_ignoredupwarning-true.xml").replace(
        b"<RegulatorTransactionKey>D49066C4-27F4-4630-947A-A775259B9790</RegulatorTransactionKey>",
        b"<RegulatorTransactionKey>D49066C4-27F4-4630-947A-A775259B9790</RegulatorTransactionKey>"
        + f"<OrganizationCode>{world.organization.code}</OrganizationCode>".encode(),
    )
    organizations = Organization.objects.count()
    response, root = call(regions["sac"], data)
    assert response.status_code == 200
    created = Facility.objects.get(cers_id=int(root.findtext("Result/CERSID")))
    assert created.organization == world.organization
    assert Organization.objects.count() == organizations

    other = data.replace(str(world.organization.code).encode(), str(world.other_organization.code).encode())
    response, root = call(regions["sac"], other)
    assert response.status_code == 422
    assert messages_of(root) == [
        (
            "Error",
            f"OrganizationCode {world.other_organization.code} is not an organization with a facility in your "
            "jurisdiction. Give OrganizationName instead to create a new organization.",
        )
    ]


def test_a_new_organization_takes_the_name_and_headquarters_given(world, regions):
    data = sample("CreateFacility-1455.xml").replace(
        b"<FacilityName>",
        b"<OrganizationName>Reagan Family Trust</OrganizationName>"
        b"<OrganizationHeadquarters>Lincoln, CA</OrganizationHeadquarters><FacilityName>",
    )
    response, root = call(regions["placer"], data)
    assert response.status_code == 200
    assert root.findtext("Result/OrganizationName") == "Reagan Family Trust"
    assert root.findtext("Result/OrganizationHeadquarters") == "Lincoln, CA"
    organization = Organization.objects.get(code=int(root.findtext("Result/OrganizationCode")))
    assert (organization.name, organization.headquarters, organization.origin) == (
        "Reagan Family Trust",
        "Lincoln, CA",
        OrganizationOrigin.EXCHANGE,
    )


def test_a_local_portal_client_creates_facilities_that_report_through_it(world, regions):
    client, token = agency_client(
        regions["placer"], ["facility_create", "submittal_submit"], name="Placer portal"
    )
    response = post_xml(Client(), URL, sample("CreateFacility-1455.xml"), token)
    root = validate(response.content, CREATE_RESPONSE, errata=True)
    facility = Facility.objects.get(cers_id=int(root.findtext("Result/CERSID")))
    assert (facility.reporting_channel, facility.reporting_client) == (ReportingChannel.LOCAL_PORTAL, client)
    assert messages_of(root) == [
        (
            "Warning",
            f"Facility {facility.cers_id} reports through your local portal (Placer portal): the business portal "
            "refuses its submittals until the regulator switches it.",
        )
    ]


# --- Access, safety and the log -----------------------------------------------------------------------


def test_tokens_and_scopes_are_enforced_and_every_refusal_is_logged(world, regions):
    data = sample("CreateFacility-1455.xml")
    http = Client()
    response = post_xml(http, URL, data, None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="OpenCERS"'
    assert status_of(validate(response.content, CREATE_RESPONSE)) == "Rejected"

    client, token = agency_client(regions["placer"], ["query"])
    response = post_xml(http, URL, data, token)
    assert response.status_code == 403
    root = validate(response.content, CREATE_RESPONSE)
    assert messages_of(root) == [
        ("Error", "The token does not have the 'facility_create' scope needed here.")
    ]

    allowed, allowed_token = agency_client(regions["placer"], ["facility_create"])
    api_client_revoke(client=allowed, actor=None)
    assert post_xml(http, URL, data, allowed_token).status_code == 401
    assert Facility.objects.filter(zip_code="95648").count() == 0

    logged = list(
        EdtTransaction.objects.order_by("started_at", "id").values_list(
            "endpoint", "http_status", "status", "client"
        )
    )
    assert logged == [
        (URL, 401, "Rejected", None),
        (URL, 403, "Rejected", client.pk),
        (URL, 401, "Rejected", None),
    ]
    refused = EdtTransaction.objects.get(http_status=403)
    assert refused.messages == [
        {
            "level": "Required",
            "code": 170,
            "message": "The token does not have the 'facility_create' scope needed here.",
        }
    ]
    assert refused.regulator == regions["placer"]
    assert refused.request_bytes == len(data)
    assert refused.response_bytes == len(response.content)


def test_only_post_is_answered(world, regions):
    _client, token = agency_client(regions["placer"], ["facility_create"])
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert messages_of(validate(response.content, CREATE_RESPONSE)) == [
        ("Error", "Send the document with POST.")
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><RegulatorFacilityCreate mode="Trial"/>',
            "The document contains a document type declaration (DOCTYPE) or entity definitions, which are not "
            "accepted for safety reasons: remove them.",
        ),
        (
            b"<RegulatorFacilityQuery/>",
            "The document's root element is RegulatorFacilityQuery; this service reads RegulatorFacilityCreate documents.",
        ),
        (
            b'<RegulatorFacilityCreate xmlns="urn:other" mode="Trial"/>',
            "The namespace urn:other is not one of the RegulatorFacilityCreate schema's "
            "(http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilityCreate/1/NN/).",
        ),
        (
            b"<RegulatorFacilityCreate",
            "The document is not well-formed XML (line 1, column 1): unclosed token.",
        ),
        (b"", "The request has no body: send the RegulatorFacilityCreate XML document."),
    ],
)
def test_unreadable_documents_are_refused_with_a_reason(world, regions, body, message):
    response, root = call(regions["placer"], body)
    assert response.status_code == 400
    assert messages_of(root) == [("Error", message)]
    assert EdtTransaction.objects.get().messages == [{"level": "Required", "code": 100, "message": message}]
