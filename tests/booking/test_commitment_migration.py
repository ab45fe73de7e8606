"""Migration 0006 rewrites the officer rows of an existing database: each row that was the booking
widened by changeover and journey on both sides becomes the officer's commitment (time at the
venue with the changeover once, time away with the journey each way), for bookings in a room,
video calls without one, and the history rows of a booking that moved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking import services
from booking.models import Occupancy
from tests.factories import (
    RoomFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    book_identity_appointment,
    identity_slots,
    make_identity_office,
    submit_passport_check,
)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("booking", "0005_identity_appointments")]
AFTER = [("booking", "0006_officer_commitments")]
FIELDS = (
    "booking_id",
    "room_id",
    "officer_id",
    "venue_id",
    "starts_at",
    "ends_at",
    "away_from",
    "away_until",
    "active",
)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_to_latest():
    """Every app's latest migration again, so later tests find the schema they expect."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _rows():
    return sorted(Occupancy.objects.values_list(*FIELDS), key=lambda row: (row[0], row[1] or 0, row[2] or 0, row[4]))


def test_existing_officer_rows_become_commitments_and_back():
    make_identity_office()
    when = (timezone.now() + timedelta(days=40)).replace(hour=11, minute=0, second=0, microsecond=0)
    officers = (StaffFactory(), StaffFactory())
    out_of_town = RoomFactory(venue=VenueFactory(kind="approved_premises", latitude="53.9797"))
    for room, starts_at in ((out_of_town, when), (RoomFactory(), when + timedelta(hours=3))):
        services.hold_slot(
            person=UserFactory(),
            room=room,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            kind="ceremony",
            superintendent=officers[0],
            registrar=officers[1],
        )
    person = UserFactory()
    submit_passport_check(person=person)
    first, second = identity_slots("identity_video")[:2]
    video = book_identity_appointment(first, person=person)
    # A move leaves the old rows as history and writes new ones.
    services.reschedule_booking(booking=video, room=second.room, starts_at=second.starts_at, actor=person)
    committed = _rows()
    assert any(not row[-1] for row in committed) and any(row[1] is None for row in committed)
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.starts_at, o.ends_at, b.starts_at, b.ends_at FROM booking_occupancy o "
                "JOIN booking_booking b ON b.id = o.booking_id "
                "WHERE o.officer_id IS NOT NULL AND o.active AND b.room_id = %s",
                [out_of_town.pk],
            )
            old_rows = cursor.fetchall()
        # The old shape: 15 minutes' changeover and 40 minutes' journey on both sides.
        assert old_rows and all(
            (row_start, row_end) == (start - timedelta(minutes=55), end + timedelta(minutes=55))
            for row_start, row_end, start, end in old_rows
        )
    finally:
        _migrate(AFTER)
        committed_after = _rows()
        _migrate_to_latest()
    assert committed_after == committed
