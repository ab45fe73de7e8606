"""Reads about identity appointments: a person's current one, the day's appointments at an office
for its registrars, and the offices where a check's person has one booked (which
`identity.comparison` reads through IDENTITY_COMPARISON_OFFICES, so that identity need not import
booking)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from identity.models import IdentityCase, RegisterOffice, User
from identity.selectors import current_identity_case

from ..models import Booking
from .diary import days_range


def identity_appointment_of(person: User) -> Booking | None:
    """The live appointment (held or booked) for the person's current identity check, if any."""
    case = current_identity_case(person=person)
    if case is None:
        return None
    return (
        Booking.objects.filter(identity_case=case, status__in=Booking.ACTIVE)
        .exclude(status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
        .select_related("room__venue")
        .first()
    )


def identity_appointment_offices(case: IdentityCase) -> list[int]:
    """The offices where the check's person has an identity appointment booked: their registrars
    compare the person with their document, whichever office the check belongs to."""
    return list(
        Booking.objects.filter(identity_case=case, status__in=Booking.BOOKED)
        .values_list("room__venue__office_id", flat=True)
        .distinct()
    )


def office_identity_appointments(*, office: RegisterOffice, day: date) -> QuerySet[Booking]:
    """The day's booked identity appointments at the office, by video or in person, with the
    check each is for."""
    since, until = days_range(day, day)
    return (
        Booking.objects.filter(
            kind__in=Booking.IDENTITY_KINDS,
            status__in=Booking.BOOKED,
            room__venue__office=office,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .select_related("room__venue", "person", "registrar", "superintendent", "identity_case")
        .order_by("starts_at", "pk")
    )
