"""Giving notice online in Chromium with axe on every page: one person starts from their
provisional ceremony, meets an error, answers every question and sends; the other person is
invited, joins from the link and answers too, with JavaScript off."""

from __future__ import annotations

import datetime
import re

import pytest

from identity.models import OutboundMessage, User
from registrar.models import Notice, Proposal
from tests.browser.journeys import axe_without_javascript, fill_date, sign_in
from tests.factories import verify_identity
from tests.factories.marriage import civil_ceremony

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue(checked):
    checked.page.get_by_role("button", name="Continue").click()
    return checked.check()


def _answer_the_questions(checked, *, forenames: str, surname: str, born: datetime.date) -> None:
    page = checked.page
    page.get_by_label("First and middle names").fill(forenames)
    page.get_by_label("Surname").fill(surname)
    _continue(checked)
    fill_date(page, "date_of_birth", born)
    _continue(checked)
    page.locator("input[name=condition][value=never]").check()
    _continue(checked)
    page.get_by_label("Your occupation").fill("Teacher")
    _continue(checked)
    page.get_by_label("Your address").fill("1 Park Row\nLeeds")
    page.get_by_label("Postcode").fill("LS1 3AD")
    fill_date(page, "lived_there_since", datetime.date(2020, 1, 1))
    _continue(checked)
    page.locator("input[name=nationality][value=british]").check()
    _continue(checked)
    page.locator("input[name=confirmed][value=yes]").check()
    _continue(checked)
    page.locator("#id_parent_1_forenames").fill("Ann")
    page.locator("#id_parent_1_surname").fill(surname)
    page.locator("#id_parent_2_forenames").fill("David")
    page.locator("#id_parent_2_surname").fill(surname)
    _continue(checked)
    page.locator("#id_confirmed").check()
    _continue(checked)
    assert page.title().startswith("Check your answers before sending your notice")


def test_both_people_give_notice_in_the_browser(checked_page, browser):
    first = checked_page()
    sign_in(first, "sarah@example.com")
    sarah = User.objects.get(email="sarah@example.com")
    verify_identity(sarah)
    ceremony = civil_ceremony(person=sarah)
    page = first.goto("/marry/")
    page.get_by_role("link", name=re.compile("For your ceremony at")).click()
    first.check()
    page.get_by_label("Marriage", exact=True).check()
    page.get_by_role("button", name="Start giving notice").click()
    first.check()
    # A date of birth that is no date: refused with the reason, nothing lost.
    page.get_by_label("First and middle names").fill("Sarah")
    page.get_by_label("Surname").fill("Morgan")
    _continue(first)
    fill_date(page, "date_of_birth", datetime.date(1990, 3, 11))
    page.locator("#id_date_of_birth_0").fill("31")
    page.locator("#id_date_of_birth_1").fill("2")
    _continue(first)
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("link", name="Back", exact=True).click()
    first.check()
    _answer_the_questions(first, forenames="Sarah", surname="Morgan", born=datetime.date(1990, 3, 11))
    page.get_by_role("button", name="Send your notice").click()
    first.check()
    assert page.get_by_role("heading", name="Notice sent").is_visible()
    proposal = Proposal.objects.get(ceremony=ceremony)
    page.get_by_role("link", name="See both notices").click()
    first.check()
    page.get_by_label("The other person's email address").fill("rhys@example.com")
    page.get_by_role("button", name="Send the invitation").click()
    first.check()
    assert "We have emailed the invitation" in page.content()

    link = re.search(r"(/marry/join/\S+/)", OutboundMessage.objects.get(to="rhys@example.com").body).group(1)
    second = checked_page(javascript=False)
    mirror = axe_without_javascript(second, browser)
    try:
        sign_in(second, "rhys@example.com")
        rhys = User.objects.get(email="rhys@example.com")
        page = second.goto(link)
        assert page.get_by_role("link", name="Prove your identity").is_visible()
        verify_identity(rhys)
        page = second.goto(link)
        page.get_by_role("button", name="Accept and give my notice").click()
        second.check()
        _answer_the_questions(second, forenames="Rhys", surname="Pritchard", born=datetime.date(1988, 7, 2))
        page.get_by_role("button", name="Send your notice").click()
        second.check()
        page = second.goto(f"/marry/proposal/{proposal.reference}/")
        assert page.locator("table").inner_text().count("Sent: waiting for the interview") == 2
    finally:
        mirror.close()
    assert set(Notice.objects.filter(proposal=proposal).values_list("status", flat=True)) == {"sent"}
