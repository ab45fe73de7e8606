"""Phone support books a ceremony for a person in Chromium: the person gets a consent code on
their account page, the staff member finds them, enters the code, books in the assisted session
and ends it; axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking import selectors
from booking.models import Booking
from identity import cases, roles
from identity.models import AuditEntry, User
from tests.browser.journeys import fill_date, party_details, sign_in, staff_sign_in
from tests.factories import StaffFactory, make_bookable_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_support_books_a_ceremony_for_a_person_with_their_consent(checked_page):
    make_bookable_office()
    citizen = checked_page()
    sign_in(citizen, "pat@example.com")
    person = User.objects.get(email="pat@example.com")
    case = cases.open_case(person=person)
    page = citizen.page
    page.get_by_role("link", name="Let phone support help you").click()
    citizen.check()
    page.get_by_role("button", name="Get a consent code").click()
    citizen.check()
    code = page.locator(".govuk-panel__body").inner_text().strip()

    staff = checked_page()
    staff_sign_in(staff, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    console = staff.page
    console.get_by_role("link", name="Help a person by phone").click()
    staff.check()
    console.get_by_label("Reference number").fill(case.reference)
    console.get_by_role("button", name="Search").click()
    staff.check()
    assert "pat@example.com" not in console.content()  # the minimum, before consent
    console.get_by_role("link", name="Ask for consent").click()
    staff.check()
    console.get_by_label("Consent code").fill("WRNG-CODE")
    console.get_by_role("button", name="Start assisted session").click()
    staff.check()
    assert "not right" in console.locator(".govuk-error-summary").inner_text()
    console.get_by_label("Consent code").fill(code)
    console.get_by_role("button", name="Start assisted session").click()
    staff.check()
    assert "pat@example.com" in console.content()

    console.get_by_role("link", name="Book a ceremony for them").click()
    staff.check()
    assert "You are acting for" in console.content()
    first, _last = selectors.bookable_dates("ceremony")
    console.get_by_label("Postcode or town").fill("LS1 3AD")
    fill_date(console, "date_from", first)
    fill_date(console, "date_to", first + timedelta(days=14))
    console.get_by_role("button", name="Search").click()
    staff.check()
    console.get_by_role("button", name="Choose").first.click()
    staff.check()
    party_details(console, "Pat Example")
    staff.check()
    party_details(console, "Jo Example")
    staff.check()
    console.get_by_role("button", name="Book provisionally").click()
    staff.check()
    booking = Booking.objects.get(person=person)
    assert booking.status == "provisional"
    assert booking.reference in console.content()

    console.get_by_role("link", name="Back to the assisted session").click()
    staff.check()
    console.get_by_role("button", name="End the session").click()
    staff.check()
    assert console.title().startswith("Help a person by phone")
    done_for_pat = AuditEntry.objects.filter(action="assisted.action", on_behalf_of=person)
    assert done_for_pat.count() >= 4

    # The person sees the booking made for them.
    citizen.goto("/book/yours/")
    assert booking.reference in citizen.page.content()
