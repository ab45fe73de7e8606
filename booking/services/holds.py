"""Holding a slot (room and officers at once) for a few minutes, booking the hold with the couple's
details, extending it, cancelling, and sweeping holds that ran out. The room and officers are
locked in one global order and checked before the rows are written, which gives the friendly
answer; on PostgreSQL the exclusion constraints give the guarantee, and a lost race (a
constraint, a deadlock or a serialization failure) becomes the same friendly answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.references import new_reference
from identity.models import IdentityCase, User

from ..availability_cache import occupancy_changed
from ..commitments import officer_commitment
from ..locks import lock_in_order, lock_resources, refusing_lost_races
from ..models import Booking, Occupancy, Room
from ..notifications import announce
from ..refusals import BookingRefused, SlotUnavailable
from ..selectors import published_slot
from .identity_appointments import (
    active_identity_appointment,
    check_identity_appointment,
    check_still_needed,
    new_video_room_token,
)
from .notices import check_notice_appointment
from .parties import check_party, record_parties, save_party, save_witnesses
from .transitions import audit_if_staff, end_bookings

# Each failed attempt means another request took a proposed officer meanwhile, so the loop makes
# progress: with several officers free at one time (video calls), everyone racing for that time
# gets one of them, and the slot is reported gone only once the calendar no longer offers it.
HOLD_ATTEMPTS = 10


def release_stale_holds(booking_ids: set[int]) -> None:
    """Holds that ran out must not block a new booking, even before the sweeper has run.
    Releasing an expired hold early is always safe."""
    now = timezone.now()
    locked = lock_in_order(
        Booking.objects.filter(pk__in=booking_ids, status=Booking.Status.HELD, hold_expires_at__lte=now)
    )
    if locked:
        end_bookings(Booking.objects.filter(pk__in=locked, hold_expires_at__lte=now), "expire")


def is_busy(*, room: Room, officer_ids: list[int], starts_at: datetime, ends_at: datetime, needs_room: bool) -> bool:
    """Whether the room (for a booking that takes one) is in use then, or an officer has a
    commitment that clashes with this one (`booking.commitments`). One query: a clashing hold
    that ran out is released on the way and does not count."""
    commitment = officer_commitment(room.venue, starts_at, ends_at)
    clashing = Q(officer_id__in=officer_ids) & commitment.clashing_rows()
    if needs_room:
        clashing |= Q(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
    now = timezone.now()
    stale = set()
    for booking_id, status, hold_expires_at in Occupancy.objects.filter(clashing, active=True).values_list(
        "booking_id", "booking__status", "booking__hold_expires_at"
    ):
        if status != Booking.Status.HELD or hold_expires_at is None or hold_expires_at > now:
            return True
        stale.add(booking_id)
    if stale:
        release_stale_holds(stale)
    return False


def take_resources(
    *, room: Room, officer_ids: list[int], starts_at: datetime, ends_at: datetime, needs_room: bool
) -> None:
    """Inside a transaction, before the rows are written: lock the room and the officers in the
    global order (`booking.locks`), then refuse when any of them is busy, releasing on the way
    the holds that ran out in their way. Another request for one of them waits here, then sees
    these rows."""
    lock_resources(room_ids=[room.pk] if needs_room else [], officer_ids=officer_ids)
    if is_busy(room=room, officer_ids=officer_ids, starts_at=starts_at, ends_at=ends_at, needs_room=needs_room):
        raise SlotUnavailable


def occupy(booking: Booking, *, officer_ids: list[int]) -> None:
    """The rows that make the room (unless it is a video appointment) and the officers busy, at
    the booking's room and times."""
    room, starts_at, ends_at = booking.room, booking.starts_at, booking.ends_at
    rows = []
    if booking.needs_room:
        rows.append(
            Occupancy(
                booking=booking,
                room=room,
                venue_id=room.venue_id,
                starts_at=starts_at,
                ends_at=ends_at,
                away_from=starts_at,
                away_until=ends_at,
            )
        )
    commitment = officer_commitment(room.venue, starts_at, ends_at)
    for officer_id in sorted(officer_ids):
        rows.append(
            Occupancy(
                booking=booking,
                officer_id=officer_id,
                venue_id=commitment.venue_id,
                starts_at=commitment.starts_at,
                ends_at=commitment.ends_at,
                away_from=commitment.away_from,
                away_until=commitment.away_until,
            )
        )
    Occupancy.objects.bulk_create(rows)
    occupancy_changed(office_ids=[room.venue.office_id], officer_ids=officer_ids)


def hold_slot(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    superintendent: User | None = None,
    registrar: User | None = None,
    guests: int = 0,
    ceremony: Booking | None = None,
    identity_case: IdentityCase | None = None,
) -> Booking:
    """Hold a room and its officers for BOOKING_HOLD_MINUTES (a video appointment: its officer)."""
    return _hold(
        person=person,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        superintendent_id=superintendent.pk if superintendent is not None else None,
        registrar_id=registrar.pk if registrar is not None else None,
        guests=guests,
        ceremony=ceremony,
        identity_case=identity_case,
    )


def _hold(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    superintendent_id: int | None,
    registrar_id: int | None,
    guests: int,
    ceremony: Booking | None,
    identity_case: IdentityCase | None,
) -> Booking:
    if ends_at <= starts_at:
        raise BookingRefused("ends_before_start")
    if starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if kind in Booking.TWO_OFFICER_KINDS and (superintendent_id is None or registrar_id is None):
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent_id is not None and superintendent_id == registrar_id:
        raise BookingRefused("same_officer_twice")
    if (kind in Booking.IDENTITY_KINDS) != (identity_case is not None):
        raise BookingRefused("unknown_kind")
    officer_ids = [pk for pk in (superintendent_id, registrar_id) if pk is not None]

    def write() -> Booking:
        with transaction.atomic():
            take_resources(
                room=room,
                officer_ids=officer_ids,
                starts_at=starts_at,
                ends_at=ends_at,
                needs_room=kind in Booking.ROOM_KINDS,
            )
            booking = Booking.objects.create(
                reference=new_reference("BK"),
                kind=kind,
                person=person,
                room=room,
                superintendent_id=superintendent_id,
                registrar_id=registrar_id,
                starts_at=starts_at,
                ends_at=ends_at,
                guests=guests,
                ceremony=ceremony,
                identity_case=identity_case,
                video_room_token=new_video_room_token() if kind in Booking.VIDEO_KINDS else "",
                hold_expires_at=timezone.now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
            )
            occupy(booking, officer_ids=officer_ids)
            return booking

    try:
        return refusing_lost_races(write)
    except IntegrityError as error:
        if identity_case is not None and active_identity_appointment(identity_case) is not None:
            # A parallel request held an appointment for this check first.
            raise BookingRefused("identity_appointment_booked") from error
        # The exclusion constraint caught a race the checks above could not see.
        raise SlotUnavailable from error


def hold_published_slot(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    kind: str,
    guests: int = 0,
    ceremony: Booking | None = None,
    party_position: int | None = None,
) -> Booking:
    """Hold a slot the calendar publishes, with officers chosen from the rota. A notice
    appointment for a ceremony is checked against the notice rules first; an identity
    appointment against the person's identity check (it must be with a registrar)."""
    if kind not in Booking.Kind.values:
        raise BookingRefused("unknown_kind")
    if kind == Booking.Kind.CEREMONY and guests > room.capacity:
        raise BookingRefused("too_many_guests")
    if kind == Booking.Kind.NOTICE and ceremony is not None:
        check_notice_appointment(
            ceremony=ceremony, person=person, room=room, starts_at=starts_at, position=party_position
        )
    identity_case = check_identity_appointment(person=person, kind=kind) if kind in Booking.IDENTITY_KINDS else None
    # Another person may take the proposed officers between the search and the write; a
    # fresh proposal is tried before the slot is reported as gone.
    for _attempt in range(HOLD_ATTEMPTS):
        slot = published_slot(room=room, starts_at=starts_at, kind=kind)
        if slot is None:
            raise SlotUnavailable
        try:
            # The calendar's room, whose venue and office are loaded already.
            return _hold(
                person=person,
                room=slot.room,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                kind=kind,
                superintendent_id=slot.superintendent_id,
                registrar_id=slot.registrar_id,
                guests=guests,
                ceremony=ceremony,
                identity_case=identity_case,
            )
        except SlotUnavailable:
            continue
    raise SlotUnavailable


def _refuse_unheld(booking: Booking) -> None:
    booking.refresh_from_db()
    raise BookingRefused("hold_expired" if booking.status in Booking.HOLD_RAN_OUT else "not_held")


def _swap_hold(booking: Booking, *, now: datetime) -> None:
    """Inside the caller's transaction: the compare-and-swap that makes the live hold a booking.
    Its UPDATE also locks the row, so what follows in the transaction has the booking to itself.
    The booking in memory is left as it was until `_booked` says the transaction stands."""
    swapped = Booking.objects.filter(pk=booking.pk, hold_expires_at__gt=now).transition(
        booking.booking_action, confirmed_at=now, hold_expires_at=None
    )
    if swapped != 1:
        _refuse_unheld(booking)


def _booked(booking: Booking, *, actor: User, now: datetime) -> Booking:
    """The booking in memory as `_swap_hold` left the row, then the audit event and the message."""
    booking.status = Booking.TRANSITIONS[booking.booking_action][1]
    booking.confirmed_at, booking.hold_expires_at = now, None
    audit_if_staff(actor, "booking.confirmed", booking)
    announce(booking, "booked", current=True)
    return booking


def confirm_hold(*, booking: Booking, actor: User) -> Booking:
    """Compare-and-swap on the hold: only a live hold becomes a booking. A ceremony stays
    provisional until both notices are given; a notice appointment is confirmed."""
    now = timezone.now()
    if booking.kind == Booking.Kind.CEREMONY and booking.parties.count() != 2:
        raise BookingRefused("details_missing")
    if booking.is_identity_appointment and booking.allows(booking.booking_action):
        # The check may have been decided while the time was held.
        check_still_needed(booking)
    with transaction.atomic():
        _swap_hold(booking, now=now)
        return _booked(booking, actor=actor, now=now)


def book_held_slot(
    *,
    booking: Booking,
    actor: User,
    parties: list[dict] | None = None,
    witnesses: list[str] | None = None,
    aged_16_or_over: bool = False,
) -> Booking:
    """Book a hold, with the couple's details and the witnesses when they come with it. Details
    and confirmation stand or fall together: a refused confirmation leaves the hold as it was.
    The pages save the details a page at a time and then book with none; the API sends them at
    once. A hold that ran out or was booked already is refused before any detail is looked at."""
    if not booking.allows(booking.booking_action):
        raise BookingRefused("hold_expired" if booking.status in Booking.HOLD_RAN_OUT else "not_held")
    is_ceremony = booking.kind == Booking.Kind.CEREMONY
    parties = list(parties or []) if is_ceremony else []
    for details in parties:
        check_party(booking=booking, details=details)
    given = {position for position, _details in enumerate(parties, start=1)}
    if not is_ceremony or given != {1, 2}:
        # Anything short of both people's details now: the rest must have been saved already.
        return _book_with_saved_details(
            booking=booking, actor=actor, parties=parties, witnesses=witnesses, aged_16_or_over=aged_16_or_over
        )
    now = timezone.now()
    with transaction.atomic():
        _swap_hold(booking, now=now)
        record_parties(booking=booking, parties=parties)
        if witnesses:
            save_witnesses(booking=booking, names=witnesses, aged_16_or_over=aged_16_or_over, actor=actor)
        return _booked(booking, actor=actor, now=now)


def _book_with_saved_details(
    *, booking: Booking, actor: User, parties: list[dict], witnesses: list[str] | None, aged_16_or_over: bool
) -> Booking:
    if not parties and not witnesses:
        return confirm_hold(booking=booking, actor=actor)
    with transaction.atomic():
        for position, details in enumerate(parties, start=1):
            save_party(booking=booking, position=position, details=details)
        if witnesses and booking.kind == Booking.Kind.CEREMONY:
            save_witnesses(booking=booking, names=witnesses, aged_16_or_over=aged_16_or_over, actor=actor)
        return confirm_hold(booking=booking, actor=actor)


def extend_hold(*, booking: Booking) -> Booking:
    """The accessible timeout: a person may ask for more time while the hold is still live."""
    now = timezone.now()
    extended = Booking.objects.filter(pk=booking.pk, hold_expires_at__gt=now).transition(
        "extend_hold", hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    )
    if extended != 1:
        raise BookingRefused("hold_expired")
    booking.refresh_from_db()
    return booking


def cancel_booking(*, booking: Booking, actor: User) -> Booking:
    """Frees the room and every officer at once. Cancelling a ceremony also cancels the notice
    appointments made for it, which are no use without it."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.allows("cancel"):
            raise BookingRefused("not_active")
        end_bookings(
            Booking.objects.filter(Q(pk=booking.pk) | Q(ceremony=booking)), "cancel", cancelled_at=timezone.now()
        )
        audit_if_staff(actor, "booking.cancelled", booking)
        booking.refresh_from_db()
        if booking.confirmed_at:
            announce(booking, "cancelled")
    return booking


def release_expired_holds(*, limit: int = 500) -> int:
    """Beat sweeper. SKIP LOCKED lets several workers sweep without waiting on each other or
    on a hold being confirmed at that moment."""
    with transaction.atomic():
        expired = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
        if connection.vendor == "postgresql":
            expired = expired.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:limit])
        return end_bookings(Booking.objects.filter(pk__in=ids), "expire") if ids else 0
