"""The schedule's pages in Chromium with axe: the registrar's page for the day on a phone's width
(with JavaScript, then registering without it), the paper schedule's errors, the schedules not
returned, and the couple’s schedule of a religious marriage."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from registrar.marriage import schedule_selectors
from registrar.models import RegisterEntry
from tests.browser.journeys import axe_without_javascript, fill_date, sign_in, staff_sign_in
from tests.factories.marriage_schedules import authorised_proposal, registrar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_the_day_page_passes_axe_on_a_phone_and_registers_without_javascript(checked_page, browser):
    proposal = authorised_proposal()
    staff = registrar(proposal.district, full_name="Rhian Registrar")
    url = f"/staff/marriages/schedule/{proposal.reference}/ceremony/"

    checked = checked_page()
    checked.page.set_viewport_size(PHONE)
    staff_sign_in(checked, staff)
    page = checked.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Register").click()  # the parties not confirmed, no witnesses
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not RegisterEntry.objects.exists()

    plain = checked_page(javascript=False)
    plain.page.set_viewport_size(PHONE)
    mirror = axe_without_javascript(plain, browser)
    try:
        staff_sign_in(plain, registrar(proposal.district, full_name="Gwen Super"))  # a code is used once
        page = plain.goto(url)
        page.get_by_label("I have confirmed who both parties are").check()
        for name, value in (
            ("officiant_1_name", "Gwen Super"),
            ("officiant_1_role", "Superintendent registrar"),
            ("officiant_2_name", "Rhian Registrar"),
            ("officiant_2_role", "Registrar"),
            ("witness_1_name", "Alun Witness"),
            ("witness_2_name", "Bethan Witness"),
        ):
            page.locator(f"#id_{name}").fill(value)
        fill_date(page, "ceremony_date", datetime.date.today())
        fill_date(page, "witness_1_date_of_birth", datetime.date(1980, 1, 1))
        fill_date(page, "witness_2_date_of_birth", datetime.date(1985, 2, 2))
        page.get_by_label("The schedule was signed by both parties, both witnesses and the officiants").check()
        page.keyboard.press("Tab")
        page.get_by_role("button", name="Register").focus()
        page.keyboard.press("Enter")
        plain.check()
        entry = RegisterEntry.objects.get()
        assert entry.entry_reference in page.content()
    finally:
        mirror.close()


def test_the_schedules_not_returned_and_the_paper_schedule_pass_axe(checked_page):
    proposal = authorised_proposal(form="religious")
    staff = registrar(proposal.district)
    day = schedule_selectors.ceremony_date(proposal)
    checked = checked_page()
    late = datetime.datetime.combine(day + datetime.timedelta(days=22), datetime.time(10))
    with time_machine.travel(late, tick=True):
        staff_sign_in(checked, staff)
        page = checked.goto("/staff/marriages/schedules/")
        assert proposal.schedule.reference in page.content()
        checked.goto("/staff/registrar/dashboard/")
        page = checked.goto(f"/staff/marriages/schedule/{proposal.reference}/paper/")
        page.get_by_role("button", name="Register from the paper schedule").click()
        checked.check()
        assert page.locator(".govuk-error-summary").is_visible()


def test_the_couples_schedule_of_a_religious_marriage_passes_axe(checked_page):
    proposal = authorised_proposal(form="religious")
    person = proposal.notices.first().person
    checked = checked_page()
    sign_in(checked, person.email)
    page = checked.goto(f"/marry/schedule/{proposal.reference}/")
    assert proposal.schedule.reference in page.content()
    assert page.get_by_role("link", name="Download a printable copy (PDF)").is_visible()
