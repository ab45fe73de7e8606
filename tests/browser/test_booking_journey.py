"""Booking a ceremony in Chromium: search, choose, both people's details, check answers with
the hold timeout warning used from the keyboard, book, and cancel; axe on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from booking import selectors
from booking.models import Booking
from tests.browser.journeys import fill_date, party_details, sign_in
from tests.factories import make_bookable_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING_AFTER_SECONDS = 45
WARNING_WAIT_MS = (WARNING_AFTER_SECONDS + 15) * 1000


@pytest.fixture(autouse=True)
def _settings(settings):
    # The warning opens 45 seconds into the hold instead of 13 minutes: long enough to fill in both
    # people's details, each page checked by axe, on a busy machine before the dialog covers them.
    settings.BOOKING_HOLD_WARNING_SECONDS = settings.BOOKING_HOLD_MINUTES * 60 - WARNING_AFTER_SECONDS


def test_book_and_cancel_a_ceremony_with_the_keyboard_timeout_warning(checked_page):
    office, venue, *_ = make_bookable_office()
    checked = checked_page()
    sign_in(checked, "robin@example.com")
    page = checked.page
    checked.goto("/book/")
    page.get_by_role("button", name="Search for a date").click()
    checked.check()
    page.get_by_role("button", name="Search").click()  # nothing entered
    checked.check()
    assert "Enter the first date" in page.locator(".govuk-error-summary").inner_text()
    first, _last = selectors.bookable_dates("ceremony")
    page.get_by_label("Postcode or town").fill("LS1 3AD")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=14))
    page.get_by_label("Saturday").check()
    page.get_by_label("Number of guests").fill("30")
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert "times found" in page.locator("#results-heading").inner_text()
    page.get_by_role("button", name="Choose").first.click()
    checked.check()
    assert page.title().startswith("Your details")
    party_details(page, "Robin Example")
    checked.check()
    party_details(page, "Kit Example")
    checked.check()
    assert page.title().startswith("Check your answers before booking")
    booking = Booking.objects.get(person__email="robin@example.com")
    assert booking.starts_at.astimezone(selectors.UK).weekday() == 5
    first_expiry = booking.hold_expires_at

    # The warning opens by itself, takes focus, and Escape closes it.
    dialog = page.locator("#hold-timeout")
    dialog.wait_for(state="visible", timeout=WARNING_WAIT_MS)
    assert page.evaluate("document.activeElement.textContent").strip() == "Hold it for 15 more minutes"
    checked.check()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # It opens again on the next page load; Enter on the focused button extends the hold.
    page.reload()
    dialog.wait_for(state="visible", timeout=WARNING_WAIT_MS)
    assert page.evaluate("document.activeElement.textContent").strip() == "Hold it for 15 more minutes"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    booking.refresh_from_db()
    assert booking.hold_expires_at > first_expiry
    assert page.title().startswith("Check your answers before booking")

    page.get_by_role("button", name="Book provisionally").click()
    checked.check()
    assert "Ceremony booked provisionally" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Give notice").is_visible()  # online, on the marriage pages
    checked.goto(reverse("booking:manage", args=[booking.reference]))
    page.get_by_role("link", name="Cancel booking").click()
    checked.check()
    page.get_by_role("button", name="Cancel this booking").click()  # nothing chosen
    checked.check()
    page.get_by_label("Yes, cancel it").check()
    page.get_by_role("button", name="Cancel this booking").click()
    checked.check()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "is cancelled" in page.locator(".govuk-notification-banner").inner_text()


def test_search_and_results_work_without_javascript(checked_page):
    make_bookable_office()
    checked = checked_page(javascript=False)
    page = checked.goto("/book/search/")
    first, _last = selectors.bookable_dates("ceremony")
    page.get_by_label("Postcode or town").fill("Leeds")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=7))
    page.get_by_label("Nearest venue").check()
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert page.get_by_role("link", name="Sign in to choose this time").count() > 0
