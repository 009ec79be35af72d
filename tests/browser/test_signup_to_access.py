"""A new business user signs up, activates, adds a facility; a second user finds it, asks for access, and
the first user (its Lead User) accepts. Every page is scanned with axe-core on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import follow, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def choose(page: Page, label: str) -> None:
    """Tick a USWDS checkbox or radio button the way a person does: by its visible label (the input
    itself is drawn off-screen and replaced by the label's styled box)."""
    control = page.get_by_label(label, exact=True)
    page.locator(f'label[for="{control.get_attribute("id")}"]').click()
    expect(control).to_be_checked()


def sign_in(page: Page, site: str, email: str, password: str) -> None:
    visit(page, f"{site}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(page).to_have_url(f"{site}/business/")


def test_signup_activate_add_facility_and_grant_access(site, sacramento_cupa, new_page, screenshot) -> None:
    from opencers.accounts.models import User
    from opencers.organizations.models import Facility, Membership

    # Given a visitor on the home page
    lead = new_page()
    visit(lead, f"{site}/")
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Report hazardous materials")

    # When they sign up
    follow(lead, lead.get_by_role("main").get_by_role("link", name="Create an account"))
    expect(lead).to_have_url(f"{site}/signup/")
    lead.get_by_label("Full name").fill("Lena Lead")
    lead.get_by_label("E-mail address").fill("lena@plating.example")
    lead.get_by_label("Password").fill(PASSWORD)
    submit(lead, lead.get_by_role("button", name="Create account"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    # Then the activation e-mail is in the development outbox, and its link activates the account
    follow(lead, lead.get_by_role("link", name="Open the outbox"))
    row = lead.get_by_role("row").filter(has_text="lena@plating.example")
    expect(row).to_have_count(1)
    follow(lead, row.get_by_role("link", name=re.compile(r"^Activate your .+ account$")))
    expect(lead.get_by_test_id("email-to")).to_have_text("lena@plating.example")
    link = lead.get_by_test_id("email-body").get_by_role("link", name=f"{site}/activate/")
    expect(link).to_have_count(1)
    follow(lead, link)
    expect(lead.get_by_role("heading", level=1)).to_have_text("Activate your account")
    assert User.objects.get(email="lena@plating.example").is_active is False
    submit(lead, lead.get_by_role("button", name="Activate my account"))
    expect(lead).to_have_url(f"{site}/login/")
    expect(lead.get_by_role("status")).to_have_text("Your account is active. Sign in to continue.")

    # When they sign in and add a facility through the wizard
    lead.get_by_label("E-mail address").fill("lena@plating.example")
    lead.get_by_label("Password").fill(PASSWORD)
    submit(lead, lead.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(lead).to_have_url(f"{site}/business/")
    expect(lead.get_by_role("heading", name="Start here")).to_be_visible()
    follow(lead, lead.get_by_role("link", name="Add a new facility"))
    lead.get_by_label("Street address of the site").fill("1001 I Street")
    lead.get_by_label("ZIP code").fill("95814")
    lead.get_by_label("Facility name").fill("Test Plating")
    submit(lead, lead.get_by_role("button", name="Continue"))

    # Then the confirm step shows the washed address, and no possible duplicate
    expect(lead.get_by_role("heading", level=1)).to_have_text("Check for your site")
    expect(lead.get_by_test_id("washed-address")).to_have_text(
        "Test Plating\n1001 I ST\nSACRAMENTO, CA 95814\nSacramento County", use_inner_text=True
    )
    expect(lead.get_by_test_id("duplicates")).to_have_count(0)
    choose(lead, "A new organization (I will be its Lead User)")
    lead.get_by_label("Business name of the new organization").fill("Test Plating Inc.")
    choose(lead, "None of the facilities listed above is this site")
    submit(lead, lead.get_by_role("button", name="Add facility"))

    # And the facility page shows its new 8-digit CERS ID and its regulator
    expect(lead.get_by_role("heading", level=1)).to_have_text("Test Plating")
    expect(lead.get_by_test_id("cers-id")).to_have_text(re.compile(r"^\d{8}$"))
    cers_id = lead.get_by_test_id("cers-id").inner_text()
    expect(lead).to_have_url(f"{site}/business/facilities/{cers_id}/")
    expect(lead.get_by_role("status")).to_have_text(f"Test Plating is added with CERS ID {cers_id}.")
    expect(lead.get_by_role("main")).to_contain_text("Sacramento County CUPA")
    facility = Facility.objects.get(cers_id=int(cers_id))
    assert (facility.name, facility.cupa, facility.organization.name) == (
        "Test Plating",
        sacramento_cupa,
        "Test Plating Inc.",
    )

    # Given a second, activated user
    User.objects.create_user("sam@plating.example", PASSWORD, full_name="Sam Second", is_active=True)
    second = new_page()
    sign_in(second, site, "sam@plating.example", PASSWORD)

    # When they search the facility by CERS ID and request access
    follow(second, second.get_by_role("link", name="Find your facility"))
    second.get_by_label("CERS ID").fill(cers_id)
    submit(second, second.get_by_role("button", name="Search"))
    expect(second.get_by_role("heading", level=2)).to_have_text("1 facility found")
    results = second.get_by_test_id("search-results")
    expect(results).to_contain_text("Test Plating")
    follow(second, results.get_by_role("link", name="Request access Test Plating"))
    second.get_by_label("Your job title").fill("EHS manager")
    second.get_by_label("Your phone number").fill("916-555-0142")
    submit(second, second.get_by_role("button", name="Send request"))
    expect(second).to_have_url(f"{site}/business/")
    expect(second.get_by_role("status")).to_have_text(
        "Your request is sent. You will get an e-mail when it is decided."
    )
    expect(second.get_by_role("main")).to_contain_text(f"Test Plating ({cers_id}): Waiting for a decision")

    # Then the Lead User sees the pending action on the dashboard, and accepts the person as Editor
    visit(lead, f"{site}/business/")
    pending = lead.get_by_test_id("pending-actions")
    follow(lead, pending.get_by_role("link", name="Sam Second asks for access to Test Plating"))
    expect(lead.get_by_role("main")).to_contain_text("EHS manager, (916) 555-0142")
    choose(lead, "Accept")
    lead.get_by_label("Permission group (if accepted)").select_option(label="Editor")
    submit(lead, lead.get_by_role("button", name="Record decision"))
    expect(lead.get_by_role("status")).to_have_text(
        "Your decision is recorded and Sam Second has been told by e-mail."
    )
    expect(lead.get_by_test_id("pending-actions")).to_have_count(0)

    # And the second user now sees the facility on their dashboard and can open it
    visit(second, f"{site}/business/")
    facility_list = second.get_by_test_id("facility-list")
    expect(facility_list.get_by_role("row").filter(has_text=cers_id)).to_contain_text("Test Plating")
    screenshot(second, "dashboard")
    follow(second, facility_list.get_by_role("link", name="Test Plating", exact=True))
    expect(second).to_have_url(f"{site}/business/facilities/{cers_id}/")
    expect(second.get_by_test_id("cers-id")).to_have_text(cers_id)
    screenshot(second, "facility")
    membership = Membership.objects.get(user__email="sam@plating.example")
    assert (membership.organization_id, membership.group) == (facility.organization_id, "editor")
