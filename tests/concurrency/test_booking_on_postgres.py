"""DESIGN.md invariant 2 on PostgreSQL: parallel holds on one slot, one wins; and the database
itself refuses overlapping occupancy rows written behind the service's back."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from booking import services
from booking.models import Booking, Occupancy
from tests.factories import RoomFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _slot():
    start = (timezone.now() + timedelta(days=40)).replace(hour=11, minute=0, second=0, microsecond=0)
    return start, start + timedelta(minutes=45)


def test_two_holds_on_one_slot_one_wins_on_postgres():
    room = RoomFactory()
    starts_at, ends_at = _slot()
    people = [UserFactory() for _ in range(10)]
    officer_pairs = [(StaffFactory(), StaffFactory()) for _ in range(10)]
    barrier = threading.Barrier(10)

    def hold(index):
        barrier.wait()
        try:
            superintendent, registrar = officer_pairs[index]
            services.hold_slot(
                person=people[index],
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                kind="ceremony",
                superintendent=superintendent,
                registrar=registrar,
            )
            return "held"
        except services.SlotUnavailable:
            return "unavailable"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(hold, range(10)))
    assert outcomes.count("held") == 1
    assert Booking.objects.filter(status="held").count() == 1


def test_one_officer_booked_in_parallel_at_two_venues_one_wins_on_postgres():
    officer = StaffFactory()
    starts_at, ends_at = _slot()
    rooms = [RoomFactory() for _ in range(8)]
    barrier = threading.Barrier(8)

    def hold(index):
        barrier.wait()
        try:
            services.hold_slot(
                person=UserFactory(),
                room=rooms[index],
                starts_at=starts_at,
                ends_at=ends_at,
                kind="ceremony",
                superintendent=officer,
                registrar=StaffFactory(),
            )
            return "held"
        except services.SlotUnavailable:
            return "unavailable"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(hold, range(8)))
    assert outcomes.count("held") == 1


def test_the_database_refuses_overlapping_rows_written_directly_on_postgres():
    room = RoomFactory()
    starts_at, ends_at = _slot()
    booking = services.hold_slot(
        person=UserFactory(),
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        kind="notice",
        superintendent=StaffFactory(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(booking, room=room, starts_at=starts_at + timedelta(minutes=10), ends_at=ends_at)
    officer = booking.superintendent
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(booking, officer=officer, starts_at=starts_at, ends_at=ends_at)
    # Inactive rows (cancelled, expired) do not count.
    _row(booking, room=room, starts_at=starts_at, ends_at=ends_at, active=False)


def _row(booking, *, starts_at, ends_at, **fields):
    return Occupancy.objects.create(
        booking=booking,
        venue_id=booking.room.venue_id,
        starts_at=starts_at,
        ends_at=ends_at,
        away_from=starts_at,
        away_until=ends_at,
        **fields,
    )


def test_sweeper_skips_a_hold_locked_by_a_confirmation_on_postgres():
    starts_at, ends_at = _slot()
    booking = services.hold_slot(
        person=UserFactory(),
        room=RoomFactory(),
        starts_at=starts_at,
        ends_at=ends_at,
        kind="notice",
        superintendent=StaffFactory(),
    )
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    locked = threading.Event()
    release = threading.Event()

    def hold_lock():
        with transaction.atomic():
            Booking.objects.select_for_update().get(pk=booking.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    locked.wait(10)
    try:
        assert services.release_expired_holds() == 0  # skipped, not waited for
    finally:
        release.set()
        thread.join()
    assert services.release_expired_holds() == 1
