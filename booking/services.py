"""Writes for booking: hold a slot (room and officers at once), confirm a hold, cancel, and
release expired holds. Python checks give the friendly answer; on PostgreSQL the exclusion
constraints give the guarantee, and a lost race becomes the same friendly answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from identity.audit import record_audit
from identity.models import User
from identity.references import new_reference

from .models import Booking, Occupancy, Room, Venue


class SlotUnavailable(Exception):
    """The room or an officer is already in use at that time."""


class BookingRefused(Exception):
    """The request breaks a rule; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def officer_travel_buffer(venue: Venue) -> timedelta:
    """Time an officer needs before and after a ceremony to travel. Approved premises are away
    from the office; a ceremony at the register office itself needs only changeover time."""
    minutes = (
        settings.BOOKING_TRAVEL_BUFFER_APPROVED_PREMISES_MINUTES
        if venue.kind == Venue.Kind.APPROVED_PREMISES
        else settings.BOOKING_TRAVEL_BUFFER_REGISTER_OFFICE_MINUTES
    )
    return timedelta(minutes=minutes)


def _expire_stale_holds(*, room: Room, officers: list[User]) -> None:
    """Expired holds on this room or these officers must not block a new booking, even
    before the sweeper has run. Releasing an expired hold early is always safe."""
    stale = Booking.objects.filter(
        Q(occupancies__room=room) | Q(occupancies__officer__in=officers),
        status=Booking.Status.HELD,
        hold_expires_at__lte=timezone.now(),
        occupancies__active=True,
    )
    ids = list(stale.values_list("pk", flat=True).distinct())
    if ids:
        _release(Booking.objects.filter(pk__in=ids, status=Booking.Status.HELD), Booking.Status.EXPIRED)


def _release(bookings, status: str) -> int:
    ids = list(bookings.values_list("pk", flat=True))
    Occupancy.objects.filter(booking_id__in=ids, active=True).update(active=False)
    updates: dict = {"status": status}
    if status == Booking.Status.CANCELLED:
        updates["cancelled_at"] = timezone.now()
    return Booking.objects.filter(pk__in=ids).update(**updates)


def _busy(*, room: Room, officer_windows: list[tuple[User, datetime, datetime]], starts_at, ends_at) -> bool:
    active = Occupancy.objects.filter(active=True)
    if active.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        return True
    return any(
        active.filter(officer=officer, starts_at__lt=until, ends_at__gt=since).exists()
        for officer, since, until in officer_windows
    )


def hold_slot(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    superintendent: User | None = None,
    registrar: User | None = None,
    idempotency_key: str = "",
) -> Booking:
    """Hold a room and its officers for HOLD minutes. The same idempotency key from the same
    person returns the first hold instead of making a second."""
    if idempotency_key:
        existing = Booking.objects.filter(person=person, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if ends_at <= starts_at:
        raise BookingRefused("ends_before_start")
    if starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    officers = [officer for officer in (superintendent, registrar) if officer is not None]
    if kind == Booking.Kind.CEREMONY and (superintendent is None or registrar is None):
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent is not None and superintendent == registrar:
        raise BookingRefused("same_officer_twice")
    buffer = officer_travel_buffer(room.venue)
    windows = [(officer, starts_at - buffer, ends_at + buffer) for officer in officers]
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Same-room holds queue here, so the loser sees the winner's rows and gets the
                # friendly answer; the exclusion constraint still guards every other path.
                Room.objects.select_for_update().get(pk=room.pk)
            _expire_stale_holds(room=room, officers=officers)
            if _busy(room=room, officer_windows=windows, starts_at=starts_at, ends_at=ends_at):
                raise SlotUnavailable
            booking = Booking.objects.create(
                reference=new_reference("BK"),
                kind=kind,
                person=person,
                room=room,
                superintendent=superintendent,
                registrar=registrar,
                starts_at=starts_at,
                ends_at=ends_at,
                hold_expires_at=timezone.now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
                idempotency_key=idempotency_key,
            )
            Occupancy.objects.create(booking=booking, room=room, starts_at=starts_at, ends_at=ends_at)
            for officer, since, until in windows:
                Occupancy.objects.create(booking=booking, officer=officer, starts_at=since, ends_at=until)
    except IntegrityError as error:
        if idempotency_key:
            existing = Booking.objects.filter(person=person, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        # The exclusion constraint caught a race the checks above could not see.
        raise SlotUnavailable from error
    return booking


def confirm_hold(*, booking: Booking, actor: User) -> Booking:
    """Compare-and-swap on the hold: only a live hold becomes a booking. A ceremony stays
    provisional until both notices are given; a notice appointment is confirmed."""
    now = timezone.now()
    new_status = Booking.Status.PROVISIONAL if booking.kind == Booking.Kind.CEREMONY else Booking.Status.CONFIRMED
    with transaction.atomic():
        swapped = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD, hold_expires_at__gt=now).update(
            status=new_status, confirmed_at=now, hold_expires_at=None
        )
        if swapped != 1:
            booking.refresh_from_db()
            raise BookingRefused(
                "hold_expired" if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED) else "not_held"
            )
        booking.refresh_from_db()
        if actor.is_staff:
            record_audit(
                actor=actor,
                action="booking.confirmed",
                subject=booking.person,
                object_type="booking",
                object_id=booking.reference,
            )
    return booking


def extend_hold(*, booking: Booking) -> Booking:
    """The accessible timeout: a person may ask for more time while the hold is still live."""
    now = timezone.now()
    extended = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD, hold_expires_at__gt=now).update(
        hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    )
    if extended != 1:
        raise BookingRefused("hold_expired")
    booking.refresh_from_db()
    return booking


def cancel_booking(*, booking: Booking, actor: User) -> Booking:
    """Frees the room and every officer at once."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status not in Booking.ACTIVE_STATUSES:
            raise BookingRefused("not_active")
        _release(Booking.objects.filter(pk=booking.pk), Booking.Status.CANCELLED)
        if actor.is_staff:
            record_audit(
                actor=actor,
                action="booking.cancelled",
                subject=booking.person,
                object_type="booking",
                object_id=booking.reference,
            )
    booking.refresh_from_db()
    return booking


def release_expired_holds(*, limit: int = 500) -> int:
    """Beat sweeper. SKIP LOCKED lets several workers sweep without waiting on each other or
    on a hold being confirmed at that moment."""
    with transaction.atomic():
        expired = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
        if connection.vendor == "postgresql":
            expired = expired.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:limit])
        return _release(Booking.objects.filter(pk__in=ids), Booking.Status.EXPIRED) if ids else 0


def ensure_office_venues() -> int:
    """Every register office is a ceremony venue with a ceremony room and a notice room.
    Running it again changes nothing. Returns the number of office venues."""
    from identity.models import RegisterOffice

    count = 0
    with transaction.atomic():
        for office in RegisterOffice.objects.all():
            venue, _created = Venue.objects.update_or_create(
                code=f"RO-{office.code}",
                defaults={
                    "name": office.name,
                    "welsh_name": office.welsh_name,
                    "kind": Venue.Kind.REGISTER_OFFICE,
                    "office": office,
                    "address": office.address,
                    "postcode": office.postcode,
                    "latitude": office.latitude,
                    "longitude": office.longitude,
                    "capacity": 40,
                    "accessibility_notes": "Step-free access, hearing loop, accessible toilet.",
                },
            )
            Room.objects.get_or_create(venue=venue, name="Ceremony room", defaults={"capacity": 40})
            Room.objects.get_or_create(venue=venue, name="Notice room", defaults={"capacity": 4})
            count += 1
    return count
