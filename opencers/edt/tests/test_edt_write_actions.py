"""Submittal action notification (RFSAN): the same review service as the regulator portal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.edt.models import EdtTransaction
from opencers.edt.responses import xml_datetime
from opencers.edt.tests.edt_write_support import (
    SUBMITTAL_RESPONSE,
    action_xml,
    agency_client,
    messages_of,
    post_xml,
    status_of,
    validate,
)
from opencers.notifications.models import EmailMessage, Notification
from opencers.organizations.addresses import address_wash
from opencers.organizations.services import facility_create
from opencers.submittals.models import Status, SubmittalElement
from opencers.submittals.services import facility_submit
from opencers.submittals.tests.factories import complete_facility_info

URL = "/EDT/Regulator/FacilitySubmittal/ActionNotification"
NOT_ACCEPTED = "The signer's title is missing on Owner/Operator Identification; add it and resubmit."


def submitted_facility_information(facility: Any, lead: Any) -> SubmittalElement:
    complete_facility_info(facility, lead)
    facility_submit(
        facility=facility,
        actor=lead,
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    return facility.elements.get(element=Element.FACILITY_INFORMATION, status=Status.SUBMITTED)


@pytest.fixture
def submitted(world: Any) -> SubmittalElement:
    return submitted_facility_information(world.facility, world.users["lead"])


def when(delta: timedelta = timedelta(0)) -> str:
    return xml_datetime(timezone.now() + delta)


def post(regulator: Any, body: bytes, scopes: tuple[str, ...] = ("action",)) -> tuple[Any, Any]:
    _client, token = agency_client(regulator, list(scopes))
    response = post_xml(Client(), URL, body, token)
    return response, validate(response.content, SUBMITTAL_RESPONSE)


def snapshot(element: SubmittalElement) -> tuple[Any, ...]:
    element.refresh_from_db()
    return (
        element.status,
        element.action_at,
        element.action_comments,
        element.action_agent_name,
        element.resubmit_due,
        EmailMessage.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.exclude(action__startswith="api_client.").count(),
    )


def test_the_request_documents_of_these_tests_follow_the_schema(world, submitted):
    body = action_xml(
        {"element": submitted, "status": "accepted", "when": "2024-06-01T10:00:00Z", "comments": "ok"}
    )
    validate(body, "RegulatorFacilitySubmittalActionNotification")


def test_not_accepted_through_the_exchange_does_what_the_portal_does(world, submitted):
    # The same action on two facilities of the same business: one in the portal, one through the exchange.
    lead = world.users["lead"]
    second = facility_create(
        actor=lead,
        name="Acme Plating East",
        address=address_wash(street="2101 Capitol Avenue", city="", zip_code="95816"),
        organization=world.organization,
    )
    other = submitted_facility_information(second, lead)
    EmailMessage.objects.all().delete()
    Notification.objects.all().delete()

    portal = world.client_for("regulator").post(
        reverse(
            "regulator:element_action", kwargs={"code": world.sac.code, "public_id": submitted.public_id}
        ),
        {"status": Status.NOT_ACCEPTED, "comments": NOT_ACCEPTED},
    )
    assert portal.status_code == 302
    portal_emails = list(EmailMessage.objects.order_by("id").values_list("kind", "to_address"))
    portal_notifications = list(Notification.objects.order_by("id").values_list("kind", "user"))
    EmailMessage.objects.all().delete()
    Notification.objects.all().delete()

    acted_on = when()
    response, root = post(
        world.sac,
        action_xml({"element": other, "status": "not_accepted", "comments": NOT_ACCEPTED, "when": acted_on}),
    )
    assert response.status_code == 200
    assert status_of(root) == "Accepted"
    assert messages_of(root) == [
        ("Advisory", f"Facility Information of facility {second.cers_id}: Not accepted.")
    ]
    assert root.find("GuidanceMessages/GuidanceMessage").get("cersUniqueKey") == str(other.public_id)

    submitted.refresh_from_db()
    other.refresh_from_db()
    assert (other.status, other.action_comments) == (submitted.status, submitted.action_comments)
    assert other.status == Status.NOT_ACCEPTED
    assert other.action_at == timezone.localtime(other.action_at).replace(microsecond=0)
    assert xml_datetime(other.action_at) == acted_on
    assert (other.action_agent_name, other.action_agent_email) == ("Ines Inspector", "ines@saccounty.example")
    assert other.resubmit_due == timezone.localdate(other.action_at) + timedelta(days=30)
    assert list(EmailMessage.objects.order_by("id").values_list("kind", "to_address")) == portal_emails
    assert portal_emails == [("element_not_accepted", "lead@example.com")]
    assert list(Notification.objects.order_by("id").values_list("kind", "user")) == portal_notifications

    portal_event = AuditEvent.objects.get(object_id=str(submitted.pk), action="element.not_accepted")
    exchange_event = AuditEvent.objects.get(object_id=str(other.pk), action="element.not_accepted")
    assert exchange_event.data == portal_event.data | {"resubmit_due": other.resubmit_due.isoformat()}
    assert exchange_event.actor.is_service_account
    assert exchange_event.actor_label == "ines@saccounty.example"


@pytest.mark.parametrize("status", ["under_review", "accepted", "not_applicable"])
def test_each_action_sets_the_status(world, submitted, status):
    response, _root = post(world.sac, action_xml({"element": submitted, "status": status, "when": when()}))
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == status
    assert EmailMessage.objects.filter(kind=f"element_{status}", to_address="lead@example.com").count() == 1


def test_not_accepted_without_comments_is_refused_like_in_the_portal(world, submitted):
    before = snapshot(submitted)
    response, root = post(
        world.sac, action_xml({"element": submitted, "status": "not_accepted", "when": when()})
    )
    assert response.status_code == 422
    assert status_of(root) == "Rejected"
    assert messages_of(root) == [
        ("Required", "SubmittalElement 1: Say what must be corrected: the business reads these comments.")
    ]
    assert snapshot(submitted) == before


def test_a_document_is_all_or_nothing(world, submitted):
    before = snapshot(submitted)
    body = action_xml(
        {"element": submitted, "status": "accepted", "when": when()},
        {"element": submitted, "status": "accepted", "when": when(), "cers_id": world.other_facility.cers_id},
    )
    response, root = post(world.sac, body)
    assert response.status_code == 422
    assert messages_of(root) == [
        (
            "Required",
            f"SubmittalElement 2: CERSID {world.other_facility.cers_id} is not the facility of this element "
            f"({world.facility.cers_id}).",
        )
    ]
    assert snapshot(submitted) == before


def test_another_agency_cannot_act_on_the_element(world, submitted):
    before = snapshot(submitted)
    body = action_xml({"element": submitted, "status": "accepted", "when": when(), "regulator_code": 1500})
    response, root = post(world.kern, body)
    assert response.status_code == 404
    assert messages_of(root) == [
        (
            "Required",
            f"SubmittalElement 1: no submitted element with CERSUniqueKey {submitted.public_id} is in the "
            "jurisdiction of Kern County CUPA.",
        )
    ]
    assert snapshot(submitted) == before
    logged = EdtTransaction.objects.get()
    assert (logged.endpoint, logged.status, logged.http_status, logged.regulator) == (
        URL,
        "Rejected",
        404,
        world.kern,
    )
    assert logged.regulator_transaction_key == "55555555-5555-4555-8555-555555555555"


def test_a_draft_is_never_reached(world, submitted):
    draft = complete_facility_info(world.facility, world.users["lead"])
    draft.regulator = world.sac
    response, _root = post(world.sac, action_xml({"element": draft, "status": "accepted", "when": when()}))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_scope_is_required(world, submitted):
    before = snapshot(submitted)
    response, root = post(
        world.sac, action_xml({"element": submitted, "status": "accepted", "when": when()}), ("query",)
    )
    assert response.status_code == 403
    assert messages_of(root) == [("Required", "The token does not have the 'action' scope needed here.")]
    assert snapshot(submitted) == before
    assert EdtTransaction.objects.get().http_status == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"when": "yesterday"},
            "SubmittalElement 1: SubmittalActionOn “yesterday” is not a date and time, e.g. 2026-03-01T09:30:00Z.",
        ),
        ({"email": "ines"}, "SubmittalElement 1: SubmittalActionAgentEmail “ines” is not an e-mail address."),
        (
            {"code": 12},
            "SubmittalElement 1: the code attribute must be an element code from 1 to 10, not “12”.",
        ),
        (
            {"key": "not-a-key"},
            "SubmittalElement 1: CERSUniqueKey “not-a-key” is not a GUID (the key the query gave for the element).",
        ),
    ],
)
def test_malformed_fields_are_named(world, submitted, change, message):
    before = snapshot(submitted)
    action = {"element": submitted, "status": "accepted", "when": when(), **change}
    response, root = post(world.sac, action_xml(action))
    assert response.status_code == 400
    assert messages_of(root) == [("Required", message)]
    assert snapshot(submitted)[:5] == before[:5]


def test_an_action_in_the_future_or_before_submission_is_refused(world, submitted):
    response, root = post(
        world.sac, action_xml({"element": submitted, "status": "accepted", "when": when(timedelta(days=1))})
    )
    assert response.status_code == 400
    assert messages_of(root)[0][1].endswith("is in the future.")
    early = xml_datetime(submitted.submitted_at - timedelta(minutes=11))
    response, root = post(world.sac, action_xml({"element": submitted, "status": "accepted", "when": early}))
    assert response.status_code == 422
    assert messages_of(root)[0][1].startswith(
        "SubmittalElement 1: SubmittalActionOn is before the element was submitted"
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_the_older_and_no_namespace_documents_are_read(world, submitted):
    body = action_xml({"element": submitted, "status": "under_review", "when": when()})
    plain = body.replace(
        b' xmlns:cers="http://cersservices.calepa.ca.gov/Schemas/RegulatorFacilitySubmittalActionNotification/1/05/"',
        b"",
    ).replace(b"cers:", b"")
    response, _root = post(world.sac, plain)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Status.UNDER_REVIEW
