"""The inventory pages of the business portal: list, form, copy, delete, library search, statement."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from opencers.business.views.inventory import GROUPED_FIELDS, LAYOUT, NOT_IN_FORM, fire_classes_in_order
from opencers.core.elements import Element
from opencers.core.models import AuditEvent
from opencers.elements.inventory.fields import CHEMICAL_FIELDS
from opencers.elements.inventory.models import InventoryItem
from opencers.elements.inventory.tests.helpers import (
    SULFURIC_ACID,
    inventory_draft,
    library_chemical,
    submitted_inventory,
)
from opencers.submittals.models import SubmittalElement
from opencers.submittals.tests.factories import add_material


def _url(name, world, **kwargs):
    return reverse(f"business:{name}", kwargs={"cers_id": world.facility.cers_id, **kwargs})


def _item_url(name, item, world):
    return _url(name, world, public_id=item.public_id)


def _rows(draft):
    return list(InventoryItem.objects.filter(element=draft).order_by("position").values())


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _form(**values):
    """POST data of the material form: the complete row, changed by ``values`` (None removes a field)."""
    data = {**SULFURIC_ACID, **values}
    return {key: value for key, value in data.items() if value is not None}


# --- Layout ---------------------------------------------------------------------------------------------


def test_every_field_of_the_table_is_in_the_form_once():
    laid_out = [name for _group, names in LAYOUT for name in names]
    covered = [xml for name in laid_out for xml in GROUPED_FIELDS.get(name, (name,))]
    assert sorted(covered) == sorted(spec.xml for spec in CHEMICAL_FIELDS if spec.xml not in NOT_IN_FORM)
    assert len(covered) == len(set(covered))


def test_fire_code_classes_keep_their_stored_order():
    assert fire_classes_in_order(["5", "9", "31"], ["9", "5"]) == ["9", "5", "31"]
    assert fire_classes_in_order(["5"], ["9", "5"]) == ["5"]


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_offers_to_start_a_draft_and_a_get_writes_nothing(world):
    client = world.client_for("editor")
    response = client.get(_url("inventory", world))
    assert response.status_code == 200
    assert 'data-testid="start-draft"' in response.content.decode()
    assert not SubmittalElement.objects.filter(facility=world.facility).exists()
    response = client.get(_url("inventory_item_add", world))
    assert response.status_code == 302
    assert not SubmittalElement.objects.filter(facility=world.facility).exists()


def test_start_draft(world):
    response = world.client_for("editor").post(_url("inventory_start", world))
    assert response.status_code == 302
    assert response["Location"] == _url("inventory", world)
    draft = SubmittalElement.objects.get(facility=world.facility)
    assert (draft.element, draft.status) == (Element.HAZARDOUS_MATERIALS_INVENTORY, "draft")


def test_a_new_draft_starts_from_the_last_submitted_version(world):
    # Given a submitted inventory and no draft
    submitted, item = submitted_inventory(world)
    client = world.client_for("editor")
    text = _text(client.get(_url("inventory", world)))
    assert "Start a draft from version 1" in text
    # When the editor starts from it
    response = client.post(_url("inventory_start", world), {"from_last": "1"})
    # Then the new draft holds a copy of every row
    assert response["Location"] == _url("inventory", world)
    draft = SubmittalElement.objects.get(
        facility=world.facility, element=Element.HAZARDOUS_MATERIALS_INVENTORY, status="draft"
    )
    assert draft.based_on == submitted
    assert [(r["common_name"], r["chemical_location"]) for r in _rows(draft)] == [
        ("Sulfuric acid", "Plating line 1")
    ]
    # And the submitted version is unchanged and cannot be reached through the draft's pages
    assert InventoryItem.objects.get(pk=item.pk).element_id == submitted.pk
    assert client.get(_item_url("inventory_item_edit", item, world)).status_code == 404


def test_the_list_shows_each_material_with_its_guidance_counts(world):
    draft = inventory_draft(world)
    add_material(draft, 1)
    add_material(
        draft,
        2,
        common_name="Used oil",
        cas_number="",
        ehs="N",
        hm_type="c",
        units="a",
        chemical_location="Yard",
    )
    text = _text(world.client_for("viewer").get(_url("inventory", world)))
    rows = re.findall(r'<tr id="row-[^"]+" data-testid="material-row">(.*?)</tr>', text)
    assert len(rows) == 2
    cells = [re.sub(r"<[^>]+>", "|", r) for r in rows]
    assert "Sulfuric acid" in cells[0] and "7664-93-9" in cells[0] and "1200 Pounds" in cells[0]
    assert "Liquid" in cells[0] and "Pure" in cells[0] and "Plating line 1" in cells[0]
    assert "None" in cells[0]
    assert (
        "Used oil" in cells[1] and "1200 Gallons" in cells[1] and "Waste" in cells[1] and "Yard" in cells[1]
    )
    assert "1 warning" in cells[1]  # no California waste code
    # A viewer sees no actions
    assert "inventory_item_edit" not in text and "/copy/" not in text and "/delete/" not in text
    assert 'data-testid="add-material"' not in text


# --- Adding, editing, copying, deleting ----------------------------------------------------------------


def test_editor_adds_a_material(world):
    draft = inventory_draft(world)
    response = world.client_for("editor").post(
        _url("inventory_item_add", world),
        _form(
            FireCodeClasses=["5", "31"],
            FederalHazards=["FHCHealthSkinCorrosionIrritation"],
            Containers=["SCToteBin"],
        ),
    )
    item = InventoryItem.objects.get(element=draft)
    assert response.status_code == 302
    assert response["Location"] == f"{_url('inventory', world)}#row-{item.public_id}"
    assert (item.common_name, item.cas_number, item.ehs, item.units, item.maximum_daily_amount) == (
        "Sulfuric acid 93%",
        "7664-93-9",
        "Y",
        "c",
        Decimal("1200"),
    )
    assert (item.pf_code_hazard_class, item.sf_code_hazard_class, item.tf_code_hazard_class) == (
        "5",
        "31",
        "",
    )
    assert item.fhc_health_skin_corrosion_irritation == "Y"
    assert item.fhc_physical_flammable == "N"
    assert (item.sc_tote_bin, item.sc_steel_drum) == ("Y", "N")


def test_a_form_with_problems_shows_them_all_and_saves_nothing(world):
    # Given a draft
    draft = inventory_draft(world)
    # When the form is sent with an empty name, a word for an amount and a bad CAS number
    response = world.client_for("editor").post(
        _url("inventory_item_add", world),
        _form(CommonName="", MaximumDailyAmount="a lot", CASNumber="7664-93-8"),
    )
    # Then the page lists every problem at the top, and each one next to its field
    assert response.status_code == 200
    text = _text(response)
    summary = re.search(r'data-testid="error-summary">(.*?)</div> </div>', text).group(1)
    assert (
        '<a href="#id_CommonName">Common or trade name: Common or trade name is required. Fill it in.</a>'
        in summary
    )
    assert (
        '<a href="#id_MaximumDailyAmount">Largest amount on site at any one time: “a lot” is not a number. '
        "Use digits only, e.g. 1500 or 12.5.</a>" in summary
    )
    assert "CAS number: The CAS number 7664-93-8 has a wrong check digit" in summary
    assert re.search(
        r'id="id_CommonName_error" role="alert">Common or trade name is required\. Fill it in\.</span>', text
    )
    assert re.search(r'id="id_MaximumDailyAmount_error" role="alert">“a lot” is not a number\.', text)
    assert re.search(
        r'id="id_CASNumber_error" role="alert">The CAS number 7664-93-8 has a wrong check digit', text
    )
    # And what was typed is kept, and nothing is saved
    assert 'value="a lot"' in text
    assert _rows(draft) == []


def test_too_many_fire_code_classes(world):
    draft = inventory_draft(world)
    response = world.client_for("editor").post(
        _url("inventory_item_add", world), _form(FireCodeClasses=[str(n) for n in range(1, 10)])
    )
    assert response.status_code == 200
    assert "You ticked 9 classes; at most 8 can be reported. Keep the 8 that matter most." in _text(response)
    assert _rows(draft) == []


def test_every_field_is_labelled(world):
    inventory_draft(world)
    text = _text(world.client_for("editor").get(_url("inventory_item_add", world)))
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", text)
    inputs = [re.search(r'\bid="([^"]+)"', tag).group(1) for tag in tags if 'type="hidden"' not in tag]
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', text))
    unlabelled = [i for i in inputs if i not in labelled]
    assert unlabelled == []
    assert len(inputs) > 100


def test_the_form_shows_codes_as_words(world):
    inventory_draft(world)
    text = _text(world.client_for("editor").get(_url("inventory_item_add", world)))
    for words in (
        "Flammable Liquid, Class I-B",
        "Physical: flammable",
        "Steel drum",
        "Cubic feet",
        "Above ambient",
        "Waste",
    ):
        assert words in text
    assert 'data-show-for-type="c" data-field="StateWasteCode"' in text
    assert 'data-show-for-type="c" data-field="AnnualWasteAmount"' in text


def test_editor_edits_a_material(world):
    draft = inventory_draft(world)
    item = add_material(draft, pf_code_hazard_class="5")
    client = world.client_for("editor")
    text = _text(client.get(_item_url("inventory_item_edit", item, world)))
    assert 'value="Sulfuric acid"' in text and 'value="1200"' in text
    response = client.post(
        _item_url("inventory_item_edit", item, world),
        _form(CommonName="Sulfuric acid", ChemicalLocation="Tank farm", FireCodeClasses=["5"]),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.chemical_location, item.maximum_daily_amount, item.pf_code_hazard_class) == (
        "Tank farm",
        Decimal("1200"),
        "5",
    )


def test_after_saving_a_row_with_messages_the_form_shows_them_next_to_their_fields(world):
    # Given a draft
    draft = inventory_draft(world)
    client = world.client_for("editor")
    # When a waste without a California waste code, with its average above its maximum, is saved
    response = client.post(
        _url("inventory_item_add", world), _form(HMType="c", EHS="N", AverageDailyAmount="5000")
    )
    # Then it is saved, and the form comes back with the messages next to the fields they are about
    item = InventoryItem.objects.get(element=draft)
    assert response["Location"] == _item_url("inventory_item_edit", item, world)
    text = _text(client.get(response["Location"]))
    assert 'data-testid="guidance-summary"' in text
    state_waste = re.search(r'data-field="StateWasteCode">(.*?)</div> </div> </div>', text).group(1)
    assert "Give the 3-digit California waste code of this waste" in state_waste
    average = re.search(r'data-field="AverageDailyAmount">(.*?)</div> </div> </div>', text).group(1)
    assert "The average daily amount (5000) is larger than the maximum (1200)." in average


def test_editor_copies_and_deletes(world):
    draft = inventory_draft(world)
    item = add_material(draft)
    client = world.client_for("editor")
    response = client.post(_item_url("inventory_item_copy", item, world))
    copy = InventoryItem.objects.exclude(pk=item.pk).get(element=draft)
    assert response["Location"] == _item_url("inventory_item_edit", copy, world)
    assert (copy.common_name, copy.position) == ("Sulfuric acid", 2)
    response = client.post(_item_url("inventory_item_delete", item, world))
    assert response["Location"] == _url("inventory", world)
    assert list(InventoryItem.objects.filter(element=draft)) == [copy]


def test_delete_and_copy_take_post_only(world):
    draft = inventory_draft(world)
    item = add_material(draft)
    client = world.client_for("editor")
    assert client.get(_item_url("inventory_item_delete", item, world)).status_code == 405
    assert client.get(_item_url("inventory_item_copy", item, world)).status_code == 405
    assert len(_rows(draft)) == 1


@pytest.mark.parametrize(
    "persona", ["viewer", "other_business", "regulator", "regulator_viewer", "state_admin"]
)
def test_others_cannot_change_the_inventory_and_nothing_changes(world, persona):
    # Given a draft with one row
    draft = inventory_draft(world)
    item = add_material(draft)
    before = _rows(draft)
    events = AuditEvent.objects.count()
    client = world.client_for(persona)
    # When someone who may not edit tries every write
    for url, data in (
        (_url("inventory_item_add", world), _form()),
        (_item_url("inventory_item_edit", item, world), _form(ChemicalLocation="Moved")),
        (_item_url("inventory_item_copy", item, world), {}),
        (_item_url("inventory_item_delete", item, world), {}),
        (_url("inventory_start", world), {}),
    ):
        # Then each answers 404, exactly as for a page that does not exist
        assert client.post(url, data).status_code == 404, url
    for url in (
        _url("inventory_item_add", world),
        _item_url("inventory_item_edit", item, world),
        _url("chemical_search", world),
    ):
        assert client.get(url).status_code == 404, url
    # And nothing changed
    assert _rows(draft) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "persona", ["other_business", "regulator", "regulator_viewer", "other_regulator", "state_admin"]
)
def test_only_the_business_sees_its_draft_inventory(world, persona):
    draft = inventory_draft(world)
    add_material(draft)
    client = world.client_for(persona)
    assert client.get(_url("inventory", world)).status_code == 404
    assert client.get(_url("inventory_statement", world)).status_code == 404


# --- The chemical library -------------------------------------------------------------------------------


def test_library_search_fills_the_form(world):
    # Given a library entry and a draft
    from opencers.library.services import chemical_create

    acid = chemical_create(
        name="Sulfuric acid", cas="7664-93-9", synonyms=["Oil of vitriol"], physical_state="b"
    )
    acid.ehs = True
    acid.save(update_fields=["ehs"])
    draft = inventory_draft(world)
    client = world.client_for("editor")
    # When the editor searches the library (the fragment htmx puts under the search box)
    response = client.get(_url("chemical_search", world), {"q": "sulfuric"})
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    add_url = _url("inventory_item_add", world)
    assert f'href="{add_url}?chemical={acid.public_id}"' in fragment
    # And picks the result
    text = _text(client.get(add_url, {"chemical": str(acid.public_id)}))
    # Then the form is filled from the library
    assert 'data-testid="filled-from-library"' in text
    assert re.search(r'name="CommonName" value="Sulfuric acid"', text)
    assert re.search(r'name="CASNumber" value="7664-93-9"', text)
    assert re.search(r'name="EHS" value="Y"[^>]*checked', text)
    assert re.search(r'name="PhysicalState" value="b"[^>]*checked', text)
    assert f'name="library_chemical" value="{acid.public_id}"' in text
    # And saving it links the row to the library entry
    client.post(
        add_url,
        _form(CommonName="Sulfuric acid", ChemicalName="Sulfuric acid", library_chemical=str(acid.public_id)),
    )
    item = InventoryItem.objects.get(element=draft)
    assert (item.library_chemical_id, item.cclid) == (acid.pk, acid.ccl_id)


def test_a_library_entry_can_be_picked_by_its_library_id_on_the_edit_form(world):
    ammonia = library_chemical("Ammonia", "7664-41-7", physical_state="c", ehs=True)
    draft = inventory_draft(world)
    item = add_material(draft, chemical_location="Cold room")
    text = _text(
        world.client_for("editor").get(
            _item_url("inventory_item_edit", item, world), {"chemical": ammonia.ccl_id}
        )
    )
    assert re.search(r'name="CommonName" value="Ammonia"', text)
    assert re.search(
        r'name="ChemicalLocation" value="Cold room"', text
    )  # what the library does not know stays
    item.refresh_from_db()
    assert item.common_name == "Sulfuric acid"  # a GET never writes


def test_search_results_on_the_edit_form_point_back_to_it(world):
    from opencers.library.services import chemical_create

    ammonia = chemical_create(name="Ammonia", cas="7664-41-7")
    draft = inventory_draft(world)
    item = add_material(draft)
    response = world.client_for("editor").get(
        _url("chemical_search", world), {"q": "ammonia", "for": str(item.public_id)}
    )
    assert (
        f'href="{_item_url("inventory_item_edit", item, world)}?chemical={ammonia.public_id}"'
        in response.content.decode()
    )


def test_search_without_a_match_says_what_to_do(world):
    inventory_draft(world)
    text = _text(world.client_for("editor").get(_url("chemical_search", world), {"q": "zzzqqq"}))
    assert "Nothing in the library matches “zzzqqq”." in text
    assert "fill in the form from the Safety Data Sheet" in text


def test_search_without_javascript_renders_on_the_form_page(world):
    from opencers.library.services import chemical_create

    acid = chemical_create(name="Sulfuric acid", cas="7664-93-9")
    inventory_draft(world)
    text = _text(world.client_for("editor").get(_url("inventory_item_add", world), {"q": "7664-93-9"}))
    assert f"?chemical={acid.public_id}" in text
    assert "Not in the library?" in text
