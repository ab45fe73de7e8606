"""The search page and the availability API are one search: the same query finds the same slots
or is refused with the same messages, because both bind it to the same form (DESIGN.md
invariant 10)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from booking import selectors
from tests.factories import api_client, make_bookable_office

pytestmark = pytest.mark.django_db

AVAILABILITY = "/api/v1/booking/availability"

# The API's names for the fields the page sends under other names.
API_NAMES = {"date_from": "from", "date_to": "to", "times": "time_of_day"}


@pytest.fixture
def two_cities(calendar):
    """Leeds (the calendar's office) and London, about 270 km apart: both bookable."""
    london = make_bookable_office(code="E-LONDON", postcode="SW1A 1AA", latitude="51.5014", longitude="-0.1419")
    return calendar, london


def _first_day() -> date:
    return selectors.bookable_dates("ceremony")[0]


def _page_params(query: dict) -> dict:
    params = {}
    for name, value in query.items():
        if name in ("from", "to"):
            day = date.fromisoformat(value)
            prefix = "date_from" if name == "from" else "date_to"
            params.update({f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year})
        elif name == "weekdays":
            params[name] = value.split(",")
        else:
            params[name] = value
    return params


def search_page(client, query: dict):
    """(status, the slots listed, the messages by field in the API's names) from the search page."""
    response = client.post(reverse("booking:search"), _page_params(query), follow=True)
    slots = response.context["slots"]
    found = None if slots is None else [(slot.room.pk, slot.starts_at) for slot in slots]
    errors = {API_NAMES.get(name, name): list(messages) for name, messages in response.context["form"].errors.items()}
    return response.status_code, found, errors


def search_api(query: dict):
    """(status, the slots listed, the messages by field) from the availability API."""
    response = api_client().get(AVAILABILITY, {"kind": "ceremony", **query})
    body = response.json()
    if response.status_code != 200:
        return response.status_code, None, body["error"]["fields"]
    return 200, [(slot["room_id"], datetime.fromisoformat(slot["starts_at"])) for slot in body], {}


def _range(days: int, *, start: int = 0) -> dict:
    first = _first_day() + timedelta(days=start)
    return {"from": first.isoformat(), "to": (first + timedelta(days=days)).isoformat()}


def test_a_search_near_a_postcode_finds_the_same_nearby_slots_on_the_page_and_in_the_api(client, two_cities):
    (_leeds, leeds_venue, *_rooms), (_london, london_venue, *_more) = two_cities
    # "Earliest date" is the page's pre-selected order, so the page always sends it.
    query = {"place": "LS1 3AD", "order": "date", **_range(14)}
    page, api = search_page(client, query), search_api(query)
    assert page == api
    status, slots, _errors = page
    assert status == 200 and slots
    rooms = {room_id for room_id, _starts in slots}
    assert rooms <= set(leeds_venue.rooms.values_list("pk", flat=True))
    assert not rooms & set(london_venue.rooms.values_list("pk", flat=True))


def test_a_national_search_finds_the_same_slots_on_the_page_and_in_the_api(client, two_cities):
    (_leeds, leeds_venue, *_rooms), (_london, london_venue, *_more) = two_cities
    query = {"weekdays": "sat", **_range(30)}
    page, api = search_page(client, query), search_api(query)
    assert page == api
    rooms = {room_id for room_id, _starts in page[1]}
    assert rooms & set(leeds_venue.rooms.values_list("pk", flat=True))
    assert rooms & set(london_venue.rooms.values_list("pk", flat=True))
    assert all(starts.astimezone(selectors.UK).weekday() == 5 for _room, starts in page[1])


def test_nearest_first_is_the_same_on_the_page_and_in_the_api(client, two_cities):
    query = {"place": "Leeds", "order": "distance", **_range(14)}
    page, api = search_page(client, query), search_api(query)
    assert page == api and page[0] == 200 and page[1]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {
                "from": (date.today() + timedelta(days=60)).isoformat(),
                "to": (date.today() + timedelta(days=40)).isoformat(),
            },
            "to",
            "The last date must be the same as or after the first date",
        ),
        (
            {
                "from": (date.today() - timedelta(days=20)).isoformat(),
                "to": (date.today() - timedelta(days=10)).isoformat(),
            },
            "to",
            "The last date must be in the future",
        ),
        (
            {"from": date.today().isoformat(), "to": (date.today() + timedelta(days=400)).isoformat()},
            "to",
            "Search 186 days or fewer at a time",
        ),
        (
            {"place": "Atlantis"},
            "place",
            "We could not find that place. Enter a postcode or a town in England or Wales",
        ),
        (
            {"place": "EH1 1YZ"},
            "place",
            "That postcode is not in England or Wales. This service covers register offices in England and Wales only",
        ),
        ({"place": "LS1 3A!"}, "place", "Enter a real postcode, like LS1 3AD, or a town in England or Wales."),
        ({"order": "distance"}, "place", "Enter a postcode or town to see the nearest venues"),
        ({"guests": "lots"}, "guests", "Number of guests must be a whole number, like 30"),
    ],
)
def test_a_refused_search_is_refused_the_same_way_on_the_page_and_in_the_api(client, calendar, query, field, message):
    page, api = search_page(client, {**_range(10, start=5), **query}), search_api({**_range(10, start=5), **query})
    assert page == api
    status, slots, errors = page
    assert status == 400 and slots is None
    assert errors == {field: [message]}


def test_the_search_limits_follow_the_settings_on_the_page_and_in_the_api(client, calendar, settings):
    settings.BOOKING_MAX_SEARCH_DAYS = 30
    query = _range(45)
    page, api = search_page(client, query), search_api(query)
    assert page == api == (400, None, {"to": ["Search 30 days or fewer at a time"]})
