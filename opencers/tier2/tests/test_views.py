"""The business portal's Tier II pages: export (preview, XML and .t2s downloads) for a facility and an
organization, and the import of a Tier II file into the draft inventory."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opencers.core.models import AuditEvent
from opencers.elements.inventory.models import InventoryItem
from opencers.tier2.structure import check_structure
from opencers.tier2.tests.helpers import inventory_draft, parse, row, sample_bytes, submit_inventory

YEAR = timezone.now().year


def _export_url(world):
    return reverse("business:tier2_export", kwargs={"cers_id": world.facility.cers_id})


def _import_url(world):
    return reverse("business:tier2_import", kwargs={"cers_id": world.facility.cers_id})


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _params(**values):
    return {"year": str(YEAR), "source": "draft", "manned": "yes", **values}


def test_the_export_page_shows_the_form_and_offers_import_to_editors_only(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    page = world.client_for("editor").get(_export_url(world))
    assert page.status_code == 200
    assert 'data-testid="export-form"' in page.content.decode()
    assert 'data-testid="tier2-chemicals"' not in page.content.decode()
    assert 'data-testid="tier2-import-link"' in page.content.decode()
    viewer = world.client_for("viewer").get(_export_url(world))
    assert viewer.status_code == 200
    assert 'data-testid="tier2-import-link"' not in viewer.content.decode()


def test_the_preview_lists_what_the_file_will_hold(world):
    draft = inventory_draft(world.facility, world.users["lead"])
    row(draft, 1, maximum_daily_amount=Decimal("12000"), average_daily_amount=Decimal("6000"))
    row(
        draft,
        2,
        common_name="Acetone",
        chemical_name="Acetone",
        cas_number="67-64-1",
        maximum_daily_amount=Decimal("50"),
    )
    page = world.client_for("viewer").get(_export_url(world), _params())
    text = _text(page)
    assert page.status_code == 200
    assert "Sodium hydroxide</th>" in text
    assert '12000 <span class="usa-tag">range 06</span>' in text
    assert 'data-testid="tier2-left-out"><li>Acetone: Acetone: 50 lb on site' in text


def test_download_xml_and_t2s(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    client = world.client_for("viewer")
    response = client.get(_export_url(world), _params(download="xml"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    name = f"tier2-{world.facility.cers_id}-{YEAR}"
    assert (
        response["Content-Disposition"] == f"attachment; filename=\"{name}.xml\"; filename*=UTF-8''{name}.xml"
    )
    assert check_structure(response.content) == []
    dataset = parse(response.content)
    assert [c.name for c in dataset.facilities[0].chemicals] == ["Sodium hydroxide"]
    package = client.get(_export_url(world), _params(download="t2s"))
    assert package["Content-Type"] == "application/zip"
    assert (
        package["Content-Disposition"] == f"attachment; filename=\"{name}.t2s\"; filename*=UTF-8''{name}.t2s"
    )
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert archive.namelist() == ["epcra_tier2_data.xml"]
        assert archive.read("epcra_tier2_data.xml") == response.content


def test_a_download_is_refused_while_the_export_has_problems(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1, units="a", physical_state="b", hm_type="b")
    response = world.client_for("viewer").get(_export_url(world), _params(download="xml"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'data-testid="export-problems"' in response.content.decode()


def test_the_export_needs_the_manned_answer_and_an_existing_version(world):
    lead = world.users["lead"]
    row(inventory_draft(world.facility, lead), 1)
    submit_inventory(world.facility, lead)
    client = world.client_for("viewer")
    missing = client.get(_export_url(world), _params(manned="", download="xml"))
    assert missing["Content-Type"].startswith("text/html")
    assert "This field is required." in missing.content.decode()
    old = client.get(_export_url(world), _params(year=str(YEAR - 1), source="latest", download="xml"))
    assert old["Content-Type"].startswith("text/html")
    assert f"No version of the inventory of Acme Plating was submitted in {YEAR - 1}." in _text(old)
    latest = client.get(_export_url(world), _params(source="latest", download="xml"))
    assert latest["Content-Type"] == "application/xml"


def test_regulators_and_other_businesses_get_no_export(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    for persona in ("regulator", "state_viewer", "other_business"):
        assert world.client_for(persona).get(_export_url(world), _params(download="xml")).status_code == 404


def test_the_organization_export(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    url = reverse("business:organization_tier2", kwargs={"code": world.organization.code})
    response = world.client_for("viewer").get(url, _params(download="xml"))
    name = f"tier2-organization-{world.organization.code}-{YEAR}.xml"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert [f.name for f in parse(response.content).facilities] == ["Acme Plating"]
    organization_page = world.client_for("viewer").get(
        reverse("business:organization", kwargs={"code": world.organization.code})
    )
    assert 'data-testid="organization-tier2"' in organization_page.content.decode()
    assert world.client_for("state_viewer").get(url).status_code == 404


def test_the_inventory_pages_link_to_the_tier2_file(world):
    client = world.client_for("viewer")
    no_draft = client.get(reverse("business:inventory", kwargs={"cers_id": world.facility.cers_id}))
    assert _export_url(world) in no_draft.content.decode()
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    view = client.get(reverse("business:inventory_tier2", kwargs={"cers_id": world.facility.cers_id}))
    assert f'href="{_export_url(world)}" data-testid="tier2-file"' in view.content.decode()


# --- Import ------------------------------------------------------------------------------------------------


def _upload(data=None, name="epcra_tier2_data.xml", **values):
    return {
        "file": SimpleUploadedFile(name, sample_bytes() if data is None else data),
        "mode": "replace",
        **values,
    }


def test_import_a_file_and_see_what_to_check(world):
    client = world.client_for("editor")
    response = client.post(_import_url(world), _upload())
    assert response.status_code == 302
    assert response["Location"] == _import_url(world) + "?done=1"
    assert list(InventoryItem.objects.values_list("common_name", flat=True).order_by("position")) == [
        "Chlorine",
        "Fluorosilic Acid",
    ]
    page = client.get(response["Location"])
    text = _text(page)
    assert 'data-testid="import-result"' in text
    assert "2 chemicals became 2 materials of the draft inventory, in pounds." in text
    assert "Chemical 1 “Chlorine” (CAS 7782-50-5): the file marks it as liquid + gas" in text
    # The result is shown once.
    assert 'data-testid="import-result"' not in client.get(response["Location"]).content.decode()


def test_a_refused_import_lists_every_problem_and_changes_nothing(world):
    row(inventory_draft(world.facility, world.users["lead"]), 1)
    events = AuditEvent.objects.count()
    broken = sample_bytes().replace(b"<category>Explosive</category>", b"<category>Radioactive</category>", 1)
    response = world.client_for("editor").post(_import_url(world), _upload(broken))
    assert response.status_code == 200
    assert 'data-testid="import-problems"' in response.content.decode()
    assert (
        "Chemical 1 “Chlorine” (CAS 7782-50-5): the hazard category “Radioactive” is not one of the federal "
        "hazard categories of the standard." in _text(response)
    )
    assert list(InventoryItem.objects.values_list("common_name", flat=True)) == ["Sodium hydroxide"]
    assert AuditEvent.objects.count() == events


def test_a_hostile_file_gets_a_message_on_the_file_field(world):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa">]>'
        b'<epcraTier2Dataset xmlns="https://cameo.noaa.gov/epcra_tier2/data_standard/v1">&a;</epcraTier2Dataset>'
    )
    response = world.client_for("editor").post(_import_url(world), _upload(bomb, name="bomb.xml"))
    assert response.status_code == 200
    assert "not accepted for safety reasons" in response.content.decode()
    assert InventoryItem.objects.count() == 0


def test_viewers_cannot_import(world):
    response = world.client_for("viewer").post(_import_url(world), _upload())
    assert response.status_code == 404
    assert InventoryItem.objects.count() == 0
