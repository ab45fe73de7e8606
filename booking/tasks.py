"""Celery tasks for booking. Each one takes ids, re-reads the booking and checks it still
applies when it runs, so a cancelled or moved booking is never sent a stale message."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .models import Booking
from .notifications import send_booking_message

# The statuses in which each message is still true when it is sent.
STILL_APPLIES = {
    "booked": Booking.ACTIVE,
    "confirmed": {Booking.Status.CONFIRMED},
    "moved": Booking.BOOKED,
    "officers_changed": Booking.BOOKED,
    "cancelled": {Booking.Status.CANCELLED},
    "released": {Booking.Status.RELEASED},
    "warning": {Booking.Status.PROVISIONAL},
    "reminder": Booking.BOOKED,
}


@shared_task(acks_late=True)
def release_expired_holds() -> int:
    """Beat, every minute: holds that ran out free their room and officers."""
    return services.release_expired_holds()


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS,  # inside the visibility timeout
    max_retries=5,
)
def notify_booking(booking_id: int, event: str, starts_at: str) -> bool:
    """Send the message for `event` if the booking is still in a state and at a time where it
    is true. The key makes a second run send nothing."""
    booking = Booking.objects.select_related("person", "room__venue").filter(pk=booking_id).first()
    if booking is None or booking.status not in STILL_APPLIES[event.split("-")[0]]:
        return False
    if booking.starts_at != datetime.fromisoformat(starts_at):
        return False  # moved since: the "moved" message says where it is now
    send_booking_message(booking, event, key=f"booking:{booking.reference}:{event}:{starts_at}")
    return True


@shared_task(acks_late=True)
def send_booking_reminders() -> int:
    """Beat, hourly: remind people 7 days and 1 day before. One task per booking, which checks
    again when it runs."""
    now = timezone.now()
    sent = 0
    for days in settings.BOOKING_REMINDER_DAYS:
        # A group citizenship ceremony's seat holders have their own reminders.
        for booking_id, starts_at in (
            Booking.objects.filter(
                status__in=Booking.BOOKED,
                starts_at__gt=now,
                starts_at__lte=now + timedelta(days=days),
            )
            .exclude(kind=Booking.Kind.CITIZENSHIP_GROUP)
            .values_list("pk", "starts_at")
        ):
            notify_booking.delay(booking_id, f"reminder-{days}", starts_at.isoformat())
            sent += 1
    return sent


@shared_task(acks_late=True)
def release_lapsed_provisional_bookings() -> int:
    """Beat, hourly: warn couples who have not given notice, and release what has lapsed."""
    services.warn_provisional_bookings()
    return services.release_lapsed_provisional_bookings()


@shared_task(acks_late=True)
def send_citizenship_reminders() -> int:
    """Beat, hourly: remind each seat holder at a group citizenship ceremony
    CITIZENSHIP_REMINDER_DAYS days before (the nearest reminder only, each once)."""
    return services.send_citizenship_reminders()
