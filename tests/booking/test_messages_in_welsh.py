"""Booking messages and citizenship seat messages are written for each person in their stored
language: a reminder sent by a task, a change made by staff on an English page, and one
ceremony's news to seat holders who speak different languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from booking import selectors, services, tasks
from identity.models import OutboundMessage
from tests.factories import UserFactory, add_parties, diary_staff
from tests.factories.citizenship_booking import make_group_ceremony, take_seat

pytestmark = pytest.mark.django_db


def _ceremony_booked_by(person):
    day = timezone.localdate() + timedelta(days=40)
    slot = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=day, date_to=day + timedelta(days=7), limit=1)
    )[0]
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    return services.confirm_hold(booking=booking, actor=person)


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("cy", "Nodyn atgoffa am eich archeb", "Gweld, symud neu ganslo’r archeb"),
        ("en", "Reminder of your booking", "See, move or cancel it"),
    ],
)
def test_a_booking_reminder_sent_by_the_task_is_in_the_persons_stored_language(calendar, language, subject, phrase):
    booking = _ceremony_booked_by(UserFactory(language=language))
    translation.activate("en")  # a worker has no request
    assert tasks.notify_booking.delay(booking.pk, "reminder-7", booking.starts_at.isoformat()).get() is True
    message = OutboundMessage.objects.get(key__contains=f"{booking.reference}:reminder-7")
    assert message.subject == subject and phrase in message.body and booking.reference in message.body
    assert ("Dydd " in message.body) is (language == "cy")  # the day of the week, in words


def test_a_booking_cancelled_by_staff_on_an_english_page_is_told_in_welsh(calendar):
    booking = _ceremony_booked_by(UserFactory(language="cy"))
    translation.activate("en")
    services.cancel_booking(booking=booking, actor=diary_staff(calendar[0]))
    message = OutboundMessage.objects.filter(key__contains=f"{booking.reference}:cancelled").get()
    assert message.subject == "Mae eich archeb wedi’i chanslo"


def test_each_seat_holder_reads_a_cancelled_ceremony_in_their_own_language(office):
    staff = diary_staff(office)
    ceremony = make_group_ceremony(office, actor=staff, seats=3, guests_per_attendee=2, guest_places=4)
    welsh = take_seat(ceremony, person=UserFactory(language="cy"))
    english = take_seat(ceremony, person=UserFactory(language="en"))
    translation.activate("en")
    services.cancel_group_ceremony(ceremony=ceremony, actor=staff, reason="Room flooded")
    to_welsh = OutboundMessage.objects.get(key=f"citizenship:{welsh.reference}:ceremony_cancelled")
    to_english = OutboundMessage.objects.get(key=f"citizenship:{english.reference}:ceremony_cancelled")
    assert to_welsh.subject == "Mae eich seremoni dinasyddiaeth wedi'i chanslo"
    assert "Mae eich gwahoddiad yn" in to_welsh.body
    assert to_english.subject == "Your citizenship ceremony is cancelled"
    assert "Your invitation still stands" in to_english.body


def test_a_seat_reminder_sent_by_the_sweep_is_in_the_seat_holders_language(office, settings):
    settings.CITIZENSHIP_REMINDER_DAYS = [7]
    ceremony = make_group_ceremony(office, actor=diary_staff(office), seats=3, guests_per_attendee=2, guest_places=4)
    welsh = take_seat(ceremony, person=UserFactory(language="cy"))
    english = take_seat(ceremony, person=UserFactory(language="en"))
    translation.activate("en")
    with time_machine.travel(ceremony.booking.starts_at - timedelta(days=6)):
        assert services.send_citizenship_reminders() == 2
    to_welsh = OutboundMessage.objects.get(key=f"citizenship:{welsh.reference}:reminder-7")
    to_english = OutboundMessage.objects.get(key=f"citizenship:{english.reference}:reminder-7")
    assert to_welsh.subject == "Nodyn atgoffa am eich seremoni dinasyddiaeth"
    assert "Cyrhaeddwch 30 munud yn gynnar" in to_welsh.body
    assert to_english.subject == "Reminder of your citizenship ceremony"
    assert "Arrive 30 minutes early" in to_english.body
