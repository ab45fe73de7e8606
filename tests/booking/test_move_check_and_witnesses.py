"""Moving a booking asks the person to check the new time before anything moves, and a
cancelled or finished ceremony no longer asks for witnesses (no link, and a clear answer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from booking import selectors, services
from booking.models import Booking
from identity.models import OutboundMessage
from tests.factories import UserFactory, add_parties, first_ceremony_slot

pytestmark = pytest.mark.django_db


def _provisional(person) -> Booking:
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    return services.confirm_hold(booking=booking, actor=person)


def _an_hour_later(booking: Booking) -> dict:
    return {"room": booking.room_id, "starts_at": (booking.starts_at + timedelta(hours=1)).isoformat()}


def test_choosing_a_new_time_shows_it_for_checking_and_moves_nothing(client, calendar, person):
    booking = _provisional(person)
    old_start = booking.starts_at
    response = client.post(reverse("booking:move-to", args=[booking.reference]), _an_hour_later(booking))
    assert response.status_code == 200
    page = response.content.decode()
    later = (old_start + timedelta(hours=1)).astimezone(selectors.UK)
    assert "<title>Check your new time" in page and "Check your new time</h1>" in page
    assert later.strftime("%H:%M") in page and old_start.astimezone(selectors.UK).strftime("%H:%M") in page
    assert reverse("booking:move-confirm", args=[booking.reference]) in page
    assert f'value="{later.isoformat()}"' in page
    booking.refresh_from_db()
    assert booking.starts_at == old_start
    assert booking.occupancies.filter(active=True, room__isnull=False).get().starts_at == old_start
    assert not OutboundMessage.objects.filter(subject="Your booking has moved").exists()


def test_confirming_the_new_time_moves_the_booking(client, calendar, person):
    booking = _provisional(person)
    chosen = _an_hour_later(booking)
    client.post(reverse("booking:move-to", args=[booking.reference]), chosen)
    response = client.post(reverse("booking:move-confirm", args=[booking.reference]), chosen, follow=True)
    assert response.status_code == 200 and "Your booking has moved" in response.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at.isoformat() == chosen["starts_at"]
    assert OutboundMessage.objects.filter(subject="Your booking has moved").count() == 1


def test_a_time_taken_before_the_check_page_is_a_clear_409(client, calendar, person):
    booking = _provisional(person)
    later = booking.starts_at + timedelta(hours=1)
    services.hold_published_slot(person=UserFactory(), room=booking.room, starts_at=later, kind="ceremony")
    response = client.post(reverse("booking:move-to", args=[booking.reference]), _an_hour_later(booking))
    assert response.status_code == 409 and "just been taken" in response.content.decode()


def test_a_time_taken_between_checking_and_confirming_keeps_the_old_one(client, calendar, person):
    booking = _provisional(person)
    old_start = booking.starts_at
    chosen = _an_hour_later(booking)
    assert client.post(reverse("booking:move-to", args=[booking.reference]), chosen).status_code == 200
    services.hold_published_slot(
        person=UserFactory(), room=booking.room, starts_at=old_start + timedelta(hours=1), kind="ceremony"
    )
    response = client.post(reverse("booking:move-confirm", args=[booking.reference]), chosen)
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.starts_at == old_start


@pytest.mark.parametrize("name", ["move-to", "move-confirm"])
def test_bad_choices_are_clear_400s_and_a_get_is_405(client, calendar, person, name):
    booking = _provisional(person)
    url = reverse(f"booking:{name}", args=[booking.reference])
    for bad in ({}, {"room": "nope", "starts_at": "soon"}, {"room": booking.room_id, "starts_at": "2027-01-01T10:00"}):
        response = client.post(url, bad)
        assert response.status_code == 400 and "Search again to choose a time" in response.content.decode()
    assert client.get(url).status_code == 405
    booking.refresh_from_db()
    assert booking.status == "provisional"


def test_someone_elses_booking_cannot_be_checked_or_moved(client, calendar, person):
    booking = _provisional(UserFactory())
    for name in ("move-to", "move-confirm"):
        assert (
            client.post(reverse(f"booking:{name}", args=[booking.reference]), _an_hour_later(booking)).status_code
            == 404
        )


def test_the_check_page_is_in_welsh(client, calendar, person, settings):
    booking = _provisional(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.post(reverse("booking:move-to", args=[booking.reference]), _an_hour_later(booking)).content.decode()
    assert "Gwiriwch eich amser newydd" in page and "Symud fy archeb" in page
    assert "Check your new time" not in page


def test_a_cancelled_ceremony_does_not_ask_for_witnesses(client, calendar, person):
    booking = _provisional(person)
    services.cancel_booking(booking=booking, actor=person)
    manage = client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
    assert (
        "Name your two witnesses" not in manage and reverse("booking:witnesses", args=[booking.reference]) not in manage
    )
    url = reverse("booking:witnesses", args=[booking.reference])
    for response in (client.get(url), client.post(url, {"witness_1": "Pat One", "witness_2": "Chris Two"})):
        assert response.status_code == 409
        assert "This booking is cancelled, released or finished" in response.content.decode()
    assert not booking.witnesses.exists()


def test_witnesses_named_before_cancelling_are_still_listed_but_not_asked_for(client, calendar, person):
    booking = _provisional(person)
    services.save_witnesses(booking=booking, names=["Pat One", "Chris Two"], aged_16_or_over=True)
    services.cancel_booking(booking=booking, actor=person)
    manage = client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
    assert "Pat One" in manage and "Change witnesses" not in manage


def test_a_past_ceremony_does_not_ask_for_witnesses(client, calendar, person):
    booking = _provisional(person)
    with time_machine.travel(booking.starts_at + timedelta(hours=2)):
        client.force_login(person)  # a month on, the sign-in of today has run out
        response = client.get(reverse("booking:witnesses", args=[booking.reference]))
        assert response.status_code == 409
        assert (
            "Name your two witnesses"
            not in client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
        )
    assert booking.starts_at > timezone.now()
