"""Dates in the booking pages' and API's messages are written in words ("1 June 2028", in Welsh
"1 Mehefin 2028"), never as 01/06/2028, and say something true about the dates allowed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.models import Booking
from tests.factories import api_client

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def _search(first, last) -> dict:
    return {
        "date_from_0": first.day,
        "date_from_1": first.month,
        "date_from_2": first.year,
        "date_to_0": last.day,
        "date_to_1": last.month,
        "date_to_2": last.year,
    }


def _last_bookable() -> date:
    return TODAY + timedelta(days=settings.BOOKING_HORIZON_DAYS)


@time_machine.travel("2026-12-02 10:00 +00:00")
def test_a_search_beyond_the_horizon_names_the_first_day_too_far_in_words(client, calendar):
    last = _last_bookable()
    beyond = last + timedelta(days=5)
    response = client.post(reverse("booking:search"), _search(beyond, beyond + timedelta(days=5)))
    page = response.content.decode()
    first_too_far = last + timedelta(days=1)
    assert response.status_code == 400
    assert f"Enter a date before {first_too_far.day} {first_too_far:%B %Y}" in page
    assert first_too_far.strftime("%d/%m/%Y") not in page and last.strftime("%d/%m/%Y") not in page
    # The last bookable day itself is searched: "before" the day after it is true.
    assert client.post(reverse("booking:search"), _search(last, last)).status_code == 303


@time_machine.travel("2026-12-02 10:00 +00:00")
def test_a_search_ending_before_the_first_bookable_day_names_it_in_words(client, calendar):
    first, _last = selectors.bookable_dates("ceremony")
    response = client.post(reverse("booking:search"), _search(TODAY + timedelta(days=2), TODAY + timedelta(days=3)))
    page = response.content.decode()
    assert response.status_code == 400
    assert f"The earliest date you can book is {first.day} {first:%B %Y}" in page
    assert first.strftime("%d/%m/%Y") not in page


@time_machine.travel("2026-12-02 10:00 +00:00")
def test_the_dates_in_the_messages_are_welsh_in_welsh(client, calendar):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    beyond = _last_bookable() + timedelta(days=5)
    page = client.post(reverse("booking:search"), _search(beyond, beyond)).content.decode()
    first_too_far = _last_bookable() + timedelta(days=1)
    assert first_too_far.strftime("%d/%m/%Y") not in page
    assert f"{first_too_far.day} Mehefin {first_too_far.year}" in page  # June, 18 months on


@time_machine.travel("2026-12-02 10:00 +00:00")
def test_the_api_names_the_bookable_days_in_words(calendar, person):
    room = calendar[2]
    first, last = selectors.bookable_dates("ceremony")
    response = api_client(person).post(
        "/api/v1/booking/holds",
        {"room_id": room.pk, "starts_at": "2099-01-01T10:00:00Z", "kind": "ceremony"},
        format="json",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["error"]["fields"]["starts_at"])
    assert f"Choose a day from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}" in message
    assert not Booking.objects.exists()


def test_the_search_page_says_from_when_it_can_book_and_never_a_past_day(client, calendar):
    page = client.get(reverse("booking:search")).content.decode()
    first, last = selectors.bookable_dates("ceremony")
    assert f"You can book from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}." in page
    assert first > timezone.localdate()
    assert "full days living there" not in page
