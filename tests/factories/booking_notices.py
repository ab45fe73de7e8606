"""A stand-in for the registration domain behind booking's BOOKING_CEREMONY_NOTICES hook, so that
booking's tests say which notices a ceremony has without giving notice through the marriage
journey (whose own tests cover the hook's real answer, registrar.marriage.selectors)."""

from __future__ import annotations

import datetime

import pytest

from booking import rules
from booking.ceremony_notices import CeremonyNotices

_GIVEN: dict[int, CeremonyNotices] = {}


def ceremony_notices(ceremony) -> CeremonyNotices:
    return _GIVEN.get(ceremony.pk, CeremonyNotices())


def give_notices(ceremony, *, given_on: datetime.date, referred: bool = False, positions=(1, 2)) -> CeremonyNotices:
    """The ceremony's parties at `positions` gave notice on `given_on` (referred: 70 days)."""
    given = {position: given_on for position in positions}
    notices = CeremonyNotices(
        given=given,
        earliest=rules.earliest_ceremony_date(given_on, referred=referred) if len(given) == 2 else None,
        latest=rules.latest_ceremony_date(given_on) if len(given) == 2 else None,
    )
    _GIVEN[ceremony.pk] = notices
    return notices


@pytest.fixture
def stand_in_notices(settings):
    """Booking reads the notices this module says were given."""
    _GIVEN.clear()
    settings.BOOKING_CEREMONY_NOTICES = f"{__name__}.ceremony_notices"
    yield give_notices
    _GIVEN.clear()
