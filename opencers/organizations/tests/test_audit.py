"""The audit log: state changes write AuditEvent rows (actor, action, object, scope), and the table is
append-only, even for raw SQL (trigger of opencers/core/migrations/0002_database_rules.py)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from opencers.core.audit import audit_log
from opencers.core.models import AuditEvent
from opencers.organizations.addresses import address_wash
from opencers.organizations.models import Membership
from opencers.organizations.services import (
    access_request_create,
    access_request_decide,
    facility_create,
    invitation_create,
    membership_change_group,
    membership_remove,
    organization_update,
)


def _events(**filters) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("id")
        .values_list(
            "actor__email",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "organization_id",
            "facility_id",
            "regulator_id",
        )
    )


def _last_world_event(world) -> int:
    return AuditEvent.objects.filter(action="facility.created", facility_id=world.other_facility.pk).get().pk


def test_creating_a_facility_with_a_new_organization_is_audited(world):
    # The world fixture created Acme's facility (with a new organization) as the Lead User.
    org, facility = world.organization, world.facility

    assert _events(organization_id=org.pk) == [
        (
            "lead@example.com",
            "lead@example.com",
            "organization.created",
            "organizations.organization",
            str(org.pk),
            org.pk,
            None,
            None,
        ),
        (
            "lead@example.com",
            "lead@example.com",
            "membership.created",
            "organizations.organization",
            str(org.pk),
            org.pk,
            None,
            None,
        ),
        (
            "lead@example.com",
            "lead@example.com",
            "facility.created",
            "organizations.facility",
            str(facility.pk),
            org.pk,
            facility.pk,
            None,
        ),
    ]
    created = AuditEvent.objects.get(action="facility.created", facility_id=facility.pk)
    assert created.data == {
        "cers_id": facility.cers_id,
        "name": "Acme Plating",
        "address": "1001 I ST, SACRAMENTO, CA 95814",
    }
    assert created.object_label == f"Acme Plating ({facility.cers_id})"
    assert created.occurred_at is not None


def test_access_request_and_its_decision_are_audited(world):
    requester = world.users["other_business"]
    request = access_request_create(
        user=requester, facility=world.facility, phone="916-555-0100", title="Owner"
    )
    access_request_decide(request_id=request.pk, actor=world.users["lead"], accept=True, group="viewer")

    org, facility = world.organization, world.facility
    assert _events(action__startswith="access_request.") == [
        (
            "other_business@example.com",
            "other_business@example.com",
            "access_request.created",
            "organizations.accessrequest",
            str(request.pk),
            org.pk,
            facility.pk,
            None,
        ),
        (
            "lead@example.com",
            "lead@example.com",
            "access_request.accepted",
            "organizations.accessrequest",
            str(request.pk),
            org.pk,
            facility.pk,
            None,
        ),
    ]
    granted = AuditEvent.objects.filter(action="membership.created", data__via="access_request").get()
    assert granted.data == {"user": "other_business@example.com", "group": "viewer", "via": "access_request"}
    assert granted.actor == world.users["lead"]


def test_people_changes_are_audited_with_before_and_after(world):
    lead = world.users["lead"]
    viewer = Membership.objects.get(organization=world.organization, user=world.users["viewer"])
    editor = Membership.objects.get(organization=world.organization, user=world.users["editor"])

    membership_change_group(membership_id=viewer.pk, actor=lead, group="approver")
    membership_remove(membership_id=editor.pk, actor=lead)
    invitation = invitation_create(
        organization=world.organization, actor=lead, email="nina@example.com", group="viewer"
    )
    organization_update(
        organization=world.organization, actor=lead, name="Acme Plating Company", headquarters="Sacramento"
    )

    org = world.organization.pk
    assert [
        (e.action, e.object_type, e.object_id, e.organization_id, e.actor, e.data)
        for e in AuditEvent.objects.filter(organization_id=org, id__gt=_last_world_event(world)).order_by(
            "id"
        )
    ] == [
        (
            "membership.group_changed",
            "organizations.membership",
            str(viewer.pk),
            org,
            lead,
            {"user": "viewer@example.com", "from": "viewer", "to": "approver"},
        ),
        (
            "membership.removed",
            "organizations.organization",
            str(org),
            org,
            lead,
            {"user": "editor@example.com", "group": "editor"},
        ),
        (
            "invitation.created",
            "organizations.invitation",
            str(invitation.pk),
            org,
            lead,
            {"email": "nina@example.com", "group": "viewer"},
        ),
        (
            "organization.updated",
            "organizations.organization",
            str(org),
            org,
            lead,
            {"before": {"name": "Acme Plating Inc.", "headquarters": ""}},
        ),
    ]


def test_a_change_without_a_signed_in_actor_is_recorded_as_system(world):
    facility = facility_create(
        actor=world.users["lead"],
        name="Annex",
        address=address_wash(street="915 L Street", city="", zip_code="95814"),
        organization=world.organization,
    )
    event = audit_log(facility, "facility.checked")

    assert (event.actor, event.actor_label, event.facility_id, event.organization_id) == (
        None,
        "system",
        facility.pk,
        world.organization.pk,
    )


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        ("UPDATE core_auditevent SET action = 'facility.forged' WHERE id = %s", "UPDATE"),
        ("DELETE FROM core_auditevent WHERE id = %s", "DELETE"),
    ],
)
def test_raw_sql_cannot_change_or_delete_an_audit_event(world, statement, operation):
    event = AuditEvent.objects.filter(action="facility.created").first()

    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])

    assert f"The audit log is append-only: {operation} of audit events is not allowed" in str(refused.value)
    assert getattr(refused.value.__cause__, "sqlstate", None) == "42501"  # insufficient_privilege
    event.refresh_from_db()
    assert event.action == "facility.created"


def test_the_orm_cannot_change_or_delete_audit_events_either(world):
    count = AuditEvent.objects.count()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(action="facility.forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(action="facility.created").delete()

    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(action="facility.forged").exists()
