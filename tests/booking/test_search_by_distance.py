"""The search by distance stops once its page is full: a venue at least as far as the page's
last result can add only later slots, so it is not searched on. The results are the same, in the
same order, as walking every fortnight of the range for every nearby venue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking import selectors, services
from booking.models import Closure, RoomPattern
from core.places import Place
from tests.factories import UserFactory, make_bookable_office

pytestmark = pytest.mark.django_db

LEEDS = Place(name="LS1", latitude=53.7997, longitude=-1.5492)


@pytest.fixture
def calendar():
    """Four offices at different distances from Leeds: the nearest closed for its first three
    weeks, one open on Saturdays only, one with some slots taken, and the farthest closed until
    the last ten days of the search."""
    first, _last = selectors.bookable_dates("ceremony")
    near = make_bookable_office(code="E-DIST0", latitude="53.8010", longitude="-1.5500")
    Closure.objects.create(venue=near[1], starts_on=first, ends_on=first + timedelta(days=20), reason="Works")
    saturdays = make_bookable_office(code="E-DIST1", latitude="53.8300", longitude="-1.6000")
    RoomPattern.objects.filter(room=saturdays[2]).exclude(weekday=5).delete()
    busy = make_bookable_office(code="E-DIST2", latitude="53.9000", longitude="-1.4000")
    far = make_bookable_office(code="E-DIST3", latitude="54.3000", longitude="-1.0000")
    Closure.objects.create(venue=far[1], starts_on=first, ends_on=first + timedelta(days=80), reason="Repairs")
    search = selectors.SlotSearch(
        kind="ceremony", date_from=first, date_to=first + timedelta(days=20), office_ids=frozenset([busy[0].pk])
    )
    for slot in selectors.find_slots(search)[::2][:10]:
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    return first


def _search(first, **extra) -> selectors.SlotSearch:
    return selectors.SlotSearch(
        kind="ceremony",
        date_from=first,
        date_to=first + timedelta(days=90),
        place=LEEDS,
        radius_km=100,
        order="distance",
        **extra,
    )


def _seen(slots) -> list[tuple]:
    return [
        (slot.room.pk, slot.starts_at, slot.superintendent_id, slot.registrar_id, slot.distance_km) for slot in slots
    ]


@pytest.mark.parametrize("per_venue", [1, 3, 8])
def test_a_full_page_by_distance_is_the_first_page_of_the_whole_walk(calendar, per_venue):
    # Far more than can be found: the search walks every fortnight for every venue.
    whole = selectors.find_slots(_search(calendar, per_venue=per_venue, limit=10_000))
    assert len({slot.room.venue_id for slot in whole}) == 4
    assert whole == sorted(whole, key=lambda slot: (slot.distance_km, slot.starts_at))
    for limit in (1, 2, 3, 5, 7, 10, 20):
        page = selectors.find_slots(_search(calendar, per_venue=per_venue, limit=limit))
        assert _seen(page) == _seen(whole[:limit]), (per_venue, limit)


def test_the_nearest_venue_closed_at_first_still_comes_first(calendar):
    page = selectors.find_slots(_search(calendar, limit=3))
    nearest = min(page, key=lambda slot: slot.distance_km)
    assert page[0] == nearest and page[0].local_start.date() > calendar + timedelta(days=20)
    assert len({slot.room.venue_id for slot in page}) == 1


def test_a_full_page_stops_the_walk_before_the_far_venues_are_searched(calendar, django_assert_max_num_queries):
    selectors.current_calendar()
    # The page fills from the nearest venue in its fourth week. Walking on for the farthest,
    # closed until the end, would read every fortnight; the stamp and two fortnights are read.
    with django_assert_max_num_queries(3):
        page = selectors.find_slots(_search(calendar, limit=3, per_venue=3))
    assert len(page) == 3
