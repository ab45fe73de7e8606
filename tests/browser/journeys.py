"""Steps the browser journeys share: signing in as a citizen (code from the development outbox)
or as staff (password and authenticator app), filling GOV.UK inputs, Welsh words from the
catalogue, and extra checks on every page a journey visits (the sandbox warning; axe with
JavaScript off)."""

from __future__ import annotations

import re

import pyotp

from identity.models import StaffAuthenticator
from tests.factories import STAFF_PASSWORD


def code_from_outbox(checked) -> str:
    page = checked.goto("/dev/outbox/")
    body = page.get_by_test_id("message-body").first.inner_text()
    return re.search(r"\b(\d{6})\b", body).group(1)


def sign_in(checked, email: str) -> None:
    page = checked.goto("/")
    page.get_by_role("button", name="Start now").click()
    checked.check()
    assert page.title().startswith("Sign in with your email address")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    code = code_from_outbox(checked)
    checked.goto("/sign-in/code/")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    checked.check()


def staff_sign_in(checked, staff) -> None:
    page = checked.goto("/staff/sign-in/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    checked.check()
    secret = StaffAuthenticator.objects.get(user=staff).secret
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    checked.check()


def fill_date(page, prefix, value):
    page.locator(f"#id_{prefix}_0").fill(str(value.day))
    page.locator(f"#id_{prefix}_1").fill(str(value.month))
    page.locator(f"#id_{prefix}_2").fill(str(value.year))


def party_details(page, name, postcode="LS1 3AD"):
    page.get_by_label("Full name").fill(name)
    page.locator("#id_date_of_birth_0").fill("17")
    page.locator("#id_date_of_birth_1").fill("5")
    page.locator("#id_date_of_birth_2").fill("1990")
    page.get_by_label("Postcode of their home address").fill(postcode)
    page.locator("#id_lived_there_since_0").fill("1")
    page.locator("#id_lived_there_since_1").fill("2")
    page.locator("#id_lived_there_since_2").fill("2020")
    page.get_by_role("button", name="Continue").click()


def welsh(text: str) -> str:
    """`text` as the Welsh pages show it, from the service's own catalogue, so that a journey can
    find Welsh buttons and headings without copying Welsh into the test. Fails when the string
    has no Welsh translation."""
    from django.utils import translation

    with translation.override("cy"):
        words = translation.gettext(text)
    assert words != text, f"No Welsh for {text!r}"
    return words


def warned_of_sandboxes(checked):
    """From now on every page `checked` visits must show the warning that sandbox identity
    checkers are switched on."""
    check = checked.check

    def check_and_look_for_the_warning():
        page = check()
        assert page.locator("[data-sandbox-checkers]").count() == 1, f"No sandbox warning on {page.url}"
        return page

    checked.check = check_and_look_for_the_warning
    return checked


def axe_without_javascript(checked, browser):
    """From now on every page `checked` (a page with JavaScript off) visits is also checked by
    axe: the HTML it received is shown, with the site's scripts blocked, in a page of its own
    where axe can run. Returns that page's browser context, for the caller to close."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    mirror = context.new_page()
    mirror.route("**/*.js", lambda route: route.abort())
    check = checked.check

    def check_with_axe():
        page = check()
        html, url = page.content(), page.url
        mirror.route(
            lambda address: address == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
            times=1,
        )
        mirror.goto(url)
        assert mirror.title() == page.title(), "axe would check another page than the one shown"
        results = Axe().run(mirror)
        assert results.violations_count == 0, f"{url} (without JavaScript)\n{results.generate_report()}"
        return page

    checked.check = check_with_axe
    return context
