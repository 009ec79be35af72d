"""Browser end-to-end tests: Debian's Chromium driven by Playwright for Python, against pytest-django's
live server, with an axe-core accessibility scan of every page (see axe.py).

Without Chromium the tests are skipped on a developer's machine and fail in CI (CI set), so a CI
machine that lost its browser cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the tests
# themselves (set-up and final assertions) are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.browser.axe import track, unchecked_navigations

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _chromium_missing() -> str | None:
    path = Path(CHROMIUM_PATH)
    if not path.exists() or not os.access(path, os.X_OK):
        return (
            f"Chromium not found at {CHROMIUM_PATH} (install Debian's chromium package, or set CHROMIUM_PATH)"
        )
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    missing = _chromium_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must run the browser tests.", pytrace=False)
        pytest.skip(missing)
    from django.contrib.staticfiles import finders

    if finders.find("uswds/css/uswds.min.css") is None:
        pytest.fail("The front-end assets are not built: run `make assets`.", pytrace=False)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def new_page(browser, request) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Make a page in a fresh browser context (its own cookies: one signed-in person each).

    CSP is bypassed only so that axe-core can be injected; the pages themselves run under the
    application's policy in every other respect."""
    contexts = []
    pages = []

    def make(viewport: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
        context = browser.new_context(bypass_csp=True, viewport=viewport or DESKTOP, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        track(page)
        pages.append(page)
        return page

    yield make
    try:
        # A test that failed already says why; a passing one must have scanned every page it opened.
        for page in pages if not request.node.stash.get(_CALL_FAILED, True) else []:
            missed = unchecked_navigations(page)
            assert not missed, f"pages visited without an accessibility check: {missed}"
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


@pytest.fixture
def site(live_server, settings):  # type: ignore[no-untyped-def]
    """The live server's base URL; links in e-mails point to it."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def sacramento_cupa(db):  # type: ignore[no-untyped-def]
    """The Sacramento County CUPA (code 3400), covering ZIP 95814."""
    from opencers.regulators.models import County, JurisdictionZip, Regulator, RegulatorKind

    county = County.objects.create(number=34, name="Sacramento")
    cupa = Regulator.objects.create(
        code=3400, name="Sacramento County CUPA", kind=RegulatorKind.CUPA, county=county
    )
    JurisdictionZip.objects.create(regulator=cupa, zip_code="95814")
    return cupa


@pytest.fixture
def screenshot() -> Callable[..., None]:
    """``screenshot(page, name)`` saves a full-page PNG to docs/screenshots/ when SCREENSHOTS=1 (the
    README images); otherwise it does nothing."""

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)

    return take
