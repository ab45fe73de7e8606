"""Changeover and travel between an officer's consecutive bookings count once: one pair of officers
can take every slot of a day back to back in one place, while a booking at another venue still
needs the changeover and the journey between. The search, the services' checks and (on
PostgreSQL) the database constraints read one rule (`booking.commitments`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from booking import commitments, selectors, services
from booking.models import Booking, Occupancy, RotaShift
from identity.models import User
from tests.factories import RoomFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

# About 20 km north of the office (the factories' default place): 20 km x 1.3 road factor at
# 40 km/h is 39 minutes, rounded up to 40.
OUT_OF_TOWN = "53.9797"


def _hold(room, starts_at, officers, minutes=45):
    return services.hold_slot(
        person=UserFactory(),
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        kind="ceremony",
        superintendent=officers[0],
        registrar=officers[1],
    )


def test_one_pair_of_officers_can_take_every_slot_of_a_day_back_to_back_at_their_office(office):
    # Only one superintendent registrar and one registrar on the rota.
    RotaShift.objects.filter(office=office, officer__email__startswith="sr2.").delete()
    RotaShift.objects.filter(office=office, officer__email__startswith="r2.").delete()
    first, _last = selectors.bookable_dates("ceremony")
    slots = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=7), limit=6)
    )
    day = slots[0].local_start.date()
    # 10:00 to 15:00, 45 minutes each hour: every one of them is offered to begin with.
    assert [slot.local_start.hour for slot in slots] == [10, 11, 12, 13, 14, 15]
    assert {slot.local_start.date() for slot in slots} == {day}
    for slot in slots:
        booking = services.hold_published_slot(
            person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
        )
        assert booking.starts_at == slot.starts_at
    held = Booking.objects.filter(status="held")
    assert held.count() == 6
    assert held.values("superintendent", "registrar").distinct().count() == 1


def test_back_to_back_ceremonies_at_one_venue_out_of_town_need_only_the_changeover(when, officers):
    room = RoomFactory(venue=VenueFactory(kind="approved_premises", latitude=OUT_OF_TOWN))
    _hold(room, when[0], officers)
    # 15 minutes after the first ends: the changeover, and no journey in between.
    assert _hold(room, when[0] + timedelta(hours=1), officers).status == "held"
    with pytest.raises(services.SlotUnavailable):
        _hold(RoomFactory(venue=room.venue), when[0] + timedelta(minutes=50), officers)


def test_travel_between_two_venues_is_still_enforced(when, officers):
    out_of_town = RoomFactory(venue=VenueFactory(kind="approved_premises", latitude=OUT_OF_TOWN))
    at_the_office = RoomFactory()
    _hold(out_of_town, when[0], officers)
    finished = when[0] + timedelta(minutes=45)
    # 15 minutes' changeover and 40 minutes back to the office: 55 minutes after the end.
    for gap in (15, 30, 50):
        with pytest.raises(services.SlotUnavailable):
            _hold(at_the_office, finished + timedelta(minutes=gap), officers)
    assert _hold(at_the_office, finished + timedelta(minutes=55), officers).status == "held"
    # And on the way out: from the office, changeover then 40 minutes to the venue.
    earlier_end = when[0] - timedelta(minutes=55)
    with pytest.raises(services.SlotUnavailable):
        _hold(at_the_office, earlier_end - timedelta(minutes=44), officers)


def test_the_search_offers_an_officer_only_where_the_hold_would_take_them(office, calendar):
    # The search's free officers and the hold's check are one rule: after an out-of-town
    # ceremony, the office's next slots are offered without that officer until they are back.
    _office, _venue, ceremony_room, _notice_room = calendar
    first, _last = selectors.bookable_dates("ceremony")
    slots = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=7), limit=6)
    )
    ten = slots[0]
    superintendent = User.objects.get(pk=ten.superintendent_id)
    out_of_town = RoomFactory(
        venue=VenueFactory(office=office, kind="approved_premises", latitude=OUT_OF_TOWN, longitude="-1.5492")
    )
    services.hold_slot(
        person=UserFactory(),
        room=out_of_town,
        starts_at=ten.starts_at - timedelta(minutes=60),
        ends_at=ten.starts_at - timedelta(minutes=15),
        kind="notice",
        superintendent=superintendent,
    )
    again = selectors.published_slot(room=ceremony_room, starts_at=ten.starts_at, kind="ceremony")
    assert again is not None and superintendent.pk not in (again.superintendent_id, again.registrar_id)


def test_an_officer_row_is_their_time_at_the_venue_and_their_time_away(when, officers):
    room = RoomFactory(venue=VenueFactory(kind="approved_premises", latitude=OUT_OF_TOWN))
    booking = _hold(room, when[0], officers)
    rows = Occupancy.objects.filter(booking=booking, active=True, officer__isnull=False)
    assert rows.count() == 2
    for row in rows:
        assert (row.starts_at, row.ends_at) == (when[0], when[1] + timedelta(minutes=15))
        assert (row.away_from, row.away_until) == (when[0] - timedelta(minutes=40), when[1] + timedelta(minutes=55))
        assert row.venue_id == room.venue_id
    room_row = Occupancy.objects.get(booking=booking, room__isnull=False)
    assert (room_row.starts_at, room_row.ends_at) == when


@pytest.mark.parametrize(
    "first, second, same_venue, clash",
    [
        ((0, 45), (60, 105), True, False),  # back to back in one place
        ((0, 45), (59, 104), True, True),  # inside the changeover
        ((0, 45), (60, 105), False, True),  # another venue: travel too
        ((0, 45), (140, 185), False, False),  # 15 + 40 + 40 minutes later
        ((0, 45), (139, 184), False, True),
    ],
)
def test_two_commitments_clash_by_one_rule(first, second, same_venue, clash):
    office_venue = VenueFactory()
    near = VenueFactory(office=office_venue.office, kind="approved_premises", latitude=OUT_OF_TOWN)
    other = VenueFactory(office=office_venue.office, kind="approved_premises", latitude="53.6197")
    base = (timezone.now() + timedelta(days=40)).replace(hour=10, minute=0, second=0, microsecond=0)

    def commitment(venue, minutes):
        return commitments.officer_commitment(
            venue, base + timedelta(minutes=minutes[0]), base + timedelta(minutes=minutes[1])
        )

    a = commitment(near, first)
    b = commitment(near if same_venue else other, second)
    assert a.clashes(b) is clash and b.clashes(a) is clash
