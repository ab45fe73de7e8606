"""The availability search keeps the calendar (rooms, patterns, closures, bank holidays, rota,
roles, absences, journeys) in memory and reads only occupancy per search: every write path that
changes the calendar is seen by the very next search, a rolled-back write is not, a taken or held
slot disappears at once, and a search costs a few queries however big the calendar is."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from booking import selectors, services
from booking.models import Booking, Closure, Room, RoomPattern, RotaShift, Venue
from core.places import Place
from identity import roles
from identity.models import RegisterOffice
from tests.factories import StaffFactory, UserFactory, add_parties, diary_staff, make_bookable_office
from tests.factories.booking import ceremony_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds():
    office, venue, ceremony_room, notice_room = make_bookable_office()
    return office, venue, ceremony_room


@pytest.fixture
def manager(leeds):
    return diary_staff(leeds[0], role=roles.SUPERINTENDENT_REGISTRAR)


def _slots(office, **extra):
    return ceremony_slots(office, **extra)


def _first_day_slots(office):
    slots = _slots(office)
    day = slots[0].local_start.date()
    return day, [slot for slot in slots if slot.local_start.date() == day]


def test_a_new_closure_hides_its_days_at_once(leeds, manager):
    office, venue, _room = leeds
    day, before = _first_day_slots(office)
    assert before
    services.add_closure(venue=venue, room=None, starts_on=day, ends_on=day, reason="Flood", actor=manager)
    assert all(slot.local_start.date() != day for slot in _slots(office))


def test_a_closure_changed_or_removed_outside_the_services_is_seen_at_once(leeds, manager):
    office, venue, _room = leeds
    day, _before = _first_day_slots(office)
    closure = services.add_closure(venue=venue, room=None, starts_on=day, ends_on=day, reason="Flood", actor=manager)
    assert all(slot.local_start.date() != day for slot in _slots(office))
    Closure.objects.filter(pk=closure.pk).update(starts_on=day + timedelta(days=300), ends_on=day + timedelta(days=300))
    assert any(slot.local_start.date() == day for slot in _slots(office))
    Closure.objects.filter(pk=closure.pk).update(starts_on=day, ends_on=day)
    assert all(slot.local_start.date() != day for slot in _slots(office))
    Closure.objects.filter(pk=closure.pk).delete()
    assert any(slot.local_start.date() == day for slot in _slots(office))


def test_a_new_bank_holiday_hides_its_day_at_once(leeds):
    office, _venue, _room = leeds
    day, _before = _first_day_slots(office)
    services.load_bank_holidays({"england-and-wales": {"events": [{"date": day.isoformat(), "title": "Jubilee"}]}})
    assert all(slot.local_start.date() != day for slot in _slots(office))


def test_an_added_and_a_removed_room_pattern_are_seen_at_once(leeds, manager):
    office, _venue, room = leeds
    day, before = _first_day_slots(office)
    pattern = services.add_room_pattern(
        room=room,
        kind="ceremony",
        weekday=day.weekday(),
        opens=time(17),
        closes=time(18),
        duration_minutes=45,
        gap_minutes=15,
        actor=manager,
    )
    after = [slot for slot in _slots(office) if slot.local_start.date() == day]
    assert [slot.local_start.time() for slot in after] == [slot.local_start.time() for slot in before] + [time(17)]
    services.remove_room_pattern(pattern=pattern, actor=manager)
    assert [slot.local_start.time() for slot in _slots(office) if slot.local_start.date() == day] == [
        slot.local_start.time() for slot in before
    ]


def test_a_pattern_edited_in_place_is_seen_at_once(leeds):
    office, _venue, room = leeds
    day, _before = _first_day_slots(office)
    RoomPattern.objects.filter(room=room, kind="ceremony", weekday=day.weekday()).update(opens=time(11))
    assert min(slot.local_start.time() for slot in _slots(office) if slot.local_start.date() == day) == time(11)


def test_an_absence_and_a_removed_shift_take_officers_off_at_once(leeds, manager):
    office, _venue, _room = leeds
    day, before = _first_day_slots(office)
    superintendents = {slot.superintendent_id for slot in before}
    officer = StaffFactory._meta.model.objects.get(pk=before[0].superintendent_id)
    services.record_absence(
        office=office, officer=officer, kind="leave", starts_on=day, ends_on=day, note="", actor=manager
    )
    during = [slot for slot in _slots(office) if slot.local_start.date() == day]
    assert during and officer.pk not in {slot.superintendent_id for slot in during}
    assert superintendents  # someone else still takes them
    others = RotaShift.objects.filter(office=office, weekday=day.weekday()).exclude(officer=officer)
    for shift in others.filter(officer__groups__name=roles.SUPERINTENDENT_REGISTRAR):
        services.remove_rota_shift(shift=shift, actor=manager)
    assert all(slot.local_start.date() != day for slot in _slots(office))


def test_an_added_shift_brings_an_officer_in_at_once(leeds, manager):
    office, _venue, _room = leeds
    day, _before = _first_day_slots(office)
    RotaShift.objects.filter(office=office, weekday=day.weekday(), officer__groups__name=roles.REGISTRAR).delete()
    assert all(slot.local_start.date() != day for slot in _slots(office))
    newcomer = StaffFactory(roles=[roles.REGISTRAR])
    newcomer.offices.add(office)
    services.add_rota_shift(
        officer=newcomer, office=office, weekday=day.weekday(), starts=time(8), ends=time(19), actor=manager
    )
    assert {slot.registrar_id for slot in _slots(office) if slot.local_start.date() == day} == {newcomer.pk}


def test_an_officer_who_leaves_or_loses_the_role_is_offered_no_more_at_once(leeds):
    office, _venue, _room = leeds
    _day, before = _first_day_slots(office)
    leaver = StaffFactory._meta.model.objects.get(pk=before[0].registrar_id)
    leaver.is_active = False
    leaver.save()
    assert leaver.pk not in {slot.registrar_id for slot in _slots(office)}
    leaver.is_active = True
    leaver.save()
    assert leaver.pk in {slot.registrar_id for slot in _slots(office)}
    leaver.groups.clear()
    assert leaver.pk not in {slot.registrar_id for slot in _slots(office)}


def test_signing_in_does_not_move_the_calendar(leeds, client):
    office, _venue, _room = leeds
    _slots(office)
    stamp = selectors.current_calendar()
    citizen = UserFactory()
    client.force_login(citizen)
    citizen.last_login = timezone.now()
    citizen.save()
    assert selectors.current_calendar() is stamp


def test_a_room_or_venue_change_is_seen_at_once(leeds):
    office, venue, room = leeds
    slot = _slots(office)[0]
    assert slot.room.venue.name == venue.name
    Venue.objects.filter(pk=venue.pk).update(name="Leeds Town Hall")
    assert _slots(office)[0].room.venue.name == "Leeds Town Hall"
    Room.objects.filter(pk=room.pk).update(capacity=2)
    search = selectors.SlotSearch(
        kind="ceremony", date_from=slot.local_start.date(), date_to=slot.local_start.date(), guests=10
    )
    assert selectors.find_slots(search) == []


def test_moving_an_office_changes_the_journey_at_once(leeds):
    office, venue, room = leeds
    slot = _slots(office)[0]
    booking = services.hold_published_slot(
        person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    journey = booking.occupancies.filter(officer__isnull=False).first()
    assert journey.away_from == journey.starts_at  # the office is the venue
    RegisterOffice.objects.filter(pk=office.pk).update(latitude="53.9600", longitude="-1.0873")  # to York
    assert selectors.current_calendar().journeys[venue.pk] > timedelta(0)


def test_a_calendar_write_that_rolls_back_leaves_the_search_as_it_was(leeds, manager):
    office, venue, _room = leeds
    day, before = _first_day_slots(office)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_closure(venue=venue, room=None, starts_on=day, ends_on=day, reason="Flood", actor=manager)
        assert all(slot.local_start.date() != day for slot in _slots(office))
        raise RuntimeError("rolled back")
    assert [slot.starts_at for slot in _slots(office) if slot.local_start.date() == day] == [
        slot.starts_at for slot in before
    ]


def test_a_held_slot_disappears_and_a_cancelled_one_comes_back_at_once(leeds):
    office, _venue, _room = leeds
    slot = _slots(office)[0]
    person = UserFactory()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    assert slot.starts_at not in {s.starts_at for s in _slots(office) if s.room.pk == slot.room.pk}
    add_parties(booking)
    services.book_held_slot(booking=booking, actor=person)
    assert slot.starts_at not in {s.starts_at for s in _slots(office) if s.room.pk == slot.room.pk}
    services.cancel_booking(booking=booking, actor=person)
    assert slot.starts_at in {s.starts_at for s in _slots(office) if s.room.pk == slot.room.pk}


def test_every_slot_shown_can_be_held(leeds):
    office, _venue, _room = leeds
    slots = _slots(office, span=2)
    assert slots
    for slot in slots:
        booking = services.hold_published_slot(
            person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
        )
        assert booking.status == Booking.Status.HELD


def test_the_calendar_triggers_are_in_place():
    """A table rebuilt by a later migration loses its triggers on SQLite: this says so."""
    tables = [
        "booking_venue",
        "booking_room",
        "booking_roompattern",
        "booking_closure",
        "booking_bankholiday",
        "booking_rotashift",
        "booking_officerabsence",
        "identity_registeroffice",
        "identity_user",
        "identity_user_groups",
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT event_object_table FROM information_schema.triggers")
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        with_triggers = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= with_triggers


def _national_calendar(count: int = 6):
    offices = [make_bookable_office(code=f"E-NAT{index}")[0] for index in range(count)]
    selectors.current_calendar()  # loaded once; searches after it read occupancy only
    return offices


def test_a_national_search_reads_a_few_queries_however_many_offices(django_assert_max_num_queries):
    _national_calendar()
    first, _last = selectors.bookable_dates("ceremony")
    search = selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=90))
    with django_assert_max_num_queries(3):
        found = selectors.find_slots(search)
    assert len(found) == 20


def test_a_search_near_a_postcode_reads_a_few_queries_per_fortnight(django_assert_max_num_queries):
    _national_calendar()
    first, _last = selectors.bookable_dates("ceremony")
    search = selectors.SlotSearch(
        kind="ceremony",
        date_from=first,
        date_to=first + timedelta(days=90),
        place=Place(name="LS1", latitude=53.7997, longitude=-1.5492),
        radius_km=40,
        order="distance",
    )
    with django_assert_max_num_queries(3):
        found = selectors.find_slots(search)
    assert found and all(slot.distance_km <= 40 for slot in found)


def test_a_hold_and_its_confirmation_take_at_most_15_queries(leeds, django_assert_max_num_queries):
    office, _venue, _room = leeds
    slot = _slots(office)[0]
    person = UserFactory()
    with django_assert_max_num_queries(15):
        booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    with django_assert_max_num_queries(15):
        services.book_held_slot(booking=booking, actor=person)
    assert booking.occupancies.filter(active=True).count() == 3
