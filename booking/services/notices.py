"""Notice of marriage as booking sees it: what the notices given for a ceremony allow (read through
the BOOKING_CEREMONY_NOTICES hook, so booking never imports the registration domain that takes
notice), where and when a party may book a notice appointment through the API, the ceremony
confirmed when the authority is issued, and provisional ceremonies warned and then released when
notice can no longer be given in time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.places import registration_district_for
from identity.models import User

from .. import rules
from ..ceremony_notices import CeremonyNotices, ceremony_notices
from ..models import Booking, Room
from ..notifications import announce
from ..refusals import BookingRefused
from ..selectors import UK, local_datetime
from .transitions import end_bookings

__all__ = [
    "CeremonyNotices",
    "ceremony_notice_problem",
    "ceremony_notices",
    "check_notice_appointment",
    "confirm_ceremony",
    "lapsing_provisional_ceremonies",
    "release_lapsed_provisional_bookings",
    "warn_provisional_bookings",
]


def check_notice_appointment(
    *, ceremony: Booking, person: User, room: Room, starts_at: datetime, position: int | None
) -> None:
    """A notice appointment booked for a ceremony (the API's): at the office of the party's
    district, after NOTICE_RESIDENCE_DAYS full days of residence and early enough for the ceremony
    date. Notice itself is given in the registration domain's journey (BOOKING_CEREMONY_NOTICES)."""
    if ceremony.person_id != person.pk or ceremony.kind != Booking.Kind.CEREMONY:
        raise BookingRefused("not_your_ceremony")
    if not ceremony.allows("book_notice_appointment"):
        raise BookingRefused("ceremony_not_booked")
    party = ceremony.parties.filter(position=position).first()
    if party is None:
        raise BookingRefused("unknown_party")
    if position in ceremony_notices(ceremony).given:
        raise BookingRefused("notice_already_booked")
    office = registration_district_for(party.postcode)
    if office is None or room.venue.office_id != office.pk:
        raise BookingRefused("wrong_district")
    day = starts_at.astimezone(UK).date()
    if day < rules.earliest_notice_date(party.lived_there_since):
        raise BookingRefused("residence_too_short")
    if day > rules.notice_deadline(ceremony.starts_at.astimezone(UK).date()):
        raise BookingRefused("notice_too_late")


def ceremony_notice_problem(ceremony: Booking) -> str | None:
    """Why the ceremony cannot be confirmed yet, or None when it can."""
    notices = ceremony_notices(ceremony)
    if len(notices.given_on) != 2 or notices.earliest is None or notices.latest is None:
        return "notices_missing"
    day = ceremony.starts_at.astimezone(UK).date()
    if day < notices.earliest:
        return "too_soon_after_notice"
    if day > notices.latest:
        return "notice_too_old"
    return None


def confirm_ceremony(*, ceremony: Booking) -> bool:
    """Provisional -> confirmed, as a compare-and-swap, when the superintendent registrar's
    authority is issued (the registration domain checks the notices allow the date first)."""
    swapped = Booking.objects.filter(pk=ceremony.pk).transition("confirm")
    if swapped:
        ceremony.refresh_from_db()
        announce(ceremony, "confirmed")
    return bool(swapped)


def lapsing_provisional_ceremonies(*, today: date):
    """Provisional ceremonies whose last day for notice has passed."""
    first_lapsed_day = rules.earliest_ceremony_date(today)
    return Booking.objects.filter(
        kind=Booking.Kind.CEREMONY,
        status=Booking.Status.PROVISIONAL,
        starts_at__lt=local_datetime(first_lapsed_day, datetime.min.time()),
    )


def release_lapsed_provisional_bookings(*, today: date | None = None) -> int:
    """A provisional ceremony is released once notice can no longer be given in time for it,
    unless both notices were given (then the registrar must look at it, not a sweeper)."""
    today = today or timezone.localdate()
    released = 0
    for ceremony in lapsing_provisional_ceremonies(today=today):
        if ceremony_notice_problem(ceremony) != "notices_missing":
            continue
        with transaction.atomic():
            if end_bookings(Booking.objects.filter(pk=ceremony.pk), "release"):
                released += 1
                announce(ceremony, "released")
    return released


def warn_provisional_bookings(*, today: date | None = None) -> int:
    """Tell the couple PROVISIONAL_RELEASE_WARNING_DAYS before the last day to give notice.
    Idempotent: the message key names the booking, the day and the warning."""
    today = today or timezone.localdate()
    sent = 0
    for days in settings.PROVISIONAL_RELEASE_WARNING_DAYS:
        ceremony_day = rules.earliest_ceremony_date(today + timedelta(days=days))
        since = local_datetime(ceremony_day, datetime.min.time())
        for ceremony in Booking.objects.filter(
            kind=Booking.Kind.CEREMONY,
            status=Booking.Status.PROVISIONAL,
            starts_at__gte=since,
            starts_at__lt=since + timedelta(days=1),
        ):
            if ceremony_notice_problem(ceremony) == "notices_missing":
                announce(ceremony, f"warning-{days}")
                sent += 1
    return sent
