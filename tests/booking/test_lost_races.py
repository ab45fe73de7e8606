"""A race that the lock order does not prevent still ends in the documented 409, never a 500: a
deadlock or a serialization failure while a slot is held or moved is tried again a few times,
then refused as "that time has just been taken". Any other database failure is not a race and
is not dressed up as one. (The real races on PostgreSQL are in tests/concurrency.)"""

from __future__ import annotations

from datetime import timedelta

import psycopg.errors
import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from booking import locks, services
from booking.models import Booking
from booking.selectors import Slot
from booking.services import holds, moves
from identity.services import issue_api_token
from tests.factories import RoomFactory, UserFactory, first_api_slot, hold_by_api, make_bookable_office

pytestmark = pytest.mark.django_db


def _failing(times, error_class):
    """occupy() that fails like PostgreSQL does the first `times` calls, then works."""
    real = holds.occupy
    calls = []

    def occupy(booking, **kwargs):
        calls.append(booking.pk)
        if len(calls) <= times:
            raise OperationalError("lost") from error_class("lost")
        return real(booking, **kwargs)

    return occupy, calls


def _hold(when, officers):
    return services.hold_slot(
        person=UserFactory(),
        room=RoomFactory(),
        starts_at=when[0],
        ends_at=when[1],
        kind="ceremony",
        superintendent=officers[0],
        registrar=officers[1],
    )


@pytest.mark.parametrize("error_class", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure])
def test_a_hold_that_loses_a_deadlock_once_is_tried_again_and_held(monkeypatch, when, officers, error_class):
    occupy, calls = _failing(1, error_class)
    monkeypatch.setattr(holds, "occupy", occupy)
    booking = _hold(when, officers)
    assert booking.status == "held" and len(calls) == 2
    assert Booking.objects.count() == 1


def test_a_hold_that_keeps_losing_is_refused_with_the_409(monkeypatch, when, officers):
    occupy, calls = _failing(99, psycopg.errors.DeadlockDetected)
    monkeypatch.setattr(holds, "occupy", occupy)
    with pytest.raises(services.SlotUnavailable) as refused:
        _hold(when, officers)
    assert refused.value.status == 409 and refused.value.code == "slot_unavailable"
    assert len(calls) == locks.LOST_RACE_ATTEMPTS
    assert Booking.objects.count() == 0


def test_a_database_failure_that_is_no_race_is_not_called_one(monkeypatch, when, officers):
    occupy, _calls = _failing(1, psycopg.errors.AdminShutdown)
    monkeypatch.setattr(holds, "occupy", occupy)
    with pytest.raises(OperationalError):
        _hold(when, officers)


def test_a_deadlock_over_the_api_is_the_409_in_the_json_error_shape(monkeypatch):
    make_bookable_office()
    slot = first_api_slot()
    occupy, _calls = _failing(99, psycopg.errors.DeadlockDetected)
    monkeypatch.setattr(holds, "occupy", occupy)
    token, _expires = issue_api_token(user=UserFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = hold_by_api(client, slot)
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "slot_unavailable"


def test_a_move_that_keeps_losing_keeps_the_booking_where_it_was(monkeypatch, when, officers):
    booking = _hold(when, officers)
    Booking.objects.filter(pk=booking.pk).update(status="provisional")
    occupy, _calls = _failing(99, psycopg.errors.DeadlockDetected)
    monkeypatch.setattr(moves, "occupy", occupy)
    slot = Slot(
        room=booking.room,
        kind=booking.kind,
        starts_at=booking.starts_at + timedelta(hours=2),
        ends_at=booking.ends_at + timedelta(hours=2),
        superintendent_id=officers[0].pk,
        registrar_id=officers[1].pk,
    )
    with pytest.raises(services.SlotUnavailable):
        moves._move(booking, slot, actor=booking.person, event="moved")
    booking.refresh_from_db()
    assert booking.starts_at == when[0] and booking.occupancies.filter(active=True).count() == 3
