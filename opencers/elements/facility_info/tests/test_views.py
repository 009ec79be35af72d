"""The Facility Information pages of the business portal: start, the two forms, guidance, permissions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator
from opencers.elements.facility_info.tests.helpers import activities_data, owner_data
from opencers.submittals.models import SubmittalElement
from opencers.submittals.services import draft_get_or_create
from opencers.submittals.tests.factories import complete_facility_info


def _url(world, name):
    return reverse(name, kwargs={"cers_id": world.facility.cers_id})


def _draft(world):
    return draft_get_or_create(
        facility=world.facility, element=Element.FACILITY_INFORMATION, actor=world.users["lead"]
    )


def _drafts():
    return SubmittalElement.objects.filter(element=Element.FACILITY_INFORMATION).count()


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- Starting ----------------------------------------------------------------------------------------------


def test_a_get_never_creates_the_draft(world):
    client = world.client_for("editor")

    overview = client.get(_url(world, "business:facility_info"))
    activities = client.get(_url(world, "business:facility_info_activities"))
    owner = client.get(_url(world, "business:facility_info_owner"))

    assert overview.status_code == 200
    assert 'data-testid="start"' in overview.content.decode()
    assert activities.status_code == 302
    assert activities["Location"] == _url(world, "business:facility_info")
    assert owner.status_code == 302
    assert _drafts() == 0


def test_an_editor_starts_the_draft_with_the_start_button(world):
    response = world.client_for("editor").post(_url(world, "business:facility_info"))

    assert response.status_code == 302
    assert response["Location"] == _url(world, "business:facility_info")
    draft = SubmittalElement.objects.get(element=Element.FACILITY_INFORMATION)
    assert (draft.facility, draft.status) == (world.facility, "draft")
    assert AuditEvent.objects.filter(action="element.draft_created", actor=world.users["editor"]).count() == 1

    again = world.client_for("editor").post(_url(world, "business:facility_info"), follow=True)
    assert _drafts() == 1
    assert "There is already a draft. Continue it below." in _text(again)


def test_a_viewer_sees_the_draft_but_cannot_start_one(world):
    client = world.client_for("viewer")

    page = client.get(_url(world, "business:facility_info"))
    refused = client.post(_url(world, "business:facility_info"))

    assert page.status_code == 200
    assert 'data-testid="start"' not in page.content.decode()
    assert refused.status_code == 404
    assert _drafts() == 0


def test_a_new_draft_can_start_from_a_copy_of_the_last_version(world):
    from opencers.submittals.services import facility_submit

    complete_facility_info(world.facility, world.users["lead"])
    facility_submit(
        facility=world.facility,
        actor=world.users["lead"],
        element_codes=[Element.FACILITY_INFORMATION],
        signer_name="Lena Lead",
        signer_title="Owner",
    )
    version = SubmittalElement.objects.get(element=Element.FACILITY_INFORMATION)
    client = world.client_for("editor")
    assert (
        f'value="{version.public_id}"' in client.get(_url(world, "business:facility_info")).content.decode()
    )

    response = client.post(
        _url(world, "business:facility_info"), {"source": str(version.public_id)}, follow=True
    )

    draft = SubmittalElement.objects.get(element=Element.FACILITY_INFORMATION, status="draft")
    assert draft.based_on == version
    assert OwnerOperator.objects.get(element=draft).identification_signer_name == "Pat Primary"
    assert "A new draft was started from version 1." in _text(response)
    assert (
        world.client_for("editor")
        .post(_url(world, "business:facility_info"), {"source": "not-a-uuid"})
        .status_code
        == 404
    )


# --- Business Activities -------------------------------------------------------------------------------


def test_the_activities_form_starts_prefilled_from_the_facility(world):
    _draft(world)

    response = world.client_for("editor").get(_url(world, "business:facility_info_activities"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="BusinessName" value="Acme Plating"' in html
    assert 'name="SiteAddress" value="1001 I ST"' in html
    assert 'name="CountyID" value="34"' in html
    assert 'data-testid="prefilled"' in html
    # Every question is a Yes/No radio pair, with its help and the elements a Yes adds.
    assert html.count('type="radio"') == 2 * 12
    assert "If Yes, you also report: Underground Storage Tanks." in _text(response)
    assert "Tanks with 10 % or more of their volume below ground" in html
    assert not BusinessActivities.objects.exists()


def test_an_editor_saves_business_activities_and_sees_the_guidance(world):
    draft = _draft(world)
    client = world.client_for("editor")

    response = client.post(_url(world, "business:facility_info_activities"), activities_data(HMOnSite="N"))

    assert response.status_code == 302
    assert response["Location"] == _url(world, "business:facility_info")
    row = BusinessActivities.objects.get(element=draft)
    assert (row.business_name, row.county_id, row.hm_on_site) == ("Acme Plating", 34, "N")
    page = client.get(response["Location"])
    text = _text(page)
    assert "Business Activities saved." in text
    # The advisory names its field and links to it on the form; Owner/Operator is still missing.
    link = _url(world, "business:facility_info_activities") + "#id_HMOnSite"
    assert f'<a href="{link}">Does the facility have hazardous' in text
    assert "your regulator may not need a plan from you" in text
    assert "Fill in the Owner/Operator Identification." in text
    assert 'data-testid="part-activities"' in text
    assert "Review needed" in text


def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_is_saved(world):
    draft = _draft(world)

    response = world.client_for("editor").post(
        _url(world, "business:facility_info_activities"),
        activities_data(ZipCode="958", CountyID="70", EPAID="123"),
    )

    text = _text(response)
    assert response.status_code == 200
    assert 'id="id_ZipCode_error"' in text
    assert 'id="id_CountyID_error"' in text
    assert 'id="id_EPAID_error"' in text
    assert "“958” is not a ZIP code." in text
    assert "70 is too large: the highest allowed is 58." in text
    assert 'href="#id_ZipCode"' in text  # the error summary links to the field
    assert 'name="ZipCode" value="958"' in text  # what was typed is kept
    assert not BusinessActivities.objects.filter(element=draft).exists()


# --- Owner/Operator Identification ------------------------------------------------------------------------


def test_the_owner_form_groups_every_field_in_fieldsets(world):
    from opencers.elements.facility_info.fields import GROUP_LABELS, OWNER_OPERATOR_FIELDS

    _draft(world)

    response = world.client_for("editor").get(_url(world, "business:facility_info_owner"))

    html = response.content.decode()
    assert response.status_code == 200
    for spec in OWNER_OPERATOR_FIELDS:
        assert f'name="{spec.xml}"' in html
    legends = re.findall(r'<legend class="usa-legend usa-legend--large">([^<]+)</legend>', html)
    assert legends == [str(label).replace("'", "&#x27;") for label in GROUP_LABELS.values()]
    assert 'type="tel" name="PEC24HrPhone"' in html
    assert 'type="email" name="EContactEmailAddress"' in html


def test_an_editor_saves_owner_operator_with_phones_normalized(world):
    draft = _draft(world)
    client = world.client_for("approver")

    response = client.post(
        _url(world, "business:facility_info_owner"),
        owner_data(Phone="916-555-0100", PEC24HrPhone="916 555 0100"),
    )

    assert response.status_code == 302
    row = OwnerOperator.objects.get(element=draft)
    assert (row.phone, row.pec24_hr_phone, row.owner_name) == (
        "(916) 555-0100",
        "(916) 555-0100",
        "Acme Holdings",
    )
    text = _text(client.get(response["Location"]))
    assert "Owner/Operator Identification saved." in text
    assert "The 24-hour phone is the business phone." in text


def test_every_owner_problem_is_shown_at_once(world):
    draft = _draft(world)

    response = world.client_for("editor").post(
        _url(world, "business:facility_info_owner"),
        owner_data(
            Phone="555-0100", EContactEmailAddress="eve.example.com", NAICSCode="33A", BeginningDate="soon"
        ),
    )

    text = _text(response)
    assert response.status_code == 200
    for xml in ("Phone", "EContactEmailAddress", "NAICSCode", "BeginningDate"):
        assert f'id="id_{xml}_error"' in text
    assert "Nothing was saved." in text
    summary = text[text.index("data-error-summary") : text.index("</ul>", text.index("data-error-summary"))]
    assert summary.count("<li>") == 4
    assert not OwnerOperator.objects.filter(element=draft).exists()


def test_a_missing_certification_is_listed_after_saving(world):
    _draft(world)
    client = world.client_for("editor")

    client.post(_url(world, "business:facility_info_owner"), owner_data(IdentificationSignerName=""))

    text = _text(client.get(_url(world, "business:facility_info")))
    assert (
        "Give the signer&#x27;s name: regulators do not accept Owner/Operator Identification without the "
        "certification." in text
    )
    assert f'href="{_url(world, "business:facility_info_owner")}#id_IdentificationSignerName"' in text


# --- Who may do what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["business:facility_info_activities", "business:facility_info_owner"])
def test_a_viewer_cannot_save_and_nothing_changes(world, name):
    draft = complete_facility_info(world.facility, world.users["lead"])
    activities = BusinessActivities.objects.filter(element=draft).values().get()
    owner = OwnerOperator.objects.filter(element=draft).values().get()
    events = AuditEvent.objects.count()
    client = world.client_for("viewer")

    data = {**activities_data(BusinessName="Hijacked"), **owner_data(OwnerName="Hijacked")}
    assert client.get(_url(world, name)).status_code == 404
    assert client.post(_url(world, name), data).status_code == 404

    assert BusinessActivities.objects.filter(element=draft).values().get() == activities
    assert OwnerOperator.objects.filter(element=draft).values().get() == owner
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "persona", ["regulator", "regulator_viewer", "state_admin", "other_business", "other_regulator"]
)
def test_outsiders_and_regulators_never_see_the_draft(world, persona):
    complete_facility_info(world.facility, world.users["lead"])
    client = world.client_for(persona)

    for name in (
        "business:facility_info",
        "business:facility_info_activities",
        "business:facility_info_owner",
    ):
        assert client.get(_url(world, name)).status_code == 404
    assert (
        client.post(_url(world, "business:facility_info_owner"), owner_data(OwnerName="X")).status_code == 404
    )
    assert OwnerOperator.objects.get().owner_name == "Acme Holdings"


def test_the_facility_page_links_to_the_facility_information_page(world):
    editor = world.client_for("editor").get(_url(world, "business:facility")).content.decode()
    regulator = world.client_for("regulator").get(_url(world, "business:facility")).content.decode()

    own_page = _url(world, "business:facility_info")
    assert f'href="{own_page}" data-testid="facility-info-link">Facility Information</a>' in editor
    fi_element = reverse(
        "business:element", kwargs={"cers_id": world.facility.cers_id, "slug": "facility-information"}
    )
    assert f'href="{fi_element}">Facility Information</a>' in regulator
    assert _url(world, "business:facility_info") not in regulator
