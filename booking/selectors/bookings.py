"""Reads about one person's bookings: their list, what they (or a member of staff) may do with a
booking now, and whose booking a reference is for phone support."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from identity.models import User

from ..models import Booking

# What the person who booked may do with their booking, before it starts.
PERSON_ACTIONS = frozenset({"cancel", "move", "change_details", "book_notice_appointment"})


def bookings_of(person: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(person=person)
        .exclude(status=Booking.Status.EXPIRED)
        .select_related("room__venue")
        .order_by("-starts_at")
    )


def actions_open_to(booking: Booking, *, user, now: datetime | None = None) -> frozenset[str]:
    """What `user` may do with `booking` now, read from `Booking.TRANSITIONS`: the person who
    booked changes it until it starts; staff change its officers. The services refuse anything
    else with the same answer."""
    now = now or timezone.now()
    if getattr(user, "is_staff", False):
        actions = {"change_officers", "cancel"}
    elif booking.starts_at <= now:
        return frozenset()
    else:
        actions = PERSON_ACTIONS
    return frozenset(action for action in actions if booking.allows(action, now))


def person_for_reference(reference: str) -> tuple[User, str] | None:
    """For phone support: whose booking this reference is, and its stage."""
    booking = Booking.objects.select_related("person").filter(reference__iexact=reference).first()
    if booking is None:
        return None
    return booking.person, f"{booking.get_kind_display()}: {booking.get_status_display()}"
