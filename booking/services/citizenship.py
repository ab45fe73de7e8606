"""Seats at group citizenship ceremonies. A seat is taken, given back or moved only here, each by
one conditional UPDATE of the ceremony's counts (`seats_taken + 1 <= seats`), and the database's
check constraints refuse any count over capacity as well, so parallel bookings never overbook a
ceremony (proven on PostgreSQL in tests/concurrency). The invitation's own rules — who may book,
by when — are the caller's (registrar.citizenship); booking only holds the seats."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.references import new_reference
from identity.models import User

from ..models import Booking, CitizenshipCeremony, CitizenshipSeat
from ..refusals import BookingRefused
from .transitions import audit_if_staff


def _take(ceremony: CitizenshipCeremony, *, guests: int) -> None:
    """Take one seat and `guests` guest places, or refuse: never more than the room holds."""
    if guests > ceremony.guests_per_attendee:
        raise BookingRefused("citizenship_too_many_guests", guests=ceremony.guests_per_attendee)
    try:
        with transaction.atomic():
            taken = CitizenshipCeremony.objects.filter(
                pk=ceremony.pk,
                booking__status__in=Booking.BOOKED,
                seats_taken__lt=F("seats"),
                guests_taken__lte=F("guest_places") - guests,
            ).update(seats_taken=F("seats_taken") + 1, guests_taken=F("guests_taken") + guests)
    except IntegrityError as error:  # the check constraints: a count over capacity
        raise BookingRefused("citizenship_full") from error
    if not taken:
        raise BookingRefused("citizenship_full")


def _give_back(seat: CitizenshipSeat) -> None:
    CitizenshipCeremony.objects.filter(pk=seat.ceremony_id).update(
        seats_taken=F("seats_taken") - 1, guests_taken=F("guests_taken") - seat.guests
    )


def book_seat(
    *,
    ceremony: CitizenshipCeremony,
    person: User,
    invitation_reference: str,
    guests: int,
    welsh_oath: bool = False,
    attend_by: date,
    actor: User,
) -> CitizenshipSeat:
    """One seat for the new citizen named by the invitation, at a ceremony on or before
    `attend_by` (the invitation's last day). One live seat per invitation."""
    if ceremony.booking.starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if timezone.localdate(ceremony.booking.starts_at) > attend_by:
        raise BookingRefused("citizenship_after_invitation")
    if welsh_oath and not ceremony.welsh_available:
        raise BookingRefused("citizenship_no_welsh")
    with transaction.atomic():
        if CitizenshipSeat.objects.filter(
            invitation_reference=invitation_reference, status=CitizenshipSeat.Status.BOOKED
        ).exists():
            raise BookingRefused("citizenship_already_booked")
        _take(ceremony, guests=guests)
        try:
            with transaction.atomic():
                seat = CitizenshipSeat.objects.create(
                    reference=new_reference("CS"),
                    ceremony=ceremony,
                    person=person,
                    invitation_reference=invitation_reference,
                    guests=guests,
                    welsh_oath=welsh_oath,
                )
        except IntegrityError as error:  # a parallel booking of the same invitation won
            raise BookingRefused("citizenship_already_booked") from error
        audit_if_staff(actor, "booking.citizenship_seat_booked", ceremony.booking)
    return seat


def cancel_seat(*, seat: CitizenshipSeat, actor: User) -> CitizenshipSeat:
    """Give the seat and its guest places back at once."""
    with transaction.atomic():
        cancelled = CitizenshipSeat.objects.filter(pk=seat.pk, status=CitizenshipSeat.Status.BOOKED).update(
            status=CitizenshipSeat.Status.CANCELLED, cancelled_at=timezone.now()
        )
        if not cancelled:
            raise BookingRefused("not_active")
        _give_back(seat)
        audit_if_staff(actor, "booking.citizenship_seat_cancelled", seat.ceremony.booking)
    seat.refresh_from_db()
    return seat


def move_seat(
    *, seat: CitizenshipSeat, to: CitizenshipCeremony, guests: int | None = None, attend_by: date, actor: User
) -> CitizenshipSeat:
    """Move to another ceremony in one transaction: the new seat is taken before the old one is
    given back, so a person never loses their seat to a full ceremony."""
    guests = seat.guests if guests is None else guests
    if to.pk == seat.ceremony_id:
        raise BookingRefused("citizenship_same_ceremony")
    if to.booking.starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if timezone.localdate(to.booking.starts_at) > attend_by:
        raise BookingRefused("citizenship_after_invitation")
    with transaction.atomic():
        moved = CitizenshipSeat.objects.filter(pk=seat.pk, status=CitizenshipSeat.Status.BOOKED).update(
            status=CitizenshipSeat.Status.MOVED, cancelled_at=timezone.now()
        )
        if not moved:
            raise BookingRefused("not_active")
        _take(to, guests=guests)
        _give_back(seat)
        new = CitizenshipSeat.objects.create(
            reference=new_reference("CS"),
            ceremony=to,
            person=seat.person,
            invitation_reference=seat.invitation_reference,
            guests=guests,
            welsh_oath=seat.welsh_oath and to.welsh_available,
        )
        CitizenshipSeat.objects.filter(pk=seat.pk).update(moved_to=new)
        audit_if_staff(actor, "booking.citizenship_seat_moved", to.booking)
    return new
