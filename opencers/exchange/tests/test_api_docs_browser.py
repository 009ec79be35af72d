"""The API documentation page in Chromium, under the site's real Content Security Policy."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_the_api_documentation_renders_under_the_sites_csp(browser, live_server, transactional_db):
    # A context of our own: the shared page fixture bypasses the CSP to inject axe-core, and this test is
    # about the CSP. (The page is Swagger UI, a developer tool served as distributed.)
    context = browser.new_context(locale="en-US")
    try:
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        response = page.goto(live_server.url + "/api/v1/docs/")
        assert response is not None and response.status == 200
        assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert page.inner_text(".swagger-ui .info .title").startswith("OpenCERS API")
        page.wait_for_selector(
            "text=/api/v1/facilities/{cers_id}/elements/inventory/draft/rows/", timeout=20_000
        )
        assert page.locator(".opblock").count() >= 30
        assert refused == []
        assert failed == []
    finally:
        context.close()
