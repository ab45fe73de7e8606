"""The occupancy of a window of days: which rooms and officers are busy then, read in one
query, against the calendar kept in memory (`calendar.Calendar`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from ...commitments import Commitment, changeover, officer_commitment
from ...models import Booking, Occupancy, Room, Venue
from .calendar import UK, Calendar, current_calendar, local_datetime

# Above this many rooms or officers a window reads every row of its days rather than naming them.
NAMED_ROWS_LIMIT = 200


class DiaryWindow:
    """Everything needed to test slots in [first, last]: the calendar kept in memory, and the
    occupancy of those days read now (one query). With `since` and `until`, only what is busy
    between them is read, which tests the slots whose officers leave their office no earlier
    and are back no later (`covers`)."""

    def __init__(
        self,
        rooms: list[Room],
        first: date,
        last: date,
        exclude_booking_id: int | None,
        *,
        calendar: Calendar | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        self.calendar = calendar = calendar or current_calendar()
        self.first, self.last = first, last
        self.read_since, self.read_until = since, until
        since = since or local_datetime(first, time(0))
        until = until or local_datetime(last + timedelta(days=1), time(0))
        room_ids = [room.pk for room in rooms]
        office_ids = {room.venue.office_id for room in rooms}
        officer_ids = set().union(*(calendar.office_officers.get(office_id, ()) for office_id in office_ids))
        self.superintendents, self.registrars = calendar.superintendents, calendar.registrars
        # A hold past its expiry frees its slot at once, even before the sweeper marks it: the
        # hold service releases such holds before it inserts, so showing the slot is truthful.
        occupancies = Occupancy.objects.filter(active=True).exclude(
            booking__status=Booking.Status.HELD, booking__hold_expires_at__lte=timezone.now()
        )
        if exclude_booking_id:
            occupancies = occupancies.exclude(booking_id=exclude_booking_id)
        # One query for both: a room's rows by their times in the window, an officer's by their
        # time away, as a booking in the window can clash with a commitment whose journey
        # reaches into it. Room rows have no officer and officer rows no room.
        room_rows = Q(starts_at__lt=until, ends_at__gt=since) & (
            Q(room_id__in=room_ids) if len(room_ids) <= NAMED_ROWS_LIMIT else Q(room__isnull=False)
        )
        rows = room_rows
        if officer_ids:
            officer_rows = Q(away_from__lt=until, away_until__gt=since) & (
                Q(officer_id__in=officer_ids) if len(officer_ids) <= NAMED_ROWS_LIMIT else Q(officer__isnull=False)
            )
            rows = room_rows | officer_rows
        self.room_busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.officer_busy: dict[int, list[Commitment]] = defaultdict(list)
        # The earliest a hold read here runs out, when what was read stops being true.
        self.holds_expire: datetime | None = None
        for row in occupancies.filter(rows).values_list(
            "room_id",
            "officer_id",
            "venue_id",
            "starts_at",
            "ends_at",
            "away_from",
            "away_until",
            "booking__hold_expires_at",
        ):
            room_id, officer_id, venue_id, starts, ends, away_from, away_until, hold_expires_at = row
            if room_id is not None:
                self.room_busy[room_id].append((starts, ends))
            else:
                self.officer_busy[officer_id].append(Commitment(venue_id, starts, ends, away_from, away_until))
            if hold_expires_at is not None and (self.holds_expire is None or hold_expires_at < self.holds_expire):
                self.holds_expire = hold_expires_at

    def room_open(self, room: Room, day: date) -> bool:
        return self.calendar.room_open(room, day)

    def covers(self, room: Room, starts: datetime, ends: datetime) -> bool:
        """Whether what was read is enough to test a slot of the room: its officers' time away
        from their office for it, which holds the room's time."""
        leave, back = time_away(self.calendar, room, starts, ends)
        return (self.read_since is None or leave >= self.read_since) and (
            self.read_until is None or back <= self.read_until
        )

    def room_free(self, room: Room, starts: datetime, ends: datetime) -> bool:
        return not any(s < ends and e > starts for s, e in self.room_busy.get(room.pk, ()))

    def free_officers(self, venue: Venue, starts: datetime, ends: datetime) -> list[int]:
        """Officers on the rota at the venue's office for the whole booking, not absent, and
        with no commitment that clashes with this one (`booking.commitments`)."""
        calendar = self.calendar
        local_start, local_end = starts.astimezone(UK), ends.astimezone(UK)
        day = local_start.date()
        journey = calendar.journeys.get(venue.pk)
        commitment = officer_commitment(venue, starts, ends, journey=journey)
        free = []
        for officer_id, shift_starts, shift_ends in calendar.shifts.get((venue.office_id, day.weekday()), ()):
            if not (shift_starts <= local_start.time() and local_end.time() <= shift_ends):
                continue
            if any(starts_on <= day <= ends_on for starts_on, ends_on in calendar.absent.get(officer_id, ())):
                continue
            if any(commitment.clashes(other) for other in self.officer_busy.get(officer_id, ())):
                continue
            free.append(officer_id)
        return free

    def officers_for(self, kind: str, venue: Venue, starts: datetime, ends: datetime) -> tuple[int, int] | None:
        """(superintendent, registrar) for a ceremony, (None, officer) for an appointment (notice
        or identity): a registrar first, else a superintendent registrar."""
        free = self.free_officers(venue, starts, ends)
        if kind not in Booking.TWO_OFFICER_KINDS:
            for officer_id in sorted(free, key=lambda pk: (pk not in self.registrars, pk)):
                if officer_id in self.registrars or officer_id in self.superintendents:
                    return (None, officer_id)
            return None
        superintendent = next((pk for pk in sorted(free) if pk in self.superintendents), None)
        registrar = next((pk for pk in sorted(free) if pk in self.registrars and pk != superintendent), None)
        if superintendent is None or registrar is None:
            return None
        return (superintendent, registrar)


def time_away(calendar: Calendar, room: Room, starts: datetime, ends: datetime) -> tuple[datetime, datetime]:
    """When the officers of a slot of the room leave their office, and when they are back after
    the changeover (`booking.commitments`)."""
    journey = calendar.journeys.get(room.venue_id, timedelta(0))
    return starts - journey, ends + changeover() + journey
