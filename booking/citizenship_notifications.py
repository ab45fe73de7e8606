"""What a new citizen with a seat at a group citizenship ceremony is told: a reminder before the
day, or that the ceremony is cancelled. Each message goes through the outbox
(`identity.notifications.send_message`) with a key of the seat and the event, so a second call
sends nothing; the text is built from the seat as it is when the message is written."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from identity.models import User
from identity.notifications import send_message, written_for

from .models import CitizenshipSeat
from .selectors import UK

# The new citizen's own pages (registrar.citizenship); the site's home page until they exist.
CITIZENSHIP_PAGE = "citizenship:start"


def citizenship_url() -> str:
    try:
        return settings.SITE_URL + reverse(CITIZENSHIP_PAGE)
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def describe_ceremony(seat: CitizenshipSeat) -> str:
    booking = seat.ceremony.booking
    venue = booking.room.venue
    return _("Citizenship ceremony on %(when)s at %(venue)s, %(address)s") % {
        "when": formats.date_format(booking.starts_at.astimezone(UK), "l j F Y, H:i"),
        "venue": venue.name,
        "address": f"{venue.address}, {venue.postcode}",
    }


@written_for
def seat_message(recipient: User, seat: CitizenshipSeat, event: str) -> tuple[str, str]:
    details = describe_ceremony(seat)
    values = {"details": details, "reference": seat.reference, "link": citizenship_url()}
    if event == "ceremony_cancelled":
        return _("Your citizenship ceremony is cancelled"), _(
            "We are sorry: your ceremony has been cancelled, and your seat %(reference)s with it. It was: "
            "%(details)s. Your invitation still stands. Book a seat at another ceremony: %(link)s"
        ) % values
    guests = (
        _("You have booked no guests.")
        if not seat.guests
        else ngettext("You have booked %(count)s guest place.", "You have booked %(count)s guest places.", seat.guests)
        % {"count": seat.guests}
    )
    welsh = " " + _("You will take the oath or affirmation and the pledge in Welsh.") if seat.welsh_oath else ""
    return _("Reminder of your citizenship ceremony"), _(
        "A reminder of your seat %(reference)s: %(details)s. Bring your Home Office invitation letter and the "
        "identity document you gave with your application. Arrive 30 minutes early. See, move or cancel your "
        "seat: %(link)s"
    ) % values + "\n\n" + guests + welsh


def tell_seat_holder(seat: CitizenshipSeat, event: str) -> None:
    """Write the message for `event` ("ceremony_cancelled" or "reminder-<days>") to the outbox,
    once per seat and event, in the seat holder's language."""
    subject, body = seat_message(seat.person, seat, event.split("-")[0])
    send_message(
        key=f"citizenship:{seat.reference}:{event}",
        channel="email",
        to=seat.person.email,
        subject=subject,
        body=body,
    )
