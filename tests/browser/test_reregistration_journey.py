"""A birth re-registered by both parents in Chromium, axe on every page: the mother, in English
with JavaScript off, starts from "Your registrations", names the father and confirms; the
father, in Welsh, follows the emailed link and confirms; the new entry is written and the
original marked. The Welsh half finds its controls by name and role, not by their words, so it
holds before and after the Welsh catalogue is merged."""

from __future__ import annotations

import re

import pytest

from registrar.models import EntryReRegistration, ReRegistration
from registrar.reregistration import services
from tests.browser.journeys import axe_without_javascript, sign_in
from tests.factories import UserFactory, verify_identity
from tests.factories.reregistration import birth_of_unmarried_mother

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings, live_server):
    settings.SITE_URL = live_server.url


def _submit(checked):
    checked.page.locator("#main-content button[name=submit]").first.click()
    return checked.check()


def test_both_parents_reregister_a_birth_online(checked_page, browser):
    from tests.factories import make_leeds_offices

    make_leeds_offices()
    mother = UserFactory(email="emma.rr@example.com", full_name="Emma Clarke")
    father = UserFactory(email="daniel.rr@example.com", full_name="Daniel Hartley")
    verify_identity(mother)
    verify_identity(father)
    entry = birth_of_unmarried_mother(mother)

    # The mother, without JavaScript (axe on the HTML she received).
    mum = checked_page(javascript=False)
    mirror = axe_without_javascript(mum, browser)
    try:
        sign_in(mum, mother.email)
        page = mum.goto("/register/yours/")
        page.get_by_role("link", name=re.compile("Re-register a birth")).click()
        mum.check()
        page.get_by_role("link", name=re.compile(entry.forenames)).click()
        mum.check()
        page.get_by_label("To name the father or second parent, who was not named at first").check()
        page.get_by_role("button", name="Continue").click()
        mum.check()
        page.get_by_role("button", name="Save and continue").click()  # nothing given: errors
        mum.check()
        assert page.locator(".govuk-error-summary").is_visible()
        page.get_by_label("Father's or second parent's first and middle names").fill("Daniel")
        page.get_by_label("Father's or second parent's surname").fill("Hartley")
        page.get_by_label("Their place of birth").fill("Cardiff")
        page.get_by_label("The child's surname from now on").fill("Hartley")
        page.get_by_label("The other parent's email address").fill(father.email)
        page.get_by_role("button", name="Save and continue").click()
        mum.check()
        assert page.get_by_role("heading", name="Check the new details").is_visible()
        page.get_by_label(re.compile("I confirm the new particulars")).check()
        page.get_by_role("button", name="Confirm and send to the other parent").click()
        mum.check()
        assert page.get_by_role("heading", name="Waiting for the other parent").is_visible()
    finally:
        mirror.close()

    # The father, in Welsh, from the emailed link.
    reregistration = ReRegistration.objects.get()
    link = f"/register/re-registration/invitation/{services.invitation_token(reregistration)}/"
    dad = checked_page()
    sign_in(dad, father.email)
    page = dad.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    dad.check()
    assert page.locator("html").get_attribute("lang") == "cy"
    page = dad.goto(link)
    assert "Hartley" in page.locator("main").inner_text()
    page.locator("input[name=confirmed]").check()
    _submit(dad)
    assert page.locator(".govuk-panel--confirmation").is_visible()
    assert page.locator("html").get_attribute("lang") == "cy"
    mark = EntryReRegistration.objects.get(original=entry)
    assert mark.new_entry.entry_reference in page.locator("main").inner_text()
