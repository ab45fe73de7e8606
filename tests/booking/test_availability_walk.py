"""The availability search reads occupancy only for what it walks: by date, the first day's
earliest slots, then the rest of that day, then more days at a time; by distance, a venue's
first few free slots. Whatever it reads, a page is the start of the longer page, taken slots
are never shown, and the API's slot answer is what its declared fields say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework import serializers

from booking import selectors, services
from booking.serializers import SlotSerializer
from core.places import Place
from tests.factories import UserFactory, make_bookable_office

pytestmark = pytest.mark.django_db

OFFICES = 4


@pytest.fixture
def offices():
    """Four offices around Leeds, each with one ceremony room of six slots a day (10:00 to 15:00)."""
    found = [
        make_bookable_office(code=f"E-WALK{index}", latitude=f"{53.80 + index * 0.05:.4f}", longitude="-1.5492")[0]
        for index in range(OFFICES)
    ]
    selectors.current_calendar()
    return found


def _first_weekday() -> date:
    day = selectors.bookable_dates("ceremony")[0]
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _search(day: date, **extra) -> selectors.SlotSearch:
    return selectors.SlotSearch(kind="ceremony", date_from=day, date_to=day + timedelta(days=30), **extra)


def _hold(slots) -> None:
    for slot in slots:
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")


def _key(slots) -> list[tuple[int, object]]:
    return [(slot.room.pk, slot.starts_at) for slot in slots]


def test_a_short_page_by_date_is_the_start_of_a_long_one(offices):
    day = _first_weekday()
    everything = selectors.find_slots(_search(day, limit=100))
    _hold(everything[0:30:3])
    long_page = selectors.find_slots(_search(day, limit=100))
    for limit in (1, 2, 5, 8):
        assert _key(selectors.find_slots(_search(day, limit=limit))) == _key(long_page[:limit])


def test_when_the_first_slots_of_a_day_are_taken_the_rest_of_that_day_is_searched(offices):
    day = _first_weekday()
    first_day = selectors.find_slots(_search(day, limit=100))[: 6 * OFFICES]
    # A page of 2 reads first only the time the day's first 8 slots take: all of them taken.
    _hold(first_day[:8])
    page = selectors.find_slots(_search(day, limit=2))
    assert _key(page) == _key(first_day[8:10])


def test_a_day_wholly_taken_moves_the_search_on_to_the_next(offices):
    day = _first_weekday()
    everything = selectors.find_slots(_search(day, limit=100))
    first_day = [slot for slot in everything if slot.local_start.date() == everything[0].local_start.date()]
    _hold(first_day)
    page = selectors.find_slots(_search(day, limit=3))
    assert _key(page) == _key(everything[len(first_day) : len(first_day) + 3])
    assert page[0].local_start.date() > first_day[0].local_start.date()


def test_by_distance_each_venue_shows_its_earliest_free_slots(offices):
    day = _first_weekday()
    leeds = Place(name="LS1", latitude=53.7997, longitude=-1.5492)
    search = _search(day, place=leeds, radius_km=40, order="distance", per_venue=2, limit=100)
    before = selectors.find_slots(search)
    nearest = [slot for slot in before if slot.room.venue_id == before[0].room.venue_id]
    _hold(nearest[:1])
    after = selectors.find_slots(search)
    after_nearest = [slot for slot in after if slot.room.venue_id == before[0].room.venue_id]
    free = selectors.find_slots(_search(day, venue_ids=frozenset([before[0].room.venue_id]), limit=3))
    assert _key(after_nearest) == _key(free[:2])
    assert nearest[0].starts_at not in {slot.starts_at for slot in after_nearest}
    assert len({slot.room.venue_id for slot in after}) == OFFICES


def test_a_national_search_filled_on_its_first_day_reads_that_day_once(offices, django_assert_num_queries):
    day = _first_weekday()
    with django_assert_num_queries(2):  # the calendar's stamp, and the day's occupancy
        page = selectors.find_slots(_search(day, limit=6))
    assert {slot.local_start.date() for slot in page} == {page[0].local_start.date()}


@pytest.mark.parametrize("month", [1, 7])  # Greenwich Mean Time, and British Summer Time
def test_the_slot_answer_is_what_its_declared_fields_give(offices, month, time_machine):
    time_machine.move_to(f"2027-{month:02d}-04 09:00:00+00:00", tick=False)
    day = _first_weekday()
    leeds = Place(name="LS1", latitude=53.7997, longitude=-1.5492)
    slots = selectors.find_slots(_search(day, limit=3)) + selectors.find_slots(_search(day, place=leeds, limit=3))
    assert any(slot.distance_km is not None for slot in slots) and any(slot.distance_km is None for slot in slots)
    for slot in slots:
        serializer = SlotSerializer()
        assert serializer.to_representation(slot) == serializers.Serializer.to_representation(serializer, slot)
        assert SlotSerializer(slot).data["starts_at"].endswith("Z" if month == 1 else "+01:00")
