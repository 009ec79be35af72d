"""A regulator's staff: adding people by e-mail, changing roles, and never losing the last Admin."""

from __future__ import annotations

import threading
from functools import partial

import pytest
from django.db import connection

from conftest import PASSWORD
from opencers.accounts.models import User
from opencers.core.errors import DomainError, NotPermitted
from opencers.core.models import AuditEvent
from opencers.notifications.models import EmailMessage
from opencers.regulators.models import Regulator, RegulatorKind, RegulatorMembership, RegulatorRole
from opencers.regulators.services import staff_add, staff_change_role, staff_remove


def _person(email: str, *, active: bool = True) -> User:
    return User.objects.create_user(email, PASSWORD, full_name="Ivan Inspector", is_active=active)


def _staff(regulator) -> dict[str, str]:
    return dict(RegulatorMembership.objects.filter(regulator=regulator).values_list("user__email", "role"))


def _membership(world, persona: str) -> RegulatorMembership:
    return RegulatorMembership.objects.get(regulator=world.sac, user=world.users[persona])


def test_admin_adds_an_active_account_by_email(world):
    # Given an active account, when the CUPA's Admin adds it (e-mail typed in another case) as Inspector,
    ivan = _person("ivan@example.com")
    membership = staff_add(
        regulator=world.sac, actor=world.users["regulator"], email=" Ivan@Example.com ", role="inspector"
    )

    # then Ivan is on the staff, is told by e-mail, and the change is audited.
    assert membership.user == ivan
    assert _staff(world.sac) == {
        "regulator@example.com": "admin",
        "regulator_viewer@example.com": "viewer",
        "ivan@example.com": "inspector",
    }
    email = EmailMessage.objects.get(kind="regulator_staff_added")
    assert email.to_address == "ivan@example.com"
    assert email.subject == "You are now Inspector at Sacramento County CUPA"
    assert "(regulator code 3400)" in email.body
    event = AuditEvent.objects.get(action="regulator.staff_added")
    assert (event.actor, event.regulator_id, event.data) == (
        world.users["regulator"],
        world.sac.pk,
        {"user": "ivan@example.com", "role": "inspector"},
    )


@pytest.mark.parametrize(
    ("email", "active"),
    [("sleepy@example.com", False), ("nobody@example.com", None)],
    ids=["inactive account", "no account"],
)
def test_only_an_active_account_can_be_added(world, email, active):
    if active is not None:
        _person(email, active=active)

    with pytest.raises(DomainError) as refused:
        staff_add(regulator=world.sac, actor=world.users["regulator"], email=email, role="inspector")

    assert refused.value.field == "email"
    assert refused.value.message == (
        f"No active account uses {email}. Ask the person to create an account first, then add them."
    )
    assert email not in _staff(world.sac)
    assert not EmailMessage.objects.filter(kind="regulator_staff_added").exists()


def test_someone_already_on_the_staff_is_not_added_twice(world):
    with pytest.raises(DomainError) as refused:
        staff_add(
            regulator=world.sac,
            actor=world.users["regulator"],
            email="regulator_viewer@example.com",
            role="admin",
        )

    assert refused.value.field == "email"
    assert refused.value.message == "Regulator Viewer is already on the staff."
    assert _staff(world.sac)["regulator_viewer@example.com"] == "viewer"


def test_an_unknown_role_is_refused(world):
    _person("ivan@example.com")

    with pytest.raises(DomainError) as refused:
        staff_add(regulator=world.sac, actor=world.users["regulator"], email="ivan@example.com", role="boss")

    assert refused.value.field == "role"
    assert "ivan@example.com" not in _staff(world.sac)


def test_the_same_person_may_work_for_two_regulators(world):
    staff_add(
        regulator=world.kern,
        actor=world.users["other_regulator"],
        email="regulator_viewer@example.com",
        role="approver",
    )

    assert _staff(world.kern)["regulator_viewer@example.com"] == "approver"
    assert _staff(world.sac)["regulator_viewer@example.com"] == "viewer"


def test_admin_changes_a_role(world):
    staff_change_role(
        membership_id=_membership(world, "regulator_viewer").pk,
        actor=world.users["regulator"],
        role="approver",
    )

    assert _staff(world.sac)["regulator_viewer@example.com"] == "approver"
    event = AuditEvent.objects.get(action="regulator.staff_role_changed")
    assert event.data == {"user": "regulator_viewer@example.com", "from": "viewer", "to": "approver"}
    assert event.regulator_id == world.sac.pk


def test_changing_to_an_unknown_role_is_refused(world):
    with pytest.raises(DomainError) as refused:
        staff_change_role(
            membership_id=_membership(world, "regulator_viewer").pk,
            actor=world.users["regulator"],
            role="boss",
        )

    assert refused.value.field == "role"
    assert _staff(world.sac)["regulator_viewer@example.com"] == "viewer"


@pytest.mark.parametrize("role", [r for r in RegulatorRole.values if r != RegulatorRole.ADMIN])
def test_the_last_admin_cannot_be_demoted(world, role):
    with pytest.raises(NotPermitted) as refused:
        staff_change_role(
            membership_id=_membership(world, "regulator").pk, actor=world.users["regulator"], role=role
        )

    assert refused.value.message == "Regulator is the only Admin. Make someone else Admin first."
    assert _staff(world.sac)["regulator@example.com"] == "admin"


@pytest.mark.parametrize("actor", ["regulator", "state_admin"])
def test_the_last_admin_cannot_be_removed(world, actor):
    with pytest.raises(NotPermitted) as refused:
        staff_remove(membership_id=_membership(world, "regulator").pk, actor=world.users[actor])

    assert refused.value.message == "Regulator is the only Admin and cannot be removed."
    assert _staff(world.sac)["regulator@example.com"] == "admin"


def test_with_a_second_admin_the_first_may_step_down_and_be_removed(world):
    staff_change_role(
        membership_id=_membership(world, "regulator_viewer").pk, actor=world.users["regulator"], role="admin"
    )

    staff_change_role(
        membership_id=_membership(world, "regulator").pk, actor=world.users["regulator"], role="inspector"
    )
    staff_remove(membership_id=_membership(world, "regulator").pk, actor=world.users["regulator_viewer"])

    assert _staff(world.sac) == {"regulator_viewer@example.com": "admin"}
    removed = AuditEvent.objects.get(action="regulator.staff_removed")
    assert removed.data == {"user": "regulator@example.com", "role": "inspector"}
    assert removed.regulator_id == world.sac.pk


def test_another_regulators_admins_do_not_count(world):
    # Kern's Admin does not make Sacramento's only Admin removable.
    with pytest.raises(NotPermitted):
        staff_remove(membership_id=_membership(world, "regulator").pk, actor=world.users["other_regulator"])

    assert _staff(world.kern) == {"other_regulator@example.com": "admin"}
    assert _staff(world.sac)["regulator@example.com"] == "admin"


@pytest.mark.django_db(transaction=True)
def test_two_admins_stepping_down_at_once_leave_one_and_the_other_is_told_why():
    # Repeated, because which of the two wins the race changes from run to run.
    for attempt in range(10):
        regulator = Regulator.objects.create(
            code=9000 + attempt, name=f"Race CUPA {attempt}", kind=RegulatorKind.CUPA
        )
        first, second = (_person(f"admin{n}.{attempt}@example.com") for n in (1, 2))
        first_membership = RegulatorMembership.objects.create(
            regulator=regulator, user=first, role=RegulatorRole.ADMIN
        )
        second_membership = RegulatorMembership.objects.create(
            regulator=regulator, user=second, role=RegulatorRole.ADMIN
        )
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def run(call, start=start, outcomes=outcomes) -> None:
            try:
                start.wait(timeout=30)
                call()
                outcomes.append("done")
            except NotPermitted:
                outcomes.append("refused")
            except Exception as exc:  # a deadlock or any other database error: the test reports it
                outcomes.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

        # When one Admin steps down to Inspector while the other leaves the staff,
        calls = (
            partial(staff_change_role, membership_id=first_membership.pk, actor=first, role="inspector"),
            partial(staff_remove, membership_id=second_membership.pk, actor=second),
        )
        threads = [threading.Thread(target=run, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        # then one succeeds, the other gets a clear refusal (not a database error), and one Admin remains.
        assert sorted(outcomes) == ["done", "refused"], f"attempt {attempt}"
        assert RegulatorMembership.objects.filter(regulator=regulator, role=RegulatorRole.ADMIN).count() == 1
