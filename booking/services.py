"""Writes for booking: hold a published slot (room and officers at once), party details and
witnesses, confirm a hold, record notice, reschedule, reassign officers, cancel, release
expired holds and lapsed provisional ceremonies, closures, absences and bank holidays.
Python checks give the friendly answer; on PostgreSQL the exclusion constraints give the
guarantee, and a lost race becomes the same friendly answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.places import registration_district_for
from core.references import new_reference
from identity.audit import record_audit
from identity.models import User

from . import rules, selectors
from .models import Booking, Occupancy, Room, Venue


class SlotUnavailable(Exception):
    """The room or an officer is already in use at that time."""


class BookingRefused(Exception):
    """The request breaks a rule; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _expire_stale_holds(*, room: Room, officers: list[User]) -> None:
    """Expired holds on this room or these officers must not block a new booking, even
    before the sweeper has run. Releasing an expired hold early is always safe."""
    stale = Booking.objects.filter(
        Q(occupancies__room=room) | Q(occupancies__officer__in=officers),
        status=Booking.Status.HELD,
        hold_expires_at__lte=timezone.now(),
        occupancies__active=True,
    )
    ids = list(stale.values_list("pk", flat=True).distinct())
    if ids:
        _release(Booking.objects.filter(pk__in=ids, status=Booking.Status.HELD), Booking.Status.EXPIRED)


def _release(bookings, status: str) -> int:
    ids = list(bookings.values_list("pk", flat=True))
    Occupancy.objects.filter(booking_id__in=ids, active=True).update(active=False)
    updates: dict = {"status": status}
    if status == Booking.Status.CANCELLED:
        updates["cancelled_at"] = timezone.now()
    return Booking.objects.filter(pk__in=ids).update(**updates)


def _busy(*, room: Room, officer_windows: list[tuple[User, datetime, datetime]], starts_at, ends_at) -> bool:
    active = Occupancy.objects.filter(active=True)
    if active.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        return True
    return any(
        active.filter(officer=officer, starts_at__lt=until, ends_at__gt=since).exists()
        for officer, since, until in officer_windows
    )


def hold_slot(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    kind: str,
    superintendent: User | None = None,
    registrar: User | None = None,
    idempotency_key: str = "",
    guests: int = 0,
    ceremony: Booking | None = None,
) -> Booking:
    """Hold a room and its officers for HOLD minutes. The same idempotency key from the same
    person returns the first hold instead of making a second."""
    if idempotency_key:
        existing = Booking.objects.filter(person=person, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if ends_at <= starts_at:
        raise BookingRefused("ends_before_start")
    if starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    officers = [officer for officer in (superintendent, registrar) if officer is not None]
    if kind == Booking.Kind.CEREMONY and (superintendent is None or registrar is None):
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent is not None and superintendent == registrar:
        raise BookingRefused("same_officer_twice")
    buffer = selectors.travel_buffer(room.venue)
    windows = [(officer, starts_at - buffer, ends_at + buffer) for officer in officers]
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Same-room holds queue here, so the loser sees the winner's rows and gets the
                # friendly answer; the exclusion constraint still guards every other path.
                Room.objects.select_for_update().get(pk=room.pk)
            _expire_stale_holds(room=room, officers=officers)
            if _busy(room=room, officer_windows=windows, starts_at=starts_at, ends_at=ends_at):
                raise SlotUnavailable
            booking = Booking.objects.create(
                reference=new_reference("BK"),
                kind=kind,
                person=person,
                room=room,
                superintendent=superintendent,
                registrar=registrar,
                starts_at=starts_at,
                ends_at=ends_at,
                guests=guests,
                ceremony=ceremony,
                hold_expires_at=timezone.now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
                idempotency_key=idempotency_key,
            )
            Occupancy.objects.create(booking=booking, room=room, starts_at=starts_at, ends_at=ends_at)
            for officer, since, until in windows:
                Occupancy.objects.create(booking=booking, officer=officer, starts_at=since, ends_at=until)
    except IntegrityError as error:
        if idempotency_key:
            existing = Booking.objects.filter(person=person, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        # The exclusion constraint caught a race the checks above could not see.
        raise SlotUnavailable from error
    return booking


def confirm_hold(*, booking: Booking, actor: User) -> Booking:
    """Compare-and-swap on the hold: only a live hold becomes a booking. A ceremony stays
    provisional until both notices are given; a notice appointment is confirmed."""
    now = timezone.now()
    new_status = Booking.Status.PROVISIONAL if booking.kind == Booking.Kind.CEREMONY else Booking.Status.CONFIRMED
    if booking.kind == Booking.Kind.CEREMONY and booking.parties.count() != 2:
        raise BookingRefused("details_missing")
    with transaction.atomic():
        swapped = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD, hold_expires_at__gt=now).update(
            status=new_status, confirmed_at=now, hold_expires_at=None
        )
        if swapped != 1:
            booking.refresh_from_db()
            raise BookingRefused(
                "hold_expired" if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED) else "not_held"
            )
        booking.refresh_from_db()
        if booking.kind == Booking.Kind.NOTICE and booking.ceremony_id:
            _attach_notice_appointment(booking)
        _audit_if_staff(actor, "booking.confirmed", booking)
        _notify(booking, "booked")
    return booking


def _audit_if_staff(actor: User | None, action: str, booking: Booking, **detail) -> None:
    if actor is not None and actor.is_staff:
        record_audit(
            actor=actor,
            action=action,
            subject=booking.person,
            object_type="booking",
            object_id=booking.reference,
            detail=detail or None,
        )


def _notify(booking: Booking, event: str) -> None:
    """The message row is written in the same transaction as the change (an outbox), so it
    exists exactly when the change does; delivery is a Celery task after commit. Reminders,
    which are sent later, are tasks that re-read the booking (tasks.notify_booking)."""
    from .messages import send_booking_message

    booking = Booking.objects.select_related("person", "room__venue").get(pk=booking.pk)
    key = f"booking:{booking.reference}:{event}:{booking.starts_at.isoformat()}"
    if event in ("moved", "officers_changed"):
        # Each change is news, even back to an earlier time or officers: one message per change.
        key += f":{timezone.now().timestamp()}"
    send_booking_message(booking, event, key=key)


def extend_hold(*, booking: Booking) -> Booking:
    """The accessible timeout: a person may ask for more time while the hold is still live."""
    now = timezone.now()
    extended = Booking.objects.filter(pk=booking.pk, status=Booking.Status.HELD, hold_expires_at__gt=now).update(
        hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    )
    if extended != 1:
        raise BookingRefused("hold_expired")
    booking.refresh_from_db()
    return booking


def cancel_booking(*, booking: Booking, actor: User) -> Booking:
    """Frees the room and every officer at once. Cancelling a ceremony also cancels the notice
    appointments made for it, which are no use without it."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status not in Booking.ACTIVE_STATUSES:
            raise BookingRefused("not_active")
        appointments = booking.notice_appointments.filter(status__in=Booking.ACTIVE_STATUSES)
        _release(Booking.objects.filter(Q(pk=booking.pk) | Q(pk__in=appointments)), Booking.Status.CANCELLED)
        _audit_if_staff(actor, "booking.cancelled", booking)
        booking.refresh_from_db()
        if booking.confirmed_at:
            _notify(booking, "cancelled")
    return booking


def release_expired_holds(*, limit: int = 500) -> int:
    """Beat sweeper. SKIP LOCKED lets several workers sweep without waiting on each other or
    on a hold being confirmed at that moment."""
    with transaction.atomic():
        expired = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=timezone.now())
        if connection.vendor == "postgresql":
            expired = expired.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:limit])
        return _release(Booking.objects.filter(pk__in=ids), Booking.Status.EXPIRED) if ids else 0


def ensure_office_venues() -> int:
    """Every register office is a ceremony venue with a ceremony room and a notice room.
    Running it again changes nothing. Returns the number of office venues."""
    from identity.models import RegisterOffice

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
                    "ceremony_fee_pence": 4600,  # the statutory register office fee
                    "accessibility_notes": "Step-free access, hearing loop, accessible toilet.",
                },
            )
            Room.objects.get_or_create(venue=venue, name="Ceremony room", defaults={"capacity": 40})
            Room.objects.get_or_create(venue=venue, name="Notice room", defaults={"capacity": 4})
            count += 1
    return count


# --- Published slots --------------------------------------------------------------------------


def hold_published_slot(
    *,
    person: User,
    room: Room,
    starts_at: datetime,
    kind: str,
    guests: int = 0,
    idempotency_key: str = "",
    ceremony: Booking | None = None,
    party_position: int | None = None,
) -> Booking:
    """Hold a slot the calendar publishes, with officers chosen from the rota. A notice
    appointment for a ceremony must be at the office of the party's district, after 7 full
    days of residence and early enough for the ceremony date."""
    if idempotency_key:
        existing = Booking.objects.filter(person=person, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if kind not in Booking.Kind.values:
        raise BookingRefused("unknown_kind")
    if kind == Booking.Kind.CEREMONY and guests > room.capacity:
        raise BookingRefused("too_many_guests")
    if kind == Booking.Kind.NOTICE and ceremony is not None:
        _check_notice_appointment(
            ceremony=ceremony, person=person, room=room, starts_at=starts_at, position=party_position
        )
    # Another person may take the proposed officers between the search and the write; a
    # fresh proposal is tried before the slot is reported as gone.
    for _attempt in range(3):
        slot = selectors.published_slot(room=room, starts_at=starts_at, kind=kind)
        if slot is None:
            raise SlotUnavailable
        officers = {pk: User.objects.get(pk=pk) for pk in (slot.superintendent_id, slot.registrar_id) if pk}
        try:
            return hold_slot(
                person=person,
                room=room,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                kind=kind,
                superintendent=officers.get(slot.superintendent_id),
                registrar=officers.get(slot.registrar_id),
                idempotency_key=idempotency_key,
                guests=guests,
                ceremony=ceremony,
            )
        except SlotUnavailable:
            continue
    raise SlotUnavailable


def _check_notice_appointment(*, ceremony: Booking, person: User, room: Room, starts_at: datetime, position) -> None:
    if ceremony.person_id != person.pk or ceremony.kind != Booking.Kind.CEREMONY:
        raise BookingRefused("not_your_ceremony")
    if ceremony.status not in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED):
        raise BookingRefused("ceremony_not_booked")
    party = ceremony.parties.filter(position=position).first()
    if party is None:
        raise BookingRefused("unknown_party")
    if hasattr(party, "notice") and party.notice.appointment and party.notice.appointment.is_active:
        raise BookingRefused("notice_already_booked")
    office = registration_district_for(party.postcode)
    if office is None or room.venue.office_id != office.pk:
        raise BookingRefused("wrong_district")
    day = starts_at.astimezone(selectors.UK).date()
    if day < rules.earliest_notice_date(party.lived_there_since):
        raise BookingRefused("residence_too_short")
    if day > rules.notice_deadline(ceremony.starts_at.astimezone(selectors.UK).date()):
        raise BookingRefused("notice_too_late")


def _attach_notice_appointment(appointment: Booking) -> None:
    from .models import NoticeOfMarriage

    # The party is the one of the ceremony's parties whose district this office serves and who
    # has no live appointment yet.
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


# --- Party details and witnesses ----------------------------------------------------------------


def save_party(*, booking: Booking, position: int, details: dict) -> None:
    """Record or change one party's details while the ceremony can still change."""
    from .models import Party

    if booking.kind != Booking.Kind.CEREMONY or booking.status not in Booking.ACTIVE_STATUSES:
        raise BookingRefused("not_active")
    if position not in (1, 2):
        raise BookingRefused("unknown_party")
    ceremony_day = booking.starts_at.astimezone(selectors.UK).date()
    if rules.add_months(details["date_of_birth"], 12 * settings.MINIMUM_AGE_TO_MARRY) > ceremony_day:
        raise BookingRefused("too_young")
    if details["lived_there_since"] > timezone.localdate():
        raise BookingRefused("lived_since_future")
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        party = locked.parties.filter(position=position).first()
        if party is not None and getattr(party, "notice", None) is not None and party.notice.given_on:
            raise BookingRefused("notice_given")
        Party.objects.update_or_create(booking=locked, position=position, defaults=details)


def save_witnesses(*, booking: Booking, names: list[str], aged_16_or_over: bool, actor: User | None = None) -> None:
    """The two witnesses, named any time before the ceremony."""
    from .models import Witness

    names = [" ".join((name or "").split()) for name in names]
    if booking.kind != Booking.Kind.CEREMONY or booking.status not in (
        Booking.Status.HELD,
        Booking.Status.PROVISIONAL,
        Booking.Status.CONFIRMED,
    ):
        raise BookingRefused("not_active")
    if booking.starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if len(names) != settings.CEREMONY_WITNESSES or not all(names):
        raise BookingRefused("two_witnesses")
    if not aged_16_or_over:
        raise BookingRefused("witness_age")
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=booking.pk)
        for position, name in enumerate(names, start=1):
            Witness.objects.update_or_create(booking=booking, position=position, defaults={"full_name": name})
        _audit_if_staff(actor, "booking.witnesses_changed", booking)


# --- Notice, confirmation and release -----------------------------------------------------------


def record_notice_given(*, notice, actor: User, given_on: date, referred: bool = False) -> Booking:
    """A registrar records that one party gave notice (audited). When both have, the ceremony
    is confirmed if its date keeps the 28 (or 70) day and 12 month rules."""
    from .models import NoticeOfMarriage

    if given_on > timezone.localdate():
        raise BookingRefused("given_in_future")
    with transaction.atomic():
        notice = NoticeOfMarriage.objects.select_for_update().select_related("party__booking").get(pk=notice.pk)
        ceremony = notice.party.booking
        if ceremony.status not in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED):
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


def ceremony_notice_problem(ceremony: Booking) -> str | None:
    """Why the ceremony cannot be confirmed yet, or None when it can."""
    notices = [getattr(party, "notice", None) for party in ceremony.parties.all()]
    if len(notices) != 2 or any(notice is None or notice.given_on is None for notice in notices):
        return "notices_missing"
    day = ceremony.starts_at.astimezone(selectors.UK).date()
    given = [notice.given_on for notice in notices]
    referred = any(notice.referred for notice in notices)
    if day < rules.earliest_ceremony_date(max(given), referred=referred):
        return "too_soon_after_notice"
    if day > rules.latest_ceremony_date(min(given)):
        return "notice_too_old"
    return None


def confirm_ceremony_if_notices_given(*, ceremony: Booking) -> bool:
    """Provisional -> confirmed, as a compare-and-swap, once both notices allow the date."""
    if ceremony_notice_problem(ceremony) is not None:
        return False
    swapped = Booking.objects.filter(pk=ceremony.pk, status=Booking.Status.PROVISIONAL).update(
        status=Booking.Status.CONFIRMED
    )
    if swapped:
        ceremony.refresh_from_db()
        _notify(ceremony, "confirmed")
    return bool(swapped)


def lapsing_provisional_ceremonies(*, today: date):
    """Provisional ceremonies whose last day for notice has passed."""
    first_lapsed_day = rules.earliest_ceremony_date(today)
    return Booking.objects.filter(
        kind=Booking.Kind.CEREMONY,
        status=Booking.Status.PROVISIONAL,
        starts_at__lt=selectors.local_datetime(first_lapsed_day, datetime.min.time()),
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
            if _release(
                Booking.objects.filter(pk=ceremony.pk, status=Booking.Status.PROVISIONAL), Booking.Status.RELEASED
            ):
                released += 1
                _notify(ceremony, "released")
    return released


def warn_provisional_bookings(*, today: date | None = None) -> int:
    """Tell the couple 14 and 3 days before the last day to give notice. Idempotent: the
    message key names the booking, the day and the warning."""
    today = today or timezone.localdate()
    sent = 0
    for days in settings.PROVISIONAL_RELEASE_WARNING_DAYS:
        ceremony_day = rules.earliest_ceremony_date(today + timedelta(days=days))
        since = selectors.local_datetime(ceremony_day, datetime.min.time())
        for ceremony in Booking.objects.filter(
            kind=Booking.Kind.CEREMONY,
            status=Booking.Status.PROVISIONAL,
            starts_at__gte=since,
            starts_at__lt=since + timedelta(days=1),
        ):
            if ceremony_notice_problem(ceremony) == "notices_missing":
                _notify(ceremony, f"warning-{days}")
                sent += 1
    return sent


# --- Moving bookings ----------------------------------------------------------------------------


def reschedule_booking(*, booking: Booking, room: Room, starts_at: datetime, actor: User) -> Booking:
    """Swap the old slot for a new one in one transaction: if the new one cannot be had, the
    old one is kept. Notice names the venue, so after notice a ceremony stays at its venue."""
    if booking.status not in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED):
        raise BookingRefused("not_active")
    if (
        booking.kind == Booking.Kind.CEREMONY
        and room.venue_id != booking.room.venue_id
        and any(getattr(p, "notice", None) and p.notice.given_on for p in booking.parties.all())
    ):
        raise BookingRefused("new_venue_needs_fresh_notice")
    if booking.kind == Booking.Kind.CEREMONY and booking.guests > room.capacity:
        raise BookingRefused("too_many_guests")
    if booking.kind == Booking.Kind.CEREMONY:
        notices = [getattr(p, "notice", None) for p in booking.parties.all()]
        given = [notice.given_on for notice in notices if notice is not None and notice.given_on]
        new_day = starts_at.astimezone(selectors.UK).date()
        if given and len(given) == len(notices) == 2:
            referred = any(notice.referred for notice in notices)
            if not rules.ceremony_date_allowed(new_day, given, referred=referred):
                raise BookingRefused("date_outside_notice_rules")
        elif given and new_day > rules.latest_ceremony_date(min(given)):
            raise BookingRefused("date_outside_notice_rules")
    for _attempt in range(3):
        slot = selectors.published_slot(
            room=room,
            starts_at=starts_at,
            kind=booking.kind,
            exclude_booking_id=booking.pk,
            from_today=actor.is_staff,
        )
        if slot is None:
            raise SlotUnavailable
        try:
            return _move(booking, slot, actor=actor, event="moved")
        except SlotUnavailable:
            continue
    raise SlotUnavailable


def reassign_officers(*, booking: Booking, superintendent: User | None, registrar: User | None, actor: User) -> Booking:
    """A registrar changes who officiates; the room and time stay. Audited."""
    if booking.kind == Booking.Kind.CEREMONY and (superintendent is None or registrar is None):
        raise BookingRefused("ceremony_needs_two_officers")
    if superintendent is not None and superintendent == registrar:
        raise BookingRefused("same_officer_twice")
    slot = selectors.Slot(
        room=booking.room,
        kind=booking.kind,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        superintendent_id=superintendent.pk if superintendent else None,
        registrar_id=registrar.pk if registrar else None,
    )
    return _move(booking, slot, actor=actor, event="officers_changed")


def _move(booking: Booking, slot: selectors.Slot, *, actor: User, event: str) -> Booking:
    buffer = selectors.travel_buffer(slot.room.venue)
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status not in (Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED):
                raise BookingRefused("not_active")
            if connection.vendor == "postgresql":
                Room.objects.select_for_update().get(pk=slot.room.pk)
            Occupancy.objects.filter(booking=locked, active=True).update(active=False)
            officers = [pk for pk in (slot.superintendent_id, slot.registrar_id) if pk]
            _expire_stale_holds(room=slot.room, officers=list(User.objects.filter(pk__in=officers)))
            windows = [(officer, slot.starts_at - buffer, slot.ends_at + buffer) for officer in officers]
            active = Occupancy.objects.filter(active=True)
            if active.filter(room=slot.room, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at).exists() or any(
                active.filter(officer_id=pk, starts_at__lt=until, ends_at__gt=since).exists()
                for pk, since, until in windows
            ):
                raise SlotUnavailable
            previous = {"starts_at": locked.starts_at.isoformat(), "room": locked.room_id}
            locked.room = slot.room
            locked.starts_at, locked.ends_at = slot.starts_at, slot.ends_at
            locked.superintendent_id, locked.registrar_id = slot.superintendent_id, slot.registrar_id
            locked.save(update_fields=["room", "starts_at", "ends_at", "superintendent", "registrar"])
            Occupancy.objects.create(booking=locked, room=slot.room, starts_at=slot.starts_at, ends_at=slot.ends_at)
            for pk, since, until in windows:
                Occupancy.objects.create(booking=locked, officer_id=pk, starts_at=since, ends_at=until)
            _audit_if_staff(actor, f"booking.{event}", locked, **previous)
            _notify(locked, event)
    except IntegrityError as error:
        raise SlotUnavailable from error
    return locked


# --- The diary: closures, absences and bulk re-booking --------------------------------------------


def add_closure(*, venue: Venue, room: Room | None, starts_on: date, ends_on: date, reason: str, actor: User):
    """Close a venue or room for whole days. Bookings already made are not moved silently:
    they are listed for the registrar to re-book (see `rebooking_proposals`)."""
    from .models import Closure

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


def record_absence(*, officer: User, kind: str, starts_on: date, ends_on: date, note: str, actor: User):
    from .models import OfficerAbsence

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


def apply_rebooking(*, booking: Booking, slot: selectors.Slot, actor: User) -> Booking:
    """Move one affected booking to the chosen alternative and tell the couple."""
    if slot.room.pk == booking.room_id and slot.starts_at == booking.starts_at:
        officers = {pk: User.objects.get(pk=pk) for pk in (slot.superintendent_id, slot.registrar_id) if pk}
        return reassign_officers(
            booking=booking,
            superintendent=officers.get(slot.superintendent_id),
            registrar=officers.get(slot.registrar_id),
            actor=actor,
        )
    return reschedule_booking(booking=booking, room=slot.room, starts_at=slot.starts_at, actor=actor)


# --- Bank holidays ------------------------------------------------------------------------------


def load_bank_holidays(data: dict) -> int:
    """Load the GOV.UK bank holidays JSON; only the England and Wales division applies here.
    Returns how many dates were added."""
    from .models import BankHoliday

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


# --- Staff diary: notices recorded at the desk, room patterns, rota and calendar feeds -----------


def notice_for_party(*, party, office) -> object:
    """The party's notice of marriage, opened at `office` when they gave notice without an
    appointment booked online (a walk-in), so that a registrar can record it."""
    from .models import NoticeOfMarriage

    notice, _created = NoticeOfMarriage.objects.get_or_create(party=party, defaults={"office": office})
    return notice


def add_room_pattern(
    *,
    room: Room,
    kind: str,
    weekday: int,
    opens,
    closes,
    duration_minutes: int,
    gap_minutes: int,
    actor: User,
    valid_from: date | None = None,
    valid_until: date | None = None,
):
    """Open a room for bookings each week. Existing bookings are not touched."""
    from .models import RoomPattern

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


def remove_room_pattern(*, pattern, actor: User) -> None:
    """Stop publishing these weekly slots. Bookings already made stay in the diary."""
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="booking.room_pattern_removed",
            object_type="room",
            object_id=pattern.room_id,
            detail={"kind": pattern.kind, "weekday": pattern.weekday, "opens": pattern.opens.isoformat()},
        )
        pattern.delete()


def add_rota_shift(*, officer: User, office, weekday: int, starts, ends, actor: User):
    from .models import RotaShift

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


def remove_rota_shift(*, shift, actor: User) -> None:
    """Take a shift off the rota. Bookings already made keep their officers; the diary and the
    re-booking page show any that now need someone else."""
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


def create_calendar_feed(*, actor: User, office=None, officer: User | None = None):
    """A secret feed URL token for an office's or an officer's diary. Only its SHA-256 is
    stored, so the token is shown once and a leaked database gives no working URL."""
    import hashlib
    import secrets

    from .models import CalendarFeed

    if (office is None) == (officer is None):
        raise BookingRefused("feed_needs_one_owner")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), office=office, officer=officer, created_by=actor
        )
        record_audit(
            actor=actor,
            action="booking.calendar_feed_created",
            subject=officer,
            object_type="calendar_feed",
            object_id=feed.pk,
            detail={"office": office.code if office else None, "officer": officer.pk if officer else None},
        )
    return feed, token


def revoke_calendar_feed(*, feed, actor: User) -> None:
    with transaction.atomic():
        record_audit(
            actor=actor,
            action="booking.calendar_feed_revoked",
            subject=feed.officer,
            object_type="calendar_feed",
            object_id=feed.pk,
            detail={"office": feed.office.code if feed.office else None, "officer": feed.officer_id},
        )
        feed.delete()
