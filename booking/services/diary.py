"""An office's diary: its venues and rooms, weekly opening times, the officers' rota, absences,
closures and the bank holidays. Each change is made by staff of that office and audited;
bookings already made are never moved silently (see `rebooking`)."""

from __future__ import annotations

from datetime import date, time

from django.db import IntegrityError, transaction

from identity.audit import record_audit
from identity.models import RegisterOffice, User

from ..models import BankHoliday, Closure, OfficerAbsence, Room, RoomPattern, RotaShift, Venue
from ..refusals import BookingRefused
from ..selectors import office_officers
from .access import check_office

OFFICE_CEREMONY_FEE_PENCE = 4600  # the statutory register office ceremony fee


def ensure_office_venues() -> int:
    """Every register office is a ceremony venue with a ceremony room and a notice room.
    Running it again changes nothing. Returns the number of office venues."""
    count = 0
    with transaction.atomic():
        for office in RegisterOffice.objects.all():
            venue, _created = Venue.objects.update_or_create(
                code=f"RO-{office.code}",
                defaults={
                    "name": office.name,
                    "welsh_name": office.welsh_name,
                    "kind": Venue.Kind.REGISTER_OFFICE,
                    "office": office,
                    "address": office.address,
                    "postcode": office.postcode,
                    "latitude": office.latitude,
                    "longitude": office.longitude,
                    "capacity": 40,
                    "ceremony_fee_pence": OFFICE_CEREMONY_FEE_PENCE,
                    "accessibility_notes": "Step-free access, hearing loop, accessible toilet.",
                },
            )
            Room.objects.get_or_create(venue=venue, name="Ceremony room", defaults={"capacity": 40})
            Room.objects.get_or_create(venue=venue, name="Notice room", defaults={"capacity": 4})
            count += 1
    return count


def add_closure(
    *, venue: Venue, room: Room | None, starts_on: date, ends_on: date, reason: str, actor: User
) -> Closure:
    """Close a venue or room for whole days. Bookings already made are not moved silently:
    they are listed for the registrar to re-book (see `rebook_affected`)."""
    check_office(actor, venue.office_id)
    if ends_on < starts_on:
        raise BookingRefused("ends_before_start")
    if room is not None and room.venue_id != venue.pk:
        raise BookingRefused("room_not_at_venue")
    closure = Closure.objects.create(
        venue=venue, room=room, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), created_by=actor
    )
    record_audit(
        actor=actor,
        action="booking.closure_added",
        object_type="venue",
        object_id=venue.code,
        detail={"from": starts_on.isoformat(), "to": ends_on.isoformat(), "room": room.pk if room else None},
    )
    return closure


def _check_officer(office: RegisterOffice, officer: User) -> None:
    if not office_officers(office_id=office.pk).filter(pk=officer.pk).exists():
        raise BookingRefused("not_an_officer_here")


def record_absence(
    *, office: RegisterOffice, officer: User, kind: str, starts_on: date, ends_on: date, note: str, actor: User
) -> OfficerAbsence:
    """Leave or sickness of one of the office's officers; their bookings on those days are then
    listed for re-booking."""
    check_office(actor, office.pk)
    _check_officer(office, officer)
    if ends_on < starts_on:
        raise BookingRefused("ends_before_start")
    absence = OfficerAbsence.objects.create(
        officer=officer, kind=kind, starts_on=starts_on, ends_on=ends_on, note=note.strip(), recorded_by=actor
    )
    record_audit(
        actor=actor,
        action="booking.absence_recorded",
        subject=officer,
        object_type="officer",
        object_id=officer.pk,
        detail={"kind": kind, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return absence


def add_room_pattern(
    *,
    room: Room,
    kind: str,
    weekday: int,
    opens: time,
    closes: time,
    duration_minutes: int,
    gap_minutes: int,
    actor: User,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> RoomPattern:
    """Open a room for bookings each week. Existing bookings are not touched."""
    check_office(actor, room.venue.office_id)
    if closes <= opens:
        raise BookingRefused("ends_before_start")
    if valid_from and valid_until and valid_until < valid_from:
        raise BookingRefused("ends_before_start")
    with transaction.atomic():
        pattern = RoomPattern.objects.create(
            room=room,
            kind=kind,
            weekday=weekday,
            opens=opens,
            closes=closes,
            duration_minutes=duration_minutes,
            gap_minutes=gap_minutes,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        record_audit(
            actor=actor,
            action="booking.room_pattern_added",
            object_type="room",
            object_id=room.pk,
            detail={"kind": kind, "weekday": weekday, "opens": opens.isoformat(), "closes": closes.isoformat()},
        )
    return pattern


def remove_room_pattern(*, pattern: RoomPattern, actor: User) -> None:
    """Stop publishing these weekly slots. Bookings already made stay in the diary."""
    check_office(actor, pattern.room.venue.office_id)
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="booking.room_pattern_removed",
            object_type="room",
            object_id=pattern.room_id,
            detail={"kind": pattern.kind, "weekday": pattern.weekday, "opens": pattern.opens.isoformat()},
        )
        pattern.delete()


def add_rota_shift(
    *, officer: User, office: RegisterOffice, weekday: int, starts: time, ends: time, actor: User
) -> RotaShift:
    check_office(actor, office.pk)
    _check_officer(office, officer)
    if ends <= starts:
        raise BookingRefused("ends_before_start")
    if RotaShift.objects.filter(officer=officer, weekday=weekday, starts=starts).exists():
        raise BookingRefused("shift_exists")
    try:
        with transaction.atomic():
            shift = RotaShift.objects.create(officer=officer, office=office, weekday=weekday, starts=starts, ends=ends)
            record_audit(
                actor=actor,
                action="booking.shift_added",
                subject=officer,
                object_type="office",
                object_id=office.code,
                detail={"weekday": weekday, "starts": starts.isoformat(), "ends": ends.isoformat()},
            )
    except IntegrityError as error:
        raise BookingRefused("shift_exists") from error
    return shift


def remove_rota_shift(*, shift: RotaShift, actor: User) -> None:
    """Take a shift off the rota. Bookings already made keep their officers; the diary and the
    re-booking page show any that now need someone else."""
    check_office(actor, shift.office_id)
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="booking.shift_removed",
            subject=shift.officer,
            object_type="office",
            object_id=shift.office.code,
            detail={"weekday": shift.weekday, "starts": shift.starts.isoformat()},
        )
        shift.delete()


def load_bank_holidays(data: dict) -> int:
    """Load the GOV.UK bank holidays JSON; only the England and Wales division applies here.
    Returns how many dates were added."""
    try:
        events = data["england-and-wales"]["events"]
    except (KeyError, TypeError) as error:
        raise BookingRefused("bank_holidays_format") from error
    added = 0
    with transaction.atomic():
        for event in events:
            day = date.fromisoformat(event["date"])
            _holiday, created = BankHoliday.objects.update_or_create(date=day, defaults={"title": event["title"]})
            added += created
    return added
