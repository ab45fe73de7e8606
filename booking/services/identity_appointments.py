"""Identity appointments: who may book one (a person whose identity check is with a registrar,
because it could not reach medium confidence online), the check made before a time is held and
again before it is booked, and the video call's random room token. The registrar's record of
what they saw is identity's (`identity.comparison`)."""

from __future__ import annotations

import secrets

from django.utils import timezone

from identity.models import IdentityCase, User
from identity.selectors import current_identity_case

from ..models import Booking
from ..refusals import BookingRefused
from .transitions import end_bookings


def identity_case_needing_appointment(person: User) -> IdentityCase:
    """The person's identity check that a registrar is to compare them with their document for.
    Refused when they have none with a registrar: a verified person needs no appointment, and a
    check still being filled in is sent first (online checks may reach medium on their own)."""
    case = current_identity_case(person=person)
    if case is not None and case.status == IdentityCase.Status.VERIFIED:
        raise BookingRefused("identity_verified")
    if case is not None and case.status == IdentityCase.Status.REJECTED:
        raise BookingRefused("identity_rejected")
    if case is None or case.status not in IdentityCase.REGISTRAR_STATUSES:
        raise BookingRefused("identity_not_with_registrar")
    return case


def active_identity_appointment(case: IdentityCase, *, exclude_booking_id: int | None = None) -> Booking | None:
    """The check's held or booked appointment (a hold that ran out does not count)."""
    appointments = Booking.objects.filter(identity_case=case, status__in=Booking.ACTIVE).exclude(
        status=Booking.Status.HELD, hold_expires_at__lte=timezone.now()
    )
    if exclude_booking_id is not None:
        appointments = appointments.exclude(pk=exclude_booking_id)
    return appointments.select_related("room__venue").first()


def check_identity_appointment(*, person: User, kind: str) -> IdentityCase:
    """Before a time is held: the person needs an appointment and has none yet (one per check;
    they move or cancel the one they have)."""
    if kind not in Booking.IDENTITY_KINDS:
        raise BookingRefused("unknown_kind")
    case = identity_case_needing_appointment(person)
    if active_identity_appointment(case) is not None:
        raise BookingRefused("identity_appointment_booked")
    # A hold of theirs that ran out still holds the one-per-check constraint until swept.
    stale = Booking.objects.filter(identity_case=case, status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
    if stale.exists():
        end_bookings(stale, "expire")
    return case


def check_still_needed(booking: Booking) -> None:
    """Before a held identity appointment is booked: its check is still with a registrar."""
    case = IdentityCase.objects.get(pk=booking.identity_case_id)
    if case.status == IdentityCase.Status.VERIFIED:
        raise BookingRefused("identity_verified")
    if case.status not in IdentityCase.REGISTRAR_STATUSES:
        raise BookingRefused("identity_not_with_registrar")


def new_video_room_token() -> str:
    """A video call's room name: 32 random bytes, and nothing else."""
    return secrets.token_urlsafe(32)
