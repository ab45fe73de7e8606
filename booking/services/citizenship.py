"""Citizenship ceremonies: staff schedule group ceremonies (a `Booking` of kind CITIZENSHIP_GROUP
holding its room and two officers like a wedding, plus its `CitizenshipCeremony` of seats), change
their capacity and cancel them; new citizens take, give back and move seats; a private ceremony is
held and booked from the published slots.

A seat is taken, given back or moved only here, each by one conditional UPDATE of the ceremony's
counts (`seats_taken < seats`, `guests_taken + guests <= guest_places`) on the ceremony's own row,
and the database's check constraints refuse any count over capacity as well, so parallel bookings
never overbook a ceremony (proven on PostgreSQL in tests/concurrency). Whether the ceremony is
still on is read after that UPDATE, when the row is ours: cancelling locks the same row first, so
a seat is never taken at a ceremony being cancelled. A move locks both ceremonies in id order, so
two people swapping ceremonies queue rather than deadlock.

The invitation's own rules — who may book, by when, the private ceremony's fee — are the
caller's (registrar.citizenship); booking only holds the seats and the times."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.references import new_reference
from identity.audit import record_audit
from identity.models import RegisterOffice, User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from ..citizenship_notifications import tell_seat_holder
from ..models import (
    BankHoliday,
    Booking,
    CitizenshipCeremony,
    CitizenshipPrivateCeremony,
    CitizenshipSeat,
    Closure,
    OfficerAbsence,
    Room,
)
from ..refusals import BookingRefused
from ..selectors import UK, rota_officers
from ..selectors.citizenship import seats_to_remind
from .access import check_office
from .holds import confirm_hold, hold_published_slot, hold_slot
from .transitions import end_bookings

# --- Seats ----------------------------------------------------------------------------------


def _audit_seat(actor: User | None, action: str, seat: CitizenshipSeat, **detail) -> None:
    """Staff acting for a new citizen are audited, with the citizen as the subject."""
    if actor is not None and actor.is_staff:
        record_audit(
            actor=actor,
            action=action,
            subject=seat.person,
            object_type="citizenship_seat",
            object_id=seat.reference,
            detail=detail or None,
        )


def _check_open(ceremony: CitizenshipCeremony, *, attend_by: date) -> None:
    """The checks that need no lock: the ceremony is ahead, on, and inside the invitation."""
    booking = ceremony.booking
    if booking.status not in Booking.BOOKED:
        raise BookingRefused("citizenship_cancelled")
    if booking.starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if booking.starts_at.astimezone(UK).date() > attend_by:
        raise BookingRefused("citizenship_after_invitation")


def _take(ceremony: CitizenshipCeremony, *, guests: int) -> None:
    """Take one seat and `guests` guest places, or refuse: never more than the room holds. Call
    inside a transaction; the ceremony's row stays locked until it ends."""
    if guests < 0:
        raise BookingRefused("citizenship_guests_negative")
    if guests > ceremony.guests_per_attendee:
        raise BookingRefused("citizenship_too_many_guests", guests=ceremony.guests_per_attendee)
    try:
        with transaction.atomic():
            # Only the row's own columns in the WHERE: PostgreSQL re-checks them on the newest
            # version of the row after waiting for a parallel booking, so the count is never stale.
            taken = CitizenshipCeremony.objects.filter(
                pk=ceremony.pk,
                seats_taken__lt=F("seats"),
                guests_taken__lte=F("guest_places") - guests,
            ).update(seats_taken=F("seats_taken") + 1, guests_taken=F("guests_taken") + guests)
    except IntegrityError as error:  # the check constraints: a count over capacity
        raise BookingRefused("citizenship_full") from error
    if not taken:
        if CitizenshipCeremony.objects.filter(pk=ceremony.pk, seats_taken__lt=F("seats")).exists():
            raise BookingRefused("citizenship_guests_full")
        raise BookingRefused("citizenship_full")
    # The row is ours now, so a cancellation either finished before (and is seen here) or waits.
    if not Booking.objects.filter(pk=ceremony.booking_id, status__in=Booking.BOOKED).exists():
        raise BookingRefused("citizenship_cancelled")


def _give_back(seat: CitizenshipSeat) -> None:
    CitizenshipCeremony.objects.filter(pk=seat.ceremony_id).update(
        seats_taken=F("seats_taken") - 1, guests_taken=F("guests_taken") - seat.guests
    )


def _lock_ceremonies(*ceremony_ids: int) -> None:
    """Lock ceremonies' rows in id order, so that two moves in opposite directions queue."""
    if connection.vendor == "postgresql":
        list(
            CitizenshipCeremony.objects.filter(pk__in=ceremony_ids)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _has_live_private_ceremony(invitation_reference: str) -> bool:
    return CitizenshipPrivateCeremony.objects.filter(
        invitation_reference=invitation_reference, booking__status__in=Booking.BOOKED
    ).exists()


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
    `attend_by` (the invitation's last day). One live seat per invitation, and none while the
    invitation has a private ceremony."""
    ceremony = CitizenshipCeremony.objects.select_related("booking").get(pk=ceremony.pk)
    _check_open(ceremony, attend_by=attend_by)
    if welsh_oath and not ceremony.welsh_available:
        raise BookingRefused("citizenship_no_welsh")
    with transaction.atomic():
        if CitizenshipSeat.objects.filter(
            invitation_reference=invitation_reference, status=CitizenshipSeat.Status.BOOKED
        ).exists():
            raise BookingRefused("citizenship_already_booked")
        if _has_live_private_ceremony(invitation_reference):
            raise BookingRefused("citizenship_private_booked")
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
        _audit_seat(actor, "booking.citizenship_seat_booked", seat, ceremony=ceremony.booking.reference)
    return seat


def cancel_seat(*, seat: CitizenshipSeat, actor: User) -> CitizenshipSeat:
    """Give the seat and its guest places back at once. A ceremony that has begun is history."""
    seat = CitizenshipSeat.objects.select_related("ceremony__booking", "person").get(pk=seat.pk)
    if seat.ceremony.booking.starts_at <= timezone.now():
        raise BookingRefused("citizenship_ceremony_passed")
    with transaction.atomic():
        cancelled = CitizenshipSeat.objects.filter(pk=seat.pk, status=CitizenshipSeat.Status.BOOKED).update(
            status=CitizenshipSeat.Status.CANCELLED, cancelled_at=timezone.now()
        )
        if not cancelled:
            raise BookingRefused("not_active")
        _give_back(seat)
        _audit_seat(actor, "booking.citizenship_seat_cancelled", seat, ceremony=seat.ceremony.booking.reference)
    seat.refresh_from_db()
    return seat


def move_seat(
    *,
    seat: CitizenshipSeat,
    to: CitizenshipCeremony,
    guests: int | None = None,
    welsh_oath: bool | None = None,
    attend_by: date,
    actor: User,
) -> CitizenshipSeat:
    """Move to another ceremony in one transaction: the new seat is taken before the old one is
    given back, so a person never loses their seat to a full ceremony. The guests and the Welsh
    oath stay as they were unless given; a Welsh oath at a ceremony without Welsh is refused."""
    seat = CitizenshipSeat.objects.select_related("ceremony__booking", "person").get(pk=seat.pk)
    to = CitizenshipCeremony.objects.select_related("booking").get(pk=to.pk)
    guests = seat.guests if guests is None else guests
    welsh_oath = seat.welsh_oath if welsh_oath is None else welsh_oath
    if seat.status != CitizenshipSeat.Status.BOOKED:
        raise BookingRefused("not_active")
    if to.pk == seat.ceremony_id:
        raise BookingRefused("citizenship_same_ceremony")
    if seat.ceremony.booking.starts_at <= timezone.now():
        raise BookingRefused("citizenship_ceremony_passed")
    _check_open(to, attend_by=attend_by)
    if welsh_oath and not to.welsh_available:
        raise BookingRefused("citizenship_no_welsh")
    with transaction.atomic():
        _lock_ceremonies(seat.ceremony_id, to.pk)
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
            welsh_oath=welsh_oath,
        )
        CitizenshipSeat.objects.filter(pk=seat.pk).update(moved_to=new)
        _audit_seat(
            actor,
            "booking.citizenship_seat_moved",
            new,
            moved_from=seat.reference,
            ceremony=to.booking.reference,
        )
    return new


# --- Group ceremonies (staff) ------------------------------------------------------------------


def _check_capacity(room: Room, *, seats: int, guests_per_attendee: int, guest_places: int) -> None:
    if seats < 1:
        raise BookingRefused("citizenship_at_least_one_seat")
    if guests_per_attendee < 0 or guest_places < 0:
        raise BookingRefused("citizenship_guests_negative")
    if seats + guest_places > room.capacity:
        raise BookingRefused("citizenship_room_too_small", capacity=room.capacity)


def _check_day(room: Room, officers: list[User], day: date) -> None:
    """Closures, bank holidays and absences apply to a ceremony staff schedule by hand, as they
    do to every slot the calendar publishes."""
    if BankHoliday.objects.filter(date=day).exists() or (
        Closure.objects.filter(venue_id=room.venue_id, starts_on__lte=day, ends_on__gte=day)
        .filter(Q(room__isnull=True) | Q(room=room))
        .exists()
    ):
        raise BookingRefused("citizenship_room_closed")
    if OfficerAbsence.objects.filter(officer__in=officers, starts_on__lte=day, ends_on__gte=day).exists():
        raise BookingRefused("citizenship_officer_absent")


def schedule_group_ceremony(
    *,
    office: RegisterOffice,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    superintendent: User,
    registrar: User,
    seats: int,
    guests_per_attendee: int,
    guest_places: int,
    welsh_available: bool | None = None,
    actor: User,
) -> CitizenshipCeremony:
    """A group ceremony on the national calendar: its room and both officers are held exactly as
    for a wedding (so nothing else can be booked over it), and it is confirmed at once. Welsh is
    offered by default at offices in Wales."""
    check_office(actor, office.pk)
    if room.venue.office_id != office.pk:
        raise BookingRefused("room_not_at_venue")
    if superintendent is None or registrar is None:
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent == registrar:
        raise BookingRefused("same_officer_twice")
    if not rota_officers(office_id=office.pk, roles=(SUPERINTENDENT_REGISTRAR,)).filter(pk=superintendent.pk).exists():
        raise BookingRefused("not_an_officer_here")
    if not rota_officers(office_id=office.pk, roles=(REGISTRAR,)).filter(pk=registrar.pk).exists():
        raise BookingRefused("not_an_officer_here")
    if ends_at <= starts_at:
        raise BookingRefused("ends_before_start")
    if starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    _check_capacity(room, seats=seats, guests_per_attendee=guests_per_attendee, guest_places=guest_places)
    _check_day(room, [superintendent, registrar], starts_at.astimezone(UK).date())
    if welsh_available is None:
        welsh_available = office.in_wales
    with transaction.atomic():
        booking = hold_slot(
            person=actor,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=Booking.Kind.CITIZENSHIP_GROUP,
            superintendent=superintendent,
            registrar=registrar,
            guests=guest_places,
        )
        Booking.objects.filter(pk=booking.pk).transition(
            "book_citizenship", confirmed_at=timezone.now(), hold_expires_at=None
        )
        ceremony = CitizenshipCeremony.objects.create(
            booking=booking,
            seats=seats,
            guests_per_attendee=guests_per_attendee,
            guest_places=guest_places,
            welsh_available=welsh_available,
        )
        record_audit(
            actor=actor,
            action="booking.citizenship_ceremony_scheduled",
            object_type="booking",
            object_id=booking.reference,
            detail={"seats": seats, "guest_places": guest_places, "welsh": welsh_available},
        )
    return CitizenshipCeremony.objects.select_related("booking__room__venue").get(pk=ceremony.pk)


def change_ceremony_capacity(
    *,
    ceremony: CitizenshipCeremony,
    seats: int,
    guests_per_attendee: int,
    guest_places: int,
    welsh_available: bool,
    actor: User,
) -> CitizenshipCeremony:
    """New numbers for a ceremony, never below what is taken: one conditional UPDATE, so a seat
    booked at the same moment is counted."""
    ceremony = CitizenshipCeremony.objects.select_related("booking__room__venue").get(pk=ceremony.pk)
    check_office(actor, ceremony.booking.room.venue.office_id)
    if ceremony.booking.status not in Booking.BOOKED:
        raise BookingRefused("citizenship_cancelled")
    _check_capacity(
        ceremony.booking.room, seats=seats, guests_per_attendee=guests_per_attendee, guest_places=guest_places
    )
    with transaction.atomic():
        if (
            not welsh_available
            and ceremony.seat_bookings.filter(status=CitizenshipSeat.Status.BOOKED, welsh_oath=True).exists()
        ):
            raise BookingRefused("citizenship_welsh_in_use")
        try:
            with transaction.atomic():
                changed = CitizenshipCeremony.objects.filter(
                    pk=ceremony.pk, seats_taken__lte=seats, guests_taken__lte=guest_places
                ).update(
                    seats=seats,
                    guest_places=guest_places,
                    guests_per_attendee=guests_per_attendee,
                    welsh_available=welsh_available,
                )
        except IntegrityError as error:
            changed = 0
            cause = error
        else:
            cause = None
        if not changed:
            ceremony.refresh_from_db()
            raise BookingRefused(
                "citizenship_below_taken", seats=ceremony.seats_taken, guests=ceremony.guests_taken
            ) from cause
        Booking.objects.filter(pk=ceremony.booking_id).update(guests=guest_places)
        record_audit(
            actor=actor,
            action="booking.citizenship_capacity_changed",
            object_type="booking",
            object_id=ceremony.booking.reference,
            detail={
                "seats": [ceremony.seats, seats],
                "guest_places": [ceremony.guest_places, guest_places],
                "guests_per_attendee": [ceremony.guests_per_attendee, guests_per_attendee],
                "welsh": [ceremony.welsh_available, welsh_available],
            },
        )
    ceremony.refresh_from_db()
    return ceremony


def cancel_group_ceremony(*, ceremony: CitizenshipCeremony, actor: User, reason: str = "") -> CitizenshipCeremony:
    """Cancel a group ceremony: its room and officers are freed, every live seat is cancelled and
    its holder is told (one outbox message each, written in the same transaction)."""
    ceremony = CitizenshipCeremony.objects.select_related("booking__room__venue").get(pk=ceremony.pk)
    check_office(actor, ceremony.booking.room.venue.office_id)
    with transaction.atomic():
        # Locked first: a seat being booked now either finished (and is cancelled here) or waits
        # and then finds the ceremony cancelled.
        CitizenshipCeremony.objects.select_for_update().get(pk=ceremony.pk)
        if not end_bookings(Booking.objects.filter(pk=ceremony.booking_id), "cancel", cancelled_at=timezone.now()):
            raise BookingRefused("not_active")
        seats = list(
            ceremony.seat_bookings.filter(status=CitizenshipSeat.Status.BOOKED).select_related(
                "person", "ceremony__booking__room__venue"
            )
        )
        CitizenshipSeat.objects.filter(pk__in=[seat.pk for seat in seats]).update(
            status=CitizenshipSeat.Status.CANCELLED, cancelled_at=timezone.now()
        )
        CitizenshipCeremony.objects.filter(pk=ceremony.pk).update(seats_taken=0, guests_taken=0)
        for seat in seats:
            tell_seat_holder(seat, "ceremony_cancelled")
        record_audit(
            actor=actor,
            action="booking.citizenship_ceremony_cancelled",
            object_type="booking",
            object_id=ceremony.booking.reference,
            reason=reason.strip(),
            detail={"seats_cancelled": [seat.reference for seat in seats]},
        )
    ceremony.refresh_from_db()
    ceremony.booking.refresh_from_db()
    return ceremony


# --- Private ceremonies ------------------------------------------------------------------------


def hold_private_ceremony(*, person: User, room: Room, starts_at: datetime, guests: int = 0) -> Booking:
    """Hold a published private ceremony slot (BOOKING_HOLD_MINUTES), with an officer from the
    rota, as any other hold."""
    if guests < 0:
        raise BookingRefused("citizenship_guests_negative")
    if guests + 1 > room.capacity:
        raise BookingRefused("too_many_guests")
    return hold_published_slot(
        person=person, room=room, starts_at=starts_at, kind=Booking.Kind.CITIZENSHIP_PRIVATE, guests=guests
    )


def book_private_ceremony(
    *, booking: Booking, invitation_reference: str, attend_by: date, welsh_oath: bool = False, actor: User
) -> CitizenshipPrivateCeremony:
    """Book a held private ceremony for the invitation: confirmed at once (the fee is the
    caller's). One live private ceremony or seat per invitation."""
    if booking.kind != Booking.Kind.CITIZENSHIP_PRIVATE:
        raise BookingRefused("unknown_kind")
    if booking.starts_at.astimezone(UK).date() > attend_by:
        raise BookingRefused("citizenship_after_invitation")
    if welsh_oath and not booking.room.venue.office.in_wales:
        raise BookingRefused("citizenship_no_welsh")
    with transaction.atomic():
        if CitizenshipSeat.objects.filter(
            invitation_reference=invitation_reference, status=CitizenshipSeat.Status.BOOKED
        ).exists():
            raise BookingRefused("citizenship_already_booked")
        if _has_live_private_ceremony(invitation_reference):
            raise BookingRefused("citizenship_private_booked")
        private = CitizenshipPrivateCeremony.objects.create(
            booking=booking, invitation_reference=invitation_reference, welsh_oath=welsh_oath
        )
        confirm_hold(booking=booking, actor=actor)
    private.booking.refresh_from_db()
    return private


# --- Reminders ---------------------------------------------------------------------------------


def send_citizenship_reminders(*, now: datetime | None = None) -> int:
    """Remind seat holders CITIZENSHIP_REMINDER_DAYS days before their ceremony. A seat gets the
    nearest reminder it is due (booked 3 days before: the 7-day one now, the 1-day one later),
    each once: the outbox key is the seat and the days. Returns how many seats were considered."""
    now = now or timezone.now()
    done: set[int] = set()
    for days in sorted(settings.CITIZENSHIP_REMINDER_DAYS):
        for seat in seats_to_remind(days=days, now=now).exclude(pk__in=done):
            with transaction.atomic():
                tell_seat_holder(seat, f"reminder-{days}")
            done.add(seat.pk)
    return len(done)
