"""Access requests: routing (Lead Users, else the regulator's admins, else the state help desk), decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from opencers.accounts.models import User
from opencers.core.errors import DomainError, InvalidTransition
from opencers.notifications.models import EmailMessage, Notification
from opencers.organizations.addresses import address_wash
from opencers.organizations.models import (
    AccessRequest,
    AccessRequestStatus,
    DecidedBy,
    Membership,
    OrganizationOrigin,
    PermissionGroup,
)
from opencers.organizations.services import access_request_create, access_request_decide, facility_create
from opencers.regulators.models import RegulatorMembership


def _person(email: str, **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, full_name="Rosa Requester", is_active=True, **extra)


def _ask(world, user, facility=None) -> AccessRequest:
    return access_request_create(
        user=user,
        facility=facility or world.facility,
        phone="916-555-0100",
        title="EHS manager",
        message="I run the plant.",
    )


def _received(request: AccessRequest) -> list[tuple[str, str]]:
    """(recipient, subject) of the 'request received' e-mails, sorted by recipient."""
    return sorted(
        EmailMessage.objects.filter(kind="access_request_received").values_list("to_address", "subject")
    )


def _notified(request: AccessRequest) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(kind="access_request").values_list("user__email", "message", "link")
    )


def _facility_without_lead(world, *, zip_code: str, street: str, name: str):
    """A facility entered by a regulator: its organization has no member at all."""
    return facility_create(
        actor=world.users["regulator"],
        name=name,
        address=address_wash(street=street, city="", zip_code=zip_code),
        new_organization_name=f"{name} LLC",
        origin=OrganizationOrigin.REGULATOR,
    )


# --- Routing -------------------------------------------------------------------------------------------


def test_request_goes_to_every_lead_user_by_email_and_notification(world):
    # Given Acme with two Lead Users,
    second_lead = _person("second.lead@example.com")
    Membership.objects.create(organization=world.organization, user=second_lead, group=PermissionGroup.LEAD)
    requester = _person("rosa@example.com")

    # when Rosa asks for access to the Acme facility,
    request = _ask(world, requester)

    # then the request is for the Lead Users, and each gets an e-mail and a notification.
    assert request.status == AccessRequestStatus.PENDING
    assert request.routed_to == DecidedBy.LEAD
    assert request.phone == "(916) 555-0100"
    subject = f"Access request for Acme Plating (CERS ID {world.facility.cers_id})"
    assert _received(request) == [("lead@example.com", subject), ("second.lead@example.com", subject)]
    link = reverse("web:access_request", kwargs={"public_id": request.public_id})
    message = "Rosa Requester asks for access to Acme Plating."
    assert _notified(request) == [
        ("lead@example.com", message, link),
        ("second.lead@example.com", message, link),
    ]
    body = EmailMessage.objects.get(kind="access_request_received", to_address="lead@example.com").body
    assert "Rosa Requester (rosa@example.com, EHS manager, (916) 555-0100) asks for access to" in body
    assert f"http://127.0.0.1:8000{link}" in body


def test_inactive_lead_users_are_not_asked(world):
    inactive = _person("gone.lead@example.com")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    Membership.objects.create(organization=world.organization, user=inactive, group=PermissionGroup.LEAD)

    request = _ask(world, _person("rosa@example.com"))

    assert [to for to, _subject in _received(request)] == ["lead@example.com"]


def test_without_lead_users_the_request_goes_to_the_regulators_admins(world):
    # Given a facility (Sacramento County CUPA) whose organization has no Lead User,
    facility = _facility_without_lead(
        world, zip_code="95815", street="2500 Del Paso Blvd", name="Orphan Cleaners"
    )
    assert facility.cupa == world.sac

    # when someone asks for access,
    request = _ask(world, _person("rosa@example.com"), facility)

    # then the CUPA's admins (not its viewers) get it.
    assert request.routed_to == DecidedBy.REGULATOR
    assert [to for to, _subject in _received(request)] == ["regulator@example.com"]
    assert [email for email, _message, _link in _notified(request)] == ["regulator@example.com"]


def test_without_lead_users_or_regulator_admins_the_request_goes_to_the_state_help_desk(world):
    # Given a facility in a CUPA with only a viewer on its staff, and a state system admin and viewer,
    RegulatorMembership.objects.filter(regulator=world.sac, role="admin").delete()
    _person("sysadmin@example.com", state_role="sysadmin")
    _person("state.viewer@example.com", state_role="viewer")
    facility = _facility_without_lead(
        world, zip_code="95815", street="2500 Del Paso Blvd", name="Orphan Cleaners"
    )

    request = _ask(world, _person("rosa@example.com"), facility)

    # then the state help desk and system admins get it (not the statewide viewer).
    assert request.routed_to == DecidedBy.STATE
    assert [to for to, _subject in _received(request)] == ["state_admin@example.com", "sysadmin@example.com"]
    assert [email for email, _message, _link in _notified(request)] == [
        "state_admin@example.com",
        "sysadmin@example.com",
    ]


def test_a_facility_with_no_cupa_goes_to_the_state_help_desk(world):
    facility = _facility_without_lead(
        world, zip_code="90012", street="200 N Spring St", name="City Hall Garage"
    )
    assert facility.cupa is None

    request = _ask(world, _person("rosa@example.com"), facility)

    assert request.routed_to == DecidedBy.STATE
    assert [to for to, _subject in _received(request)] == ["state_admin@example.com"]


# --- Refusals when asking ------------------------------------------------------------------------------


def test_a_second_pending_request_for_the_same_facility_is_refused(world):
    requester = _person("rosa@example.com")
    _ask(world, requester)

    with pytest.raises(DomainError) as refused:
        _ask(world, requester)

    assert refused.value.message == (
        "You already asked for access to this facility; the request is waiting for a decision."
    )
    assert AccessRequest.objects.filter(user=requester).count() == 1
    assert EmailMessage.objects.filter(kind="access_request_received").count() == 1


def test_a_member_cannot_request_access_to_its_own_organization(world):
    with pytest.raises(DomainError) as refused:
        _ask(world, world.users["viewer"])

    assert refused.value.message == "You already have access to this facility's organization."
    assert not AccessRequest.objects.exists()


def test_a_bad_phone_or_missing_title_is_refused_naming_the_field(world):
    requester = _person("rosa@example.com")
    with pytest.raises(DomainError) as bad_phone:
        access_request_create(user=requester, facility=world.facility, phone="555-0100", title="EHS manager")
    with pytest.raises(DomainError) as no_title:
        access_request_create(user=requester, facility=world.facility, phone="916-555-0100", title="  ")

    assert bad_phone.value.field == "phone"
    assert no_title.value.field == "title"
    assert not AccessRequest.objects.exists()


# --- Decisions -----------------------------------------------------------------------------------------


def test_accepting_creates_the_membership_and_emails_the_requester(world):
    requester = _person("rosa@example.com")
    request = _ask(world, requester)

    decided = access_request_decide(
        request_id=request.pk, actor=world.users["lead"], accept=True, group="editor"
    )

    assert decided.status == AccessRequestStatus.ACCEPTED
    assert decided.decided_by == world.users["lead"]
    assert decided.decided_at is not None
    assert decided.granted_group == PermissionGroup.EDITOR
    assert (
        Membership.objects.get(organization=world.organization, user=requester).group
        == PermissionGroup.EDITOR
    )
    email = EmailMessage.objects.get(kind="access_request_accepted")
    assert email.to_address == "rosa@example.com"
    assert email.subject == "Access granted: Acme Plating"
    assert "You are now Editor in Acme Plating Inc." in email.body
    assert f"http://127.0.0.1:8000/business/facilities/{world.facility.cers_id}/" in email.body
    assert list(Notification.objects.filter(user=requester).values_list("kind", "message")) == [
        ("access_request_decided", "Your access to Acme Plating was accepted.")
    ]


def test_accepting_needs_a_real_permission_group(world):
    requester = _person("rosa@example.com")
    request = _ask(world, requester)

    with pytest.raises(DomainError) as refused:
        access_request_decide(request_id=request.pk, actor=world.users["lead"], accept=True, group="owner")

    assert refused.value.field == "group"
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert not Membership.objects.filter(user=requester).exists()


def test_rejecting_needs_a_reason(world):
    requester = _person("rosa@example.com")
    request = _ask(world, requester)

    with pytest.raises(DomainError) as refused:
        access_request_decide(request_id=request.pk, actor=world.users["lead"], accept=False, reason="   ")

    assert refused.value.field == "reason"
    assert refused.value.message == "Say why the request is rejected; the person will read it."
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    assert not EmailMessage.objects.filter(kind="access_request_rejected").exists()


def test_rejecting_emails_the_reason_and_grants_nothing(world):
    requester = _person("rosa@example.com")
    request = _ask(world, requester)

    decided = access_request_decide(
        request_id=request.pk, actor=world.users["lead"], accept=False, reason="You do not work for Acme."
    )

    assert decided.status == AccessRequestStatus.REJECTED
    assert decided.reason == "You do not work for Acme."
    assert decided.granted_group == ""
    assert not Membership.objects.filter(user=requester).exists()
    email = EmailMessage.objects.get(kind="access_request_rejected")
    assert email.to_address == "rosa@example.com"
    assert email.subject == "Access request not accepted: Acme Plating"
    assert "Reason given: You do not work for Acme." in email.body


@pytest.mark.parametrize("first_accept", [True, False])
def test_a_decided_request_cannot_be_decided_again(world, first_accept):
    requester = _person("rosa@example.com")
    request = _ask(world, requester)
    access_request_decide(
        request_id=request.pk,
        actor=world.users["lead"],
        accept=first_accept,
        group="viewer",
        reason="Not known here.",
    )
    emails_before = EmailMessage.objects.count()

    with pytest.raises(InvalidTransition) as refused:
        access_request_decide(
            request_id=request.pk,
            actor=world.users["lead"],
            accept=not first_accept,
            group="lead",
            reason="Changed my mind.",
        )

    assert refused.value.message == "This request was already decided."
    request.refresh_from_db()
    assert request.status == (AccessRequestStatus.ACCEPTED if first_accept else AccessRequestStatus.REJECTED)
    memberships = list(Membership.objects.filter(user=requester).values_list("group", flat=True))
    assert memberships == (["viewer"] if first_accept else [])
    assert EmailMessage.objects.count() == emails_before


def test_after_a_rejection_a_new_request_can_be_made(world):
    requester = _person("rosa@example.com")
    first = _ask(world, requester)
    access_request_decide(request_id=first.pk, actor=world.users["lead"], accept=False, reason="Who are you?")

    second = _ask(world, requester)

    assert second.pk != first.pk
    assert second.status == AccessRequestStatus.PENDING
