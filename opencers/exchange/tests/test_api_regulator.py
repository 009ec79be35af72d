"""The regulator side of the JSON API: queue, facility search, submittal data, actions."""

from __future__ import annotations

from opencers.accounts.api_clients import personal_token_create
from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.exchange.tests.api_support import agency_token, body, call
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.services import facility_submit
from opencers.submittals.tests.factories import complete_facility_info

SAC = "/api/v1/regulators/3400/"


def _submitted(world) -> SubmittalElement:
    complete_facility_info(world.facility, world.users["lead"])
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    return SubmittalElement.objects.get(element=Element.FACILITY_INFORMATION, status=Status.SUBMITTED)


def test_the_queue_lists_submitted_elements_and_filters_them(world):
    version = _submitted(world)
    complete_facility_info(world.facility, world.users["lead"])  # a new draft: never shown
    token = agency_token(world, ["regulator:read"])
    data = body(call("GET", SAC + "queue/", token))
    assert data["count"] == 1
    item = data["results"][0]
    assert (item["id"], item["slug"], item["status"], item["facility"]["cers_id"]) == (
        str(version.public_id),
        "facility-information",
        "submitted",
        world.facility.cers_id,
    )
    assert body(call("GET", SAC + "queue/?element=inventory", token))["count"] == 0
    assert body(call("GET", SAC + "queue/?status=submitted&element=1", token))["count"] == 1
    assert body(call("GET", SAC + "queue/?submitted_from=2999-01-01", token))["count"] == 0
    bad = call("GET", SAC + "queue/?status=draft", token)
    assert bad.status_code == 400
    assert body(bad)["errors"][0]["field"] == "status"


def test_facility_search_in_the_jurisdiction(world):
    token = agency_token(world, ["regulator:read"])
    assert [f["cers_id"] for f in body(call("GET", SAC + "facilities/?q=acme", token))["results"]] == [
        world.facility.cers_id
    ]
    assert body(call("GET", SAC + "facilities/?q=brightwater", token))["results"] == []
    by_id = body(call("GET", SAC + f"facilities/?q={world.facility.cers_id}", token))
    assert by_id["count"] == 1


def test_facility_detail_never_shows_drafts(world):
    complete_facility_info(world.facility, world.users["lead"])
    token = agency_token(world, ["regulator:read"])
    data = body(call("GET", SAC + f"facilities/{world.facility.cers_id}/", token))
    assert [e["draft"] for e in data["elements"]] == [None, None, None]
    assert data["elements"][0]["latest"] is None


def test_submittal_data_and_an_action(world):
    version = _submitted(world)
    reader = agency_token(world, ["regulator:read"])
    url = SAC + f"submittals/{version.public_id}/"
    data = body(call("GET", url, reader))
    assert data["content"]["data"]["OwnerOperatorInformation"]["OwnerName"] == "Acme Holdings"
    assert data["status"] == "submitted"
    refused = call("POST", url + "action/", reader, {"status": "accepted"})
    assert refused.status_code == 403
    actor = agency_token(world, ["regulator:read", "regulator:act"])
    missing_comment = call("POST", url + "action/", actor, {"status": "not_accepted"})
    assert missing_comment.status_code == 422
    assert body(missing_comment)["errors"][0]["field"] == "comments"
    accepted = call("POST", url + "action/", actor, {"status": "accepted", "comments": "Desk review."})
    assert accepted.status_code == 200
    assert body(accepted)["action"]["status"] == "accepted"
    assert body(accepted)["action"]["agent_name"] == "County system"
    version.refresh_from_db()
    assert (version.status, version.action_comments) == (Status.ACCEPTED, "Desk review.")
    assert AuditEvent.objects.filter(action="element.accepted", object_id=str(version.pk)).count() == 1


def test_a_viewer_role_cannot_act_even_with_the_scope(world):
    version = _submitted(world)
    _client, token = personal_token_create(
        user=world.users["regulator_viewer"], name="script", scopes=["regulator:read", "regulator:act"]
    )
    response = call("POST", SAC + f"submittals/{version.public_id}/action/", token, {"status": "accepted"})
    assert response.status_code == 403
    assert body(response)["code"] == "not_permitted"
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_another_agency_gets_404_for_a_submittal(world):
    version = _submitted(world)
    kern = agency_token(world, regulator=world.kern)
    assert call("GET", SAC + f"submittals/{version.public_id}/", kern).status_code == 404
    own_code = call("GET", f"/api/v1/regulators/1500/submittals/{version.public_id}/", kern)
    assert own_code.status_code == 404
    action = call(
        "POST",
        f"/api/v1/regulators/1500/submittals/{version.public_id}/action/",
        kern,
        {"status": "accepted"},
    )
    assert action.status_code == 404
    version.refresh_from_db()
    assert version.status == Status.SUBMITTED


def test_a_draft_is_never_reachable_as_a_submittal(world):
    draft = complete_facility_info(world.facility, world.users["lead"])
    token = agency_token(world)
    assert call("GET", SAC + f"submittals/{draft.public_id}/", token).status_code == 404


def test_regulators_of_the_identity(world):
    token = agency_token(world, ["regulator:read"])
    assert body(call("GET", "/api/v1/regulators/", token)) == [
        {"code": 3400, "name": "Sacramento County CUPA", "kind": "cupa"}
    ]
