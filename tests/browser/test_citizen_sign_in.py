"""A citizen signs in in a real browser, reading the code from the development outbox; every
page passes axe with zero violations, with and without JavaScript, in English and Welsh."""

from __future__ import annotations

import pytest

from tests.browser.journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_signs_in_with_a_code_from_the_outbox(checked_page):
    checked = checked_page()
    sign_in(checked, "ada@example.com")
    page = checked.page
    assert page.url.endswith("/account/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert "ada@example.com" in page.content()


def test_sign_in_works_without_javascript(checked_page):
    checked = checked_page(javascript=False)
    sign_in(checked, "grace@example.com")
    assert checked.page.url.endswith("/account/")


def test_errors_show_the_govuk_error_summary(checked_page):
    checked = checked_page()
    page = checked.goto("/sign-in/")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert "The security code is incorrect" in page.locator(".govuk-error-summary").inner_text()


def test_other_pages_and_welsh_pass_axe(checked_page):
    checked = checked_page()
    for path in ["/staff/sign-in/", "/accessibility/", "/cookies/", "/privacy/", "/no-such-page/"]:
        checked.goto(path)
    page = checked.goto("/sign-in/")
    page.get_by_role("link", name="Cymraeg").click()
    checked.check()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name="Mewngofnodi gyda’ch cyfeiriad e-bost").is_visible()
