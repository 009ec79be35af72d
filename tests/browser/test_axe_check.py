"""The accessibility check itself: it passes a clean page and fails, naming rule and element, on a page
with a serious violation (so a green browser suite means something)."""

from __future__ import annotations

import pytest

from tests.browser.axe import check, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_fails_on_a_serious_violation_and_names_it(site, page) -> None:
    # Given the sign-in page, which passes the check
    visit(page, f"{site}/login/")

    # When an input loses its label and a paragraph turns light grey on white
    page.evaluate(
        """() => {
            document.querySelector('label[for="id_email"]').remove();
            const p = document.createElement('p');
            p.id = 'faint'; p.textContent = 'Hard to read'; p.style.color = '#dddddd';
            document.querySelector('main').append(p);
        }"""
    )

    # Then the check fails, listing both rules and the elements at fault
    with pytest.raises(pytest.fail.Exception) as failure:
        check(page)
    message = str(failure.value)
    assert "serious or critical accessibility violation(s) on " + f"{site}/login/" in message
    assert "[critical] label: Form elements must have labels" in message
    assert "at #id_email:" in message
    assert "[serious] color-contrast:" in message
    assert "at #faint:" in message
