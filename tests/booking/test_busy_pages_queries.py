"""No N+1 on the busiest booking pages and endpoints: the availability API, the search results,
choosing a slot, the person's bookings and the staff diary read no more queries with several
bookings or rooms than with one (a search may read fewer, when its page fills sooner)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import selectors
from tests.factories import UserFactory, api_client, book_ceremony, make_bookable_office
from tests.factories.booking import ceremony_slots

pytestmark = pytest.mark.django_db

MORE = 4


def _count(request) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    return len(captured.captured_queries), response


def _more_offices(count: int) -> None:
    for index in range(count):
        make_bookable_office(code=f"E-MORE{index}", latitude=f"53.{80 + index}", longitude="-1.5492")
    selectors.current_calendar()  # a changed calendar is read once, by the first search after it


def _availability():
    first, _last = selectors.bookable_dates("ceremony")
    return api_client().get(
        "/api/v1/booking/availability",
        {"kind": "ceremony", "from": first.isoformat(), "to": (first + timedelta(days=30)).isoformat(), "limit": 100},
    )


def test_availability_reads_no_more_queries_for_many_rooms_than_for_one(calendar):
    selectors.current_calendar()
    few, response = _count(_availability)
    assert len({slot["room_id"] for slot in response.json()}) == 1
    _more_offices(MORE)
    many, response = _count(_availability)
    assert len({slot["room_id"] for slot in response.json()}) == 1 + MORE
    assert many <= few


def _results_page(client):
    first, _last = selectors.bookable_dates("ceremony")
    last = first + timedelta(days=30)
    posted = client.post(
        reverse("booking:search"),
        {
            "date_from_0": first.day,
            "date_from_1": first.month,
            "date_from_2": first.year,
            "date_to_0": last.day,
            "date_to_1": last.month,
            "date_to_2": last.year,
            "place": "Leeds",
            "order": "distance",
        },
    )
    assert posted.status_code == 303
    return lambda: client.get(posted["Location"])


def test_the_search_results_read_no_more_queries_for_many_venues_than_for_one(client, calendar):
    selectors.current_calendar()
    few, response = _count(_results_page(client))
    assert response.status_code == 200 and len({slot.room.pk for slot in response.context["slots"]}) == 1
    _more_offices(MORE)
    many, response = _count(_results_page(client))
    assert len({slot.room.pk for slot in response.context["slots"]}) > 1
    assert many <= few


def _choose(client, slot):
    return lambda: client.post(
        reverse("booking:hold"), {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "guests": 2}
    )


def test_choosing_a_slot_reads_no_more_queries_however_busy_the_office(client, office, person):
    selectors.current_calendar()
    few, response = _count(_choose(client, ceremony_slots(office)[0]))
    assert response.status_code == 302
    for _index in range(MORE):
        book_ceremony(ceremony_slots(office)[0])
    many, response = _count(_choose(client, ceremony_slots(office)[0]))
    assert response.status_code == 302
    assert many <= few


def test_a_persons_bookings_read_no_more_queries_for_many_than_for_one(client, office, person):
    book_ceremony(ceremony_slots(office)[0], person=person)
    few, response = _count(lambda: client.get(reverse("booking:mine")))
    assert response.status_code == 200
    for _index in range(MORE):
        book_ceremony(ceremony_slots(office)[0], person=person)
    many, response = _count(lambda: client.get(reverse("booking:mine")))
    assert response.content.decode().count("BK-") >= 1 + MORE
    assert many <= few


def test_the_staff_diary_reads_no_more_queries_for_many_bookings_than_for_one(client, office, registrar):
    first = book_ceremony(ceremony_slots(office)[0])
    day = first.starts_at.astimezone(selectors.UK).date()
    url = reverse("booking-staff:diary", args=[office.code]) + f"?date={day.isoformat()}"
    few, response = _count(lambda: client.get(url))
    assert response.status_code == 200 and first.reference in response.content.decode()
    booked = [first]
    while len(booked) < 3:
        slot = next((slot for slot in ceremony_slots(office) if slot.local_start.date() == day), None)
        if slot is None:
            break
        booked.append(book_ceremony(slot, person=UserFactory()))
    many, response = _count(lambda: client.get(url))
    page = response.content.decode()
    assert len(booked) > 1 and all(booking.reference in page for booking in booked)
    assert many <= few
