"""Moving a booking: to another published slot (by the person, or by staff re-booking), or to
other officers at the same room and time. Each swaps the old occupancy for the new one in one
transaction, so a move that cannot be had keeps the booking where it was."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from identity.models import User

from ..availability_cache import occupancy_changed
from ..ceremony_notices import ceremony_notices
from ..locks import lock_resources, refusing_lost_races
from ..models import Booking, Room
from ..notifications import announce
from ..refusals import BookingRefused, SlotUnavailable
from ..selectors import UK, Slot, published_slot
from .access import check_office
from .holds import HOLD_ATTEMPTS, occupy, take_resources
from .transitions import audit_if_staff


def check_reschedule(*, booking: Booking, room: Room, starts_at: datetime, actor: User) -> Slot:
    """The slot `booking` would move to, checked as the move itself checks it, so that a page
    can ask the person to confirm a move that can be made. Nothing is written."""
    if not booking.allows("move"):
        raise BookingRefused("not_active")
    if booking.kind == Booking.Kind.CITIZENSHIP_GROUP:
        # Its seat holders chose that time and place; a new ceremony is scheduled instead.
        raise BookingRefused("citizenship_group_not_moved")
    if actor.is_staff:
        check_office(actor, booking.room.venue.office_id)
    if booking.kind == Booking.Kind.CEREMONY:
        _check_ceremony_move(booking, room=room, starts_at=starts_at)
    slot = published_slot(
        room=room,
        starts_at=starts_at,
        kind=booking.kind,
        exclude_booking_id=booking.pk,
        from_today=actor.is_staff,
    )
    if slot is None:
        raise SlotUnavailable
    return slot


def reschedule_booking(*, booking: Booking, room: Room, starts_at: datetime, actor: User) -> Booking:
    """Swap the old slot for a new one. Notice names the venue, so after notice a ceremony stays
    at its venue, and its date must keep the notice rules."""
    for _attempt in range(HOLD_ATTEMPTS):
        slot = check_reschedule(booking=booking, room=room, starts_at=starts_at, actor=actor)
        try:
            return _move(booking, slot, actor=actor, event="moved")
        except SlotUnavailable:
            continue
    raise SlotUnavailable


def _check_ceremony_move(booking: Booking, *, room: Room, starts_at: datetime) -> None:
    notices = ceremony_notices(booking)
    if room.venue_id != booking.room.venue_id and notices.given:
        raise BookingRefused("new_venue_needs_fresh_notice")
    if booking.guests > room.capacity:
        raise BookingRefused("too_many_guests")
    if not notices.allows(starts_at.astimezone(UK).date()):
        raise BookingRefused("date_outside_notice_rules")


def reassign_officers(*, booking: Booking, superintendent: User | None, registrar: User | None, actor: User) -> Booking:
    """A registrar of the booking's office changes who officiates; the room and time stay. Audited."""
    check_office(actor, booking.room.venue.office_id)
    if booking.kind in Booking.TWO_OFFICER_KINDS and (superintendent is None or registrar is None):
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent is not None and superintendent == registrar:
        raise BookingRefused("same_officer_twice")
    slot = Slot(
        room=booking.room,
        kind=booking.kind,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        superintendent_id=superintendent.pk if superintendent else None,
        registrar_id=registrar.pk if registrar else None,
    )
    try:
        return _move(booking, slot, actor=actor, event="officers_changed")
    except SlotUnavailable as busy:
        raise SlotUnavailable("officers_busy") from busy


def _move(booking: Booking, slot: Slot, *, actor: User, event: str) -> Booking:
    action = "change_officers" if event == "officers_changed" else "move"
    officer_ids = [pk for pk in (slot.superintendent_id, slot.registrar_id) if pk]

    def write() -> Booking:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if not locked.allows(action):
                raise BookingRefused("not_active")
            # The new resources are locked before the booking lets go of its old rows, as every
            # other writer locks them before it touches a row.
            lock_resources(room_ids=[slot.room.pk] if locked.needs_room else [], officer_ids=officer_ids)
            locked.occupancies.filter(active=True).update(active=False)
            occupancy_changed(booking_ids=[locked.pk])
            take_resources(
                room=slot.room,
                officer_ids=officer_ids,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                needs_room=locked.needs_room,
            )
            previous = {"starts_at": locked.starts_at.isoformat(), "room": locked.room_id}
            locked.room = slot.room
            locked.starts_at, locked.ends_at = slot.starts_at, slot.ends_at
            locked.superintendent_id, locked.registrar_id = slot.superintendent_id, slot.registrar_id
            locked.save(update_fields=["room", "starts_at", "ends_at", "superintendent", "registrar"])
            occupy(locked, officer_ids=officer_ids)
            audit_if_staff(actor, f"booking.{event}", locked, **previous)
            announce(locked, event)
            return locked

    try:
        return refusing_lost_races(write)
    except IntegrityError as error:
        raise SlotUnavailable from error
