"""On a phone an editor starts the plans, uploads the emergency response plan (after a refused, misnamed
file), downloads it back, and says the training plan is kept at the facility. Every page is scanned with
axe-core on the way and must fit the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from opencers.documents.models import DocumentFile
from opencers.documents.tests import corpus
from opencers.documents.tests.conftest import stored_paths
from tests.browser.axe import check, follow, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def assert_fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px wide)"


def choose(page: Page, label: str) -> None:
    """Tick a USWDS radio by its visible label (the input itself is drawn off-screen)."""
    control = page.get_by_label(label, exact=True)
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def test_an_editor_provides_both_plans_on_a_phone(world, site, new_page, media: Path) -> None:
    cers_id = world.facility.cers_id
    page = new_page(PHONE)

    # Given an editor signed in on a phone
    visit(page, f"{site}/login/")
    page.get_by_label("E-mail address").fill("editor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))

    # When they open the plans and start the draft, both plans are listed as not provided
    visit(page, f"{site}/business/facilities/{cers_id}/plans/")
    assert_fits(page)
    submit(page, page.get_by_test_id("start-draft"))
    slots = page.get_by_test_id("document-slots")
    expect(slots).to_contain_text("Emergency Response / Contingency Plan")
    expect(slots).to_contain_text("Employee Training Plan")
    assert_fits(page)

    # When they upload a PDF named .docx to the emergency response plan
    follow(page, page.get_by_role("link", name="Provide Emergency Response / Contingency Plan"))
    assert_fits(page)
    page.locator("#id_file").set_input_files(
        [{"name": "erp.docx", "mimeType": "application/octet-stream", "buffer": corpus.pdf("plan")}]
    )
    submit(page, page.get_by_test_id("upload"))

    # Then it is refused, the summary is read first, and nothing is stored
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "erp.docx is really a PDF file: rename it to .pdf or upload the right file."
    )
    assert DocumentFile.objects.count() == 0
    assert stored_paths(media) == []
    assert_fits(page)

    # When they upload it under its right name with an annex
    page.locator("#id_file").set_input_files(
        [
            {"name": "erp.pdf", "mimeType": "application/pdf", "buffer": corpus.pdf("plan")},
            {"name": "annex map.png", "mimeType": "image/png", "buffer": corpus.png()},
        ]
    )
    submit(page, page.get_by_test_id("upload"))

    # Then both are listed, and the plan downloads under its name as a PDF
    files = page.get_by_test_id("files")
    expect(files).to_contain_text("erp.pdf")
    expect(files).to_contain_text("annex map.png")
    with page.expect_download() as download:
        files.get_by_role("link", name="erp.pdf").click()
    assert download.value.suggested_filename == "erp.pdf"
    assert Path(download.value.path()).read_bytes() == corpus.pdf("plan")
    check(page)
    assert_fits(page)

    # When they say the training plan is kept at the facility
    follow(page, page.get_by_role("link", name=f"{world.facility.name} ({cers_id}): Emergency Response"))
    follow(page, page.get_by_role("link", name="Provide Employee Training Plan"))
    date_provided = page.get_by_label("Date you provided it to the regulator")
    expect(date_provided).to_be_hidden()
    choose(page, "Provided to the regulator")
    expect(date_provided).to_be_visible()
    choose(page, "Stored at the facility")
    expect(date_provided).to_be_hidden()
    page.get_by_label("Comment").fill("Binder in the main office")
    submit(page, page.get_by_test_id("save-option"))
    expect(page.get_by_test_id("current-choice")).to_contain_text("Stored at the facility")
    assert_fits(page)

    # Then the plans page shows both provided and the draft ready to submit
    visit(page, f"{site}/business/facilities/{cers_id}/plans/")
    slots = page.get_by_test_id("document-slots")
    expect(slots).to_contain_text("erp.pdf")
    expect(slots).to_contain_text("Stored at the facility")
    expect(page.get_by_text("Ready to submit")).to_be_visible()
    assert_fits(page)
