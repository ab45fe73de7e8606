"""Each office's diary as the demo data sets it up (venues, weekly patterns, officers on a rota),
prepared the first time the replay needs that office rather than all 175 at once."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from booking.demo import ensure_approved_premises, ensure_identity_patterns, ensure_officers, ensure_patterns
from booking.models import Booking, Venue
from booking.services import ensure_office_venues
from identity.models import RegisterOffice

_prepared: set[int] = set()


def forget() -> None:
    """At the start of a replay: the database may not be the one the last replay prepared."""
    _prepared.clear()


def prepare(office: RegisterOffice) -> RegisterOffice:
    """The office's register office venue with its ceremony and notice rooms' patterns, and its
    officers (idempotent, like `booking.demo.load_demo_calendar`, for this office only)."""
    if office.pk in _prepared:
        return office
    if not _prepared:
        ensure_office_venues()
    with transaction.atomic():
        for venue in Venue.objects.filter(office=office, kind=Venue.Kind.REGISTER_OFFICE):
            for room in venue.rooms.all():
                if room.name == "Ceremony room":
                    ensure_patterns(
                        room,
                        kind=Booking.Kind.CEREMONY,
                        days=range(0, 6),
                        opens=time(10),
                        closes=time(16),
                        duration=45,
                        gap=15,
                    )
                else:
                    ensure_patterns(
                        room,
                        kind=Booking.Kind.NOTICE,
                        days=range(0, 5),
                        opens=time(9, 30),
                        closes=time(16, 30),
                        duration=30,
                        gap=15,
                    )
                    ensure_identity_patterns(room)
        ensure_approved_premises(office)
        ensure_officers(office)
    _prepared.add(office.pk)
    return office
