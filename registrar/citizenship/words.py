"""Ceremonies in words for people: the date and time, the place (its Welsh name in Welsh), seats
left, guests each, whether the oath can be taken in Welsh; and money in pounds."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from booking.models import CitizenshipCeremony


def place(venue) -> str:
    if translation.get_language() == "cy" and venue.welsh_name:
        return venue.welsh_name
    return venue.name


def ceremony(ceremony: CitizenshipCeremony) -> dict:
    booking = ceremony.booking
    starts = timezone.localtime(booking.starts_at)
    venue = booking.room.venue
    return {
        "reference": booking.reference,
        "date": formats.date_format(starts, "l j F Y"),
        "time": formats.time_format(starts, "H:i"),
        "place": place(venue),
        "address": f"{venue.address}, {venue.postcode}",
        "seats_left": ceremony.seats_left,
        "guests_per_attendee": ceremony.guests_per_attendee,
        "welsh": ceremony.welsh_available,
    }


def ceremony_label(each: CitizenshipCeremony) -> str:
    about = ceremony(each)
    seats = ngettext("%(count)s seat left", "%(count)s seats left", about["seats_left"]) % {
        "count": about["seats_left"]
    }
    guests = ngettext("up to %(count)s guest each", "up to %(count)s guests each", about["guests_per_attendee"]) % {
        "count": about["guests_per_attendee"]
    }
    label = _("%(date)s at %(time)s, %(place)s: %(seats)s, %(guests)s") % {
        "date": about["date"],
        "time": about["time"],
        "place": about["place"],
        "seats": seats,
        "guests": guests,
    }
    if about["welsh"]:
        label += " " + _("(the oath and pledge can be taken in Welsh)")
    return label


def pounds(pence: int) -> str:
    return f"£{pence // 100}" if pence % 100 == 0 else f"£{pence / 100:.2f}"
