"""Notice of marriage: where and when a party may book a notice appointment, notice recorded by
a registrar, the ceremony confirmed once both notices allow its date, and provisional ceremonies
warned and then released when notice can no longer be given in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.places import registration_district_for
from identity.audit import record_audit
from identity.models import RegisterOffice, User

from .. import rules
from ..models import RECORD_NOTICE, Booking, NoticeOfMarriage, Party, Room
from ..notifications import announce
from ..refusals import BookingRefused
from ..selectors import UK, local_datetime
from .access import check_office
from .transitions import end_bookings


def check_notice_appointment(
    *, ceremony: Booking, person: User, room: Room, starts_at: datetime, position: int | None
) -> None:
    """A notice appointment for a ceremony must be at the office of the party's district, after
    NOTICE_RESIDENCE_DAYS full days of residence and early enough for the ceremony date."""
    if ceremony.person_id != person.pk or ceremony.kind != Booking.Kind.CEREMONY:
        raise BookingRefused("not_your_ceremony")
    if not ceremony.allows("book_notice_appointment"):
        raise BookingRefused("ceremony_not_booked")
    party = ceremony.parties.filter(position=position).first()
    if party is None:
        raise BookingRefused("unknown_party")
    if hasattr(party, "notice") and party.notice.appointment and party.notice.appointment.is_active:
        raise BookingRefused("notice_already_booked")
    office = registration_district_for(party.postcode)
    if office is None or room.venue.office_id != office.pk:
        raise BookingRefused("wrong_district")
    day = starts_at.astimezone(UK).date()
    if day < rules.earliest_notice_date(party.lived_there_since):
        raise BookingRefused("residence_too_short")
    if day > rules.notice_deadline(ceremony.starts_at.astimezone(UK).date()):
        raise BookingRefused("notice_too_late")


def attach_notice_appointment(appointment: Booking) -> None:
    """The party is the one of the ceremony's parties whose district this office serves and who
    has no live appointment yet."""
    for party in appointment.ceremony.parties.all():
        notice = getattr(party, "notice", None)
        if notice is not None and notice.appointment_id and notice.appointment.is_active:
            continue
        office = registration_district_for(party.postcode)
        if office is not None and office.pk == appointment.room.venue.office_id:
            NoticeOfMarriage.objects.update_or_create(
                party=party, defaults={"appointment": appointment, "office": office}
            )
            return


def notice_for_party(*, party: Party, office: RegisterOffice) -> NoticeOfMarriage:
    """The party's notice of marriage, opened at `office` when they gave notice without an
    appointment booked online (a walk-in), so that a registrar can record it."""
    notice, _created = NoticeOfMarriage.objects.get_or_create(party=party, defaults={"office": office})
    return notice


def record_notice_given(*, notice: NoticeOfMarriage, actor: User, given_on: date, referred: bool = False) -> Booking:
    """A registrar of an office the notice concerns (where it is given, where its appointment or
    the ceremony is) records that one party gave notice (audited). When both have, the ceremony
    is confirmed if its date keeps the notice period and 12 month rules."""
    notice = NoticeOfMarriage.objects.select_related("party__booking__room__venue", "appointment__room__venue").get(
        pk=notice.pk
    )
    check_office(
        actor,
        notice.office_id,
        notice.party.booking.room.venue.office_id,
        notice.appointment.room.venue.office_id if notice.appointment else None,
        permission=RECORD_NOTICE,
    )
    if given_on > timezone.localdate():
        raise BookingRefused("given_in_future")
    with transaction.atomic():
        notice = NoticeOfMarriage.objects.select_for_update().select_related("party__booking").get(pk=notice.pk)
        ceremony = notice.party.booking
        if not ceremony.allows("record_notice"):
            raise BookingRefused("ceremony_not_booked")
        notice.given_on = given_on
        notice.referred = referred
        notice.recorded_by = actor
        notice.save(update_fields=["given_on", "referred", "recorded_by"])
        record_audit(
            actor=actor,
            action="booking.notice_recorded",
            subject=ceremony.person,
            object_type="booking",
            object_id=ceremony.reference,
            detail={"party": notice.party.position, "given_on": given_on.isoformat(), "referred": referred},
        )
        confirm_ceremony_if_notices_given(ceremony=ceremony)
    ceremony.refresh_from_db()
    return ceremony


@dataclass(frozen=True)
class CeremonyNotices:
    """What the notices given for a ceremony allow, as the registration domain reads them
    (BOOKING_CEREMONY_NOTICES): the days each was given, and the first and last day the ceremony
    may take place (None until both are given)."""

    given_on: tuple[date, ...] = ()
    earliest: date | None = None
    latest: date | None = None


def ceremony_notices(ceremony: Booking) -> CeremonyNotices:
    """The notices of the ceremony, read through the BOOKING_CEREMONY_NOTICES hook, so that
    booking never imports the registration domain that gives notice."""
    return import_string(settings.BOOKING_CEREMONY_NOTICES)(ceremony)


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


def confirm_ceremony_if_notices_given(*, ceremony: Booking) -> bool:
    """Provisional -> confirmed, as a compare-and-swap, once both notices allow the date."""
    if ceremony_notice_problem(ceremony) is not None:
        return False
    swapped = Booking.objects.filter(pk=ceremony.pk).transition("confirm")
    if swapped:
        ceremony.refresh_from_db()
        announce(ceremony, "confirmed")
    return bool(swapped)


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
