"""The regulator portal's data exchange pages: API clients, the transaction log, a facility's reporting channel;
and the business portal's submit page for a facility that reports through a local portal."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from opencers.accounts.models import ApiClient
from opencers.core.models import AuditEvent
from opencers.edt.channels import reporting_channel_set
from opencers.edt.models import EdtTransaction
from opencers.edt.tests.edt_write_support import agency_client, post_xml, sample
from opencers.notifications.models import Notification
from opencers.organizations.models import ReportingChannel
from opencers.submittals.models import FacilitySubmittal
from opencers.submittals.tests.factories import complete_facility_info

CREATE = "/EDT/Regulator/Facility/Create"


def clients_url(world):
    return reverse("regulator:api_clients", kwargs={"code": world.sac.code})


def test_an_admin_creates_a_client_and_sees_its_token_once(world):
    http = world.client_for("regulator")
    response = http.post(
        clients_url(world),
        {"name": "County inspection system", "scopes": ["query", "facility_create"], "expires_in_days": "90"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = re.search(r'data-testid="token">(oc_[^<]+)<', response.content.decode()).group(1)
    client = ApiClient.objects.get(name="County inspection system")
    assert (client.regulator, sorted(client.scopes), client.created_by) == (
        world.sac,
        ["facility_create", "query"],
        world.users["regulator"],
    )
    assert token.startswith(client.token_prefix)
    assert token not in http.get(clients_url(world)).content.decode()

    # The token works at the exchange until it is revoked.
    body = sample("CreateFacility-_1001_Sac_-_v106_ignoredupwarning-false.xml").replace(
        b'mode="Commit"', b'mode="Trial"'
    )
    assert post_xml(Client(), CREATE, body, token).status_code == 200
    revoke = reverse(
        "regulator:api_client_revoke", kwargs={"code": world.sac.code, "public_id": client.public_id}
    )
    assert http.post(revoke).status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert post_xml(Client(), CREATE, body, token).status_code == 401
    assert list(
        AuditEvent.objects.filter(object_id=str(client.pk), object_type="accounts.apiclient")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["api_client.created", "api_client.revoked"]


def test_a_client_needs_a_scope(world):
    response = world.client_for("regulator").post(
        clients_url(world), {"name": "Nothing", "expires_in_days": "90"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiClient.objects.filter(name="Nothing").exists()


def test_other_staff_and_agencies_cannot_manage_the_clients(world):
    client, _token = agency_client(world.sac, ["query"])
    revoke = reverse(
        "regulator:api_client_revoke", kwargs={"code": world.sac.code, "public_id": client.public_id}
    )
    for persona in ("regulator_viewer", "other_regulator", "lead"):
        http = world.client_for(persona)
        assert http.get(clients_url(world)).status_code == 404
        assert http.post(revoke).status_code == 404
        assert (
            http.post(
                clients_url(world), {"name": "X", "scopes": ["query"], "expires_in_days": "9"}
            ).status_code
            == 404
        )
    # Kern's admin cannot revoke Sacramento's client through Kern's own page either.
    kern_revoke = reverse(
        "regulator:api_client_revoke", kwargs={"code": world.kern.code, "public_id": client.public_id}
    )
    assert world.client_for("other_regulator").post(kern_revoke).status_code == 404
    client.refresh_from_db()
    assert client.revoked_at is None
    assert ApiClient.objects.filter(name="X").count() == 0


def test_the_log_shows_the_agencys_own_transactions_refused_ones_too(world):
    sac_client, sac_token = agency_client(world.sac, ["query"], name="Sac system")
    _kern_client, kern_token = agency_client(world.kern, ["facility_create"], name="Kern system")
    body = sample("CreateFacility-1455.xml")
    post_xml(Client(), CREATE, body, sac_token)  # refused: no facility_create scope
    post_xml(Client(), CREATE, body, kern_token)  # refused: outside Kern's jurisdiction
    url = reverse("regulator:exchange_log", kwargs={"code": world.sac.code})

    page = world.client_for("regulator_viewer").get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count('data-testid="transaction"') == 1
    assert "Sac system" in content and "Kern system" not in content
    assert "The token does not have the &#x27;facility_create&#x27; scope needed here." in content
    sac_key = str(EdtTransaction.objects.get(client=sac_client).key)
    assert sac_key in content

    filtered = world.client_for("regulator").get(url, {"status": "Accepted"})
    assert filtered.content.decode().count('data-testid="transaction"') == 0
    by_client = world.client_for("regulator").get(url, {"client": str(sac_client.public_id)})
    assert by_client.content.decode().count('data-testid="transaction"') == 1
    by_key = world.client_for("regulator").get(url, {"key": sac_key.upper()})
    assert by_key.content.decode().count('data-testid="transaction"') == 1

    assert world.client_for("other_regulator").get(url).status_code == 404
    assert world.client_for("lead").get(url).status_code == 404


def test_an_admin_switches_the_reporting_channel_and_it_is_audited(world):
    portal_client, _token = agency_client(world.sac, ["submittal_submit"], name="Sacramento local portal")
    url = reverse(
        "regulator:facility_channel", kwargs={"code": world.sac.code, "cers_id": world.facility.cers_id}
    )
    facility_page = reverse(
        "regulator:facility", kwargs={"code": world.sac.code, "cers_id": world.facility.cers_id}
    )
    assert url in world.client_for("regulator").get(facility_page).content.decode()
    assert url not in world.client_for("regulator_viewer").get(facility_page).content.decode()

    response = world.client_for("regulator").post(
        url,
        {
            "channel": ReportingChannel.LOCAL_PORTAL,
            "client": str(portal_client.public_id),
            "portal_name": "SacHMBP",
            "reason": "The business chose the county portal.",
        },
    )
    assert response.status_code == 302
    world.facility.refresh_from_db()
    assert (
        world.facility.reporting_channel,
        world.facility.reporting_client,
        world.facility.reporting_portal_name,
    ) == (ReportingChannel.LOCAL_PORTAL, portal_client, "SacHMBP")
    event = AuditEvent.objects.get(action="facility.reporting_channel_changed")
    assert event.actor == world.users["regulator"]
    assert event.data["from"]["channel"] == ReportingChannel.BUSINESS_PORTAL
    assert event.data["to"] == {
        "channel": "local_portal",
        "client": "Sacramento local portal",
        "portal": "SacHMBP",
    }
    assert event.data["reason"] == "The business chose the county portal."
    assert Notification.objects.get(user=world.users["lead"], kind="reporting_channel_changed").message == (
        "Acme Plating now reports through: Local portal: SacHMBP."
    )
    assert (
        "the local portal SacHMBP" in world.client_for("regulator_viewer").get(facility_page).content.decode()
    )

    # Back to the business portal.
    response = world.client_for("regulator").post(url, {"channel": ReportingChannel.BUSINESS_PORTAL})
    assert response.status_code == 302
    world.facility.refresh_from_db()
    assert (world.facility.reporting_channel, world.facility.reporting_client) == (
        ReportingChannel.BUSINESS_PORTAL,
        None,
    )


def test_a_local_portal_needs_a_client_or_a_name(world):
    url = reverse(
        "regulator:facility_channel", kwargs={"code": world.sac.code, "cers_id": world.facility.cers_id}
    )
    response = world.client_for("regulator").post(url, {"channel": ReportingChannel.LOCAL_PORTAL})
    assert response.status_code == 200
    assert (
        "Choose the local portal&#x27;s client, or give the portal&#x27;s name." in response.content.decode()
    )
    world.facility.refresh_from_db()
    assert world.facility.reporting_channel == ReportingChannel.BUSINESS_PORTAL


def test_only_the_facilitys_admins_switch_its_channel(world):
    url = reverse(
        "regulator:facility_channel", kwargs={"code": world.sac.code, "cers_id": world.facility.cers_id}
    )
    other = reverse(
        "regulator:facility_channel", kwargs={"code": world.kern.code, "cers_id": world.facility.cers_id}
    )
    data = {"channel": ReportingChannel.LOCAL_PORTAL, "portal_name": "Somewhere"}
    for persona in ("regulator_viewer", "other_regulator", "lead", "state_viewer"):
        assert world.client_for(persona).post(url, data).status_code == 404
    assert world.client_for("other_regulator").post(other, data).status_code == 404
    world.facility.refresh_from_db()
    assert world.facility.reporting_channel == ReportingChannel.BUSINESS_PORTAL
    assert not AuditEvent.objects.filter(action="facility.reporting_channel_changed").exists()


def test_the_submit_page_says_where_the_facility_reports_and_refuses_to_submit(world):
    reporting_channel_set(
        facility=world.facility,
        actor=world.users["regulator"],
        regulator=world.sac,
        channel=ReportingChannel.LOCAL_PORTAL,
        portal_name="SacHMBP",
    )
    complete_facility_info(world.facility, world.users["lead"])
    url = reverse("business:submit", kwargs={"cers_id": world.facility.cers_id})
    http = world.client_for("approver")
    page = http.get(url).content.decode()
    assert "This facility reports through a local portal" in page
    assert "Its submittals go through SacHMBP: submit there." in page
    response = http.post(
        url, {"elements": ["1"], "signer_name": "Al Approver", "signer_title": "Manager", "certify": "on"}
    )
    assert response.status_code == 200
    assert (
        "Acme Plating reports through a local portal, SacHMBP: submit there. If the business now reports here, "
        "ask Sacramento County CUPA to switch the facility back to this portal."
    ) in response.content.decode()
    assert FacilitySubmittal.objects.count() == 0


def test_the_home_page_links_to_the_log_and_for_admins_to_the_clients(world):
    url = reverse("regulator:home", kwargs={"code": world.sac.code})
    admin = world.client_for("regulator").get(url).content.decode()
    viewer = world.client_for("regulator_viewer").get(url).content.decode()
    log = reverse("regulator:exchange_log", kwargs={"code": world.sac.code})
    assert log in admin and log in viewer
    assert clients_url(world) in admin
    assert clients_url(world) not in viewer
