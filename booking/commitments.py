"""When an officer is committed to a booking, and when two of their commitments clash: one rule,
read by the availability search (in memory), the services' checks before they write (in SQL, as
`clashing_rows`) and the database itself (the exclusion constraints of migration 0006 over the
officer rows `occupancy_rows` writes).

An officer is *at the venue* from the start of a booking until the changeover after it is done
(BOOKING_CHANGEOVER_MINUTES past its end), and *away* from leaving their office until they are
back: the time at the venue widened by the journey each way. Two commitments clash when their
times at the venue overlap, or when they are at different venues and their times away overlap.
So consecutive bookings in one place need the changeover between them once, and bookings at two
venues need the changeover and the journey via the office, which is never shorter than the
direct road between them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from core.places import distance_km

from .models import Venue


def travel_time(venue: Venue) -> timedelta:
    """The journey between the venue and its office, by road at BOOKING_TRAVEL_KM_PER_HOUR,
    rounded up to 5 minutes so that diaries stay readable (nothing at the office itself)."""
    office = venue.office
    km = distance_km((float(office.latitude), float(office.longitude)), (float(venue.latitude), float(venue.longitude)))
    minutes = km * settings.BOOKING_ROAD_DETOUR_FACTOR / settings.BOOKING_TRAVEL_KM_PER_HOUR * 60
    return timedelta(minutes=5 * math.ceil(minutes / 5))


def changeover() -> timedelta:
    return timedelta(minutes=settings.BOOKING_CHANGEOVER_MINUTES)


@dataclass(frozen=True)
class Commitment:
    venue_id: int
    starts_at: datetime  # at the venue, from the start of the booking...
    ends_at: datetime  # ...until its changeover is done
    away_from: datetime  # away from the office, from leaving...
    away_until: datetime  # ...until back

    def clashes(self, other: Commitment) -> bool:
        if self.starts_at < other.ends_at and other.starts_at < self.ends_at:
            return True
        return (
            self.venue_id != other.venue_id and self.away_from < other.away_until and other.away_from < self.away_until
        )

    def clashing_rows(self) -> Q:
        """The active officer rows (`Occupancy`) this commitment clashes with, for one officer."""
        at_the_venue = Q(starts_at__lt=self.ends_at, ends_at__gt=self.starts_at)
        away = Q(away_from__lt=self.away_until, away_until__gt=self.away_from) & ~Q(venue_id=self.venue_id)
        return at_the_venue | away


def officer_commitment(
    venue: Venue, starts_at: datetime, ends_at: datetime, *, journey: timedelta | None = None
) -> Commitment:
    """`journey` is the venue's `travel_time`, when the caller has it already."""
    journey = travel_time(venue) if journey is None else journey
    done = ends_at + changeover()
    return Commitment(
        venue_id=venue.pk, starts_at=starts_at, ends_at=done, away_from=starts_at - journey, away_until=done + journey
    )


def row_commitment(row) -> Commitment:
    """The commitment an officer's occupancy row (or its values) stands for."""
    return Commitment(
        venue_id=row.venue_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        away_from=row.away_from,
        away_until=row.away_until,
    )
