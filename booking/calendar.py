"""iCalendar (RFC 5545) files: one booking for the person who made it, and the diary feeds of
an office or an officer for staff calendars. Built with the `icalendar` library."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking

PRODID = "-//Registrar Online//Booking//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(booking: Booking, *, for_staff: bool) -> Event:
    venue = booking.room.venue
    event = Event()
    event.add("uid", f"{booking.reference}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    event.add("dtstamp", booking.confirmed_at or booking.created_at)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", f"{booking.get_kind_display()} {booking.reference}")
    if booking.is_video:
        event.add("location", booking.video_join_url)
        event.add("url", booking.video_join_url)
    else:
        event.add("location", f"{venue.name}, {booking.room.name}, {venue.address}, {venue.postcode}")
    if not booking.is_active:
        status = "CANCELLED"
    else:
        status = "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE"
    event.add("status", status)
    if for_staff:
        officers = [o.full_name or o.email for o in (booking.superintendent, booking.registrar) if o is not None]
        description = _("%(status)s. Officers: %(officers)s") % {
            "status": booking.get_status_display(),
            "officers": ", ".join(officers) or "-",
        }
        if booking.kind == Booking.Kind.CITIZENSHIP_GROUP and hasattr(booking, "citizenship"):
            description += ". " + booking.citizenship.seats_in_words
        event.add("description", description)
    else:
        description = _("%(status)s. Reference %(reference)s.") % {
            "status": booking.get_status_display(),
            "reference": booking.reference,
        }
        event.add("description", description)
    return event


def booking_ics(booking: Booking) -> bytes:
    calendar = _calendar(f"{booking.get_kind_display()} {booking.reference}")
    calendar.add_component(_event(booking, for_staff=False))
    return calendar.to_ical()


def booking_ics_response(booking: Booking) -> HttpResponse:
    """The booking's calendar file as a download, for the page and the API."""
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response


def diary_ics(name: str, bookings: Iterable[Booking]) -> bytes:
    calendar = _calendar(name)
    for booking in bookings:
        calendar.add_component(_event(booking, for_staff=True))
    return calendar.to_ical()
