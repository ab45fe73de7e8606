"""The published slots: weekly room patterns, less closures and bank holidays, with two free
officers on the rota, and the national availability search over them. Services call
`published_slot` before they write; the database constraints remain the guarantee."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.dates import in_words
from core.places import Place, Point, distance_km
from identity.models import User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from .. import rules
from ..commitments import Commitment, changeover, officer_commitment, travel_time
from ..models import (
    BankHoliday,
    Booking,
    CalendarStamp,
    Closure,
    Occupancy,
    OfficerAbsence,
    Room,
    RoomPattern,
    RotaShift,
    Venue,
)
from ..refusals import BookingRefused

UK = ZoneInfo("Europe/London")
WINDOW_DAYS = 14
TIMES_OF_DAY = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


@dataclass(frozen=True)
class Slot:
    room: Room
    kind: str
    starts_at: datetime
    ends_at: datetime
    superintendent_id: int | None = None
    registrar_id: int | None = None
    distance_km: float | None = None

    @property
    def venue(self) -> Venue:
        return self.room.venue

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(UK)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(UK)

    @property
    def choice(self) -> str:
        """The slot as one form value: room, start and officers, which is what re-booking moves to."""
        return f"{self.room.pk}|{self.starts_at.isoformat()}|{self.superintendent_id or ''}|{self.registrar_id or ''}"

    def is_same_time_and_place(self, booking: Booking) -> bool:
        return self.room.pk == booking.room_id and self.starts_at == booking.starts_at


@dataclass
class SlotSearch:
    kind: str
    date_from: date
    date_to: date
    place: Place | None = None
    weekdays: frozenset[int] = frozenset(range(7))
    times_of_day: frozenset[str] = frozenset(TIMES_OF_DAY)
    venue_kind: str = ""
    guests: int = 0
    order: str = "date"
    radius_km: float | None = None
    office_ids: frozenset[int] | None = None
    venue_ids: frozenset[int] | None = None
    limit: int = 20
    per_venue: int = 3
    exclude_booking_id: int | None = None
    # Staff re-booking after a closure or sickness may use any future day, not only the days a
    # citizen may book today (which for a ceremony start a month ahead).
    from_today: bool = False
    # Video appointments: one result per start time (a registrar of any office takes the call),
    # from this office first when it has a free officer then (the office of the person's check).
    one_per_time: bool = False
    prefer_office_id: int | None = None


def bookable_dates(kind: str, *, today: date | None = None) -> tuple[date, date]:
    """The first and last day a person may book `kind` today."""
    today = today or timezone.localdate()
    if kind == Booking.Kind.CEREMONY:
        first = rules.earliest_provisional_ceremony_date(today)
    else:
        first = today + timedelta(days=settings.BOOKING_NOTICE_MINIMUM_DAYS)
    return first, today + timedelta(days=settings.BOOKING_HORIZON_DAYS)


def search_dates_problem(
    kind: str, first: date, last: date, *, today: date | None = None
) -> tuple[str, BookingRefused] | None:
    """(the field to blame, the refusal) when a date range cannot be searched; None when it can."""
    today = today or timezone.localdate()
    first_allowed, last_allowed = bookable_dates(kind, today=today)
    if last < first:
        return ("date_to", BookingRefused("reversed_dates"))
    if last < today:
        return ("date_to", BookingRefused("dates_in_past"))
    if first > last_allowed:
        # "before" the day after the last bookable one: the last day itself may be booked.
        return ("date_from", BookingRefused("beyond_horizon", date=in_words(last_allowed + timedelta(days=1))))
    if (last - first).days > settings.BOOKING_MAX_SEARCH_DAYS:
        return ("date_to", BookingRefused("range_too_long"))
    if last < first_allowed:
        return ("date_to", BookingRefused("before_first_bookable", date=in_words(first_allowed)))
    return None


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in the UK on `day`, as an aware datetime (BST or GMT as that day has)."""
    return datetime.combine(day, at, tzinfo=UK)


def pattern_times(pattern: RoomPattern, day: date) -> list[tuple[datetime, datetime]]:
    """The slots a weekly pattern makes on one day, in UK local time."""
    if day.weekday() != pattern.weekday:
        return []
    if (pattern.valid_from and day < pattern.valid_from) or (pattern.valid_until and day > pattern.valid_until):
        return []
    slots = []
    start = datetime.combine(day, pattern.opens)
    closes = datetime.combine(day, pattern.closes)
    length = timedelta(minutes=pattern.duration_minutes)
    step = length + timedelta(minutes=pattern.gap_minutes)
    while start + length <= closes:
        slots.append((start.replace(tzinfo=UK), (start + length).replace(tzinfo=UK)))
        start += step
    return slots


@dataclass
class Calendar:
    """What the published calendar is made of, apart from who is booked: rooms with their venues
    and weekly patterns, closures, bank holidays, the rota, officers' roles and absences, and
    each venue's journey from its office. It changes only when staff change the diary, so each
    process keeps one in memory under the database's `CalendarStamp` token and reads it again
    when the token moves; a search then reads only the occupancy of its days."""

    rooms: dict[int, Room]
    # (room, kind) -> weekday -> [(pattern, [(start, end) wall-clock times of its slots])]
    patterns: dict[tuple[int, str], dict[int, list[tuple[RoomPattern, list[tuple[time, time]]]]]]
    rooms_of_kind: dict[str, list[Room]]
    bank_holidays: frozenset[date]
    closed_venues: dict[int, list[tuple[date, date]]]
    closed_rooms: dict[int, list[tuple[date, date]]]
    shifts: dict[tuple[int, int], list[tuple[int, time, time]]]
    office_officers: dict[int, frozenset[int]]
    superintendents: frozenset[int]
    registrars: frozenset[int]
    absent: dict[int, list[tuple[date, date]]]
    journeys: dict[int, timedelta]
    distances: dict[Point, dict[int, float]]
    # (kind, day) -> that day's slots at open rooms, free or not (`slots_on`)
    days: dict[tuple[str, date], list[tuple[datetime, datetime, Room, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Calendar:
        rooms = {room.pk: room for room in Room.objects.select_related("venue", "venue__office")}
        patterns: dict = defaultdict(lambda: defaultdict(list))
        rooms_of_kind: dict[str, list[Room]] = defaultdict(list)
        for pattern in RoomPattern.objects.order_by("room_id", "weekday", "opens", "pk"):
            by_weekday = patterns[(pattern.room_id, pattern.kind)]
            if not by_weekday:
                rooms_of_kind[pattern.kind].append(rooms[pattern.room_id])
            by_weekday[pattern.weekday].append((pattern, _wall_clock_slots(pattern)))
        closed_venues: dict[int, list[tuple[date, date]]] = defaultdict(list)
        closed_rooms: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for venue_id, room_id, starts_on, ends_on in Closure.objects.values_list(
            "venue_id", "room_id", "starts_on", "ends_on"
        ):
            (closed_rooms[room_id] if room_id else closed_venues[venue_id]).append((starts_on, ends_on))
        shifts: dict[tuple[int, int], list[tuple[int, time, time]]] = defaultdict(list)
        office_officers: dict[int, set[int]] = defaultdict(set)
        for officer_id, office_id, weekday, starts, ends in RotaShift.objects.filter(
            officer__is_active=True
        ).values_list("officer_id", "office_id", "weekday", "starts", "ends"):
            shifts[(office_id, weekday)].append((officer_id, starts, ends))
            office_officers[office_id].add(officer_id)
        superintendents, registrars = set(), set()
        for officer_id, role in User.groups.through.objects.filter(
            group__name__in=[REGISTRAR, SUPERINTENDENT_REGISTRAR]
        ).values_list("user_id", "group__name"):
            (superintendents if role == SUPERINTENDENT_REGISTRAR else registrars).add(officer_id)
        absent: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for officer_id, starts_on, ends_on in OfficerAbsence.objects.values_list("officer_id", "starts_on", "ends_on"):
            absent[officer_id].append((starts_on, ends_on))
        venues = {room.venue_id: room.venue for room in rooms.values()}
        return cls(
            rooms=rooms,
            patterns={key: dict(by_weekday) for key, by_weekday in patterns.items()},
            rooms_of_kind=dict(rooms_of_kind),
            bank_holidays=frozenset(BankHoliday.objects.values_list("date", flat=True)),
            closed_venues=dict(closed_venues),
            closed_rooms=dict(closed_rooms),
            shifts=dict(shifts),
            office_officers={office_id: frozenset(ids) for office_id, ids in office_officers.items()},
            superintendents=frozenset(superintendents),
            registrars=frozenset(registrars),
            absent=dict(absent),
            journeys={venue_id: travel_time(venue) for venue_id, venue in venues.items()},
            distances={},
        )

    def distances_from(self, point: Point) -> dict[int, float]:
        """Each venue's distance from `point`, worked out once per place searched from."""
        found = self.distances.get(point)
        if found is None:
            if len(self.distances) >= DISTANCES_KEPT:
                self.distances.clear()
            venues = {room.venue_id: room.venue for room in self.rooms.values()}
            found = {
                venue_id: distance_km(point, (float(venue.latitude), float(venue.longitude)))
                for venue_id, venue in venues.items()
            }
            self.distances[point] = found
        return found

    def room_open(self, room: Room, day: date) -> bool:
        """Whether the room may be booked on `day`: not a bank holiday, and neither the room
        nor its venue closed."""
        if day in self.bank_holidays:
            return False
        for closures in (self.closed_venues.get(room.venue_id, ()), self.closed_rooms.get(room.pk, ())):
            if any(starts_on <= day <= ends_on for starts_on, ends_on in closures):
                return False
        return True

    def slots_on(self, kind: str, day: date) -> list[tuple[datetime, datetime, Room, int]]:
        """Every `kind` slot published on `day` at a room open that day, free or not, as (start,
        end, room, room id) earliest first and then by room, which is the order a national search by
        date shows them in. Worked out once per day and kind searched, so that a search only
        filters them and tests the first ones against the occupancy it reads."""
        key = (kind, day)
        found = self.days.get(key)
        if found is None:
            if len(self.days) >= DAYS_KEPT:
                self.days.clear()
            found = [
                (starts, ends, room, room.pk)
                for room in self.rooms_of_kind.get(kind, ())
                if self.room_open(room, day)
                for starts, ends in _pattern_times_on(self, room, kind, day)
            ]
            found.sort(key=lambda candidate: (candidate[0], candidate[3]))
            self.days[key] = found
        return found


DISTANCES_KEPT = 2_000  # places whose distances to every venue are kept (a few MB at most)
# Days whose slots are kept per calendar: about four months of one kind, some tens of MB nationally.
DAYS_KEPT = 120
_calendars: dict[tuple, Calendar] = {}
_calendars_lock = threading.Lock()


def _wall_clock_slots(pattern: RoomPattern) -> list[tuple[time, time]]:
    """The (start, end) wall-clock times of the slots a pattern makes on any of its days."""
    slots = []
    day = date(2000, 1, 3)  # any day: the times do not depend on it
    start = datetime.combine(day, pattern.opens)
    closes = datetime.combine(day, pattern.closes)
    length = timedelta(minutes=pattern.duration_minutes)
    step = length + timedelta(minutes=pattern.gap_minutes)
    while start + length <= closes:
        slots.append((start.time(), (start + length).time()))
        start += step
    return slots


def current_calendar() -> Calendar:
    """The calendar as the database has it now: one query for the stamp, and a reload only when
    it moved. Without a stamp (a database emptied outside the triggers) nothing is kept."""
    token = CalendarStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:
        return Calendar.load()
    key = (
        connection.settings_dict["NAME"],
        token,
        settings.BOOKING_TRAVEL_KM_PER_HOUR,
        settings.BOOKING_ROAD_DETOUR_FACTOR,
    )
    found = _calendars.get(key)
    if found is None:
        found = Calendar.load()
        with _calendars_lock:
            # Only the newest calendar of each database is worth keeping.
            for old in [old for old in _calendars if old[0] == key[0]]:
                del _calendars[old]
            _calendars[key] = found
    return found


def _pattern_times_on(calendar: Calendar, room: Room, kind: str, day: date) -> list[tuple[datetime, datetime]]:
    """The `kind` slots the room's weekly patterns make on `day`, in UK local time."""
    found = []
    for pattern, times in calendar.patterns.get((room.pk, kind), {}).get(day.weekday(), ()):
        if (pattern.valid_from and day < pattern.valid_from) or (pattern.valid_until and day > pattern.valid_until):
            continue
        found.extend(
            (datetime.combine(day, starts, tzinfo=UK), datetime.combine(day, ends, tzinfo=UK)) for starts, ends in times
        )
    return found


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
        for room_id, officer_id, venue_id, starts, ends, away_from, away_until in occupancies.filter(rows).values_list(
            "room_id", "officer_id", "venue_id", "starts_at", "ends_at", "away_from", "away_until"
        ):
            if room_id is not None:
                self.room_busy[room_id].append((starts, ends))
            else:
                self.officer_busy[officer_id].append(Commitment(venue_id, starts, ends, away_from, away_until))

    def room_open(self, room: Room, day: date) -> bool:
        return self.calendar.room_open(room, day)

    def covers(self, room: Room, starts: datetime, ends: datetime) -> bool:
        """Whether what was read is enough to test a slot of the room: its officers' time away
        from their office for it, which holds the room's time."""
        leave, back = _time_away(self.calendar, room, starts, ends)
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


def _candidate_rooms(search: SlotSearch, calendar: Calendar) -> list[tuple[Room, float | None]]:
    distances = calendar.distances_from(search.place.point) if search.place is not None else None
    found = []
    for room in calendar.rooms_of_kind.get(search.kind, ()):
        venue = room.venue
        if room.capacity < max(search.guests, 0):
            continue
        if search.venue_kind and venue.kind != search.venue_kind:
            continue
        if search.office_ids is not None and venue.office_id not in search.office_ids:
            continue
        if search.venue_ids is not None and venue.pk not in search.venue_ids:
            continue
        distance = None
        if distances is not None:
            distance = distances[venue.pk]
            if search.radius_km is not None and distance > search.radius_km:
                continue
        found.append((room, distance))
    return found


def _in_times_of_day(starts: datetime, times_of_day: frozenset[str]) -> bool:
    return any(TIMES_OF_DAY[name][0] <= starts.time() < TIMES_OF_DAY[name][1] for name in times_of_day)


def _free_slot(
    window: DiaryWindow, room: Room, kind: str, starts: datetime, ends: datetime, distance: float | None
) -> Slot | None:
    # A video appointment needs an officer only: the room just says whose office offers the time.
    if kind in Booking.ROOM_KINDS and not window.room_free(room, starts, ends):
        return None
    officers = window.officers_for(kind, room.venue, starts, ends)
    if officers is None:
        return None
    return Slot(
        room=room,
        kind=kind,
        starts_at=starts.astimezone(UK),
        ends_at=ends.astimezone(UK),
        superintendent_id=officers[0],
        registrar_id=officers[1],
        distance_km=distance,
    )


def _time_away(calendar: Calendar, room: Room, starts: datetime, ends: datetime) -> tuple[datetime, datetime]:
    """When the officers of a slot of the room leave their office, and when they are back after
    the changeover (`booking.commitments`)."""
    journey = calendar.journeys.get(room.venue_id, timedelta(0))
    return starts - journey, ends + changeover() + journey


def _stops_at_page(search: SlotSearch) -> bool:
    """By date, the times of a day are tried in the order the results are shown, so the search
    stops at the last slot of the page instead of testing every room of the day."""
    return search.order == "date" and not search.one_per_time


def _day_candidates(
    search: SlotSearch, distances: dict[int, float | None], calendar: Calendar, day: date, now: datetime
) -> list[tuple[datetime, datetime, Room, float | None]]:
    """The slots of `day` the search may show if free, as (start, end, room, distance). The
    calendar lists a day by time and room already, the order by date; only a place or an office
    shown first reorders it."""
    every_time_of_day = search.times_of_day >= TIMES_OF_DAY.keys()
    # In the calendar's own time zone, so that comparing times needs no conversion.
    now = now.astimezone(UK)
    candidates = [
        (starts, ends, room, distances[room_id])
        for starts, ends, room, room_id in calendar.slots_on(search.kind, day)
        if room_id in distances
        and starts > now
        and (every_time_of_day or _in_times_of_day(starts, search.times_of_day))
    ]
    if _stops_at_page(search) and (search.place is not None or search.prefer_office_id is not None):
        candidates.sort(key=lambda candidate: _result_order(search, candidate[0], candidate[2], candidate[3]))
    return candidates


def _slots_in_window(
    search: SlotSearch, rooms, window: DiaryWindow, now: datetime, shown_per_venue: dict[int, int]
) -> tuple[list[Slot], bool]:
    """The free slots of the window, and whether every candidate was tried: by date, the walk
    stops at the first slot that the occupancy read does not cover (`DiaryWindow.covers`)."""
    found = []
    distances = {room.pk: distance for room, distance in rooms}
    stops_at_page = _stops_at_page(search)
    # By distance a venue shows its earliest few slots: once it has them, its later ones (each
    # day is walked in time order) need no test.
    few_per_venue = search.order == "distance" and not search.one_per_time
    per_venue = defaultdict(int, shown_per_venue)
    day = window.first
    while day <= window.last:
        if day.weekday() in search.weekdays:
            for starts, ends, room, distance in _day_candidates(search, distances, window.calendar, day, now):
                if stops_at_page and not window.covers(room, starts, ends):
                    return found, False
                if few_per_venue and per_venue[room.venue_id] >= search.per_venue:
                    continue
                slot = _free_slot(window, room, search.kind, starts, ends, distance)
                if slot is not None:
                    found.append(slot)
                    per_venue[room.venue_id] += 1
                    if stops_at_page and len(found) >= search.limit:
                        return found, True
        day += timedelta(days=1)
        # By date, a whole day is enough once it fills the page: later days sort after it.
        if search.order == "date" and len(found) >= search.limit:
            break
    return found, True


# By date, the first day's occupancy is read first only for the time this many pages of its
# earliest slots take: nationally a page fills from them, even with a third or more taken.
FIRST_READ_PAGES = 4


def _first_read(search: SlotSearch, rooms, calendar: Calendar, day: date, now: datetime) -> tuple:
    """(since, until): the part of `day` whose occupancy to read first, (None, None) for all of it."""
    distances = {room.pk: distance for room, distance in rooms}
    candidates = _day_candidates(search, distances, calendar, day, now)[: FIRST_READ_PAGES * search.limit]
    if not candidates:
        return None, None
    times_away = [_time_away(calendar, room, starts, ends) for starts, ends, room, _d in candidates]
    return min(leave for leave, _back in times_away), max(back for _leave, back in times_away)


def _result_order(search: SlotSearch, starts: datetime, room: Room, distance: float | None) -> tuple:
    """How results are shown by date: by time, this office first (`prefer_office_id`), nearest."""
    return (starts, room.venue.office_id != search.prefer_office_id, distance or 0, room.pk)


def find_slots(search: SlotSearch, *, now: datetime | None = None) -> list[Slot]:
    """Free slots nationally, ordered by date (then distance) or by distance (then date, a few
    per venue). Dates outside what may be booked today are left out."""
    now = now or timezone.now()
    first_allowed, last_allowed = bookable_dates(search.kind, today=now.astimezone(UK).date())
    if search.from_today:
        first_allowed = now.astimezone(UK).date()
    first, last = max(search.date_from, first_allowed), min(search.date_to, last_allowed)
    calendar = current_calendar()
    rooms = _candidate_rooms(search, calendar)
    if first > last or not rooms:
        return []
    results: list[Slot] = []
    per_venue: dict[int, int] = defaultdict(int)
    start = first
    # By date, a page usually fills on its first searched day: that day's occupancy is read
    # alone, and twice as many days each time the page is not full, up to WINDOW_DAYS at a time.
    # By distance, the nearest venues' pages fill over weeks: a fortnight at a time from the start.
    days_wanted = 1 if search.order == "date" else WINDOW_DAYS
    first_read = True
    while True:
        start = _next_searched_day(search, start, last)
        if start is None:
            break
        end = _window_end(search, start, last, days_wanted)
        since = until = None
        if first_read and _stops_at_page(search):
            since, until = _first_read(search, rooms, calendar, start, now)
        first_read = False
        days_wanted *= 2
        window = DiaryWindow(
            [room for room, _d in rooms],
            start,
            end,
            search.exclude_booking_id,
            calendar=calendar,
            since=since,
            until=until,
        )
        found, complete = _slots_in_window(search, rooms, window, now, per_venue)
        if not complete and len(found) < search.limit:
            # The first slots of the day did not fill the page: read the whole of that day.
            days_wanted = 1
            continue
        slots = sorted(found, key=lambda slot: _result_order(search, slot.starts_at, slot.room, slot.distance_km))
        if search.one_per_time:
            slots = _first_per_time(slots)
        if search.order == "distance":
            for slot in slots:
                if per_venue[slot.room.venue_id] < search.per_venue:
                    per_venue[slot.room.venue_id] += 1
                    results.append(slot)
            rooms = [(room, d) for room, d in rooms if per_venue[room.venue_id] < search.per_venue]
            if len(results) >= search.limit:
                # The page is the nearest results, earliest first at one distance. A venue at
                # least as far as the page's last can add only later slots, which sort after
                # it: once the page is full such venues need not be searched any further.
                page_edge = sorted(slot.distance_km or 0 for slot in results)[search.limit - 1]
                rooms = [(room, d) for room, d in rooms if (d or 0) < page_edge]
            if not rooms:
                break
        else:
            results.extend(slots)
            if len(results) >= search.limit:
                break
        start = end + timedelta(days=1)
    if search.order == "distance":
        results.sort(key=lambda slot: (slot.distance_km or 0, slot.starts_at))
    return results[: search.limit]


def _next_searched_day(search: SlotSearch, day: date, last: date) -> date | None:
    """The first day from `day` on one of the searched weekdays; None when there is none by `last`."""
    while day <= last:
        if day.weekday() in search.weekdays:
            return day
        day += timedelta(days=1)
    return None


def _window_end(search: SlotSearch, start: date, last: date, days_wanted: int) -> date:
    """The last day of a window from `start` (a searched day) that holds `days_wanted` searched
    days, no later than `last` and at most WINDOW_DAYS long."""
    end, found = start, 1
    limit = min(start + timedelta(days=WINDOW_DAYS - 1), last)
    while found < days_wanted and end < limit:
        end += timedelta(days=1)
        found += end.weekday() in search.weekdays
    return end


def _first_per_time(slots: list[Slot]) -> list[Slot]:
    """The first slot of each start time, in the order given."""
    seen: set[datetime] = set()
    first = []
    for slot in slots:
        if slot.starts_at not in seen:
            seen.add(slot.starts_at)
            first.append(slot)
    return first


def published_slot(
    *, room: Room, starts_at: datetime, kind: str, exclude_booking_id: int | None = None, from_today: bool = False
) -> Slot | None:
    """The free slot of `room` starting at `starts_at`, with officers proposed; None when no
    such slot is published, may not be booked today, or is no longer free. Only that one slot is
    looked at: the stamp, then the occupancy of its room and of its office's officers that day."""
    now = timezone.now()
    day = starts_at.astimezone(UK).date()
    first_allowed, last_allowed = bookable_dates(kind, today=now.astimezone(UK).date())
    if from_today:
        first_allowed = now.astimezone(UK).date()
    if not first_allowed <= day <= last_allowed or starts_at <= now:
        return None
    calendar = current_calendar()
    room = calendar.rooms.get(room.pk)
    if room is None:
        return None
    times = [(starts, ends) for starts, ends in _pattern_times_on(calendar, room, kind, day) if starts == starts_at]
    if not times:
        return None
    window = DiaryWindow([room], day, day, exclude_booking_id, calendar=calendar)
    if not window.room_open(room, day):
        return None
    starts, ends = times[0]
    return _free_slot(window, room, kind, starts, ends, None)


def is_pattern_start(*, room: Room, starts_at: datetime, kind: str) -> bool:
    """Whether the room's weekly patterns make a `kind` slot starting at `starts_at`, free or not:
    tells a time that was never offered from one that has just been taken."""
    day = starts_at.astimezone(UK).date()
    return any(
        starts == starts_at
        for pattern in room.patterns.filter(kind=kind, weekday=day.weekday())
        for starts, _ends in pattern_times(pattern, day)
    )
