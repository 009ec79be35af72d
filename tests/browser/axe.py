"""Accessibility scan with axe-core, and helpers that scan every page a browser test visits.

``check(page)`` injects axe-core (from node_modules, the copy the project installs with npm), runs it
against WCAG 2.0 and 2.1 level A and AA rules, and fails the test listing every violation of impact
"serious" or "critical". ``visit``, ``follow`` and ``submit`` navigate and then check, so each page the
tests see is scanned; the ``page`` fixture also fails a test that navigated somewhere without a check.
"""

from __future__ import annotations

import weakref
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `npm ci` (or `make deps`).")
    return AXE_PATH.read_text(encoding="utf-8")


class _Tracker:
    """Main-frame navigations of one page, and how many of them were followed by a scan."""

    def __init__(self) -> None:
        self.navigations: list[str] = []
        self.checked = 0


_trackers: weakref.WeakKeyDictionary[Page, _Tracker] = weakref.WeakKeyDictionary()


def track(page: Page) -> None:
    tracker = _Tracker()
    _trackers[page] = tracker
    page.on(
        "framenavigated",
        lambda frame: tracker.navigations.append(frame.url) if frame == page.main_frame else None,
    )


def unchecked_navigations(page: Page) -> list[str]:
    tracker = _trackers.get(page)
    return tracker.navigations[tracker.checked :] if tracker else []


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def check(page: Page) -> None:
    """Scan the page as it is now; fail on serious or critical WCAG 2.0/2.1 A/AA violations."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        "async (tags) => await window.axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    tracker = _trackers.get(page)
    if tracker is not None:
        tracker.checked = len(tracker.navigations)
    if blocking:
        pytest.fail(format_violations(page.url, blocking), pytrace=False)


def visit(page: Page, url: str) -> None:
    """Open ``url`` (expecting a successful page) and scan it."""
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"GET {url} answered {response.status}"
    check(page)


def follow(page: Page, target: Locator) -> None:
    """Click a link or a submit button that loads a new page, wait for it, and scan it."""
    with page.expect_navigation():
        target.click()
    check(page)


submit = follow
