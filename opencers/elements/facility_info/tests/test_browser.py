"""The Facility Information pages in headless Chromium at phone width (375 by 812 CSS pixels): an Editor
starts the draft, answers Business Activities, corrects a refused phone number and reads the guidance.
Every page must fit the screen without sideways scrolling and pass an axe-core WCAG 2.1 AA scan."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connections
from django.urls import reverse

from tests.browser.axe import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone_page(browser, live_server, settings) -> Iterator[object]:
    settings.SITE_URL = live_server.url
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-US")
    context.set_default_timeout(10_000)
    yield context
    context.close()
    # The test's own queries ran beside Playwright's event loop, on a connection of their own.
    connections.close_all()


def _sign_in(context, user, base_url: str) -> object:
    """A page signed in as ``user``: the session of a real sign-in, set as the browser's cookie."""
    from django.conf import settings

    from conftest import signed_in_client

    client = signed_in_client(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])
    return context.new_page()


def _check(page) -> None:
    """No sideways scrolling at 375 px, and no serious or critical WCAG 2.0/2.1 A/AA violation."""
    page.wait_for_load_state("load")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px wide)"
    check(page)


def _click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    _check(page)


def _choose(page, xml: str, answer: str) -> None:
    index = 0 if answer == "Y" else 1
    page.locator(f'label[for="id_{xml}_{index}"]').click()
    assert page.locator(f"#id_{xml}_{index}").is_checked()


def test_an_editor_fills_in_facility_information_on_a_phone(world, live_server, phone_page) -> None:
    from opencers.elements.facility_info.fields import BUSINESS_ACTIVITIES_FIELDS
    from opencers.elements.facility_info.models import BusinessActivities, OwnerOperator

    cers_id = world.facility.cers_id
    page = _sign_in(phone_page, world.users["editor"], live_server.url)

    # Given an Editor on the Facility Information page of a facility without a draft
    page.goto(live_server.url + reverse("business:facility_info", kwargs={"cers_id": cers_id}))
    _check(page)
    assert page.get_by_test_id("no-draft").is_visible()

    # When they start the draft and open Business Activities (pre-filled from the facility)
    _click_and_wait(page, page.get_by_test_id("start"))
    assert (
        page.get_by_test_id("part-activities").get_by_test_id("part-state").text_content().strip()
        == "Not started"
    )
    _click_and_wait(page, page.get_by_test_id("edit-activities"))
    assert page.locator("#id_BusinessName").input_value() == "Acme Plating"

    # And answer every question (hazardous materials and an underground tank) and save
    questions = [spec.xml for spec in BUSINESS_ACTIVITIES_FIELDS if spec.kind == "yesno"]
    for xml in questions:
        _choose(page, xml, "Y" if xml in ("HMOnSite", "OwnOrOperateUST") else "N")
    _click_and_wait(page, page.get_by_test_id("save"))

    # Then the overview says so, and the UST element is now among those to report
    assert "Business Activities saved." in page.get_by_role("main").inner_text()
    assert "Underground Storage Tanks" in page.get_by_test_id("required-elements").inner_text()
    assert (
        page.get_by_test_id("part-activities").get_by_test_id("part-state").text_content().strip()
        == "Complete"
    )

    # When they fill in Owner/Operator with a phone number that is too short
    _click_and_wait(page, page.get_by_test_id("edit-owner"))
    page.locator("#id_Phone").fill("555-0100")
    page.locator("#id_OwnerName").fill("Acme Holdings")
    _click_and_wait(page, page.get_by_test_id("save"))

    # Then the error is shown next to the field and in the summary, and nothing is saved
    assert "is not a phone number" in page.locator("#id_Phone_error").inner_text()
    assert page.locator("[data-error-summary]").is_visible()
    assert not OwnerOperator.objects.exists()

    # When they correct it and save
    page.locator("#id_Phone").fill("916 555 0100")
    _click_and_wait(page, page.get_by_test_id("save"))

    # Then the guidance lists what is still missing, each linked to its field
    guidance = page.get_by_test_id("guidance")
    assert "Give the signer's name" in guidance.inner_text()
    assert OwnerOperator.objects.get().phone == "(916) 555-0100"
    assert BusinessActivities.objects.get().own_or_operate_ust == "Y"
    _click_and_wait(page, guidance.get_by_role("link", name="Name of the signer (certifies the information)"))
    assert page.url.endswith("#id_IdentificationSignerName")
