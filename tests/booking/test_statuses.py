"""A booking's statuses change only through `Booking.TRANSITIONS`, each change a compare-and-swap,
and what a person or a member of staff may do with a booking now is read from the same table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from booking import selectors, services
from booking.models import Booking
from tests.factories import StaffFactory, UserFactory, add_parties, book_ceremony, ceremony_slots, diary_staff

pytestmark = pytest.mark.django_db


def test_every_transition_starts_from_and_leads_to_real_statuses():
    statuses = set(Booking.Status.values)
    for action, (sources, target) in Booking.TRANSITIONS.items():
        assert sources and set(sources) <= statuses, action
        assert target is None or target in statuses, action
    assert Booking.BOOKED | {Booking.Status.HELD} == Booking.ACTIVE


def test_a_transition_changes_only_rows_still_in_a_starting_status(ceremony):
    assert Booking.objects.filter(pk=ceremony.pk).transition("cancel", cancelled_at=timezone.now()) == 1
    # A second cancellation, or a confirmation racing it, finds nothing to swap.
    assert Booking.objects.filter(pk=ceremony.pk).transition("cancel") == 0
    assert Booking.objects.filter(pk=ceremony.pk).transition("confirm") == 0
    ceremony.refresh_from_db()
    assert ceremony.status == Booking.Status.CANCELLED


def test_the_person_may_move_cancel_and_change_a_booked_ceremony_until_it_starts(ceremony):
    assert selectors.actions_open_to(ceremony, user=ceremony.person) == selectors.PERSON_ACTIONS
    with time_machine.travel(ceremony.starts_at + timedelta(minutes=1)):
        assert selectors.actions_open_to(ceremony, user=ceremony.person) == frozenset()


def test_nothing_is_open_once_a_booking_is_cancelled(ceremony):
    services.cancel_booking(booking=ceremony, actor=ceremony.person)
    ceremony.refresh_from_db()
    assert selectors.actions_open_to(ceremony, user=ceremony.person) == frozenset()
    with pytest.raises(services.BookingRefused) as refused:
        services.reschedule_booking(
            booking=ceremony, room=ceremony.room, starts_at=ceremony.starts_at, actor=ceremony.person
        )
    assert refused.value.code == "not_active" and refused.value.status == 409


def test_a_hold_that_ran_out_has_expired_before_the_sweeper_marks_it(office):
    slot = ceremony_slots(office)[0]
    person = UserFactory()
    hold = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    assert hold.allows("book_ceremony") and hold.allows("cancel")
    with time_machine.travel(hold.hold_expires_at + timedelta(seconds=1)):
        assert hold.current_status() == Booking.Status.EXPIRED
        assert not hold.allows("book_ceremony") and not hold.allows("cancel")
        assert selectors.actions_open_to(hold, user=person) == frozenset()


def test_staff_change_officers_and_cancel_and_record_no_notice(office, ceremony):
    registrar = diary_staff(office)
    assert selectors.actions_open_to(ceremony, user=registrar) == {"change_officers", "cancel"}
    diary_only = StaffFactory()
    group = Group.objects.create(name="Diary only")
    group.permissions.add(Permission.objects.get(codename="manage_diary"))
    diary_only.groups.add(group)
    assert selectors.actions_open_to(ceremony, user=diary_only) == {"change_officers", "cancel"}


def test_a_notice_appointment_is_confirmed_and_a_ceremony_provisional_when_booked(office):
    ceremony = book_ceremony(ceremony_slots(office)[0])
    assert ceremony.status == Booking.Status.PROVISIONAL and ceremony.booking_action == "book_ceremony"
    notice = Booking(kind=Booking.Kind.NOTICE)
    assert notice.booking_action == "book_notice"
    assert Booking.TRANSITIONS["book_notice"][1] == Booking.Status.CONFIRMED


def test_a_booking_the_person_no_longer_holds_cannot_be_booked_with_details(office):
    slot = ceremony_slots(office)[0]
    ceremony = book_ceremony(slot)
    with pytest.raises(services.BookingRefused) as refused:
        services.book_held_slot(booking=ceremony, actor=ceremony.person, parties=[])
    assert refused.value.code == "not_held" and refused.value.status == 409


def test_booking_a_hold_keeps_no_detail_when_the_confirmation_is_refused(office):
    slot = ceremony_slots(office)[0]
    person = UserFactory()
    hold = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    first = {
        "full_name": "Ada Example",
        "date_of_birth": date(1990, 5, 17),
        "email": "",
        "postcode": "LS1 3AD",
        "lived_there_since": date(2020, 1, 1),
    }
    with pytest.raises(services.BookingRefused) as refused:
        services.book_held_slot(booking=hold, actor=person, parties=[first])
    assert refused.value.code == "details_missing"
    assert not hold.parties.exists()
    hold.refresh_from_db()
    assert hold.status == Booking.Status.HELD
    add_parties(hold)
    booked = services.book_held_slot(booking=hold, actor=person)
    assert booked.status == Booking.Status.PROVISIONAL
