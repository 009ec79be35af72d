"""On a 375 px phone an editor starts the inventory, finds a material in the chemical library (htmx search),
fills in the rest of the stepped form, corrects a mistake and saves; the waste fields appear only for a
waste; the list and the statement fit the screen. Every page is scanned with axe-core on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from opencers.elements.inventory.models import InventoryItem
from tests.browser.axe import check, follow, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def assert_fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px wide)"


def choose(page: Page, label: str) -> None:
    """Tick a USWDS radio or checkbox by its visible label (the input itself is drawn off-screen)."""
    control = page.get_by_label(label, exact=True)
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def test_an_editor_enters_a_material_on_a_phone(world, site, new_page) -> None:
    from opencers.library.services import chemical_create

    acid = chemical_create(name="Sulfuric acid", cas="7664-93-9", physical_state="b")
    acid.ehs = True
    acid.save(update_fields=["ehs"])
    cers_id = world.facility.cers_id
    page = new_page(PHONE)

    # Given an editor signed in on a phone
    visit(page, f"{site}/login/")
    page.get_by_label("E-mail address").fill("editor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))

    # When they open the inventory, start the draft and add a material
    visit(page, f"{site}/business/facilities/{cers_id}/inventory/")
    assert_fits(page)
    submit(page, page.get_by_test_id("start-draft"))
    follow(page, page.get_by_test_id("add-material"))
    assert_fits(page)

    # Then the waste fields are shown only for a waste, the components only for a mixture or a waste
    waste_code = page.get_by_label("California waste code")
    component = page.get_by_label("Component 1: name")
    expect(waste_code).to_be_hidden()
    expect(component).to_be_hidden()
    choose(page, "Waste")
    expect(waste_code).to_be_visible()
    expect(component).to_be_visible()
    expect(page.get_by_text("For a waste: list the hazardous components of the waste")).to_be_visible()
    choose(page, "Mixture")
    expect(waste_code).to_be_hidden()
    expect(component).to_be_visible()
    choose(page, "Pure")
    expect(component).to_be_hidden()
    check(page)

    # When they search the library, the results come in under the search box, and picking one fills the form
    add_url = page.url
    page.get_by_label("Name, synonym or CAS number").fill("sulfuric")
    result = page.get_by_test_id("pick-chemical").first
    expect(result).to_have_text("Sulfuric acid", timeout=15_000)
    assert page.url == add_url  # a partial update, not a new page
    check(page)
    follow(page, result)
    expect(page.get_by_test_id("filled-from-library")).to_be_visible()
    expect(page.get_by_label("Common or trade name")).to_have_value("Sulfuric acid")
    expect(page.get_by_label("CAS number", exact=True)).to_have_value("7664-93-9")
    assert_fits(page)

    # When they leave out the largest amount and save
    choose(page, "Pure")
    choose(page, "Pounds")
    page.get_by_label("Average daily amount").fill("800")
    page.get_by_label("Storage location").fill("Plating line 1")
    choose(page, "Corrosive")
    submit(page, page.get_by_test_id("save"))

    # Then nothing is saved, the error summary is read first and the error is next to the field
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Largest amount on site at any one time is required. Fill it in.")
    expect(page.locator("#id_MaximumDailyAmount_error")).to_have_text(
        "Largest amount on site at any one time is required. Fill it in."
    )
    assert_fits(page)
    assert InventoryItem.objects.count() == 0

    # When they fill it in and save again
    page.get_by_label("Largest amount on site at any one time").fill("1200")
    submit(page, page.get_by_test_id("save"))

    # Then the material is in the list, linked to the library
    expect(page.get_by_test_id("material-row")).to_have_count(1)
    expect(page.get_by_test_id("material-row")).to_contain_text(
        re.compile(r"Sulfuric acid\s+7664-93-9\s+Plating line 1\s+1200 Pounds\s+Liquid\s+Pure")
    )
    assert_fits(page)
    item = InventoryItem.objects.get()
    assert (item.library_chemical_id, item.cclid, item.ehs, item.pf_code_hazard_class) == (
        acid.pk,
        acid.ccl_id,
        "Y",
        "5",
    )

    # And the inventory statement fits the phone too
    follow(page, page.get_by_role("link", name="Inventory statement"))
    expect(page.get_by_test_id("class-totals")).to_contain_text("1200 Pounds")
    assert_fits(page)
