"""Identity appointments with a registrar, for a person whose identity check could not reach
medium confidence online: a video call takes an officer's time and no room, a visit to any office
takes a room and an officer, one appointment per check, nobody verified is offered one, and the
video call's link is random and says nothing about the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from booking import selectors, services, tasks
from booking.models import Booking, Occupancy
from booking.refusals import BookingRefused, SlotUnavailable
from identity.models import IdentityCase, OutboundMessage
from tests.factories import (
    RegisterOfficeFactory,
    UserFactory,
    book_identity_appointment,
    identity_slots,
    make_identity_office,
    submit_passport_check,
    verify_identity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return make_identity_office()


def _waiting_person():
    """A person whose passport check went to a registrar."""
    person = UserFactory()
    case = submit_passport_check(person=person)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR
    return person


def test_a_video_appointment_takes_an_officer_and_no_room(calendar):
    person = _waiting_person()
    slot = identity_slots("identity_video")[0]
    booking = book_identity_appointment(slot, person=person)
    assert booking.status == "confirmed" and booking.kind == "identity_video"
    assert booking.identity_case == IdentityCase.objects.get(person=person)
    rows = Occupancy.objects.filter(booking=booking, active=True)
    assert rows.count() == 1 and rows.get().officer_id == booking.registrar_id and rows.get().room_id is None


def test_video_calls_at_one_time_are_as_many_as_the_free_officers(calendar):
    # The office has four officers on the rota, and the room is never taken by a call.
    slot = identity_slots("identity_video")[0]
    officers = set()
    for _ in range(4):
        officers.add(book_identity_appointment(slot, person=_waiting_person()).registrar_id)
    assert len(officers) == 4
    with pytest.raises(SlotUnavailable):
        book_identity_appointment(slot, person=_waiting_person())
    assert slot.starts_at not in {found.starts_at for found in identity_slots("identity_video")}


def test_the_video_search_lists_each_time_once_with_the_checks_office_first(calendar):
    other = make_identity_office(code="E-OTHER")[0]
    slots = identity_slots("identity_video", one_per_time=True, prefer_office_id=other.pk)
    times = [slot.starts_at for slot in slots]
    assert len(times) == len(set(times)) and times == sorted(times)
    assert {slot.room.venue.office_id for slot in slots} == {other.pk}
    everywhere = identity_slots("identity_video")
    assert len(everywhere) > len(slots)  # without it, each time is listed once per office


def test_an_appointment_in_person_takes_the_room_and_an_officer(calendar):
    slot = identity_slots("identity_in_person")[0]
    booking = book_identity_appointment(slot, person=_waiting_person())
    rows = Occupancy.objects.filter(booking=booking, active=True)
    assert {(row.room_id is not None, row.officer_id is not None) for row in rows} == {(True, False), (False, True)}
    assert booking.video_room_token == "" and booking.video_join_url == ""
    # The room is taken: the next person cannot have the same time there, even with officers free.
    with pytest.raises(SlotUnavailable):
        book_identity_appointment(slot, person=_waiting_person())


def test_a_second_appointment_for_the_same_check_is_refused(calendar):
    person = _waiting_person()
    slots = identity_slots("identity_video")
    book_identity_appointment(slots[0], person=person)
    with pytest.raises(BookingRefused) as refused:
        services.hold_published_slot(
            person=person, room=slots[1].room, starts_at=slots[1].starts_at, kind="identity_in_person"
        )
    assert refused.value.code == "identity_appointment_booked" and refused.value.status == 409


def test_a_hold_that_ran_out_does_not_block_a_new_one(calendar):
    person = _waiting_person()
    slots = identity_slots("identity_video")
    stale = services.hold_published_slot(
        person=person, room=slots[0].room, starts_at=slots[0].starts_at, kind=slots[0].kind
    )
    Booking.objects.filter(pk=stale.pk).update(hold_expires_at=timezone.now())
    fresh = services.hold_published_slot(
        person=person, room=slots[1].room, starts_at=slots[1].starts_at, kind=slots[1].kind
    )
    assert fresh.status == "held"
    assert Booking.objects.get(pk=stale.pk).status == "expired"


@pytest.mark.parametrize(
    ("make_case", "code"),
    [
        (lambda person: verify_identity(person), "identity_verified"),
        (lambda person: None, "identity_not_with_registrar"),
        (
            lambda person: IdentityCase.objects.create(person=person, reference=f"ID-T{person.pk}"),
            "identity_not_with_registrar",
        ),
        (
            lambda person: IdentityCase.objects.create(
                person=person, reference=f"ID-R{person.pk}", status="rejected", decided_at=timezone.now()
            ),
            "identity_rejected",
        ),
    ],
)
def test_only_a_check_with_a_registrar_can_have_an_appointment(calendar, make_case, code):
    person = UserFactory()
    make_case(person)
    slot = identity_slots("identity_video")[0]
    with pytest.raises(BookingRefused) as refused:
        services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind=slot.kind)
    assert refused.value.code == code
    assert not Booking.objects.filter(person=person).exists()


def test_a_hold_is_not_booked_once_the_check_is_verified_meanwhile(calendar):
    person = _waiting_person()
    slot = identity_slots("identity_video")[0]
    held = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind=slot.kind)
    IdentityCase.objects.filter(person=person).update(status="verified", decided_at=timezone.now())
    with pytest.raises(BookingRefused) as refused:
        services.book_held_slot(booking=held, actor=person)
    assert refused.value.code == "identity_verified"
    assert Booking.objects.get(pk=held.pk).status == "held"


def test_the_join_link_is_the_setting_with_a_random_token_and_nothing_personal(calendar, settings):
    settings.IDENTITY_VIDEO_ROOM_URL = "https://calls.example/join/{token}?lang=en"
    person = _waiting_person()
    slots = identity_slots("identity_video")
    first = book_identity_appointment(slots[0], person=person)
    token = first.video_room_token
    assert len(token) >= 40 and first.video_join_url == f"https://calls.example/join/{token}?lang=en"
    case = first.identity_case
    for personal in (person.email, person.full_name, case.reference, first.reference):
        assert personal not in first.video_join_url
    second = book_identity_appointment(slots[0], person=_waiting_person())
    assert second.video_room_token != token


def test_the_booked_message_and_the_reminder_carry_the_join_link(calendar):
    person = _waiting_person()
    booking = book_identity_appointment(identity_slots("identity_video")[0], person=person)
    booked = OutboundMessage.objects.get(key__startswith=f"booking:{booking.reference}:booked")
    assert booking.video_join_url in booked.body and "identity video appointment is booked" in booked.body
    assert booked.to == person.email
    assert tasks.notify_booking.delay(booking.pk, "reminder-1", booking.starts_at.isoformat()).get() is True
    reminder = OutboundMessage.objects.get(subject="Reminder of your booking")
    assert booking.video_join_url in reminder.body


def test_the_reminder_sweep_includes_identity_appointments(calendar):
    booking = book_identity_appointment(
        identity_slots("identity_in_person", days_ahead=1, span=6)[0], person=_waiting_person()
    )
    assert tasks.send_booking_reminders() >= 1
    reminder = OutboundMessage.objects.filter(subject="Reminder of your booking").first()
    assert reminder is not None and booking.room.venue.name in reminder.body


def test_cancelling_frees_the_officer_and_the_time_is_offered_again(calendar):
    slot = identity_slots("identity_video")[0]
    bookings = [book_identity_appointment(slot, person=_waiting_person()) for _ in range(4)]
    assert slot.starts_at not in {found.starts_at for found in identity_slots("identity_video")}
    services.cancel_booking(booking=bookings[0], actor=bookings[0].person)
    assert Booking.objects.get(pk=bookings[0].pk).status == "cancelled"
    assert not Occupancy.objects.filter(booking=bookings[0], active=True).exists()
    assert slot.starts_at in {found.starts_at for found in identity_slots("identity_video")}
    # After cancelling, the person may book again.
    again = book_identity_appointment(slot, person=bookings[0].person)
    assert again.status == "confirmed"


def test_moving_keeps_the_call_and_takes_the_new_officer_time(calendar):
    person = _waiting_person()
    slots = identity_slots("identity_video")
    booking = book_identity_appointment(slots[0], person=person)
    token = booking.video_room_token
    later = slots[3]
    moved = services.reschedule_booking(booking=booking, room=later.room, starts_at=later.starts_at, actor=person)
    assert moved.starts_at == later.starts_at and moved.video_room_token == token
    rows = Occupancy.objects.filter(booking=booking, active=True)
    assert rows.count() == 1 and rows.get().room_id is None
    assert (rows.get().starts_at, rows.get().ends_at) == (later.starts_at, later.ends_at + timedelta(minutes=15))


def test_the_offices_of_booked_appointments_are_what_identity_reads(calendar):
    person = _waiting_person()
    case = IdentityCase.objects.get(person=person)
    assert selectors.identity_appointment_offices(case) == []
    booking = book_identity_appointment(identity_slots("identity_in_person")[0], person=person)
    assert selectors.identity_appointment_offices(case) == [calendar[0].pk]
    services.cancel_booking(booking=booking, actor=person)
    assert selectors.identity_appointment_offices(case) == []


def test_the_database_refuses_an_identity_appointment_without_its_check(calendar):
    from django.db import IntegrityError, transaction

    slot = identity_slots("identity_video")[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            reference="BK-NOCASE",
            kind="identity_video",
            person=UserFactory(),
            room=slot.room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            video_room_token="x" * 43,
        )
    office = RegisterOfficeFactory()
    assert office.pk  # the database is still usable after the refused insert
