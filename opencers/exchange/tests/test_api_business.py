"""The business side of the JSON API: drafts, ETags, inventory rows (one and many), documents, submission."""

from __future__ import annotations

from decimal import Decimal

import pytest

from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.documents.tests import corpus
from opencers.elements.facility_info.models import BusinessActivities
from opencers.elements.inventory.models import InventoryItem
from opencers.exchange.tests.api_support import (
    agency_token,
    body,
    call,
    organization_token,
    personal_token,
)
from opencers.submittals.models import FacilitySubmittal, Origin, Status, SubmittalElement
from opencers.submittals.tests.factories import add_material, complete_facility_info

ACID = {
    "CommonName": "Sulfuric acid",
    "ChemicalName": "Sulfuric acid",
    "CASNumber": "7664939",
    "EHS": "Y",
    "HMType": "a",
    "PhysicalState": "liquid",
    "MaximumDailyAmount": "1,200",
    "AverageDailyAmount": 800,
    "Units": "c",
    "DaysOnSite": 365,
    "ChemicalLocation": "Plating line 1",
}


def _base(world) -> str:
    return f"/api/v1/facilities/{world.facility.cers_id}/"


def _start(world, token, slug="inventory") -> tuple[dict, str]:
    response = call("POST", _base(world) + f"elements/{slug}/draft/", token, {})
    assert response.status_code in (200, 201)
    return body(response), response["ETag"]


def _row(name: str, location: str = "Store", **extra) -> dict:
    return {
        "CommonName": name,
        "EHS": "N",
        "PhysicalState": "b",
        "MaximumDailyAmount": "100",
        "Units": "a",
        "ChemicalLocation": location,
        **extra,
    }


# --- Facilities and drafts ---------------------------------------------------------------------------


def test_facility_lists_its_elements_with_status_and_due_date(world):
    token = personal_token(world, "viewer", ["business:read"])
    data = body(call("GET", _base(world), token))
    assert data["cers_id"] == world.facility.cers_id
    assert data["organization"] == {"code": world.organization.code, "name": "Acme Plating Inc."}
    assert data["cupa"] == {"code": 3400, "name": "Sacramento County CUPA"}
    slugs = [(e["slug"], e["required"], e["status"], e["draft"]) for e in data["elements"]]
    assert slugs == [
        ("facility-information", True, "not_submitted", None),
        ("inventory", True, "not_submitted", None),
        ("emergency-response-plans", True, "not_submitted", None),
    ]
    assert all(e["next_due"] for e in data["elements"])


def test_starting_a_draft_and_reading_it(world):
    token = personal_token(world, "editor")
    created = call("POST", _base(world) + "elements/inventory/draft/", token, {})
    assert created.status_code == 201
    again = call("POST", _base(world) + "elements/inventory/draft/", token, {})
    assert again.status_code == 200
    assert body(again)["id"] == body(created)["id"]
    read = call("GET", _base(world) + "elements/inventory/draft/", token)
    assert read.status_code == 200
    assert read["ETag"] == body(read)["etag"] == created["ETag"]
    assert body(read)["content"]["data"] == {"Chemicals": []}
    required = [g["field"] for g in body(read)["guidance"] if g["level"] == "required"]
    assert required == ["Chemicals", "SiteMapDocuments"]
    assert [d["slot"] for d in body(read)["documents"]] == ["site_map"]


def test_reading_a_draft_that_does_not_exist(world):
    response = call("GET", _base(world) + "elements/inventory/draft/", personal_token(world, "lead"))
    assert response.status_code == 404
    assert body(response)["code"] == "no_draft"


def test_an_unknown_element_is_404(world):
    response = call("GET", _base(world) + "elements/no-such-element/", personal_token(world, "lead"))
    assert response.status_code == 404


def test_a_new_draft_copies_the_latest_submitted_version(world):
    lead = world.users["lead"]
    complete_facility_info(world.facility, lead)
    from opencers.submittals.services import facility_submit

    facility_submit(
        facility=world.facility,
        actor=lead,
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    token = personal_token(world, "editor")
    response = call(
        "POST", _base(world) + "elements/facility-information/draft/", token, {"start_from": "latest"}
    )
    assert response.status_code == 201
    assert body(response)["based_on_version"] == 1
    assert body(response)["content"]["data"]["BusinessActivities"]["BusinessName"] == "Acme Plating"


# --- If-Match and ETags ----------------------------------------------------------------------------------


def test_a_write_without_if_match_is_refused_with_428_and_changes_nothing(world):
    token = personal_token(world, "editor")
    _start(world, token, "facility-information")
    url = _base(world) + "elements/facility-information/draft/business-activities/"
    response = call("PATCH", url, token, {"BusinessName": "Acme"})
    assert response.status_code == 428
    assert body(response)["code"] == "precondition_required"
    assert body(response)["errors"][0]["field"] == "If-Match"
    assert not BusinessActivities.objects.exists()


def test_a_stale_write_is_refused_with_412_and_nothing_is_lost(world):
    alice = personal_token(world, "editor")
    bob = personal_token(world, "approver")
    _draft, etag = _start(world, alice, "facility-information")
    url = _base(world) + "elements/facility-information/draft/business-activities/"
    first = call("PATCH", url, bob, {"BusinessName": "Bob's name"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first["ETag"] != etag
    stale = call("PATCH", url, alice, {"BusinessName": "Alice's name"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert body(stale)["code"] == "precondition_failed"
    assert stale["ETag"] == first["ETag"]
    assert BusinessActivities.objects.get().business_name == "Bob's name"
    retried = call("PATCH", url, alice, {"BusinessName": "Alice's name"}, headers={"If-Match": stale["ETag"]})
    assert retried.status_code == 200
    assert body(retried)["BusinessName"] == "Alice's name"


def test_document_changes_change_the_etag(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    url = _base(world) + "elements/inventory/draft/documents/site_map/"
    response = call(
        "PUT",
        url,
        token,
        {"option": "stored_at_facility", "comment": "In the office binder"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert call("GET", _base(world) + "elements/inventory/draft/", token)["ETag"] == response["ETag"]


def test_if_match_star_overwrites(world):
    token = personal_token(world, "editor")
    _start(world, token, "facility-information")
    url = _base(world) + "elements/facility-information/draft/business-activities/"
    response = call("PATCH", url, token, {"BusinessName": "Acme"}, headers={"If-Match": "*"})
    assert response.status_code == 200


# --- Facility Information ---------------------------------------------------------------------------------


def test_business_activities_are_parsed_like_the_form_and_problems_named_by_field(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token, "facility-information")
    url = _base(world) + "elements/facility-information/draft/business-activities/"
    bad = call(
        "PATCH",
        url,
        token,
        {"BusinessName": "Acme", "HMOnSite": "maybe", "ZipCode": "ABCDE"},
        headers={"If-Match": etag},
    )
    assert bad.status_code == 422
    assert body(bad)["code"] == "field_problems"
    assert sorted(e["field"] for e in body(bad)["errors"]) == ["HMOnSite", "ZipCode"]
    assert body(bad)["errors"][0]["row"] is None
    assert not BusinessActivities.objects.exists()
    good = call("PATCH", url, token, {"BusinessName": "Acme", "HMOnSite": True}, headers={"If-Match": etag})
    assert good.status_code == 200
    assert body(good) == {"BusinessName": "Acme", "HMOnSite": "Y"}
    unknown = call("PATCH", url, token, {"BusinesName": "typo"}, headers={"If-Match": good["ETag"]})
    assert unknown.status_code == 422
    assert body(unknown)["errors"][0]["field"] == "BusinesName"


# --- Inventory ----------------------------------------------------------------------------------------------


def test_appending_rows_then_reading_them_with_guidance(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    url = _base(world) + "elements/inventory/draft/rows/"
    response = call(
        "POST",
        url,
        token,
        {"rows": [ACID, _row("Diesel", MaximumDailyAmount="50", AverageDailyAmount="80")]},
        headers={"If-Match": etag},
    )
    assert response.status_code == 201
    assert body(response)["rows_written"] == 2
    assert body(response)["row_count"] == 2
    assert response["ETag"] == body(response)["etag"]
    acid = InventoryItem.objects.get(common_name="Sulfuric acid")
    assert acid.cas_number == "7664-93-9"
    assert acid.maximum_daily_amount == Decimal("1200")
    assert acid.physical_state == "b"
    listing = body(call("GET", url, token))
    assert listing["count"] == 2
    assert [r["row"] for r in listing["results"]] == [1, 2]
    assert listing["results"][0]["fields"]["CASNumber"] == "7664-93-9"
    required = [g for g in listing["results"][1]["guidance"] if g["level"] == "required"]
    assert [(g["field"], g["row"]) for g in required] == [("AverageDailyAmount", 2)]
    assert [g for g in listing["results"][0]["guidance"] if g["level"] == "required"] == []


def test_bulk_rows_are_all_or_nothing_with_problems_per_row(world):
    token = personal_token(world, "editor")
    draft, etag = _start(world, token)
    add_material(SubmittalElement.objects.get(public_id=draft["id"]))
    etag = call("GET", _base(world) + "elements/inventory/draft/", token)["ETag"]
    rows = [_row("Good one"), _row("Bad units", Units="litres"), {"CommonName": "", "EHS": "N"}, _row("Ok")]
    response = call(
        "PUT",
        _base(world) + "elements/inventory/draft/rows/",
        token,
        {"rows": rows},
        headers={"If-Match": etag},
    )
    assert response.status_code == 422
    data = body(response)
    assert data["code"] == "row_problems"
    assert data["message"] == "2 rows need correcting. Nothing was saved."
    assert [(e["row"], e["field"]) for e in data["errors"]] == [
        (2, "Units"),
        (3, "CommonName"),
        (3, "PhysicalState"),
        (3, "MaximumDailyAmount"),
        (3, "Units"),
    ]
    assert data["errors"][0]["message"].startswith("“litres” is not one of the codes")
    assert list(InventoryItem.objects.values_list("common_name", flat=True)) == ["Sulfuric acid"]


def test_replacing_every_row(world):
    token = personal_token(world, "editor")
    draft, _etag = _start(world, token)
    add_material(SubmittalElement.objects.get(public_id=draft["id"]))
    etag = call("GET", _base(world) + "elements/inventory/draft/", token)["ETag"]
    response = call(
        "PUT",
        _base(world) + "elements/inventory/draft/rows/",
        token,
        {"rows": [_row("A"), _row("B")]},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200
    assert body(response)["rows_written"] == 2
    assert list(InventoryItem.objects.order_by("position").values_list("common_name", "position")) == [
        ("A", 1),
        ("B", 2),
    ]
    assert AuditEvent.objects.filter(action="inventory.rows_replaced", data__rows=2, data__removed=1).exists()


def test_unknown_row_fields_are_refused(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    response = call(
        "POST",
        _base(world) + "elements/inventory/draft/rows/",
        token,
        {"rows": [_row("A", Colour="red")]},
        headers={"If-Match": etag},
    )
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in body(response)["errors"]] == [(1, "Colour")]
    assert not InventoryItem.objects.exists()


def test_rows_must_be_a_list(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    response = call(
        "POST",
        _base(world) + "elements/inventory/draft/rows/",
        token,
        {"rows": "A"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 400
    assert body(response)["errors"][0]["field"] == "rows"


def test_one_row_changed_and_deleted(world):
    token = personal_token(world, "editor")
    draft, _etag = _start(world, token)
    item = add_material(SubmittalElement.objects.get(public_id=draft["id"]))
    etag = call("GET", _base(world) + "elements/inventory/draft/", token)["ETag"]
    url = _base(world) + f"elements/inventory/draft/rows/{item.public_id}/"
    bad = call("PATCH", url, token, {"MaximumDailyAmount": "lots"}, headers={"If-Match": etag})
    assert bad.status_code == 422
    assert [e["field"] for e in body(bad)["errors"]] == ["MaximumDailyAmount"]
    changed = call("PATCH", url, token, {"MaximumDailyAmount": "1500"}, headers={"If-Match": etag})
    assert changed.status_code == 200
    assert body(changed)["fields"]["MaximumDailyAmount"] == "1500"
    item.refresh_from_db()
    assert item.maximum_daily_amount == Decimal("1500")
    stale = call("DELETE", url, token, headers={"If-Match": etag})
    assert stale.status_code == 412
    deleted = call("DELETE", url, token, headers={"If-Match": changed["ETag"]})
    assert deleted.status_code == 204
    assert not InventoryItem.objects.exists()
    assert call("GET", url, token).status_code == 404


# --- Documents ---------------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def test_uploading_and_removing_a_document_file(world, media):
    from django.test import Client

    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    url = _base(world) + "elements/inventory/draft/documents/site_map/files/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("site map.pdf", corpus.pdf(), content_type="application/pdf")
    response = Client().post(
        url, {"file": upload}, headers={"Authorization": f"Bearer {token}", "If-Match": etag}
    )
    assert response.status_code == 201, response.content
    document = body(response)
    assert document["option"] == "upload"
    assert [f["name"] for f in document["files"]] == ["site map.pdf"]
    fake = SimpleUploadedFile("map.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    refused = Client().post(
        url, {"file": fake}, headers={"Authorization": f"Bearer {token}", "If-Match": response["ETag"]}
    )
    assert refused.status_code == 422
    assert body(refused)["errors"][0]["field"] == "file"
    file_url = url + f"{document['files'][0]['id']}/"
    removed = call("DELETE", file_url, token, headers={"If-Match": response["ETag"]})
    assert removed.status_code == 204
    assert (
        body(call("GET", _base(world) + "elements/inventory/draft/documents/site_map/", token))["files"] == []
    )


def test_document_options_are_checked(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    url = _base(world) + "elements/inventory/draft/documents/site_map/"
    response = call("PUT", url, token, {"option": "exempt", "comment": ""}, headers={"If-Match": etag})
    assert response.status_code == 422
    assert body(response)["errors"][0]["field"] == "comment"
    unknown_slot = call(
        "PUT",
        _base(world) + "elements/inventory/draft/documents/no_such_slot/",
        token,
        {"option": "exempt", "comment": "Not needed here"},
        headers={"If-Match": etag},
    )
    assert unknown_slot.status_code == 404


# --- Submission, statuses and regulator comments -------------------------------------------------------------


def test_an_approver_submits_and_reads_the_regulators_decision(world):
    complete_facility_info(world.facility, world.users["lead"])
    approver = personal_token(world, "approver")
    response = call(
        "POST",
        _base(world) + "submittals/",
        approver,
        {
            "elements": ["facility-information"],
            "signer_name": "Ann Approver",
            "signer_title": "EHS manager",
            "comments": {"facility-information": "Annual update"},
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert [(e["version"], e["status"], e["regulator"]["code"]) for e in data["elements"]] == [
        (1, "submitted", 3400)
    ]
    submittal = FacilitySubmittal.objects.get()
    assert submittal.origin == Origin.API
    assert submittal.submitted_by == world.users["approver"]
    version_id = data["elements"][0]["id"]
    agency = agency_token(world)
    action = call(
        "POST",
        f"/api/v1/regulators/3400/submittals/{version_id}/action/",
        agency,
        {"status": "not_accepted", "comments": "The owner's phone number is missing."},
    )
    assert action.status_code == 200, action.content
    element = body(call("GET", _base(world) + "elements/facility-information/", approver))
    latest = element["versions"][0]
    assert latest["status"] == "not_accepted"
    assert latest["action"]["comments"] == "The owner's phone number is missing."
    assert latest["action"]["resubmit_due"] is not None
    version = body(call("GET", _base(world) + f"versions/{version_id}/", approver))
    assert version["submitter_comments"] == "Annual update"
    assert version["content"]["data"]["BusinessActivities"]["BusinessName"] == "Acme Plating"


def test_an_editor_cannot_submit(world):
    complete_facility_info(world.facility, world.users["lead"])
    response = call(
        "POST",
        _base(world) + "submittals/",
        personal_token(world, "editor"),
        {"elements": ["facility-information"], "signer_name": "Ed", "signer_title": "Editor"},
    )
    assert response.status_code == 403
    assert body(response)["code"] == "not_permitted"
    assert not FacilitySubmittal.objects.exists()


def test_an_organization_client_with_the_submit_scope_submits(world):
    complete_facility_info(world.facility, world.users["lead"])
    response = call(
        "POST",
        _base(world) + "submittals/",
        organization_token(world),
        {"elements": [1], "signer_name": "Lena Lead", "signer_title": "Owner"},
    )
    assert response.status_code == 201
    assert SubmittalElement.objects.get(element=Element.FACILITY_INFORMATION).status == Status.SUBMITTED


def test_a_submission_with_required_guidance_is_refused(world):
    token = personal_token(world, "approver")
    _start(world, token, "facility-information")
    response = call(
        "POST",
        _base(world) + "submittals/",
        token,
        {"elements": ["facility-information"], "signer_name": "Ann", "signer_title": "EHS"},
    )
    assert response.status_code == 422
    assert body(response)["errors"][0]["field"] == "elements"
    assert not FacilitySubmittal.objects.exists()


def test_a_submitted_version_cannot_be_written_through_its_old_draft(world):
    token = personal_token(world, "approver")
    complete_facility_info(world.facility, world.users["lead"])
    etag = call("GET", _base(world) + "elements/facility-information/draft/", token)["ETag"]
    call(
        "POST",
        _base(world) + "submittals/",
        token,
        {"elements": ["facility-information"], "signer_name": "Ann", "signer_title": "EHS"},
    )
    response = call(
        "PATCH",
        _base(world) + "elements/facility-information/draft/business-activities/",
        token,
        {"BusinessName": "Changed"},
        headers={"If-Match": etag},
    )
    assert response.status_code == 404
    assert body(response)["code"] == "no_draft"


@pytest.mark.parametrize(
    "raw",
    [
        ACID,
        _row("Diesel", CASNumber="68476346", MaximumDailyAmount="12.12345"),
        {"CommonName": "", "EHS": "maybe", "Units": "litres", "CASNumber": "1234-56-7"},
        {"CommonName": "Waste oil", "HMType": "Waste", "DaysOnSite": "1.5", "MaximumDailyAmount": -3},
        {},
    ],
)
def test_bulk_rows_follow_exactly_the_rules_of_one_row(raw):
    from opencers.elements.inventory.bulk import parse_row
    from opencers.elements.inventory.services import _parse

    assert parse_row(raw) == _parse(dict(raw), InventoryItem())


def test_guidance_of_the_whole_inventory_on_request(world):
    token = personal_token(world, "editor")
    _draft, etag = _start(world, token)
    response = call(
        "PUT",
        _base(world) + "elements/inventory/draft/rows/?include_guidance=true",
        token,
        {"rows": [_row("A", AverageDailyAmount="500")]},
        headers={"If-Match": etag},
    )
    assert response.status_code == 200
    required = [(g["field"], g["row"]) for g in body(response)["guidance"] if g["level"] == "required"]
    assert required == [("AverageDailyAmount", 1)]
    plain = call(
        "PUT",
        _base(world) + "elements/inventory/draft/rows/",
        token,
        {"rows": [_row("A")]},
        headers={"If-Match": response["ETag"]},
    )
    assert body(plain)["guidance"] is None
