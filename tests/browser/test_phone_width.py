"""At phone width (375 by 812 CSS pixels) the main pages fit the screen without sideways scrolling and
pass the accessibility scan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import check, follow, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
PASSWORD = "correct horse battery staple"


def assert_fits(page: Page) -> None:
    # The page's width, and (for the failure message) the first elements that stick out on the right.
    widths = page.evaluate(
        """() => {
            const limit = document.documentElement.clientWidth + 0.5;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit);
            const name = e => e.tagName.toLowerCase()
                + (e.className ? '.' + String(e.className).split(' ').join('.') : '');
            return [document.documentElement.scrollWidth, wide.slice(0, 5).map(name)];
        }"""
    )
    scroll_width, overflowing = widths
    assert scroll_width <= PHONE["width"], (
        f"{page.url} scrolls sideways ({scroll_width}px wide); too wide: {overflowing}"
    )


def test_main_pages_fit_a_phone_screen(site, sacramento_cupa, new_page) -> None:
    from opencers.accounts.models import User
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.services import facility_create

    # Given a Lead User with a facility whose name and organization are long, as real ones are
    user = User.objects.create_user("pat@example.com", PASSWORD, full_name="Pat Phone", is_active=True)
    facility = facility_create(
        actor=user,
        name="Sacramento Metropolitan Precision Electroplating and Anodizing",
        address=address_wash(street="1001 I Street", city="", zip_code="95814"),
        new_organization_name="Sacramento Metropolitan Precision Electroplating and Anodizing Incorporated",
    )
    page = new_page(PHONE)

    # When they open the public pages, sign in, and open the dashboard and the facility
    for path in ("/", "/signup/", "/login/"):
        visit(page, f"{site}{path}")
        assert_fits(page)
    page.get_by_label("E-mail address").fill("pat@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(page).to_have_url(f"{site}/business/")
    assert_fits(page)
    expect(page.get_by_test_id("facility-list")).to_contain_text(facility.name)
    follow(page, page.get_by_test_id("facility-list").get_by_role("link", name=facility.name, exact=True))
    expect(page.get_by_test_id("cers-id")).to_have_text(str(facility.cers_id))
    assert_fits(page)

    # Then the menu opens from the menu button, offers the signed-in links, and keeps the page behind
    # it out of reach (hidden from screen readers and inert) until it is closed again
    page.get_by_role("button", name="Menu").click()
    navigation = page.get_by_role("navigation", name="Primary navigation")
    expect(navigation.get_by_role("link", name="My account")).to_be_visible()
    expect(page.locator("main")).to_have_attribute("inert", "")
    check(page)
    navigation.get_by_role("button", name="Close").click()
    expect(navigation.get_by_role("link", name="My account")).to_be_hidden()
    expect(page.locator("main")).not_to_have_attribute("inert", re.compile(".*"))
    check(page)
