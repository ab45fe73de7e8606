"""Reads for an office's diary: its bookings by day, its officers, rooms, rota, absences and
closures, and the bookings a staff calendar feed shows."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from identity.models import RegisterOffice, User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from ..models import Booking, CalendarFeed, Closure, OfficerAbsence, Party, Room, RotaShift, Venue
from .slots import local_datetime

FEED_PAST_DAYS = 30


def days_range(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last`, in UK local time."""
    return local_datetime(first, time(0)), local_datetime(last + timedelta(days=1), time(0))


def office_diary(*, office_id: int, first: date, last: date) -> QuerySet[Booking]:
    """Active bookings at an office's venues between two days."""
    since, until = days_range(first, last)
    return (
        Booking.objects.filter(status__in=Booking.ACTIVE, starts_at__lt=until, ends_at__gt=since)
        .filter(room__venue__office_id=office_id)
        .select_related("room__venue", "superintendent", "registrar", "person", "citizenship")
        .prefetch_related("parties")
        .order_by("starts_at")
    )


def office_booking(*, office: RegisterOffice, reference: str) -> Booking | None:
    """A booking at one of the office's venues, with what its staff page shows."""
    return (
        Booking.objects.select_related(
            "room__venue__office",
            "person",
            "superintendent",
            "registrar",
            "ceremony",
            "identity_case",
        )
        .filter(reference=reference, room__venue__office=office)
        .first()
    )


def parties_of(booking: Booking) -> list[Party]:
    """The parties a staff booking page shows: both of a ceremony; none for an appointment."""
    if booking.kind == Booking.Kind.CEREMONY:
        return list(booking.parties.select_related("booking"))
    return []


def staff_offices(user: User):
    """The register offices whose diary a member of staff may manage: the ones they belong to."""
    return user.offices.order_by("name")


def rota_officers(*, office_id: int, roles: tuple[str, ...] = (REGISTRAR, SUPERINTENDENT_REGISTRAR)) -> QuerySet[User]:
    """Active officers with one of `roles` who have a shift on the office's rota."""
    return (
        User.objects.filter(is_active=True, rota_shifts__office_id=office_id, groups__name__in=roles)
        .distinct()
        .order_by("full_name", "email")
    )


def office_officers(*, office_id: int) -> QuerySet[User]:
    """Registrars and superintendent registrars on the office's rota or on its staff."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[REGISTRAR, SUPERINTENDENT_REGISTRAR])
        .filter(Q(rota_shifts__office_id=office_id) | Q(offices__id=office_id))
        .distinct()
        .order_by("full_name", "email")
    )


def office_rooms(office: RegisterOffice) -> QuerySet[Room]:
    return Room.objects.filter(venue__office=office).select_related("venue").order_by("venue__name", "name")


def office_venues_with_patterns(office: RegisterOffice) -> QuerySet[Venue]:
    return Venue.objects.filter(office=office).prefetch_related(
        Prefetch("rooms", queryset=Room.objects.prefetch_related("patterns"))
    )


def office_rota(office: RegisterOffice) -> QuerySet[RotaShift]:
    return RotaShift.objects.filter(office=office).select_related("officer").order_by("officer__full_name", "weekday")


def upcoming_absences(office: RegisterOffice, *, today: date | None = None) -> QuerySet[OfficerAbsence]:
    """Absences of the office's officers that have not ended yet."""
    return (
        OfficerAbsence.objects.filter(
            officer__in=office_officers(office_id=office.pk), ends_on__gte=today or timezone.localdate()
        )
        .select_related("officer")
        .order_by("starts_on")
    )


def upcoming_closures(office: RegisterOffice, *, today: date | None = None) -> QuerySet[Closure]:
    return (
        Closure.objects.filter(venue__office=office, ends_on__gte=today or timezone.localdate())
        .select_related("venue", "room")
        .order_by("starts_on")
    )


def office_feeds(office: RegisterOffice) -> QuerySet[CalendarFeed]:
    """The office's own feed and its officers' feeds."""
    return (
        CalendarFeed.objects.filter(Q(office=office) | Q(officer__in=office_officers(office_id=office.pk)))
        .select_related("office", "officer", "created_by")
        .order_by("-created_at")
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a secret URL token opens; only the token's SHA-256 is stored."""
    if len(token) > 100:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=hashlib.sha256(token.encode()).hexdigest())
        .select_related("office", "officer")
        .first()
    )


def feed_bookings(*, office_id: int | None = None, officer_id: int | None = None, today: date | None = None):
    """What a staff calendar feed shows: booked ceremonies and appointments at the office's venues,
    or the officer's, from FEED_PAST_DAYS days ago to the booking horizon."""
    today = today or timezone.localdate()
    since, until = days_range(
        today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=settings.BOOKING_HORIZON_DAYS)
    )
    bookings = Booking.objects.filter(status__in=Booking.BOOKED, starts_at__lt=until, ends_at__gt=since)
    if office_id is not None:
        bookings = bookings.filter(room__venue__office_id=office_id)
    else:
        bookings = bookings.filter(Q(superintendent_id=officer_id) | Q(registrar_id=officer_id))
    return bookings.select_related("room__venue", "superintendent", "registrar", "citizenship").order_by("starts_at")
