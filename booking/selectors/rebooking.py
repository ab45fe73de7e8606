"""Reads for re-booking after a closure or an absence: the closure or absence a page names, the
bookings it affects, and the alternatives for each, best first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.places import Place, distance_km
from identity.models import RegisterOffice

from ..ceremony_notices import ceremony_notices
from ..models import Booking, Closure, OfficerAbsence, Venue
from ..refusals import BookingRefused
from .diary import days_range
from .slots import UK, DiaryWindow, Slot, SlotSearch, find_slots

NEARBY_VENUE_KM = 25
REBOOK_SAME_VENUE_DAYS = 14


@dataclass
class Proposal:
    booking: Booking
    alternatives: list[Slot] = field(default_factory=list)
    reason: str = ""

    def alternative_kind(self, slot: Slot) -> str:
        """How an alternative differs: "officers" (same time and place), "time" (same venue) or
        "venue" (nearby, same day)."""
        if slot.is_same_time_and_place(self.booking):
            return "officers"
        return "time" if slot.room.venue_id == self.booking.room.venue_id else "venue"


@dataclass
class RebookingSubject:
    """A closure or an absence, and the bookings it affects."""

    reason: str  # "closure" or "absence"
    cause: Closure | OfficerAbsence
    affected: QuerySet[Booking]


def rebooking_subject(*, office: RegisterOffice, closure: str | None, absence: str | None) -> RebookingSubject | None:
    """The closure at the office's venues or the absence of one of its officers that a page names
    by number; None when there is no such one. Refuses an address naming neither or both."""
    if bool(closure) == bool(absence):
        raise BookingRefused("rebook_one_subject")
    raw = closure or absence
    if not raw.isdigit() or len(raw) > 18:
        raise BookingRefused("rebook_subject_invalid")
    if closure:
        found = Closure.objects.filter(pk=int(raw), venue__office=office).select_related("venue", "room").first()
        return RebookingSubject("closure", found, bookings_affected_by_closure(found)) if found else None
    found = (
        OfficerAbsence.objects.filter(pk=int(raw))
        .filter(Q(officer__rota_shifts__office=office) | Q(officer__offices=office))
        .select_related("officer")
        .distinct()
        .first()
    )
    return RebookingSubject("absence", found, bookings_affected_by_absence(found)) if found else None


def _moveable_bookings() -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status__in=Booking.BOOKED)
        .select_related("room__venue__office", "person", "superintendent", "registrar")
        .prefetch_related("parties")
        .order_by("starts_at")
    )


def bookings_affected_by_closure(closure: Closure) -> QuerySet[Booking]:
    """Provisional and confirmed bookings in the closed venue (or room) on the closed days."""
    since, until = days_range(closure.starts_on, closure.ends_on)
    bookings = _moveable_bookings().filter(room__venue_id=closure.venue_id, starts_at__lt=until, ends_at__gt=since)
    if closure.room_id:
        bookings = bookings.filter(room_id=closure.room_id)
    return bookings


def bookings_affected_by_absence(absence: OfficerAbsence) -> QuerySet[Booking]:
    """Provisional and confirmed bookings the absent officer was to take on the days away."""
    since, until = days_range(absence.starts_on, absence.ends_on)
    return _moveable_bookings().filter(
        Q(superintendent_id=absence.officer_id) | Q(registrar_id=absence.officer_id),
        starts_at__lt=until,
        ends_at__gt=since,
    )


def _same_time_other_officers(booking: Booking, *, now: datetime) -> Slot | None:
    """The booking's own room and time with free officers, keeping any officer who can stay.
    Built from the diary directly rather than `find_slots`, so that it also works for bookings
    nearer than a person could book today (an officer is often ill at short notice)."""
    if booking.starts_at <= now:
        return None
    room = booking.room
    day = booking.starts_at.astimezone(UK).date()
    window = DiaryWindow([room], day, day, booking.pk)
    if not window.room_open(room, day) or not window.room_free(room, booking.starts_at, booking.ends_at):
        return None
    free = set(window.free_officers(room.venue, booking.starts_at, booking.ends_at))

    def pick(current: int | None, pool: set[int], other: int | None) -> int | None:
        if current in free and current in pool and current != other:
            return current
        return next((pk for pk in sorted(free) if pk in pool and pk != other), None)

    if booking.kind in Booking.TWO_OFFICER_KINDS:
        superintendent = pick(booking.superintendent_id, window.superintendents, None)
        registrar = pick(booking.registrar_id, window.registrars, superintendent)
        if superintendent is None or registrar is None:
            return None
    else:
        superintendent = None
        registrar = pick(booking.registrar_id, window.registrars | window.superintendents, None)
        if registrar is None:
            return None
    if (superintendent, registrar) == (booking.superintendent_id, booking.registrar_id):
        return None
    return Slot(
        room=room,
        kind=booking.kind,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        superintendent_id=superintendent,
        registrar_id=registrar,
    )


def _nearby_venue_ids(venue: Venue) -> frozenset[int]:
    """The office's other venues and any venue within NEARBY_VENUE_KM, the venue itself left out."""
    lat, lon = float(venue.latitude), float(venue.longitude)
    # A box a little larger than the circle narrows the query; the distance decides.
    dlat = NEARBY_VENUE_KM / 111.0
    dlon = NEARBY_VENUE_KM / (111.0 * max(math.cos(math.radians(lat)), 0.1))
    candidates = Venue.objects.filter(
        Q(office_id=venue.office_id)
        | Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))
    ).exclude(pk=venue.pk)
    return frozenset(
        pk
        for pk, office_id, vlat, vlon in candidates.values_list("pk", "office_id", "latitude", "longitude")
        if office_id == venue.office_id or distance_km((lat, lon), (float(vlat), float(vlon))) <= NEARBY_VENUE_KM
    )


def rebooking_proposals(
    *, bookings, now: datetime | None = None, per_kind: int = 4, reason: str = ""
) -> list[Proposal]:
    """Alternatives for bookings hit by a closure or an absence, best first: the same time with
    other free officers; other times at the same venue within REBOOK_SAME_VENUE_DAYS days; the
    same day at the office's other venues or venues within NEARBY_VENUE_KM km. Only what
    `services.apply_rebooking` would accept is proposed: published slots (so what a person
    could book today), and no other venue once notice has been given (notice names the venue)."""
    now = now or timezone.now()
    proposals = []
    for booking in bookings:
        venue = booking.room.venue
        alternatives: list[Slot] = []
        same_time = _same_time_other_officers(booking, now=now)
        if same_time is not None:
            alternatives.append(same_time)
        if booking.kind == Booking.Kind.CITIZENSHIP_GROUP:
            # Only other officers: the seat holders chose the time and the place.
            proposals.append(Proposal(booking=booking, alternatives=alternatives, reason=reason))
            continue
        day = booking.starts_at.astimezone(UK).date()
        same_venue = find_slots(
            SlotSearch(
                kind=booking.kind,
                date_from=day - timedelta(days=REBOOK_SAME_VENUE_DAYS),
                date_to=day + timedelta(days=REBOOK_SAME_VENUE_DAYS),
                venue_ids=frozenset([venue.pk]),
                guests=booking.guests,
                limit=10_000,
                exclude_booking_id=booking.pk,
            ),
            now=now,
        )
        same_venue.sort(key=lambda slot: (abs(slot.starts_at - booking.starts_at), slot.starts_at, slot.room.pk))
        alternatives += [slot for slot in same_venue if not slot.is_same_time_and_place(booking)][:per_kind]
        notice_given = bool(ceremony_notices(booking).given) if booking.kind == Booking.Kind.CEREMONY else False
        # A notice appointment must stay at the office of the party's district.
        if not notice_given:
            venue_ids = _nearby_venue_ids(venue)
            if booking.kind == Booking.Kind.NOTICE:
                venue_ids = frozenset(
                    Venue.objects.filter(pk__in=venue_ids, office_id=venue.office_id).values_list("pk", flat=True)
                )
            if venue_ids:
                nearby = find_slots(
                    SlotSearch(
                        kind=booking.kind,
                        date_from=day,
                        date_to=day,
                        place=Place(venue.name, float(venue.latitude), float(venue.longitude)),
                        venue_ids=venue_ids,
                        guests=booking.guests,
                        limit=10_000,
                        exclude_booking_id=booking.pk,
                    ),
                    now=now,
                )
                nearby.sort(
                    key=lambda slot: (abs(slot.starts_at - booking.starts_at), slot.distance_km or 0, slot.room.pk)
                )
                alternatives += nearby[:per_kind]
        proposals.append(Proposal(booking=booking, alternatives=alternatives, reason=reason))
    return proposals
