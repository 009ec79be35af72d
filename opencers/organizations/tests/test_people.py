"""An organization's people: invitations, changing a permission group, removing, the last Lead User."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from conftest import PASSWORD
from opencers.accounts.models import User
from opencers.core.errors import DomainError, NotPermitted
from opencers.notifications.models import EmailMessage
from opencers.organizations.models import Invitation, Membership, PermissionGroup
from opencers.organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_group,
    membership_remove,
    organization_create,
)

LINK = re.compile(r"http://127\.0\.0\.1:8000/invitations/([A-Za-z0-9_-]+)/")


def _person(email: str) -> User:
    return User.objects.create_user(email, PASSWORD, full_name="Nina Newcomer", is_active=True)


def _invite(world, email: str = "nina@example.com", group: str = "editor") -> tuple[Invitation, str]:
    """Invite, and read the token from the link in the e-mail, as the invited person would."""
    invitation = invitation_create(
        organization=world.organization, actor=world.users["lead"], email=email, group=group
    )
    email_message = EmailMessage.objects.get(kind="invitation", to_address=invitation.email)
    match = LINK.search(email_message.body)
    assert match is not None, email_message.body
    return invitation, match.group(1)


def _membership(world, persona: str) -> Membership:
    return Membership.objects.get(organization=world.organization, user=world.users[persona])


def _groups(world) -> dict[str, str]:
    return dict(
        Membership.objects.filter(organization=world.organization).values_list("user__email", "group")
    )


# --- Invitations ---------------------------------------------------------------------------------------


def test_invitation_email_carries_a_link_that_adds_the_invited_person(world):
    # Given the Lead User invites Nina as Editor,
    invitation, token = _invite(world, email="  Nina@Example.com ")

    # then Nina gets an e-mail with a link, and the token itself is not stored.
    assert invitation.email == "nina@example.com"
    email = EmailMessage.objects.get(kind="invitation")
    assert email.to_address == "nina@example.com"
    assert email.subject == "You are invited to Acme Plating Inc. on OpenCERS"
    assert "Lead invites you to join Acme Plating Inc. on OpenCERS as Editor." in email.body
    assert "The invitation works for 14 days." in email.body
    assert token not in invitation.digest

    # when Nina, signed in with that address, opens the link,
    nina = _person("nina@example.com")
    membership = invitation_accept(token=token, user=nina)

    # then she is an Editor of Acme and the invitation is used.
    assert membership.group == PermissionGroup.EDITOR
    assert _groups(world)["nina@example.com"] == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == nina
    assert invitation.accepted_at is not None


def test_invitation_is_accepted_only_by_the_invited_address(world):
    invitation, token = _invite(world)
    someone_else = _person("someone.else@example.com")

    with pytest.raises(NotPermitted) as refused:
        invitation_accept(token=token, user=someone_else)

    assert refused.value.message == (
        "This invitation was sent to nina@example.com. Sign in with that address to accept it."
    )
    assert "someone.else@example.com" not in _groups(world)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_is_refused(world):
    invitation, token = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(DomainError) as refused:
        invitation_accept(token=token, user=_person("nina@example.com"))

    assert (
        refused.value.message
        == "This invitation has expired. Ask the person who invited you to send a new one."
    )
    assert "nina@example.com" not in _groups(world)


def test_a_revoked_invitation_is_refused(world):
    invitation, token = _invite(world)
    invitation_revoke(invitation_id=invitation.pk, actor=world.users["lead"])

    with pytest.raises(DomainError) as refused:
        invitation_accept(token=token, user=_person("nina@example.com"))

    assert (
        refused.value.message
        == "This invitation is not valid. Ask the person who invited you to send a new one."
    )
    assert "nina@example.com" not in _groups(world)


def test_an_invitation_works_once(world):
    _invitation, token = _invite(world)
    nina = _person("nina@example.com")
    invitation_accept(token=token, user=nina)

    with pytest.raises(DomainError) as refused:
        invitation_accept(token=token, user=nina)

    assert refused.value.message == "This invitation has already been used."


def test_an_unknown_token_is_refused(world):
    _invite(world)

    with pytest.raises(DomainError) as refused:
        invitation_accept(token="not-a-token", user=_person("nina@example.com"))

    assert (
        refused.value.message
        == "This invitation is not valid. Ask the person who invited you to send a new one."
    )


def test_inviting_a_member_or_a_bad_address_is_refused(world):
    with pytest.raises(DomainError) as member:
        invitation_create(
            organization=world.organization,
            actor=world.users["lead"],
            email="Viewer@example.com",
            group="editor",
        )
    with pytest.raises(DomainError) as bad_address:
        invitation_create(
            organization=world.organization, actor=world.users["lead"], email="not an address", group="editor"
        )
    with pytest.raises(DomainError) as bad_group:
        invitation_create(
            organization=world.organization,
            actor=world.users["lead"],
            email="nina@example.com",
            group="owner",
        )

    assert member.value.field == "email"
    # (The organization's own name ends with a period here, so the sentence ends "Inc..".)
    assert member.value.message.startswith("viewer@example.com is already a member of Acme Plating Inc.")
    assert bad_address.value.field == "email"
    assert bad_group.value.field == "group"
    assert not Invitation.objects.exists()
    assert not EmailMessage.objects.filter(kind="invitation").exists()


# --- Changing a group, removing ------------------------------------------------------------------------


def test_lead_user_changes_a_members_group(world):
    membership_change_group(
        membership_id=_membership(world, "viewer").pk, actor=world.users["lead"], group="approver"
    )

    assert _groups(world)["viewer@example.com"] == "approver"


def test_an_unknown_group_is_refused(world):
    with pytest.raises(DomainError) as refused:
        membership_change_group(
            membership_id=_membership(world, "viewer").pk, actor=world.users["lead"], group="owner"
        )

    assert refused.value.field == "group"
    assert _groups(world)["viewer@example.com"] == "viewer"


def test_lead_user_removes_a_member(world):
    membership_remove(membership_id=_membership(world, "editor").pk, actor=world.users["lead"])

    assert _groups(world) == {
        "lead@example.com": "lead",
        "approver@example.com": "approver",
        "viewer@example.com": "viewer",
    }


# --- The last Lead User ----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", ["approver", "editor", "viewer"])
def test_the_last_lead_user_cannot_demote_themself(world, group):
    with pytest.raises(NotPermitted) as refused:
        membership_change_group(
            membership_id=_membership(world, "lead").pk, actor=world.users["lead"], group=group
        )

    assert refused.value.message == "Lead is the only Lead User. Make someone else Lead User first."
    assert _groups(world)["lead@example.com"] == "lead"


def test_the_last_lead_user_cannot_remove_themself(world):
    with pytest.raises(NotPermitted) as refused:
        membership_remove(membership_id=_membership(world, "lead").pk, actor=world.users["lead"])

    assert refused.value.message == (
        "Lead is the only Lead User and cannot be removed. Make someone else Lead User first."
    )
    assert _groups(world)["lead@example.com"] == "lead"


@pytest.mark.parametrize("actor", ["approver", "state_admin", "regulator"])
def test_nobody_can_demote_or_remove_the_last_lead_user(world, actor):
    with pytest.raises(NotPermitted):
        membership_change_group(
            membership_id=_membership(world, "lead").pk, actor=world.users[actor], group="viewer"
        )
    with pytest.raises(NotPermitted):
        membership_remove(membership_id=_membership(world, "lead").pk, actor=world.users[actor])

    assert _groups(world)["lead@example.com"] == "lead"


def test_with_two_lead_users_one_may_step_down_then_the_other_is_the_last(world):
    # Given the Approver is made a second Lead User,
    membership_change_group(
        membership_id=_membership(world, "approver").pk, actor=world.users["lead"], group="lead"
    )

    # when the first Lead User steps down to Viewer, it is allowed,
    membership_change_group(
        membership_id=_membership(world, "lead").pk, actor=world.users["lead"], group="viewer"
    )
    assert _groups(world)["lead@example.com"] == "viewer"

    # and the remaining Lead User is now the last one: they can neither leave nor step down.
    with pytest.raises(NotPermitted):
        membership_remove(membership_id=_membership(world, "approver").pk, actor=world.users["approver"])
    with pytest.raises(NotPermitted):
        membership_change_group(
            membership_id=_membership(world, "approver").pk, actor=world.users["approver"], group="editor"
        )
    assert _groups(world)["approver@example.com"] == "lead"


def test_a_lead_user_may_remove_another_lead_user(world):
    membership_change_group(
        membership_id=_membership(world, "approver").pk, actor=world.users["lead"], group="lead"
    )

    membership_remove(membership_id=_membership(world, "approver").pk, actor=world.users["lead"])

    assert "approver@example.com" not in _groups(world)
    assert _groups(world)["lead@example.com"] == "lead"


# --- Two Lead Users at the same moment -------------------------------------------------------------------

RACES = 10


def _race(first, second) -> list[str]:
    """Run two service calls at the same moment, each in its own thread, transaction and connection."""
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def run(index: int, call) -> None:
        try:
            start.wait(timeout=30)
            call()
            outcomes[index] = "done"
        except NotPermitted:
            outcomes[index] = "refused"
        except Exception as exc:  # a deadlock or any other database error: the test reports it
            outcomes[index] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes.values())


@pytest.mark.django_db(transaction=True)
def test_two_lead_users_stepping_down_at_once_leave_one_and_the_other_is_told_why():
    # Repeated, because which of the two wins the race changes from run to run.
    for attempt in range(RACES):
        organization = organization_create(name=f"Race {attempt}")
        first, second = (_person(f"lead{n}.{attempt}@example.com") for n in (1, 2))
        first_membership = Membership.objects.create(
            organization=organization, user=first, group=PermissionGroup.LEAD
        )
        second_membership = Membership.objects.create(
            organization=organization, user=second, group=PermissionGroup.LEAD
        )

        # When one Lead User steps down to Viewer while the other leaves the organization,
        outcomes = _race(
            partial(membership_change_group, membership_id=first_membership.pk, actor=first, group="viewer"),
            partial(membership_remove, membership_id=second_membership.pk, actor=second),
        )

        # then one of them succeeds, the other gets a clear refusal (not a database error), and one Lead
        # User remains.
        assert outcomes == ["done", "refused"], f"attempt {attempt}"
        assert Membership.objects.filter(organization=organization, group=PermissionGroup.LEAD).count() == 1


def test_a_deactivated_lead_user_does_not_count_as_the_other_lead(world):
    from opencers.core.errors import NotPermitted
    from opencers.organizations.models import Membership, PermissionGroup
    from opencers.organizations.services import membership_change_group

    approver = Membership.objects.get(organization=world.organization, user=world.users["approver"])
    approver.group = PermissionGroup.LEAD
    approver.save()
    world.users["approver"].is_active = False
    world.users["approver"].save()
    lead = Membership.objects.get(organization=world.organization, user=world.users["lead"])
    with pytest.raises(NotPermitted):
        membership_change_group(
            membership_id=lead.pk, actor=world.users["lead"], group=PermissionGroup.VIEWER
        )
    lead.refresh_from_db()
    assert lead.group == PermissionGroup.LEAD
