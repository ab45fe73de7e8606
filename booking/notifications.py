"""What a couple or a person giving notice is told when their booking changes, built from the
booking as it is when the message is sent, with the signed link that manages it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from identity.models import User
from identity.notifications import send_message, written_for

from .models import Booking
from .selectors import UK

MANAGE_LINK_SALT = "booking.manage-link"


def manage_token(booking: Booking) -> str:
    return signing.dumps({"reference": booking.reference}, salt=MANAGE_LINK_SALT)


def booking_for_token(token: str) -> Booking | None:
    """The booking a signed link names, while the link is younger than the booking's end plus
    a month; None for a forged, altered or expired link."""
    try:
        data = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=settings.BOOKING_MANAGE_LINK_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Booking.objects.filter(reference=data.get("reference", "")).select_related("room__venue").first()


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("booking:manage-link", args=[manage_token(booking)])


def describe(booking: Booking) -> str:
    when = formats.date_format(booking.starts_at.astimezone(UK), "l j F Y, H:i")
    if booking.is_video:
        return _("%(kind)s on %(when)s, by video call. Join the call at %(link)s") % {
            "kind": booking.get_kind_display(),
            "when": when,
            "link": booking.video_join_url,
        }
    return _("%(kind)s on %(when)s at %(venue)s, %(address)s") % {
        "kind": booking.get_kind_display(),
        "when": when,
        "venue": booking.room.venue.name,
        "address": booking.room.venue.address,
    }


SUBJECTS = {
    "booked": lambda: _("Your booking is made"),
    "confirmed": lambda: _("Your ceremony is confirmed"),
    "moved": lambda: _("Your booking has moved"),
    "officers_changed": lambda: _("A change to your booking"),
    "cancelled": lambda: _("Your booking is cancelled"),
    "released": lambda: _("Your provisional ceremony booking has been released"),
    "warning": lambda: _("Give notice soon to keep your ceremony booking"),
    "reminder": lambda: _("Reminder of your booking"),
}


def body_for(booking: Booking, event: str) -> str:
    details = describe(booking)
    reference = booking.reference
    if event == "booked" and booking.kind == Booking.Kind.CEREMONY:
        text = _(
            "Your ceremony is provisionally booked: %(details)s. Reference %(reference)s. "
            "Each of you must now give notice online and have a short interview with a registrar; the ceremony "
            "is confirmed when the authority is issued after the waiting period."
        )
    elif event == "booked" and booking.kind == Booking.Kind.NOTICE_VIDEO:
        text = _(
            "Your notice interview by video is booked: %(details)s. Reference %(reference)s. Have your identity "
            "document with you, and join from a quiet place where you can talk freely."
        )
    elif event == "booked" and booking.kind == Booking.Kind.CITIZENSHIP_PRIVATE:
        text = _(
            "Your private citizenship ceremony is booked: %(details)s. Reference %(reference)s. Bring your Home "
            "Office invitation letter and your identity document."
        )
    elif event == "booked" and booking.is_video:
        text = _(
            "Your identity video appointment is booked: %(details)s. Reference %(reference)s. Have the identity "
            "document you told us about with you, and join from a quiet place with good light. A registrar will "
            "compare you with the photo on your document."
        )
    elif event == "booked" and booking.is_identity_appointment:
        text = _(
            "Your identity appointment is booked: %(details)s. Reference %(reference)s. Bring the identity document "
            "you told us about. A registrar will compare you with the photo on your document."
        )
    elif event == "booked":
        text = _("Your notice interview is booked: %(details)s. Reference %(reference)s. Bring your documents.")
    elif event == "confirmed":
        text = _("Your ceremony is confirmed: %(details)s. Reference %(reference)s.")
    elif event == "moved":
        text = _("Your booking %(reference)s has moved. It is now: %(details)s.")
    elif event == "officers_changed":
        text = _(
            "The officers at your booking %(reference)s have changed. The time and place stay the same: %(details)s."
        )
    elif event == "cancelled":
        text = _("Your booking %(reference)s is cancelled: %(details)s.")
    elif event == "released":
        text = _(
            "Notice was not given in time for your provisional ceremony %(reference)s (%(details)s), "
            "so the date has been released. You can book again."
        )
    elif event == "warning":
        text = _(
            "Your ceremony %(reference)s (%(details)s) is provisional. Both of you must give notice soon, or the "
            "date will be released."
        )
    else:
        text = _("A reminder of your booking %(reference)s: %(details)s.")
    manage = _("See, move or cancel it: %(link)s") % {"link": manage_url(booking)}
    return text % {"details": details, "reference": reference} + "\n\n" + manage


def announce(booking: Booking, event: str, *, current: bool = False) -> None:
    """Tell the person about a change. The message row is written in the same transaction as the
    change (an outbox), so it exists exactly when the change does; delivery is a Celery task after
    commit. Reminders, which are sent later, are tasks that re-read the booking
    (`tasks.notify_booking`). The booking is read again unless the caller says it is `current`:
    as its row is now, inside the transaction that changed it."""
    if not current:
        booking = Booking.objects.select_related("person", "room__venue").get(pk=booking.pk)
    if booking.kind == Booking.Kind.CITIZENSHIP_GROUP:
        return  # its seat holders are told by booking.citizenship_notifications
    key = f"booking:{booking.reference}:{event}:{booking.starts_at.isoformat()}"
    if event in ("moved", "officers_changed"):
        # Each change is news, even back to an earlier time or officers: one message per change.
        key += f":{timezone.now().timestamp()}"
    send_booking_message(booking, event, key=key)


@written_for
def booking_message(recipient: User, booking: Booking, event: str) -> tuple[str, str]:
    return SUBJECTS[event](), body_for(booking, event)


def send_booking_message(booking: Booking, event: str, key: str) -> None:
    """Written in the language of the person who booked, also when a task sends it."""
    subject, body = booking_message(booking.person, booking, event.split("-")[0])
    send_message(key=key, channel="email", to=booking.person.email, subject=subject, body=body)
