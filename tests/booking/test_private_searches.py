"""The availability searches of the citizen pages carry a postcode or town: they are posted, kept
in the session under a token, and shown and paged at `?search=<token>&page=N`; a search written
into a query string is never run."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.forms import DEFAULT_RESULTS
from booking.models import Booking
from tests.factories import book_ceremony, first_ceremony_slot

pytestmark = pytest.mark.django_db


def _search(first, last, **extra) -> dict:
    return {
        "date_from_0": first.day,
        "date_from_1": first.month,
        "date_from_2": first.year,
        "date_to_0": last.day,
        "date_to_1": last.month,
        "date_to_2": last.year,
        **extra,
    }


def _a_month():
    first, _last = selectors.bookable_dates("ceremony")
    return _search(first, first + timedelta(days=30), place="Leeds")


def test_a_posted_search_redirects_to_a_token_url_without_the_place(client, calendar):
    response = client.post(reverse("booking:search"), _a_month())
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(reverse("booking:search") + "?search=")
    assert "Leeds" not in location and "date_from" not in location
    results = client.get(location)
    page = results.content.decode()
    assert results.status_code == 200 and calendar[1].name in page and "km away" in page
    # The form shows the search again, and posts it.
    assert 'value="Leeds"' in page and 'method="post"' in page


def test_a_search_in_the_query_string_is_never_run(client, calendar):
    response = client.get(reverse("booking:search"), _a_month() | {"submit": "Search"})
    assert response.status_code == 200
    assert response.context["slots"] is None
    assert 'value="Leeds"' not in response.content.decode()
    assert "time found" not in response.content.decode() and "times found" not in response.content.decode()


def test_later_times_are_the_next_page_of_the_same_search(client, calendar):
    first_page = client.post(reverse("booking:search"), _a_month(), follow=True)
    slots = first_page.context["slots"]
    assert len(slots) == DEFAULT_RESULTS
    later_url = first_page.context["later_url"]
    token = first_page.request["QUERY_STRING"].split("=", 1)[1]
    assert later_url == f"?search={token}&page=2"
    assert "earlier_url" not in first_page.context
    second_page = client.get(reverse("booking:search") + later_url)
    later = second_page.context["slots"]
    assert later and later[0].starts_at >= slots[-1].starts_at
    assert not {(s.room.pk, s.starts_at) for s in later} & {(s.room.pk, s.starts_at) for s in slots}
    assert second_page.context["earlier_url"] == f"?search={token}&page=1"
    assert "Show earlier times" in second_page.content.decode()


@pytest.mark.parametrize("page", ["0", "-3", "lots", "99999"])
def test_a_nonsense_page_number_shows_a_page_of_results(client, calendar, page):
    location = client.post(reverse("booking:search"), _a_month())["Location"]
    response = client.get(f"{location}&page={page}")
    assert response.status_code == 200 and response.context["slots"]


def test_an_unknown_or_old_token_asks_for_the_search_again(client, calendar):
    unknown = client.get(reverse("booking:search"), {"search": "made-up"})
    assert unknown.status_code == 200 and unknown.context["slots"] is None
    assert "That search has expired" in unknown.content.decode()
    location = client.post(reverse("booking:search"), _a_month())["Location"]
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        old = client.get(location)
    assert old.context["slots"] is None and "That search has expired" in old.content.decode()


def test_a_token_means_nothing_in_another_session(client, calendar):
    location = client.post(reverse("booking:search"), _a_month())["Location"]
    other = Client().get(location)
    assert other.context["slots"] is None and "That search has expired" in other.content.decode()


def test_a_bad_search_is_a_clear_400_and_keeps_what_was_typed(client, calendar):
    today = timezone.localdate()
    response = client.post(
        reverse("booking:search"), _search(today + timedelta(days=60), today + timedelta(days=40), place="Leeds")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "The last date must be the same as or after" in page
    assert 'value="Leeds"' in page


def test_moving_a_booking_searches_privately_too(client, calendar, person):
    booking = book_ceremony(first_ceremony_slot(), person=person)
    url = reverse("booking:move", args=[booking.reference])
    first, _last = selectors.bookable_dates("ceremony")
    response = client.post(url, _search(first, first + timedelta(days=30), place="LS1 3AD"))
    assert response.status_code == 303 and "LS1" not in response["Location"]
    results = client.get(response["Location"])
    assert results.context["slots"] and results.context["moving"] == booking
    assert Booking.objects.get(pk=booking.pk).starts_at == booking.starts_at
