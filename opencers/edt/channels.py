"""One reporting channel per facility: the business portal, or one local portal that forwards submittals.

A business reports either here or in a local portal run by (or for) its regulator, never both. The
facility records which: ``reporting_channel`` with, for a local portal, the agency client that forwards its
submittals (``reporting_client``) and the portal's name as people know it. The business portal refuses a
facility that reports through a local portal (``submittals.services.facility_submit``, naming the portal);
the pass-through endpoint refuses a facility that reports here, or through another portal
(``pass_through_refusal``). Only the facility's regulator switches the channel (``reporting_channel_set``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from opencers.accounts.models import ApiClient, ApiClientKind
from opencers.core.audit import audit_log
from opencers.core.errors import DomainError, NotPermitted
from opencers.notifications.services import notification_create
from opencers.organizations.models import Facility, ReportingChannel
from opencers.organizations.selectors import lead_users
from opencers.regulators.models import Regulator
from opencers.regulators.selectors import regulators_for_user

PORTAL_NAME_MAX = 100


def facility_regulators(facility: Facility) -> Any:
    """The regulators of a facility: its CUPA and every agency owning one of its elements."""
    return Regulator.objects.filter(Q(pk=facility.cupa_id) | Q(facility_routes__facility=facility)).distinct()


def local_portal_clients(*, regulator: Regulator) -> Any:
    """The agency's clients that can forward submittals (active, with the ``submittal_submit`` scope)."""
    return [
        client
        for client in ApiClient.objects.filter(
            regulator=regulator, kind=ApiClientKind.AGENCY, revoked_at__isnull=True
        ).order_by("name")
        if "submittal_submit" in client.scopes
    ]


def channel_description(facility: Facility) -> str:
    if facility.reporting_channel == ReportingChannel.LOCAL_PORTAL:
        return _("Local portal: %(portal)s") % {"portal": facility.local_portal_label}
    return str(ReportingChannel.BUSINESS_PORTAL.label)


def pass_through_refusal(*, facility: Facility, client: ApiClient) -> str | None:
    """Why ``client`` may not forward a submittal of ``facility`` (None when it may)."""
    if facility.reporting_channel != ReportingChannel.LOCAL_PORTAL:
        return _(
            "Facility %(cers_id)s reports in the business portal, not through a local portal: its business "
            "submits there. Ask the regulator to switch the facility to your portal first if the business "
            "now reports through it."
        ) % {"cers_id": facility.cers_id}
    if facility.reporting_client_id is not None and facility.reporting_client_id != client.pk:
        return _(
            "Facility %(cers_id)s reports through another local portal (%(portal)s). Ask the regulator to "
            "switch the facility to your portal first if the business now reports through it."
        ) % {"cers_id": facility.cers_id, "portal": facility.local_portal_label}
    return None


def _apply(facility: Facility, *, channel: str, client: ApiClient | None, portal_name: str) -> dict[str, Any]:
    before = {
        "channel": facility.reporting_channel,
        "client": facility.reporting_client.name if facility.reporting_client_id else None,  # type: ignore[union-attr]
        "portal": facility.local_portal_label,
    }
    facility.reporting_channel = channel
    facility.reporting_client = client if channel == ReportingChannel.LOCAL_PORTAL else None
    facility.reporting_portal_name = portal_name if channel == ReportingChannel.LOCAL_PORTAL else ""
    facility.save(
        update_fields=["reporting_channel", "reporting_client", "reporting_portal_name", "updated_at"]
    )
    return before


@transaction.atomic
def reporting_channel_set(
    *,
    facility: Facility,
    actor: Any,
    regulator: Regulator,
    channel: str,
    client: ApiClient | None = None,
    portal_name: str = "",
    reason: str = "",
) -> Facility:
    """Switch the facility's reporting channel (the facility's regulator, an Admin of it, does this).

    A local portal is named by the agency client that forwards its submittals, by a name, or both (the
    client's name is used when no name is given). Audited; the organization's Lead Users are told.
    """
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if not regulators_for_user(user=actor, permission="regulator:admin").filter(pk=regulator.pk).exists():
        raise NotPermitted(_("Only an Admin of the facility's regulator can switch its reporting channel."))
    if not facility_regulators(facility).filter(pk=regulator.pk).exists():
        raise NotPermitted(_("Only the facility's own regulator can switch its reporting channel."))
    if channel not in ReportingChannel.values:
        raise DomainError(_("Choose the business portal or a local portal."), field="channel")
    portal_name = " ".join(portal_name.split())
    if len(portal_name) > PORTAL_NAME_MAX:
        raise DomainError(
            _("Keep the portal's name to %(max)d characters.") % {"max": PORTAL_NAME_MAX}, field="portal_name"
        )
    if channel == ReportingChannel.LOCAL_PORTAL:
        if client is not None and client not in local_portal_clients(regulator=regulator):
            raise DomainError(
                _("Choose one of your agency's active clients that may forward submittals."), field="client"
            )
        if client is None and len(portal_name) < 3:
            raise DomainError(
                _("Choose the local portal's client, or give the portal's name."), field="portal_name"
            )
    before = _apply(facility, channel=channel, client=client, portal_name=portal_name)
    audit_log(
        facility,
        "facility.reporting_channel_changed",
        actor=actor,
        data={
            "from": before,
            "to": {
                "channel": facility.reporting_channel,
                "client": client.name if client is not None else None,
                "portal": facility.local_portal_label,
            },
            "regulator": regulator.code,
            "reason": reason.strip()[:500],
        },
        regulator_id=regulator.pk,
    )
    message = _("%(facility)s now reports through: %(channel)s.") % {
        "facility": facility.name,
        "channel": channel_description(facility),
    }
    for person in lead_users(organization=facility.organization):
        notification_create(
            user=person,
            kind="reporting_channel_changed",
            message=message,
            link=reverse("business:facility", kwargs={"cers_id": facility.cers_id}),
        )
    return facility


def reporting_channel_start_local(*, facility: Facility, client: ApiClient) -> None:
    """A facility created by a local portal's client reports through that portal from the start.

    Called by the facility-create service inside its transaction, right after creating the facility.
    """
    _apply(facility, channel=ReportingChannel.LOCAL_PORTAL, client=client, portal_name="")
    audit_log(
        facility,
        "facility.reporting_channel_changed",
        actor=client.identity,
        data={
            "from": None,
            "to": {"channel": ReportingChannel.LOCAL_PORTAL, "client": client.name, "portal": client.name},
            "regulator": client.regulator.code if client.regulator_id else None,  # type: ignore[union-attr]
            "reason": "created by the local portal",
        },
        regulator_id=client.regulator_id,
    )
