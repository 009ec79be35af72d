"""The Hazardous Materials Business Plan from start to acceptance, in headless Chromium.

An Approver of a plating shop in Sacramento fills in Facility Information, enters three materials (one
from the chemical library, one typed in from its Safety Data Sheet, one waste), uploads the site map,
provides both plans and certifies the three elements. The county's Approver sends Facility Information
back with a comment and accepts the rest; the business reads the comment (on the element page and in
its e-mail), corrects a copy of the version and resubmits; the county accepts it. Both sides then see
versions 1 and 2 with their statuses, and what changed in version 2.

Every page is scanned with axe-core. With SCREENSHOTS=1 the test also saves the screenshots of the user
guides (docs/guide/) under docs/screenshots/guide/.
"""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import check, follow, submit, visit
from tests.browser.fixtures import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PHONE = "(916) 555-0100"
NIGHT_PHONE = "(916) 555-0199"
OWNER_PART = "Owner/Operator Identification"
COMMENT = (
    "The primary emergency contact's 24-hour phone is the front desk, which is closed at night. "
    "Give a number answered at any hour, and name a secondary emergency contact."
)

# Owner/Operator Identification: every field needed for submission, and the certification (XML names).
OWNER_OPERATOR = {
    "BeginningDate": "2012-04-02",
    "Phone": PHONE,
    "NAICSCode": "332813",
    "MailingAddress": "PO Box 1718",
    "MailingAddressCity": "Sacramento",
    "MailingAddressState": "CA",
    "MailingAddressZipCode": "95812",
    "OperatorName": "Capitol Plating Inc.",
    "OperatorPhone": PHONE,
    "OwnerName": "Capitol Plating Holdings LLC",
    "OwnerPhone": "(916) 555-0110",
    "OwnerMailAddress": "PO Box 1718",
    "OwnerCity": "Sacramento",
    "OwnerState": "CA",
    "OwnerZipCode": "95812",
    "EContactName": "Ana Approver",
    "EContactPhone": PHONE,
    "EContactMailingAddress": "PO Box 1718",
    "EContactCity": "Sacramento",
    "EContactEmailAddress": "ana@capitolplating.example",
    "PECName": "Ana Approver",
    "PECTitle": "Plant manager",
    "PECBusinessPhone": PHONE,
    "PEC24HrPhone": PHONE,  # the front desk: what the county sends back
    "BillingContactName": "Bo Billing",
    "BillingContactPhone": "(916) 555-0120",
    "BillingAddress": "PO Box 1718",
    "BillingAddressCity": "Sacramento",
    "DocumentPreparerName": "Ana Approver",
    "IdentificationSignerName": "Ana Approver",
    "IdentificationSignerTitle": "Plant manager",
}


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table (what the upload check looks at)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
    return out.getvalue()


def shot(page: Page, name: str, target: Locator | None = None, *, full: bool = False) -> None:
    """With SCREENSHOTS=1, save a guide screenshot: the window, the whole page, or one part of it."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    path = SCREENSHOT_DIR / "guide" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if target is not None:
        target.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=full)


def table_rows(table: Locator) -> list[list[str]]:
    """The text of each body cell of a table, row by row (white space collapsed)."""
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.textContent.replace(/\\s+/g, ' ').trim()))"
    )


def fieldset(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend, exact=True)


def tick(page: Page, control_id: str) -> None:
    """Tick a USWDS radio or checkbox the way a person does, by clicking its visible label."""
    page.locator(f'label[for="{control_id}"]').click()
    expect(page.locator(f"#{control_id}")).to_be_checked()


def choose(page: Page, label: str) -> None:
    tick(page, page.get_by_label(label, exact=True).get_attribute("id") or "")


def yes_no(page: Page, xml: str, yes: bool) -> None:
    """The Yes (first) or No (second) radio of a yes/no field, by its XML name."""
    tick(page, f"id_{xml}_{0 if yes else 1}")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary directory, never to var/media."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def chemical_library(db: None) -> None:
    """The Extremely Hazardous Substances part of the chemical library (chlorine among them)."""
    from opencers.library.services import library_load

    library_load(ehs_only=True)


@pytest.fixture
def plating_shop(sacramento_cupa: Any) -> dict[str, Any]:
    """A plating shop in ZIP 95814 (Sacramento County CUPA): its Lead User and an Approver; the county's
    Approver with two-step sign-in; a pending access request."""
    from django.utils import timezone

    from opencers.accounts.models import TotpDevice, User
    from opencers.organizations.addresses import address_wash
    from opencers.organizations.models import Membership, PermissionGroup
    from opencers.organizations.services import access_request_create, facility_create
    from opencers.regulators.models import RegulatorMembership, RegulatorRole

    def person(email: str, name: str, title: str = "") -> User:
        return User.objects.create_user(email, PASSWORD, full_name=name, title=title, is_active=True)

    lead = person("lee@capitolplating.example", "Lee Lead", "Owner")
    approver = person("ana@capitolplating.example", "Ana Approver", "Plant manager")
    inspector = person("ivan@saccounty.example", "Ivan Inspector", "Hazardous materials specialist")
    newcomer = person("nora@capitolplating.example", "Nora Newcomer")
    facility = facility_create(
        actor=lead,
        name="Capitol Plating",
        address=address_wash(street="1001 I Street", city="", zip_code="95814"),
        new_organization_name="Capitol Plating Inc.",
    )
    Membership.objects.create(
        organization=facility.organization, user=approver, group=PermissionGroup.APPROVER
    )
    RegulatorMembership.objects.create(user=inspector, regulator=sacramento_cupa, role=RegulatorRole.APPROVER)
    TotpDevice.objects.create(user=inspector, secret=TOTP_SECRET, confirmed_at=timezone.now())
    access_request_create(user=newcomer, facility=facility, phone="916-555-0142", title="Shift supervisor")
    return {"facility": facility, "lead": lead, "approver": approver, "regulator": sacramento_cupa}


def test_hmbp_submitted_sent_back_corrected_and_accepted(
    site: str, plating_shop: dict[str, Any], chemical_library: None, new_page: Any, media: Path
) -> None:
    from django.utils import timezone

    from opencers.core.elements import Element
    from opencers.elements.inventory.models import InventoryItem
    from opencers.regulators.selectors import next_annual_due_date
    from opencers.submittals.models import Status, SubmittalElement

    facility = plating_shop["facility"]
    cers_id = facility.cers_id
    regulator_code = plating_shop["regulator"].code
    business = new_page()

    # --- The business: sign in, find the facility ----------------------------------------------------

    # Given the Approver on the home page, who looks at the sign-up form before signing in
    visit(business, f"{site}/")
    follow(business, business.get_by_role("main").get_by_role("link", name="Create an account"))
    expect(business.get_by_role("heading", level=1)).to_have_text("Create an account")
    shot(business, "business-signup")
    follow(business, business.get_by_role("navigation").get_by_role("link", name="Sign in"))
    business.get_by_label("E-mail address").fill("ana@capitolplating.example")
    business.get_by_label("Password").fill(PASSWORD)
    submit(business, business.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(business).to_have_url(f"{site}/business/")
    shot(business, "business-dashboard")

    # When they search for the facility by CERS ID, they are offered to open it (they already belong)
    follow(business, business.get_by_role("link", name="Find your facility"))
    business.get_by_label("CERS ID").fill(str(cers_id))
    submit(business, business.get_by_test_id("search"))
    expect(business.get_by_role("heading", level=2)).to_have_text("1 facility found")
    shot(business, "business-facility-search")
    follow(
        business, business.get_by_test_id("search-results").get_by_role("link", name="Open Capitol Plating")
    )
    expect(business.get_by_role("heading", level=1)).to_have_text("Capitol Plating")
    elements = business.get_by_test_id("elements")
    for label in (
        "Facility Information",
        "Hazardous Materials Inventory",
        "Emergency Response and Training Plans",
    ):
        expect(elements.get_by_role("row").filter(has_text=label)).to_contain_text("Not submitted")
    shot(business, "business-facility")

    # --- Facility Information ---------------------------------------------------------------------

    # When they start Facility Information and answer Business Activities: hazardous materials and waste
    follow(business, business.get_by_test_id("facility-info-link"))
    expect(business.get_by_test_id("no-draft")).to_be_visible()
    submit(business, business.get_by_test_id("start"))
    follow(business, business.get_by_test_id("edit-activities"))
    expect(business.locator("#id_BusinessName")).to_have_value("Capitol Plating")
    expect(business.locator("#id_CountyID")).to_have_value("34")
    for xml in (
        "HMOnSite",
        "CalARPRegulatedSubstances",
        "OwnOrOperateUST",
        "OwnOrOperateAPST",
        "HWGenerator",
        "Recycle",
        "OnsiteHWTreatment",
        "FinancialAssurance",
        "RWConsolidationSite",
        "HWTankClosure",
        "RCRALargeQuantityGenerator",
        "HHWCollection",
    ):
        yes_no(business, xml, xml in ("HMOnSite", "HWGenerator"))
    shot(business, "business-activities", fieldset(business, "Hazardous materials"))
    submit(business, business.get_by_test_id("save"))
    expect(business.get_by_role("status")).to_have_text("Business Activities saved.")
    expect(business.get_by_test_id("required-elements").get_by_role("listitem")).to_have_text(
        ["Facility Information", "Hazardous Materials Inventory", "Emergency Response and Training Plans"]
    )

    # And fill in Owner/Operator Identification, the certification included
    follow(business, business.get_by_test_id("edit-owner"))
    for xml, value in OWNER_OPERATOR.items():
        business.locator(f"#id_{xml}").fill(value)
    shot(business, "business-owner-operator", fieldset(business, "Document preparer and certification"))
    submit(business, business.get_by_test_id("save"))

    # Then both parts are complete and the draft is ready; one advisory is left about the 24-hour phone
    expect(business.get_by_role("status")).to_have_text("Owner/Operator Identification saved.")
    for part in ("activities", "owner"):
        expect(business.get_by_test_id(f"part-{part}").get_by_test_id("part-state")).to_have_text("Complete")
    expect(business.get_by_test_id("draft-state")).to_contain_text(
        "Ready to submit 0 required, 0 warnings, 1 advisories."
    )
    expect(business.get_by_test_id("guidance").locator("tbody tr")).to_have_count(1)
    expect(business.get_by_test_id("guidance")).to_contain_text("The 24-hour phone is the business phone.")
    shot(business, "business-facility-information")

    # --- Hazardous Materials Inventory ------------------------------------------------------------

    # When they open the inventory from the list of required elements and start an empty draft
    follow(
        business,
        business.get_by_test_id("required-elements").get_by_role(
            "link", name="Hazardous Materials Inventory"
        ),
    )
    submit(business, business.get_by_test_id("start-empty"))
    expect(business.get_by_test_id("document-slots")).to_contain_text("Site map")
    follow(business, business.get_by_test_id("edit-draft"))
    expect(business.get_by_test_id("no-materials")).to_be_visible()

    # And add chlorine from the chemical library (the search updates under the box as they type)
    follow(business, business.get_by_test_id("add-material"))
    business.get_by_label("Name, synonym or CAS number").fill("chlorine")
    pick = business.get_by_test_id("pick-chemical").filter(has_text=re.compile(r"^Chlorine$"))
    expect(pick).to_have_count(1, timeout=15_000)
    check(business)
    shot(business, "business-library-search", business.locator("#library"))
    follow(business, pick)
    expect(business.get_by_test_id("filled-from-library")).to_contain_text(
        "Filled in from the library entry “Chlorine”"
    )
    expect(business.get_by_label("Common or trade name")).to_have_value("Chlorine")
    expect(business.get_by_label("CAS number", exact=True)).to_have_value("7782-50-5")
    expect(business.locator("#id_EHS_0")).to_be_checked()
    expect(business.locator("#id_PhysicalState_2")).to_be_checked()  # gas
    choose(business, "Pure")
    choose(business, "Oxidizing Gas, liquefied")
    choose(business, "Health: acute toxicity (any route)")
    choose(business, "Pounds")
    business.get_by_label("Largest amount on site at any one time").fill("300")
    business.get_by_label("Average daily amount").fill("150")
    business.get_by_label("Largest container").fill("150")
    business.get_by_label("Days on site per year").fill("365")
    business.get_by_label("Storage location").fill("Water treatment room")
    choose(business, "Cylinder")
    submit(business, business.get_by_test_id("save"))
    expect(business.get_by_role("status")).to_have_text("“Chlorine” is saved.")

    # And a brightener that is not in the library, typed in from its Safety Data Sheet as a mixture
    follow(business, business.get_by_test_id("add-material"))
    business.get_by_label("Name, synonym or CAS number").fill("Zincbrite XR")
    expect(business.get_by_test_id("no-chemicals")).to_contain_text(
        "Nothing in the library matches “Zincbrite XR”", timeout=15_000
    )
    check(business)
    business.get_by_label("Common or trade name").fill("Zincbrite XR brightener")
    choose(business, "Mixture")
    tick(business, "id_PhysicalState_1")  # liquid
    yes_no(business, "EHS", False)
    choose(business, "Health: skin corrosion or irritation")
    choose(business, "Health: respiratory or skin sensitization")
    choose(business, "Gallons")
    business.get_by_label("Largest amount on site at any one time").fill("110")
    business.get_by_label("Average daily amount").fill("80")
    business.get_by_label("Days on site per year").fill("365")
    business.get_by_label("Storage location").fill("Plating line 1")
    choose(business, "Plastic or non-metallic drum")
    business.get_by_label("Component 1: name").fill("Zinc sulfate")
    business.get_by_label("Component 1: CAS number").fill("7733-02-0")
    business.get_by_label("Component 1: percent by weight").fill("20")
    shot(business, "business-material-form", business.locator("#step-identity"))
    shot(business, "business-material-components", business.locator("#step-components"))
    submit(business, business.get_by_test_id("save"))
    expect(business.get_by_role("status")).to_have_text("“Zincbrite XR brightener” is saved.")

    # And a waste with its California waste code
    follow(business, business.get_by_test_id("add-material"))
    business.get_by_label("Common or trade name").fill("Spent nickel plating solution")
    choose(business, "Waste")
    business.get_by_label("California waste code").fill("132")
    tick(business, "id_PhysicalState_1")  # liquid
    yes_no(business, "EHS", False)
    choose(business, "Health: skin corrosion or irritation")
    choose(business, "Gallons")
    business.get_by_label("Largest amount on site at any one time").fill("220")
    business.get_by_label("Average daily amount").fill("110")
    business.get_by_label("Days on site per year").fill("90")
    business.get_by_label("Annual waste amount").fill("1500")
    business.get_by_label("Storage location").fill("Waste accumulation area")
    choose(business, "Steel drum")
    business.get_by_label("Component 1: name").fill("Nickel")
    business.get_by_label("Component 1: CAS number").fill("7440-02-0")
    business.get_by_label("Component 1: percent by weight").fill("4")
    submit(business, business.get_by_test_id("save"))
    expect(business.get_by_role("status")).to_have_text("“Spent nickel plating solution” is saved.")

    # Then the list has the three materials, without any message
    rows = business.get_by_test_id("material-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(
        re.compile(r"Chlorine\s+7782-50-5\s+Water treatment room\s+300 Pounds\s+Gas\s+Pure\s+None")
    )
    expect(rows.nth(1)).to_contain_text(
        re.compile(r"Zincbrite XR brightener\s+—\s+Plating line 1\s+110 Gallons\s+Liquid\s+Mixture\s+None")
    )
    expect(rows.nth(2)).to_contain_text(
        re.compile(
            r"Spent nickel plating solution\s+—\s+Waste accumulation area\s+220 Gallons\s+Liquid\s+Waste\s+None"
        )
    )
    shot(business, "business-inventory", full=True)
    chlorine, brightener, waste = InventoryItem.objects.order_by("position")
    assert (chlorine.library_chemical.name, chlorine.ehs, chlorine.units, chlorine.pf_code_hazard_class) == (
        "Chlorine",
        "Y",
        "c",
        "22",
    )
    assert (brightener.library_chemical_id, brightener.hm_type, brightener.hc1_cas) == (
        None,
        "b",
        "7733-02-0",
    )
    assert (waste.hm_type, waste.state_waste_code, waste.annual_waste_amount) == ("c", "132", 1500)

    # When they upload the site map (a PDF made here)
    follow(business, business.get_by_role("link", name="Site map, documents and submitting"))
    expect(business.get_by_test_id("guidance")).to_contain_text(
        "Site map: upload it, or say how it is provided"
    )
    follow(business, business.get_by_test_id("document-slots").get_by_role("link", name="Provide Site map"))
    business.locator("#id_file").set_input_files(
        [
            {
                "name": "site-map.pdf",
                "mimeType": "application/pdf",
                "buffer": tiny_pdf("Capitol Plating site map"),
            }
        ]
    )
    submit(business, business.get_by_test_id("upload"))
    expect(business.get_by_role("status")).to_have_text("Uploaded: site-map.pdf.")
    expect(business.get_by_test_id("current-choice")).to_contain_text("Upload a file")
    expect(business.get_by_test_id("files")).to_contain_text("site-map.pdf (PDF)")
    shot(business, "business-document-slot", full=True)

    # Then the inventory is ready to submit
    follow(
        business,
        business.get_by_role("link", name=f"Capitol Plating ({cers_id}): Hazardous Materials Inventory"),
    )
    expect(business.get_by_role("main")).to_contain_text(
        "Ready to submit 0 required, 0 warnings, 0 advisories."
    )
    expect(business.get_by_test_id("no-guidance")).to_be_visible()

    # --- Emergency Response and Training Plans ----------------------------------------------------

    # When they start the plans and say the training plan is kept at the facility
    follow(business, business.get_by_role("link", name=f"Capitol Plating ({cers_id})", exact=True))
    follow(
        business,
        business.get_by_test_id("elements").get_by_role("link", name="Emergency Response and Training Plans"),
    )
    submit(business, business.get_by_test_id("start-empty"))
    follow(business, business.get_by_role("link", name="Provide Employee Training Plan"))
    choose(business, "Stored at the facility")
    business.get_by_label("Comment").fill("Training binder in the plant manager's office")
    submit(business, business.get_by_test_id("save-option"))
    expect(business.get_by_test_id("current-choice")).to_contain_text("Stored at the facility")

    # And upload the emergency response plan
    follow(
        business,
        business.get_by_role(
            "link", name=f"Capitol Plating ({cers_id}): Emergency Response and Training Plans"
        ),
    )
    follow(business, business.get_by_role("link", name="Provide Emergency Response / Contingency Plan"))
    business.locator("#id_file").set_input_files(
        [{"name": "emergency-plan.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("Emergency plan")}]
    )
    submit(business, business.get_by_test_id("upload"))
    expect(business.get_by_test_id("files")).to_contain_text("emergency-plan.pdf (PDF)")
    follow(
        business,
        business.get_by_role(
            "link", name=f"Capitol Plating ({cers_id}): Emergency Response and Training Plans"
        ),
    )
    slots = business.get_by_test_id("document-slots")
    expect(slots.get_by_role("row").filter(has_text="Employee Training Plan")).to_contain_text(
        "Stored at the facility"
    )
    expect(slots.get_by_role("row").filter(has_text="Emergency Response / Contingency Plan")).to_contain_text(
        "emergency-plan.pdf"
    )
    expect(business.get_by_test_id("no-guidance")).to_be_visible()
    shot(business, "business-plans")

    # --- Certify and submit ------------------------------------------------------------------------

    # When they open the submit page, the three elements are ready and ticked
    follow(business, business.get_by_role("link", name="Review and submit"))
    for code in (1, 2, 3):
        expect(business.locator(f"#element-{code}")).to_be_checked()
        expect(business.locator(f'label[for="element-{code}"]')).to_contain_text("Ready to submit")
    expect(business.get_by_label("Your name (the signer)")).to_have_value("Ana Approver")
    expect(business.get_by_label("Your title")).to_have_value("Plant manager")
    business.get_by_label("Comment for the regulator (optional)").nth(1).fill(
        "Chlorine replaced the old hypochlorite system."
    )
    choose(business, "I certify the statement above")
    shot(business, "business-submit", full=True)
    submit(business, business.get_by_test_id("submit"))

    # Then they are back on the facility page, each element submitted
    expect(business).to_have_url(f"{site}/business/facilities/{cers_id}/")
    expect(business.get_by_role("status")).to_contain_text("Submitted to your regulator on")
    for label in (
        "Facility Information",
        "Hazardous Materials Inventory",
        "Emergency Response and Training Plans",
    ):
        expect(business.get_by_test_id("elements").get_by_role("row").filter(has_text=label)).to_contain_text(
            "Submitted"
        )
    submitted = SubmittalElement.objects.filter(facility=facility, version=1)
    assert sorted((e.element, e.status, e.regulator_id) for e in submitted) == [
        (Element.FACILITY_INFORMATION, Status.SUBMITTED, plating_shop["regulator"].pk),
        (Element.HAZARDOUS_MATERIALS_INVENTORY, Status.SUBMITTED, plating_shop["regulator"].pk),
        (Element.EMERGENCY_RESPONSE_TRAINING, Status.SUBMITTED, plating_shop["regulator"].pk),
    ]
    assert {e.facility_submittal.signer_name for e in submitted} == {"Ana Approver"}

    # --- The regulator: two-step sign-in, the queue, Not accepted -----------------------------------

    regulator = new_page()
    visit(regulator, f"{site}/login/")
    regulator.get_by_label("E-mail address").fill("ivan@saccounty.example")
    regulator.get_by_label("Password").fill(PASSWORD)
    submit(regulator, regulator.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(regulator.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    regulator.get_by_label("Code").fill(pyotp.TOTP(TOTP_SECRET).now())
    shot(regulator, "regulator-two-step")
    submit(regulator, regulator.get_by_role("main").get_by_role("button", name="Sign in"))
    expect(regulator).to_have_url(f"{site}/regulator/{regulator_code}/")
    expect(regulator.get_by_role("heading", level=1)).to_have_text("Sacramento County CUPA")
    shot(regulator, "regulator-home")

    # When the county's Approver opens the review queue, the three elements are there
    follow(regulator, regulator.get_by_test_id("queue-link"))
    queue = regulator.get_by_test_id("queue")
    expect(queue.locator("caption")).to_contain_text("3 submitted elements")
    for label in (
        "Facility Information",
        "Hazardous Materials Inventory",
        "Emergency Response and Training Plans",
    ):
        expect(queue.get_by_role("row").filter(has_text=label)).to_contain_text(f"Capitol Plating {cers_id}")
    shot(regulator, "regulator-queue")

    # And filters it to Facility Information, and opens it
    regulator.get_by_label("Element", exact=True).select_option(label="Facility Information")
    submit(regulator, regulator.get_by_role("button", name="Filter"))
    expect(queue.locator("caption")).to_contain_text("1 submitted element")
    follow(regulator, queue.get_by_role("link", name="Facility Information"))
    expect(regulator.get_by_role("heading", level=1)).to_have_text("Facility Information · version 1")
    main = regulator.get_by_role("main")
    expect(main).to_contain_text("Submitted")
    expect(main).to_contain_text("by Ana Approver, Plant manager.")
    expect(main).to_contain_text("This is the first version.")
    assert table_rows(regulator.get_by_test_id("guidance")) == [
        [
            "Advisory",
            "",
            "Primary emergency contact 24-hour phone",
            "The 24-hour phone is the business phone. Make sure someone answers it at night and on weekends.",
        ]
    ]
    shot(regulator, "regulator-element", full=True)

    # When they mark it Not accepted with a comment
    choose(regulator, "Not accepted (the business must correct and resubmit within 30 days)")
    regulator.get_by_label("Comments for the business").fill(COMMENT)
    shot(regulator, "regulator-action", regulator.locator("section[aria-labelledby=action-heading]"))
    submit(regulator, regulator.get_by_test_id("save-action"))
    expect(regulator.get_by_role("status")).to_have_text("Saved. The business has been notified.")
    expect(regulator.get_by_test_id("regulator-comments")).to_have_text(COMMENT)

    # And accepts the inventory and the plans together from the queue
    follow(regulator, regulator.get_by_role("link", name="Review queue"))
    queue = regulator.get_by_test_id("queue")
    for label in ("Hazardous Materials Inventory", "Emergency Response and Training Plans"):
        tick(
            regulator,
            queue.get_by_role("row")
            .filter(has_text=label)
            .locator("input[name=selected]")
            .get_attribute("id")
            or "",
        )
    expect(
        queue.get_by_role("row").filter(has_text="Facility Information").locator("input[name=selected]")
    ).to_have_count(0)
    regulator.get_by_label("Comment for all accepted elements (optional)").fill("Desk review.")
    submit(regulator, regulator.get_by_test_id("bulk-accept"))
    expect(regulator.get_by_role("status")).to_have_text("2 elements accepted.")
    for label, status in (
        ("Facility Information", "Not accepted"),
        ("Hazardous Materials Inventory", "Accepted"),
        ("Emergency Response and Training Plans", "Accepted"),
    ):
        expect(queue.get_by_role("row").filter(has_text=label)).to_contain_text(status)

    # --- The business reads the comment and corrects ----------------------------------------------

    # Then the business sees it on the facility page and on the element page, with the date to resubmit by
    resubmit_by = SubmittalElement.objects.get(
        facility=facility, element=Element.FACILITY_INFORMATION, version=1
    ).resubmit_due
    assert resubmit_by == timezone.localdate() + timedelta(days=30)
    visit(business, f"{site}/business/facilities/{cers_id}/")
    fi_row = business.get_by_test_id("elements").get_by_role("row").filter(has_text="Facility Information")
    expect(fi_row).to_contain_text("Not accepted")
    expect(fi_row).to_contain_text(f"Resubmit by {resubmit_by:%Y-%m-%d}")
    visit(business, f"{site}/business/facilities/{cers_id}/elements/facility-information/")
    alert = business.get_by_role("alert")
    expect(alert).to_contain_text("Not accepted by the regulator")
    expect(alert).to_contain_text(COMMENT)
    expect(alert).to_contain_text(f"Correct and resubmit by {resubmit_by:%Y-%m-%d}.")
    shot(business, "business-not-accepted")

    # And in the e-mail they were sent
    follow(business, business.get_by_role("link", name="My account"))
    follow(business, business.get_by_role("link", name="See every e-mail we sent you"))
    expect(business).to_have_url(f"{site}/account/emails/")
    subject = f"Not accepted: action needed: Facility Information, Capitol Plating (CERS ID {cers_id})"
    follow(business, business.get_by_role("link", name=subject))
    expect(business.get_by_role("main")).to_contain_text(COMMENT)
    expect(business.get_by_role("main")).to_contain_text(
        f"Correct it and submit again by {resubmit_by:%Y-%m-%d} (30 days)."
    )
    shot(business, "business-email")

    # When they start a new draft from version 1 and correct the emergency contacts
    visit(business, f"{site}/business/facilities/{cers_id}/elements/facility-information/")
    submit(business, business.get_by_test_id("start-from-last"))
    expect(business.get_by_role("status")).to_have_text("A new draft was started from version 1.")
    follow(business, business.get_by_test_id("edit-draft"))
    follow(business, business.get_by_test_id("edit-owner"))
    expect(business.locator("#id_IdentificationSignerName")).to_have_value("Ana Approver")
    business.locator("#id_PEC24HrPhone").fill(NIGHT_PHONE)
    business.locator("#id_SECName").fill("Sam Second")
    business.locator("#id_SECTitle").fill("Shift supervisor")
    business.locator("#id_SEC24HrPhone").fill("(916) 555-0177")
    submit(business, business.get_by_test_id("save"))
    expect(business.get_by_test_id("draft-state")).to_contain_text(
        "Ready to submit 0 required, 0 warnings, 0 advisories."
    )

    # And submit it again, alone
    follow(business, business.get_by_test_id("go-submit"))
    expect(business.locator("#element-1")).to_be_checked()
    expect(business.locator("#element-2")).to_have_count(0)
    expect(business.get_by_test_id("submit-form")).to_contain_text(
        "No draft. Start one from the last version"
    )
    business.get_by_label("Comment for the regulator (optional)").fill(
        "Night number and a second contact added."
    )
    choose(business, "I certify the statement above")
    submit(business, business.get_by_test_id("submit"))
    expect(business.get_by_role("status")).to_contain_text("Submitted to your regulator on")

    # --- The regulator accepts version 2 -----------------------------------------------------------

    # Then the regulator finds version 2 in the queue; the change view shows what was corrected
    follow(regulator, regulator.get_by_role("navigation").get_by_role("link", name=re.compile(r"^Messages")))
    follow(regulator, regulator.get_by_role("link", name="Capitol Plating submitted Facility Information."))
    expect(regulator).to_have_url(f"{site}/regulator/{regulator_code}/queue/")
    regulator.get_by_label("Status", exact=True).select_option(label="Submitted")
    submit(regulator, regulator.get_by_role("button", name="Filter"))
    queue = regulator.get_by_test_id("queue")
    expect(queue.locator("caption")).to_contain_text("1 submitted element")
    follow(regulator, queue.get_by_role("link", name="Facility Information"))
    expect(regulator.get_by_role("heading", level=1)).to_have_text("Facility Information · version 2")
    expect(regulator.get_by_role("main")).to_contain_text(
        "Submitter's comment: Night number and a second contact added."
    )
    changes = regulator.get_by_test_id("changes")
    corrections = [
        ["Changed", OWNER_PART, "Primary emergency contact 24-hour phone", PHONE, NIGHT_PHONE],
        ["Added", OWNER_PART, "Secondary emergency contact name", "", "Sam Second"],
        ["Added", OWNER_PART, "Secondary emergency contact title", "", "Shift supervisor"],
        ["Added", OWNER_PART, "Secondary emergency contact 24-hour phone", "", "(916) 555-0177"],
    ]
    assert table_rows(changes) == corrections
    shot(regulator, "regulator-changes", changes)

    # When they accept it, saying how it was reviewed
    choose(regulator, "Accepted")
    regulator.get_by_label("Comments for the business").fill("Desk review: contacts corrected.")
    submit(regulator, regulator.get_by_test_id("save-action"))
    expect(regulator.get_by_role("status")).to_have_text("Saved. The business has been notified.")

    # Then the regulator sees both versions with their statuses
    history = regulator.get_by_role("main").get_by_role("list").last
    expect(history.get_by_role("listitem")).to_have_count(2)
    expect(history.get_by_role("listitem").nth(0)).to_contain_text(
        re.compile(r"Version 2 · \d{4}-\d\d-\d\d · Accepted")
    )
    expect(history.get_by_role("listitem").nth(1)).to_contain_text(
        re.compile(r"Version 1 · \d{4}-\d\d-\d\d · Not accepted")
    )

    # And the facility page, the activity log
    follow(regulator, regulator.get_by_role("link", name=f"Capitol Plating ({cers_id})"))
    for label in (
        "Facility Information",
        "Hazardous Materials Inventory",
        "Emergency Response and Training Plans",
    ):
        expect(
            regulator.get_by_test_id("regulator-elements").get_by_role("row").filter(has_text=label)
        ).to_contain_text("Accepted")
    shot(regulator, "regulator-facility")
    visit(regulator, f"{site}/regulator/{regulator_code}/activity/")
    log = table_rows(regulator.get_by_test_id("audit-log"))
    assert [row[1:4] for row in log if row[2] == "element.not_accepted"] == [
        [
            "ivan@saccounty.example",
            "element.not_accepted",
            f"Facility Information version 1 of Capitol Plating ({cers_id}) (Not accepted)",
        ]
    ]
    shot(regulator, "regulator-activity")

    # And the business sees the history and what changed in version 2
    visit(business, f"{site}/business/facilities/{cers_id}/elements/facility-information/")
    versions = business.get_by_test_id("versions")
    expect(versions.locator("tbody tr")).to_have_count(2)
    history_rows = table_rows(versions)
    assert [row[:1] + row[2:] for row in history_rows] == [
        ["Version 2", "Ana Approver", "Accepted", "Desk review: contacts corrected."],
        ["Version 1", "Ana Approver", "Not accepted", COMMENT],
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[1]) for row in history_rows)
    shot(business, "business-history")
    follow(business, versions.get_by_role("link", name="Version 2"))
    expect(business.get_by_test_id("regulator-comments")).to_have_text("Desk review: contacts corrected.")
    assert table_rows(business.get_by_test_id("changes")) == corrections
    assert list(
        SubmittalElement.objects.filter(facility=facility, element=Element.FACILITY_INFORMATION)
        .order_by("version")
        .values_list("version", "status")
    ) == [(1, Status.NOT_ACCEPTED), (2, Status.ACCEPTED)]

    # And the facility page shows each element accepted and due again next year (the chlorine, an EHS above
    # its threshold planning quantity, makes the facility subject to federal Tier II: it reports every year)
    follow(business, business.get_by_role("link", name="Capitol Plating: Facility Information"))
    follow(business, business.get_by_role("link", name=f"Capitol Plating ({cers_id})", exact=True))
    next_due = next_annual_due_date(plating_shop["regulator"], timezone.localdate())
    today = timezone.localdate()
    assert [row[:2] + row[3:] for row in table_rows(business.get_by_test_id("elements"))] == [
        [f"{label} required", f"Accepted {today:%Y-%m-%d}", f"{next_due:%Y-%m-%d}"]
        for label in (
            "Facility Information",
            "Hazardous Materials Inventory",
            "Emergency Response and Training Plans",
        )
    ]
    shot(business, "business-facility-accepted")

    # And next year's "no change" submittal starts from the accepted version
    follow(
        business,
        business.get_by_test_id("elements").get_by_role("link", name="Hazardous Materials Inventory"),
    )
    expect(business.get_by_test_id("start-from-last")).to_have_text(
        "Start a new draft from version 1 (Accepted)"
    )
    shot(business, "business-start-from-last")


def signed_in(page: Page, user: Any, site: str) -> Page:
    """The browser carries the session of a real sign-in of ``user`` (two-step included)."""
    from django.conf import settings

    from conftest import signed_in_client

    name = settings.SESSION_COOKIE_NAME
    value = signed_in_client(user).cookies[name].value
    page.context.add_cookies([{"name": name, "value": value, "url": site}])
    return page


def test_county_settings_and_the_business_people_page(
    site: str, plating_shop: dict[str, Any], new_page: Any
) -> None:
    from django.utils import timezone

    from opencers.accounts.models import TotpDevice, User
    from opencers.regulators.models import RegulatorMembership, RegulatorRole
    from opencers.submittals.models import LocalRequirement

    cupa = plating_shop["regulator"]
    cers_id = plating_shop["facility"].cers_id
    admin = User.objects.create_user("ada@saccounty.example", PASSWORD, full_name="Ada Admin", is_active=True)
    RegulatorMembership.objects.create(user=admin, regulator=cupa, role=RegulatorRole.ADMIN)
    TotpDevice.objects.create(user=admin, secret=TOTP_SECRET, confirmed_at=timezone.now())

    # Given the county's Admin on the agency's home page
    county = signed_in(new_page(), admin, site)
    visit(county, f"{site}/regulator/{cupa.code}/")

    # When they search the jurisdiction's facilities by name
    follow(county, county.get_by_role("link", name="Search facilities"))
    county.get_by_label("Name, CERS ID or street").fill("capitol")
    submit(county, county.get_by_role("main").get_by_role("button", name="Search"))
    results = county.get_by_role("main").get_by_role("table")
    assert table_rows(results) == [
        [str(cers_id), "Capitol Plating", "1001 I ST, SACRAMENTO, CA 95814", "Capitol Plating Inc."]
    ]
    shot(county, "regulator-facilities")

    # And set the annual due date to April 15 and require a local document with the plans
    follow(county, county.get_by_role("link", name="Sacramento County CUPA"))
    follow(county, county.get_by_role("main").get_by_role("link", name="Settings"))
    county.get_by_label("Month").select_option(label="April")
    county.get_by_label("Day").fill("15")
    submit(county, county.get_by_role("button", name="Save due date"))
    expect(county.get_by_role("status")).to_have_text("The due date is saved.")
    county.get_by_label("Element").select_option(label="Emergency Response and Training Plans")
    county.get_by_label("Document title").fill("Hazardous materials release procedure")
    county.get_by_label("What it must contain").fill(
        "Who calls 911 and the county, and how spills are contained."
    )
    submit(county, county.get_by_role("button", name="Add document"))
    expect(county.get_by_role("status")).to_have_text("The document is added to the element.")
    expect(county.get_by_role("main")).to_contain_text(
        "Hazardous materials release procedure (Emergency Response and Training Plans) · required: "
        "Who calls 911 and the county, and how spills are contained."
    )
    shot(county, "regulator-settings", full=True)
    cupa.refresh_from_db()
    assert (cupa.hmbp_due_month, cupa.hmbp_due_day) == (4, 15)
    assert LocalRequirement.objects.get(regulator=cupa).required is True

    # Then the business's plans ask for the county's document too
    lead = signed_in(new_page(), plating_shop["lead"], site)
    visit(lead, f"{site}/business/facilities/{cers_id}/plans/")
    submit(lead, lead.get_by_test_id("start-draft"))
    slots = lead.get_by_test_id("document-slots")
    local = slots.locator("tbody tr").nth(2)
    expect(local.get_by_role("cell").nth(0)).to_have_text(
        re.compile(
            r"^Hazardous materials release procedure required\s*Who calls 911 and the county, and how spills"
        )
    )
    assert table_rows(slots)[2][1:] == ["Not provided yet", "Provide Hazardous materials release procedure"]
    expect(lead.get_by_test_id("guidance")).to_contain_text(
        "Hazardous materials release procedure: upload it, or say how it is provided"
    )

    # And the Lead User sees the access request waiting on the dashboard and the people of the business
    follow(lead, lead.get_by_role("navigation").get_by_role("link", name="Dashboard"))
    expect(lead.get_by_test_id("pending-actions")).to_contain_text(
        "Nora Newcomer asks for access to Capitol Plating"
    )
    shot(lead, "business-lead-dashboard")
    follow(lead, lead.get_by_test_id("facility-list").get_by_role("link", name="Capitol Plating Inc."))
    follow(lead, lead.get_by_role("link", name="People and access"))
    assert [row[:2] for row in table_rows(lead.get_by_test_id("people"))] == [
        ["Ana Approver", "ana@capitolplating.example"],
        ["Lee Lead", "lee@capitolplating.example"],
    ]
    expect(lead.get_by_role("main")).to_contain_text("Nora Newcomer → Capitol Plating")
    shot(lead, "business-people", full=True)
    follow(lead, lead.get_by_role("link", name="Nora Newcomer → Capitol Plating"))
    expect(lead.get_by_role("main")).to_contain_text("Shift supervisor, (916) 555-0142")
    shot(lead, "business-access-request")
