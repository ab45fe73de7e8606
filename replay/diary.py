"""Each office's diary as the demo data sets it up (venues, weekly patterns, officers on a rota),
prepared the first time the replay needs that office rather than all 175 at once."""

from __future__ import annotations

from booking.demo import ensure_office_diary
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
    ensure_office_diary(office)
    _prepared.add(office.pk)
    return office
