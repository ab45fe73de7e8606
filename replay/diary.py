"""Each office's diary as the demo data sets it up (venues, weekly patterns, officers on a rota),
prepared the first time the replay needs that office rather than all 175 at once."""

from __future__ import annotations

import time

from django.db import connection, transaction

from booking.demo import ensure_office_diary
from booking.services import ensure_office_venues
from identity.models import RegisterOffice

# pg_advisory_xact_lock's first key: this module's diary preparation, the second is the office.
DIARY_LOCK = 7_301

_prepared: set[int] = set()
_venues_ensured = False
# CPU-seconds this process spent preparing diaries: the replay's own setting up, which the driver
# takes off the item that happened to be the first at an office.
spent = 0.0


def forget() -> None:
    """At the start of a replay: the database may not be the one the last replay prepared."""
    global _venues_ensured, spent
    _prepared.clear()
    _venues_ensured = False
    spent = 0.0


def start() -> None:
    """Every office's venue, once, before the replay's processes start (they inherit that it is
    done, and so never race to make the same venue)."""
    global _venues_ensured
    if not _venues_ensured:
        ensure_office_venues()
        _venues_ensured = True


def prepare(office: RegisterOffice) -> RegisterOffice:
    """The office's register office venue with its ceremony and notice rooms' patterns, and its
    officers (idempotent, like `booking.demo.load_demo_calendar`, for this office only).

    Two of the replay's processes may need a new office at once; the demo's patterns have no
    unique constraint (an office may open a room twice a day), so on PostgreSQL a lock per office
    makes the second wait and then find the diary made. SQLite's write transactions already
    queue (IMMEDIATE)."""
    global spent
    if office.pk in _prepared:
        return office
    started = time.process_time()
    start()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DIARY_LOCK, office.pk])
        ensure_office_diary(office)
    _prepared.add(office.pk)
    spent += time.process_time() - started
    return office
