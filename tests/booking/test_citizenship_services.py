"""Group citizenship ceremonies on SQLite: staff schedule them (room and officers held like a
wedding; closures, bank holidays and absences apply), change their numbers and cancel them
(telling everyone booked); seats are taken, given back and moved within capacity; reminders go
once; private ceremonies come from the published slots."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from booking import services
from booking.models import (
    BankHoliday,
    Booking,
    CitizenshipCeremony,
    CitizenshipSeat,
    Closure,
    Occupancy,
    OfficerAbsence,
    Room,
)
from booking.refusals import BookingRefused, SlotUnavailable
from booking.selectors import UK
from identity.models import AuditEntry, OutboundMessage
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, diary_staff, make_bookable_office
from tests.factories.citizenship_booking import (
    ceremony_day,
    make_group_ceremony,
    new_invitation_reference,
    office_officers_pair,
    take_seat,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code):
    with pytest.raises(BookingRefused) as error:
        yield error
    assert error.value.code == code, error.value.code


@pytest.fixture
def staff(office):
    return diary_staff(office)


@pytest.fixture
def ceremony(office, staff):
    return make_group_ceremony(office, actor=staff, seats=3, guests_per_attendee=2, guest_places=4)


def _times(day=None, at=datetime.time(11), minutes=60):
    starts = datetime.datetime.combine(day or ceremony_day(), at, tzinfo=UK)
    return starts, starts + timedelta(minutes=minutes)


def _schedule(office, staff, **changes):
    superintendent, registrar = office_officers_pair(office)
    starts, ends = _times()
    arguments = {
        "office": office,
        "room": Room.objects.get(venue__office=office, name="Ceremony room"),
        "starts_at": starts,
        "ends_at": ends,
        "superintendent": superintendent,
        "registrar": registrar,
        "seats": 10,
        "guests_per_attendee": 2,
        "guest_places": 20,
        "actor": staff,
    }
    arguments.update(changes)
    return services.schedule_group_ceremony(**arguments)


# --- Scheduling ------------------------------------------------------------------------------


def test_a_scheduled_group_ceremony_is_confirmed_and_holds_its_room_and_both_officers(office, staff):
    ceremony = _schedule(office, staff)
    booking = ceremony.booking
    assert booking.kind == Booking.Kind.CITIZENSHIP_GROUP and booking.status == Booking.Status.CONFIRMED
    assert booking.hold_expires_at is None and booking.confirmed_at is not None
    busy = Occupancy.objects.filter(booking=booking, active=True)
    assert busy.filter(room=booking.room).count() == 1
    assert set(busy.exclude(officer=None).values_list("officer_id", flat=True)) == {
        booking.superintendent_id,
        booking.registrar_id,
    }
    assert (ceremony.seats, ceremony.guest_places, ceremony.seats_taken) == (10, 20, 0)
    assert AuditEntry.objects.filter(
        action="booking.citizenship_ceremony_scheduled", actor=staff, object_id=booking.reference
    ).exists()
    # The room is busy exactly as for a wedding: nothing else can be held over it.
    with pytest.raises(SlotUnavailable):
        services.hold_slot(
            person=UserFactory(),
            room=booking.room,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            kind="ceremony",
            superintendent=StaffFactory(),
            registrar=StaffFactory(),
        )


def test_a_wedding_officer_cannot_be_given_a_group_ceremony_at_the_same_time(office, staff, ceremony):
    other_room = Room.objects.get(venue__office=office, name="Notice room")
    with pytest.raises(SlotUnavailable):
        _schedule(office, staff, room=other_room, seats=1, guest_places=0)


def test_welsh_is_offered_by_default_at_offices_in_wales_only(staff):
    cardiff = RegisterOfficeFactory(code="W-TESTCARDIFF", region="Wales", postcode="CF10 1EP")
    office = make_bookable_office(cardiff)[0]
    welsh_staff = diary_staff(office)
    assert make_group_ceremony(office, actor=welsh_staff).welsh_available is True
    english = make_bookable_office()[0]
    assert make_group_ceremony(english).welsh_available is False
    assert (
        make_group_ceremony(office, actor=welsh_staff, day=ceremony_day(30), welsh_available=False).welsh_available
        is False
    )


def test_only_staff_of_the_office_with_the_diary_permission_schedule_its_ceremonies(office):
    other_office = make_bookable_office()[0]
    with refused("other_office"):
        _schedule(office, diary_staff(other_office))
    with refused("not_allowed"):
        _schedule(office, UserFactory())


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"seats": 0}, "citizenship_at_least_one_seat"),
        ({"seats": 30, "guest_places": 11}, "citizenship_room_too_small"),
        ({"guest_places": -1}, "citizenship_guests_negative"),
        ({"registrar": None}, "ceremony_needs_two_officers"),
    ],
)
def test_scheduling_refuses_numbers_that_do_not_fit(office, staff, changes, code):
    with refused(code):
        _schedule(office, staff, **changes)
    assert not CitizenshipCeremony.objects.exists() and not Booking.objects.exists()


def test_scheduling_refuses_the_same_officer_twice_an_officer_of_another_office_and_a_past_time(office, staff):
    superintendent, registrar = office_officers_pair(office)
    with refused("same_officer_twice"):
        _schedule(office, staff, registrar=superintendent)
    with refused("not_an_officer_here"):
        _schedule(office, staff, registrar=StaffFactory(roles=["Registrar"]))
    with refused("not_an_officer_here"):
        _schedule(office, staff, superintendent=registrar, registrar=office_officers_pair(office)[0])
    past = timezone.now() - timedelta(hours=2)
    with refused("in_the_past"):
        _schedule(office, staff, starts_at=past, ends_at=past + timedelta(hours=1))
    starts, _ends = _times()
    with refused("ends_before_start"):
        _schedule(office, staff, starts_at=starts, ends_at=starts)


def test_closures_bank_holidays_and_absences_apply_to_a_ceremony_scheduled_by_hand(office, staff, calendar):
    day = ceremony_day()
    superintendent, _registrar = office_officers_pair(office)
    closure = Closure.objects.create(venue=calendar[1], starts_on=day, ends_on=day, reason="Flood")
    with refused("citizenship_room_closed"):
        _schedule(office, staff)
    closure.delete()
    Closure.objects.create(venue=calendar[1], room=calendar[3], starts_on=day, ends_on=day, reason="Painting")
    _schedule(office, staff)  # another room's closure leaves the ceremony room open
    BankHoliday.objects.create(date=ceremony_day(40), title="A holiday")
    with refused("citizenship_room_closed"):
        _schedule(office, staff, **dict(zip(("starts_at", "ends_at"), _times(ceremony_day(40)), strict=True)))
    OfficerAbsence.objects.create(officer=superintendent, kind="sickness", starts_on=day, ends_on=day)
    with refused("citizenship_officer_absent"):
        _schedule(office, staff, **dict(zip(("starts_at", "ends_at"), _times(day, datetime.time(15)), strict=True)))


# --- Seats -------------------------------------------------------------------------------------


def test_seats_are_taken_until_the_ceremony_is_full(ceremony):
    for _ in range(3):
        take_seat(ceremony)
    with refused("citizenship_full"):
        take_seat(ceremony)
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 3 == CitizenshipSeat.objects.filter(status="booked").count()


def test_guest_places_run_out_before_seats_and_say_so(ceremony):
    take_seat(ceremony, guests=2)
    take_seat(ceremony, guests=2)
    with refused("citizenship_guests_full"):
        take_seat(ceremony, guests=1)
    take_seat(ceremony, guests=0)
    ceremony.refresh_from_db()
    assert (ceremony.seats_taken, ceremony.guests_taken) == (3, 4)


def test_guests_are_never_more_than_each_attendee_may_bring_nor_fewer_than_none(ceremony):
    with pytest.raises(BookingRefused) as error:
        take_seat(ceremony, guests=3)
    assert error.value.code == "citizenship_too_many_guests" and "up to 2 guests" in error.value.message
    with refused("citizenship_guests_negative"):
        take_seat(ceremony, guests=-1)
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 0


def test_a_seat_is_refused_after_the_invitation_runs_out_and_the_welsh_oath_where_there_is_none(ceremony):
    day = ceremony.booking.starts_at.astimezone(UK).date()
    with refused("citizenship_after_invitation"):
        take_seat(ceremony, attend_by=day - timedelta(days=1))
    with refused("citizenship_no_welsh"):
        take_seat(ceremony, welsh_oath=True)


def test_one_live_seat_per_invitation(office, ceremony):
    other = make_group_ceremony(office, day=ceremony_day(30))
    seat = take_seat(ceremony, invitation_reference="HO-INV-ONE")
    with refused("citizenship_already_booked"):
        take_seat(other, invitation_reference="HO-INV-ONE")
    services.cancel_seat(seat=seat, actor=seat.person)
    take_seat(other, invitation_reference="HO-INV-ONE")


def test_cancelling_a_seat_gives_back_the_seat_and_its_guest_places_once(ceremony):
    seat = take_seat(ceremony, guests=2)
    services.cancel_seat(seat=seat, actor=seat.person)
    ceremony.refresh_from_db()
    assert (ceremony.seats_taken, ceremony.guests_taken) == (0, 0)
    with refused("not_active"):
        services.cancel_seat(seat=seat, actor=seat.person)
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 0


def test_a_seat_at_a_ceremony_that_has_begun_can_neither_be_cancelled_nor_moved(office, ceremony):
    seat = take_seat(ceremony)
    later = make_group_ceremony(office, day=ceremony_day(30))
    with time_machine.travel(ceremony.booking.starts_at + timedelta(minutes=5)):
        with refused("citizenship_ceremony_passed"):
            services.cancel_seat(seat=seat, actor=seat.person)
        with refused("citizenship_ceremony_passed"):
            services.move_seat(seat=seat, to=later, attend_by=ceremony_day(60), actor=seat.person)
        with refused("in_the_past"):
            take_seat(ceremony, attend_by=ceremony_day(60))


def test_staff_booking_a_seat_for_someone_is_audited_with_the_new_citizen_as_subject(office, ceremony, staff):
    person = UserFactory()
    seat = take_seat(ceremony, person=person, actor=staff)
    entry = AuditEntry.objects.get(action="booking.citizenship_seat_booked")
    assert entry.actor == staff and entry.subject == person and entry.object_id == seat.reference


def test_moving_a_seat_takes_the_new_one_and_gives_the_old_one_back(office, ceremony):
    later = make_group_ceremony(office, day=ceremony_day(30), seats=2, guest_places=2)
    seat = take_seat(ceremony, guests=1)
    new = services.move_seat(seat=seat, to=later, attend_by=ceremony_day(60), actor=seat.person)
    seat.refresh_from_db()
    ceremony.refresh_from_db()
    later.refresh_from_db()
    assert seat.status == "moved" and seat.moved_to == new and new.status == "booked"
    assert new.invitation_reference == seat.invitation_reference and new.guests == 1
    assert (ceremony.seats_taken, ceremony.guests_taken, later.seats_taken, later.guests_taken) == (0, 0, 1, 1)


def test_a_move_to_a_full_ceremony_keeps_the_seat_where_it_was(office, ceremony):
    full = make_group_ceremony(office, day=ceremony_day(30), seats=1, guest_places=0)
    take_seat(full)
    seat = take_seat(ceremony)
    with refused("citizenship_full"):
        services.move_seat(seat=seat, to=full, attend_by=ceremony_day(60), actor=seat.person)
    seat.refresh_from_db()
    ceremony.refresh_from_db()
    assert seat.status == "booked" and ceremony.seats_taken == 1


def test_a_move_keeps_the_welsh_oath_only_where_welsh_is_available(office, staff):
    welsh = make_group_ceremony(office, welsh_available=True)
    english = make_group_ceremony(office, day=ceremony_day(30), welsh_available=False)
    seat = take_seat(welsh, welsh_oath=True)
    with refused("citizenship_no_welsh"):
        services.move_seat(seat=seat, to=english, attend_by=ceremony_day(60), actor=seat.person)
    new = services.move_seat(seat=seat, to=english, welsh_oath=False, attend_by=ceremony_day(60), actor=seat.person)
    assert new.welsh_oath is False
    with refused("citizenship_same_ceremony"):
        services.move_seat(seat=new, to=english, attend_by=ceremony_day(60), actor=seat.person)


# --- Capacity and cancelling -------------------------------------------------------------------


def _numbers(ceremony, **changes):
    values = {
        "seats": ceremony.seats,
        "guests_per_attendee": ceremony.guests_per_attendee,
        "guest_places": ceremony.guest_places,
        "welsh_available": ceremony.welsh_available,
    }
    values.update(changes)
    return values


def test_capacity_can_grow_and_shrink_but_never_below_what_is_taken(ceremony, staff):
    take_seat(ceremony, guests=2)
    take_seat(ceremony, guests=1)
    changed = services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(ceremony, seats=12))
    assert changed.seats == 12
    assert Booking.objects.get(pk=ceremony.booking_id).guests == changed.guest_places
    with pytest.raises(BookingRefused) as error:
        services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(changed, seats=1))
    assert error.value.code == "citizenship_below_taken"
    assert "2 seats and 3 guest places are booked already" in error.value.message
    with refused("citizenship_below_taken"):
        services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(changed, guest_places=2))
    with refused("citizenship_room_too_small"):
        services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(changed, seats=40))
    assert services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(changed, seats=2)).seats == 2
    assert AuditEntry.objects.filter(action="booking.citizenship_capacity_changed").count() == 2


def test_welsh_cannot_be_withdrawn_while_someone_booked_takes_the_oath_in_welsh(office, staff):
    ceremony = make_group_ceremony(office, actor=staff, welsh_available=True)
    seat = take_seat(ceremony, welsh_oath=True)
    with refused("citizenship_welsh_in_use"):
        services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(ceremony, welsh_available=False))
    services.cancel_seat(seat=seat, actor=seat.person)
    services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(ceremony, welsh_available=False))


def test_another_office_cannot_change_or_cancel_a_ceremony(ceremony):
    outsider = diary_staff(make_bookable_office()[0])
    with refused("other_office"):
        services.change_ceremony_capacity(ceremony=ceremony, actor=outsider, **_numbers(ceremony, seats=5))
    with refused("other_office"):
        services.cancel_group_ceremony(ceremony=ceremony, actor=outsider)


def test_cancelling_a_ceremony_cancels_every_seat_tells_each_holder_and_frees_the_room(ceremony, staff):
    seats = [take_seat(ceremony, guests=1) for _ in range(2)]
    gone = take_seat(ceremony)
    services.cancel_seat(seat=gone, actor=gone.person)
    services.cancel_group_ceremony(ceremony=ceremony, actor=staff, reason="Room flooded")
    ceremony.refresh_from_db()
    booking = ceremony.booking
    assert booking.status == "cancelled" and (ceremony.seats_taken, ceremony.guests_taken) == (0, 0)
    assert not Occupancy.objects.filter(booking=booking, active=True).exists()
    assert set(CitizenshipSeat.objects.values_list("status", flat=True)) == {"cancelled"}
    messages = OutboundMessage.objects.filter(key__endswith=":ceremony_cancelled")
    assert sorted(message.to for message in messages) == sorted(seat.person.email for seat in seats)
    assert all("Your invitation still stands" in message.body for message in messages)
    entry = AuditEntry.objects.get(action="booking.citizenship_ceremony_cancelled")
    assert entry.reason == "Room flooded" and entry.actor == staff
    with refused("not_active"):
        services.cancel_group_ceremony(ceremony=ceremony, actor=staff)
    with refused("citizenship_cancelled"):
        take_seat(ceremony)
    with refused("citizenship_cancelled"):
        services.change_ceremony_capacity(ceremony=ceremony, actor=staff, **_numbers(ceremony))


def test_a_cancelled_group_ceremony_tells_nobody_else_and_the_staff_member_gets_no_booking_message(ceremony, staff):
    services.cancel_group_ceremony(ceremony=ceremony, actor=staff)
    assert not OutboundMessage.objects.filter(to=staff.email).exists()


# --- Reminders -------------------------------------------------------------------------------


def test_seat_holders_are_reminded_once_per_reminder_day_however_often_the_task_runs(ceremony, settings):
    settings.CITIZENSHIP_REMINDER_DAYS = [7, 1]
    seat = take_seat(ceremony, guests=2)
    cancelled = take_seat(ceremony)
    services.cancel_seat(seat=cancelled, actor=cancelled.person)
    starts = ceremony.booking.starts_at
    with time_machine.travel(starts - timedelta(days=10)):
        assert services.send_citizenship_reminders() == 0
    with time_machine.travel(starts - timedelta(days=6)):
        assert services.send_citizenship_reminders() == 1
        services.send_citizenship_reminders()
    with time_machine.travel(starts - timedelta(hours=20)):
        services.send_citizenship_reminders()
        services.send_citizenship_reminders()
    keys = sorted(OutboundMessage.objects.filter(to=seat.person.email).values_list("key", flat=True))
    assert keys == [f"citizenship:{seat.reference}:reminder-1", f"citizenship:{seat.reference}:reminder-7"]
    body = OutboundMessage.objects.get(key=keys[0]).body
    assert seat.reference in body and "2 guest places" in body
    assert not OutboundMessage.objects.filter(to=cancelled.person.email, key__contains="reminder").exists()


def test_a_seat_booked_the_day_before_gets_only_the_nearest_reminder(ceremony, settings):
    settings.CITIZENSHIP_REMINDER_DAYS = [7, 1]
    with time_machine.travel(ceremony.booking.starts_at - timedelta(hours=12)):
        seat = take_seat(ceremony)
        services.send_citizenship_reminders()
    assert list(OutboundMessage.objects.filter(key__contains="reminder").values_list("key", flat=True)) == [
        f"citizenship:{seat.reference}:reminder-1"
    ]


def test_the_booking_reminder_task_leaves_group_ceremonies_to_the_seat_reminders(ceremony, settings):
    from booking import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(ceremony.booking.starts_at - timedelta(hours=12)):
        assert tasks.send_booking_reminders() == 0


def test_the_reminder_days_come_from_the_setting(ceremony, settings):
    settings.CITIZENSHIP_REMINDER_DAYS = [3]
    seat = take_seat(ceremony)
    with time_machine.travel(ceremony.booking.starts_at - timedelta(days=2)):
        services.send_citizenship_reminders()
    assert OutboundMessage.objects.filter(key=f"citizenship:{seat.reference}:reminder-3").exists()


def test_new_invitation_references_are_unique():
    assert new_invitation_reference() != new_invitation_reference()


def test_an_absent_officer_is_replaced_at_a_group_ceremony_by_re_booking_and_nobody_is_messaged(
    office, ceremony, staff
):
    from booking.selectors import rebooking_subject

    take_seat(ceremony)
    day = ceremony.booking.starts_at.astimezone(UK).date()
    absence = services.record_absence(
        office=office,
        officer=ceremony.booking.superintendent,
        kind="leave",
        starts_on=day,
        ends_on=day,
        note="",
        actor=staff,
    )
    subject = rebooking_subject(office=office, closure=None, absence=str(absence.pk))
    [outcome] = services.rebook_affected(office=office, subject=subject, actor=staff, move_all=True)
    assert outcome.moved, outcome.message
    booking = Booking.objects.get(pk=ceremony.booking_id)
    assert booking.starts_at == ceremony.booking.starts_at and booking.room_id == ceremony.booking.room_id
    assert booking.superintendent_id not in (None, absence.officer_id) and booking.registrar_id is not None
    assert not OutboundMessage.objects.filter(key__startswith=f"booking:{booking.reference}").exists()


def test_a_group_ceremony_cannot_be_rescheduled(ceremony, staff):
    with refused("citizenship_group_not_moved"):
        services.reschedule_booking(
            booking=ceremony.booking, room=ceremony.booking.room, starts_at=ceremony.booking.starts_at, actor=staff
        )
