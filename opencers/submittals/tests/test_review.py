from datetime import timedelta

import pytest
from django.utils import timezone

from opencers.core.elements import Element
from opencers.core.errors import DomainError, NotPermitted
from opencers.notifications.models import EmailMessage, Notification
from opencers.submittals.models import Status
from opencers.submittals.selectors import review_queue
from opencers.submittals.services import element_review, elements_bulk_accept, facility_submit
from opencers.submittals.tests.factories import complete_facility_info


def _submitted(world, facility=None, actor=None):
    facility = facility or world.facility
    actor = actor or world.users["lead"]
    complete_facility_info(facility, actor)
    facility_submit(
        facility=facility,
        actor=actor,
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Signer",
        signer_title="Owner",
    )
    return facility.elements.get(element=Element.FACILITY_INFORMATION, status=Status.SUBMITTED)


def test_submission_notifies_regulator_staff_and_the_business(world):
    _submitted(world)
    assert (
        EmailMessage.objects.filter(
            kind="submittal_received_regulator", to_address=world.users["regulator"].email
        ).count()
        == 1
    )
    assert (
        EmailMessage.objects.filter(
            kind="submittal_received_regulator", to_address=world.users["other_regulator"].email
        ).count()
        == 0
    )
    assert (
        EmailMessage.objects.filter(
            kind="submittal_confirmation", to_address=world.users["lead"].email
        ).count()
        == 1
    )
    assert Notification.objects.filter(user=world.users["regulator"], kind="submittal_received").count() == 1


def test_not_accepted_sets_due_date_and_emails_lead_users_with_comments(world):
    element = _submitted(world)
    element_review(
        element_id=element.pk,
        reviewer=world.users["regulator"],
        status=Status.NOT_ACCEPTED,
        comments="The signer's title is missing.",
    )
    element.refresh_from_db()
    assert element.resubmit_due == timezone.localdate() + timedelta(days=30)
    assert element.action_agent_email == world.users["regulator"].email
    message = EmailMessage.objects.get(kind="element_not_accepted", to_address=world.users["lead"].email)
    assert "The signer's title is missing." in message.body
    assert element.resubmit_due.strftime("%Y-%m-%d") in message.body


def test_not_accepted_needs_a_comment(world):
    element = _submitted(world)
    with pytest.raises(DomainError, match="Say what must be corrected"):
        element_review(
            element_id=element.pk, reviewer=world.users["regulator"], status=Status.NOT_ACCEPTED, comments=" "
        )
    element.refresh_from_db()
    assert element.status == Status.SUBMITTED


@pytest.mark.parametrize("persona", ["other_regulator", "regulator_viewer", "lead"])
def test_only_the_elements_regulator_reviews(world, persona):
    element = _submitted(world)
    with pytest.raises(NotPermitted):
        element_review(element_id=element.pk, reviewer=world.users[persona], status=Status.ACCEPTED)
    element.refresh_from_db()
    assert element.status == Status.SUBMITTED


def test_bulk_accept_is_all_or_nothing(world):
    first = _submitted(world)
    other = _submitted(world, world.other_facility, world.users["other_business"])  # Kern: not ours
    with pytest.raises(NotPermitted):
        elements_bulk_accept(element_ids=[first.pk, other.pk], reviewer=world.users["regulator"])
    first.refresh_from_db()
    assert first.status == Status.SUBMITTED
    accepted = elements_bulk_accept(
        element_ids=[first.pk], reviewer=world.users["regulator"], comments="Desk check"
    )
    assert [e.status for e in accepted] == [Status.ACCEPTED]


def test_queue_shows_only_own_submitted_elements_and_filters(world):
    mine = _submitted(world)
    _submitted(world, world.other_facility, world.users["other_business"])
    complete_facility_info(world.facility, world.users["lead"])  # a new draft: never in the queue
    queue = review_queue(user=world.users["regulator"], regulator=world.sac)
    assert [e.pk for e in queue] == [mine.pk]
    assert (
        list(review_queue(user=world.users["regulator"], regulator=world.sac, status=Status.ACCEPTED)) == []
    )
    assert (
        list(
            review_queue(
                user=world.users["regulator"],
                regulator=world.sac,
                element=Element.HAZARDOUS_MATERIALS_INVENTORY,
            )
        )
        == []
    )


def test_business_sees_comments_and_can_start_a_corrected_draft(world):
    element = _submitted(world)
    element_review(
        element_id=element.pk,
        reviewer=world.users["regulator"],
        status=Status.NOT_ACCEPTED,
        comments="Add the 24-hour phone.",
    )
    client = world.client_for("editor")
    page = client.get(f"/business/facilities/{world.facility.cers_id}/elements/facility-information/")
    assert "Add the 24-hour phone." in page.content.decode()
    response = client.post(
        f"/business/facilities/{world.facility.cers_id}/elements/facility-information/start/",
        {"source": str(element.public_id)},
    )
    assert response.status_code == 302
    assert world.facility.elements.filter(status=Status.DRAFT, based_on=element).count() == 1
