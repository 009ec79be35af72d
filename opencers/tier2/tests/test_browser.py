"""On a 375 px phone an editor imports a Tier II file from another state into the draft inventory, sees
what to check, previews the federal Tier II file and downloads it. Every page is scanned with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from opencers.elements.inventory.models import InventoryItem
from opencers.tier2.structure import check_structure
from opencers.tier2.tests.helpers import SAMPLE_NAME, SAMPLES_DIR, sample_bytes
from tests.browser.axe import follow, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def assert_fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px wide)"


def choose(page: Page, label: str, group: str = "") -> None:
    """Tick a USWDS radio by its visible label (in the fieldset named ``group``, if given)."""
    scope = page.get_by_role("group", name=group) if group else page
    control = scope.get_by_label(label, exact=True)
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def test_an_editor_imports_a_tier2_file_and_downloads_the_federal_file(
    world, site, new_page, tmp_path
) -> None:
    sample_bytes()  # skips with the reason when the sample is absent
    cers_id = world.facility.cers_id
    page = new_page(PHONE)

    # Given an editor signed in on a phone
    visit(page, f"{site}/login/")
    page.get_by_label("E-mail address").fill("editor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))

    # When they open the Tier II file page from the inventory and go to the import
    visit(page, f"{site}/business/facilities/{cers_id}/inventory/")
    follow(page, page.get_by_test_id("federal-tier2"))
    assert_fits(page)
    follow(page, page.get_by_test_id("tier2-import-link"))
    assert_fits(page)

    # And upload the file of another state's filing
    page.locator("input[type=file]").set_input_files(str(SAMPLES_DIR / SAMPLE_NAME))
    submit(page, page.get_by_test_id("import"))

    # Then the result says what was imported and what to check
    expect(page.get_by_test_id("import-result")).to_contain_text("2 chemicals became 2 materials")
    expect(page.get_by_test_id("import-notes")).to_contain_text("liquid + gas")
    assert_fits(page)
    assert list(InventoryItem.objects.order_by("position").values_list("common_name", flat=True)) == [
        "Chlorine",
        "Fluorosilic Acid",
    ]

    # When they preview the federal Tier II file of the draft
    export_url = f"{site}/business/facilities/{cers_id}/inventory/tier2/export/"
    visit(page, export_url)
    choose(page, "The draft (not submitted)")
    choose(page, "Yes", group="Is the facility manned?")
    follow(page, page.get_by_test_id("preview"))

    # Then the chemicals are listed with their amounts and range codes, and the physical state that the
    # import left open must be chosen before the file can be made
    expect(page.get_by_test_id("tier2-chemicals")).to_contain_text("Fluorosilic Acid")
    expect(page.get_by_test_id("tier2-chemicals")).to_contain_text("45000 range 07")
    expect(page.get_by_test_id("export-problems")).to_contain_text("Row 1")
    assert_fits(page)

    # When they choose chlorine's physical state in the inventory
    visit(page, f"{site}/business/facilities/{cers_id}/inventory/")
    follow(page, page.get_by_test_id("material-row").first.get_by_role("link", name="Chlorine", exact=True))
    choose(page, "Gas", group="Physical state")
    submit(page, page.get_by_test_id("save"))
    assert InventoryItem.objects.get(common_name="Chlorine").physical_state == "c"
    visit(page, export_url)
    choose(page, "The draft (not submitted)")
    choose(page, "Yes", group="Is the facility manned?")

    # And the XML download is a valid Tier II file
    with page.expect_download() as download:
        page.get_by_test_id("download-xml").click()
    path = tmp_path / "tier2.xml"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith(f"tier2-{cers_id}-")
    assert check_structure(path.read_bytes()) == []
