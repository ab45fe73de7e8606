"""A person whose identity check went to a registrar books an identity video appointment in
Chromium, and a registrar of the office records the live comparison from the day's identity
appointments; axe on every page, in English, and the start page in Welsh."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking import selectors
from booking.models import Booking
from identity import roles
from identity.models import EvidenceCheck, User
from tests.browser.journeys import fill_date, sign_in, staff_sign_in
from tests.factories import StaffFactory, make_identity_office, submit_passport_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_books_a_video_appointment_and_a_registrar_records_the_comparison(checked_page):
    office = make_identity_office()[0]
    citizen = checked_page()
    sign_in(citizen, "pat@example.com")
    person = User.objects.get(email="pat@example.com")
    case = submit_passport_check(person=person)
    page = citizen.goto("/identity/")
    page.get_by_role("link", name="Book an identity appointment").click()
    citizen.check()
    page.get_by_role("button", name="Continue").click()
    citizen.check()
    assert "Select how you would like to meet the registrar" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("By video call").check()
    page.get_by_role("button", name="Continue").click()
    citizen.check()
    first, _last = selectors.bookable_dates("identity_video")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=14))
    page.get_by_role("button", name="Search").click()
    citizen.check()
    page.get_by_role("button", name="Choose").first.click()
    citizen.check()
    page.get_by_role("button", name="Book appointment").click()
    citizen.check()
    booking = Booking.objects.get(person=person)
    assert booking.status == "confirmed" and page.get_by_role("link", name="Join the video call").is_visible()
    citizen.goto("/language/cy/?next=/book/identity/")
    citizen.goto("/book/identity/")

    registrar = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Desk")
    registrar.offices.add(office)
    staff = checked_page()
    staff_sign_in(staff, registrar)
    console = staff.goto(
        f"/staff/booking/{office.code}/identity-appointments/?date={booking.starts_at.astimezone(selectors.UK).date().isoformat()}"
    )
    console.get_by_role("link", name="Compare with their document").first.click()
    staff.check()
    console.get_by_role("button", name="Record what you saw").click()
    staff.check()
    assert console.locator(".govuk-error-summary").is_visible()
    console.get_by_label("By video call").check()
    console.get_by_label("The person's face matches the photo on the document").check()
    console.get_by_label("The details on the document match the details given").check()
    console.get_by_label("I checked the document's visible security features").check()
    console.get_by_role("button", name="Record what you saw").click()
    staff.check()
    assert "What you saw is recorded" in console.content()
    check = EvidenceCheck.objects.get(case=case, kind="trained_comparison")
    assert check.outcome == "passed" and check.performed_by == registrar
