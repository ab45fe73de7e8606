"""Holds and bookings: a room or an officer is never used twice at once, holds expire and free
the slot, confirmation is a compare-and-swap and cancellation frees everything. (A retried API
request with the same Idempotency-Key is in test_api.py.)"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from booking import commitments, services, tasks
from booking.models import BankHoliday, Booking, Occupancy, Room, RoomPattern, RotaShift, Venue
from tests.factories import RegisterOfficeFactory, RoomFactory, StaffFactory, UserFactory, VenueFactory, add_parties

pytestmark = pytest.mark.django_db


def _hold(room, when, officers, person=None, **extra):
    superintendent, registrar = officers
    booking = services.hold_slot(
        person=person or UserFactory(),
        room=room,
        starts_at=extra.pop("starts_at", when[0]),
        ends_at=extra.pop("ends_at", when[1]),
        kind="ceremony",
        superintendent=extra.pop("superintendent", superintendent),
        registrar=extra.pop("registrar", registrar),
        **extra,
    )
    if not booking.parties.exists():
        add_parties(booking)
    return booking


def test_a_hold_occupies_the_room_and_both_officers_with_travel_time(when, officers):
    # About 20 km north of the office: 20 km x 1.3 road factor at 40 km/h is 39 minutes, rounded
    # up to 40, each way; the 15 minutes' changeover follows the ceremony once.
    room = RoomFactory(venue=VenueFactory(kind="approved_premises", latitude="53.9797"))
    booking = _hold(room, when, officers)
    assert booking.status == "held" and booking.reference.startswith("BK-")
    rows = Occupancy.objects.filter(booking=booking, active=True)
    assert rows.count() == 3
    officer_rows = rows.filter(officer__isnull=False)
    assert all(row.away_from == when[0] - timedelta(minutes=40) for row in officer_rows)
    assert all(row.away_until == when[1] + timedelta(minutes=15 + 40) for row in officer_rows)


def test_the_travel_time_grows_with_distance_from_the_office():
    office_venue = VenueFactory()
    office = office_venue.office
    near = VenueFactory(office=office, latitude="53.8447")  # about 5 km
    far = VenueFactory(office=office, latitude="54.2497")  # about 50 km
    assert commitments.travel_time(office_venue) == timedelta(0)
    assert commitments.travel_time(near) == timedelta(minutes=10)
    assert commitments.travel_time(far) == timedelta(minutes=100)


def test_the_same_room_cannot_be_held_twice(when, officers):
    room = RoomFactory()
    _hold(room, when, officers)
    other_officers = (StaffFactory(), StaffFactory())
    with pytest.raises(services.SlotUnavailable):
        _hold(room, when, other_officers)


def test_an_officer_cannot_be_in_two_places(when, officers):
    _hold(RoomFactory(), when, officers)
    with pytest.raises(services.SlotUnavailable):
        _hold(RoomFactory(), when, (officers[0], StaffFactory()))


def test_travel_time_keeps_an_officer_from_back_to_back_ceremonies_at_different_venues(when, officers):
    _hold(RoomFactory(venue=VenueFactory(kind="approved_premises", latitude="53.9797")), when, officers)
    later = (when[1] + timedelta(minutes=30), when[1] + timedelta(minutes=75))
    with pytest.raises(services.SlotUnavailable):
        _hold(RoomFactory(), later, (officers[0], StaffFactory()), starts_at=later[0], ends_at=later[1])


def test_adjacent_ceremonies_in_one_room_are_fine(when, officers):
    room = RoomFactory()
    _hold(room, when, officers)
    after = (when[1], when[1] + timedelta(minutes=45))
    assert _hold(room, when, (StaffFactory(), StaffFactory()), starts_at=after[0], ends_at=after[1]).status == "held"


def test_an_expired_hold_frees_the_slot_even_before_the_sweeper(when, officers):
    room = RoomFactory()
    first = _hold(room, when, officers)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        second = _hold(room, when, officers)
    first.refresh_from_db()
    assert first.status == "expired" and second.status == "held"
    assert not Occupancy.objects.filter(booking=first, active=True).exists()


def test_the_sweeper_releases_expired_holds(when, officers):
    booking = _hold(RoomFactory(), when, officers)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert tasks.release_expired_holds.apply().get() == 1
    booking.refresh_from_db()
    assert booking.status == "expired"


def test_confirming_a_live_hold_makes_a_provisional_ceremony(when, officers):
    booking = _hold(RoomFactory(), when, officers)
    confirmed = services.confirm_hold(booking=booking, actor=booking.person)
    assert confirmed.status == "provisional" and confirmed.hold_expires_at is None
    with pytest.raises(services.BookingRefused):
        services.confirm_hold(booking=booking, actor=booking.person)


def test_an_expired_hold_cannot_be_confirmed(when, officers):
    booking = _hold(RoomFactory(), when, officers)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        with pytest.raises(services.BookingRefused) as refused:
            services.confirm_hold(booking=booking, actor=booking.person)
    assert refused.value.reason == "hold_expired"


def test_a_hold_can_be_extended_while_live(when, officers):
    booking = _hold(RoomFactory(), when, officers)
    first_expiry = booking.hold_expires_at
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        extended = services.extend_hold(booking=booking)
    assert extended.hold_expires_at > first_expiry + timedelta(minutes=9)
    with time_machine.travel(timezone.now() + timedelta(minutes=40)):
        with pytest.raises(services.BookingRefused):
            services.extend_hold(booking=booking)


def test_cancelling_frees_every_resource_at_once(when, officers):
    room = RoomFactory()
    booking = _hold(room, when, officers)
    services.confirm_hold(booking=booking, actor=booking.person)
    services.cancel_booking(booking=booking, actor=booking.person)
    assert not Occupancy.objects.filter(booking=booking, active=True).exists()
    assert _hold(room, when, officers).status == "held"


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"registrar": None}, "ceremony_needs_two_officers"),
        ({"same": True}, "same_officer_twice"),
        ({"past": True}, "in_the_past"),
        ({"backwards": True}, "ends_before_start"),
    ],
)
def test_rule_breaking_holds_are_refused(when, officers, change, reason):
    extra = {}
    if "registrar" in change:
        extra["registrar"] = None
    if change.get("same"):
        extra["registrar"] = officers[0]
    if change.get("past"):
        extra["starts_at"] = timezone.now() - timedelta(hours=1)
        extra["ends_at"] = timezone.now()
    if change.get("backwards"):
        extra["starts_at"], extra["ends_at"] = when[1], when[0]
    with pytest.raises(services.BookingRefused) as refused:
        _hold(RoomFactory(), when, officers, **extra)
    assert refused.value.reason == reason
    assert Booking.objects.count() == 0


def test_every_register_office_becomes_a_venue_idempotently():
    RegisterOfficeFactory(code="E-LEEDS")
    RegisterOfficeFactory(code="W-CARDIFF", welsh_name="Swyddfa Gofrestru Caerdydd", region="Wales")
    call_command("load_booking_demo_data", stdout=io.StringIO())
    counts = (Venue.objects.count(), Room.objects.count(), RoomPattern.objects.count(), RotaShift.objects.count())
    call_command("load_booking_demo_data", stdout=io.StringIO())
    assert (
        Venue.objects.count(),
        Room.objects.count(),
        RoomPattern.objects.count(),
        RotaShift.objects.count(),
    ) == counts
    assert Venue.objects.filter(kind="register_office").count() == 2
    assert Venue.objects.filter(kind="approved_premises").count() >= 2
    assert Venue.objects.get(code="RO-W-CARDIFF").welsh_name == "Swyddfa Gofrestru Caerdydd"
    # Two superintendents and two registrars per office, all on the rota.
    assert RotaShift.objects.values("officer").distinct().count() == 8
    assert BankHoliday.objects.filter(date="2026-12-25").exists()
