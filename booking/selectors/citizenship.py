"""Reads for citizenship ceremonies: the group ceremonies a new citizen may still book (nearest
first from a postcode or a place), one ceremony by its booking reference, a person's seats, an
office's ceremonies for its staff page, the seats to remind, and the free slots for a private
ceremony (the availability search, as for every other kind)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from core.places import Place, distance_km
from identity.models import RegisterOffice, User

from ..models import Booking, CitizenshipCeremony, CitizenshipSeat
from ..places import find_place
from ..refusals import BookingRefused
from .diary import days_range
from .slots import Slot, SlotSearch, find_slots


def _ceremonies() -> QuerySet[CitizenshipCeremony]:
    return CitizenshipCeremony.objects.select_related(
        "booking__room__venue__office", "booking__superintendent", "booking__registrar"
    )


def _place(near: str | Place) -> Place:
    if isinstance(near, Place):
        return near
    place = find_place(near)
    if place is None:
        raise BookingRefused("citizenship_place_unknown")
    return place


def ceremonies_open_to(
    *,
    office: RegisterOffice | None = None,
    near: str | Place | None = None,
    before: date,
    guests: int = 0,
    welsh: bool = False,
    limit: int = 50,
    now: datetime | None = None,
) -> list[CitizenshipCeremony]:
    """Group ceremonies still ahead and on, on or before `before` (the invitation's last day), with
    a seat and `guests` guest places left (and `guests` no more than each attendee may bring), with
    the Welsh oath when `welsh`. By date; nearest first (then by date) when `near` is a postcode,
    a town or a venue's name (`booking.places`), each with `distance_km` set (None without
    `near`). An unknown place is refused (`citizenship_place_unknown`)."""
    now = now or timezone.now()
    _since, until = days_range(before, before)
    ceremonies = _ceremonies().filter(
        booking__status__in=Booking.BOOKED,
        booking__starts_at__gt=now,
        booking__starts_at__lt=until,
        seats_taken__lt=F("seats"),
        guests_taken__lte=F("guest_places") - max(guests, 0),
        guests_per_attendee__gte=max(guests, 0),
    )
    if office is not None:
        ceremonies = ceremonies.filter(booking__room__venue__office=office)
    if welsh:
        ceremonies = ceremonies.filter(welsh_available=True)
    found = list(ceremonies.order_by("booking__starts_at", "pk"))
    place = _place(near) if near else None
    for ceremony in found:
        venue = ceremony.booking.room.venue
        ceremony.distance_km = (
            distance_km(place.point, (float(venue.latitude), float(venue.longitude))) if place else None
        )
    if place is not None:
        found.sort(key=lambda ceremony: (ceremony.distance_km, ceremony.booking.starts_at, ceremony.pk))
    return found[:limit]


def ceremony_by_reference(reference: str) -> CitizenshipCeremony | None:
    """A group ceremony by its booking's reference ("BK-…"), cancelled or not; None if there is none."""
    if not reference or len(reference) > 20:
        return None
    return _ceremonies().filter(booking__reference=reference.strip().upper()).first()


def seats_for(person: User, *, live_only: bool = False) -> QuerySet[CitizenshipSeat]:
    """A person's seats, the soonest ceremony first; only the booked ones with `live_only`."""
    seats = CitizenshipSeat.objects.filter(person=person).select_related(
        "ceremony__booking__room__venue__office", "moved_to"
    )
    if live_only:
        seats = seats.filter(status=CitizenshipSeat.Status.BOOKED)
    return seats.order_by("ceremony__booking__starts_at", "booked_at")


def live_seat_for_invitation(invitation_reference: str) -> CitizenshipSeat | None:
    """The booked seat of an invitation, if it has one."""
    return (
        CitizenshipSeat.objects.filter(invitation_reference=invitation_reference, status=CitizenshipSeat.Status.BOOKED)
        .select_related("ceremony__booking__room__venue__office", "person")
        .first()
    )


def office_ceremonies(
    office: RegisterOffice, *, since: date | None = None, include_cancelled: bool = False
) -> QuerySet[CitizenshipCeremony]:
    """An office's group ceremonies from `since` (today), soonest first."""
    start, _until = days_range(since or timezone.localdate(), since or timezone.localdate())
    ceremonies = _ceremonies().filter(booking__room__venue__office=office, booking__ends_at__gt=start)
    if not include_cancelled:
        ceremonies = ceremonies.filter(booking__status__in=Booking.BOOKED)
    return ceremonies.order_by("booking__starts_at", "pk")


def office_ceremony(office: RegisterOffice, reference: str) -> CitizenshipCeremony | None:
    """One of the office's group ceremonies by its booking reference."""
    ceremony = ceremony_by_reference(reference)
    if ceremony is None or ceremony.booking.room.venue.office_id != office.pk:
        return None
    return ceremony


def ceremony_seats(ceremony: CitizenshipCeremony) -> QuerySet[CitizenshipSeat]:
    """Who is booked at a ceremony, in the order they booked."""
    return ceremony.seat_bookings.filter(status=CitizenshipSeat.Status.BOOKED).select_related("person")


def seats_to_remind(*, days: int, now: datetime | None = None) -> QuerySet[CitizenshipSeat]:
    """Booked seats at ceremonies that are on and begin within `days` days."""
    now = now or timezone.now()
    return CitizenshipSeat.objects.filter(
        status=CitizenshipSeat.Status.BOOKED,
        ceremony__booking__status__in=Booking.BOOKED,
        ceremony__booking__starts_at__gt=now,
        ceremony__booking__starts_at__lte=now + timedelta(days=days),
    ).select_related("person", "ceremony__booking__room__venue")


def private_ceremony_slots(
    *,
    date_from: date,
    date_to: date,
    office: RegisterOffice | None = None,
    near: str | Place | None = None,
    guests: int = 0,
    limit: int = 20,
) -> list[Slot]:
    """Free private ceremony slots (rooms with CITIZENSHIP_PRIVATE opening times, with an officer on
    the rota, closures, bank holidays and absences taken out), by date, or nearest first from
    `near`. The dates a person may book are the availability search's own."""
    place = _place(near) if near else None
    return find_slots(
        SlotSearch(
            kind=Booking.Kind.CITIZENSHIP_PRIVATE,
            date_from=date_from,
            date_to=min(date_to, date_from + timedelta(days=settings.BOOKING_MAX_SEARCH_DAYS)),
            place=place,
            order="distance" if place else "date",
            guests=max(guests, 0) + 1,
            office_ids=frozenset([office.pk]) if office else None,
            limit=limit,
        )
    )
