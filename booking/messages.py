"""What a couple or a person giving notice is told when their booking changes, built from the
booking as it is when the message is sent, with the signed link that manages it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from identity.notifications import send_message

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
            "Each of you must now give notice at your local register office; the ceremony is confirmed "
            "once both notices are recorded."
        )
    elif event == "booked":
        text = _("Your notice appointment is booked: %(details)s. Reference %(reference)s. Bring your documents.")
    elif event == "confirmed":
        text = _("Both notices are recorded and your ceremony is confirmed: %(details)s. Reference %(reference)s.")
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


def send_booking_message(booking: Booking, event: str, key: str) -> None:
    base_event = event.split("-")[0]
    send_message(
        key=key,
        channel="email",
        to=booking.person.email,
        subject=SUBJECTS[base_event](),
        body=body_for(booking, base_event),
    )


REFUSALS = {
    "slot_unavailable": lambda: _("Sorry, that time has just been taken. Choose another time"),
    "ends_before_start": lambda: _("The end must be after the start"),
    "in_the_past": lambda: _("That time has passed. Choose a time in the future"),
    "unknown_kind": lambda: _("Choose a ceremony or a notice appointment"),
    "too_many_guests": lambda: _("That room is too small for your number of guests. Choose a bigger venue"),
    "ceremony_needs_two_officers": lambda: _("A ceremony needs a superintendent registrar and a registrar"),
    "same_officer_twice": lambda: _("The superintendent registrar and the registrar must be different people"),
    "hold_expired": lambda: _("We held this time for you but the hold has run out. Search again to choose a time"),
    "not_held": lambda: _("This booking is no longer on hold"),
    "details_missing": lambda: _("Enter both people's details before you book"),
    "not_active": lambda: _("This booking is cancelled, released or finished, so it cannot be changed"),
    "not_your_ceremony": lambda: _("That is not your ceremony booking"),
    "ceremony_not_booked": lambda: _("Book the ceremony before booking notice appointments"),
    "unknown_party": lambda: _("Enter both people's details first"),
    "notice_already_booked": lambda: _("A notice appointment is already booked for this person"),
    "wrong_district": lambda: _("Notice must be given at the register office for the district where the person lives"),
    "residence_too_short": lambda: _(
        "The person must have lived in the district for 7 full days before giving notice. Choose a later date"
    ),
    "notice_too_late": lambda: _(
        "Notice must be given at least 29 days before the ceremony. Choose an earlier date or move the ceremony"
    ),
    "too_young": lambda: _("Both people must be 18 or over on the day of the ceremony"),
    "lived_since_future": lambda: _("The date they moved in must be today or in the past"),
    "notice_given": lambda: _("Notice has been given, so these details can only be changed by a registrar"),
    "two_witnesses": lambda: _("Enter the full names of both witnesses"),
    "witness_age": lambda: _("Confirm that both witnesses will be 16 or over"),
    "given_in_future": lambda: _("The date notice was given must be today or in the past"),
    "new_venue_needs_fresh_notice": lambda: _(
        "Notice names the venue. To move to a different venue, both of you must give notice again"
    ),
    "room_not_at_venue": lambda: _("That room is not at this venue"),
    "date_outside_notice_rules": lambda: _(
        "Notice has been given, so the ceremony must be at least 29 days after the later notice and within 12 "
        "months of the earlier one. Choose a date in that window"
    ),
}


def refusal_message(reason: str) -> str:
    message = REFUSALS.get(reason)
    return str(message()) if message else str(_("This booking cannot be changed in that way"))
