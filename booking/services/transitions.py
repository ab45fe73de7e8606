"""Ending a booking (cancelled, hold expired, released) as a compare-and-swap from
`Booking.TRANSITIONS`, freeing its room and officers in the same transaction, and the audit entry
for a change made by staff."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from identity.audit import record_audit
from identity.models import User

from ..availability_cache import occupancy_changed
from ..models import Booking, Occupancy


def end_bookings(bookings: QuerySet[Booking], action: str, **changes) -> int:
    """Apply `action` to those of `bookings` still in one of its starting statuses and free what
    they occupied. Returns how many changed; one moved on meanwhile by another request is left
    as that request left it."""
    sources, target = Booking.TRANSITIONS[action]
    with transaction.atomic():
        ids = list(bookings.filter(status__in=sources).values_list("pk", flat=True))
        if not ids:
            return 0
        changed = Booking.objects.filter(pk__in=ids).transition(action, **changes)
        Occupancy.objects.filter(booking_id__in=ids, booking__status=target, active=True).update(active=False)
        occupancy_changed(booking_ids=ids)
    return changed


def audit_if_staff(actor: User | None, action: str, booking: Booking, **detail) -> None:
    if actor is not None and actor.is_staff:
        record_audit(
            actor=actor,
            action=action,
            subject=booking.person,
            object_type="booking",
            object_id=booking.reference,
            detail=detail or None,
        )
