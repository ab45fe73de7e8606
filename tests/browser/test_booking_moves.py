"""In Chromium with axe: the ceremony search keeps the place out of the address (its results and
later times at a token address), and moving a booking shows the new time to check before anything
moves; a cancelled ceremony offers no witnesses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from booking import selectors, services
from booking.models import Booking
from tests.browser.journeys import fill_date, sign_in
from tests.factories import UserFactory, add_parties, make_bookable_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _provisional(person) -> Booking:
    first, _last = selectors.bookable_dates("ceremony")
    slot = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=14), limit=1)
    )[0]
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    return services.confirm_hold(booking=booking, actor=person)


def test_a_search_is_posted_and_a_move_is_checked_before_it_is_made(checked_page):
    make_bookable_office()
    person = UserFactory(email="robin@example.com")
    booking = _provisional(person)
    old_start = booking.starts_at
    checked = checked_page()
    sign_in(checked, "robin@example.com")
    page = checked.goto(reverse("booking:search"))
    first, _last = selectors.bookable_dates("ceremony")
    page.get_by_label("Postcode or town").fill("LS1 3AD")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=30))
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert "?search=" in page.url and "LS1" not in page.url and "date_from" not in page.url
    assert "times found" in page.locator("#results-heading").inner_text()
    page.get_by_role("link", name="Show later times").click()
    checked.check()
    assert "&page=2" in page.url and page.get_by_role("link", name="Show earlier times").is_visible()

    checked.goto(reverse("booking:manage", args=[booking.reference]))
    page.get_by_role("link", name="Move to another date or time").click()
    checked.check()
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=30))
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert "?search=" in page.url
    page.get_by_role("button", name="Choose").nth(1).click()
    checked.check()
    assert page.title().startswith("Check your new time")
    booking.refresh_from_db()
    assert booking.starts_at == old_start  # nothing moved yet
    page.get_by_role("button", name="Move my booking").click()
    checked.check()
    assert "Your booking has moved" in page.locator(".govuk-notification-banner").inner_text()
    booking.refresh_from_db()
    assert booking.starts_at != old_start

    services.cancel_booking(booking=booking, actor=person)
    page = checked.goto(reverse("booking:manage", args=[booking.reference]))
    assert page.get_by_role("link", name="Add witnesses").count() == 0
    assert "Name your two witnesses" not in page.content()
