"""The published calendar kept in memory: rooms with their weekly patterns, closures, bank
holidays, the rota, officers' roles and absences, and each venue's journey, read again only when
the database's `CalendarStamp` moves; and the slot times a pattern makes on a day."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from core.places import Point, distance_km
from identity.models import User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from ...commitments import travel_time
from ...models import BankHoliday, CalendarStamp, Closure, OfficerAbsence, Room, RoomPattern, RotaShift

UK = ZoneInfo("Europe/London")


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
    # The `CalendarStamp` token it was read under; None when the database has no stamp.
    token: str | None = None
    # Each office's region, and per kind how many offices of each region have a room of that
    # kind: which occupancy versions a kept answer checks (`booking.availability_cache`).
    office_region: dict[int, str] = field(default_factory=dict)
    region_offices: dict[str, dict[str, int]] = field(default_factory=dict)

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
        office_region = {venue.office_id: venue.office.region for venue in venues.values()}
        region_offices: dict[str, dict[str, int]] = {}
        for kind, kind_rooms in rooms_of_kind.items():
            counts: dict[str, int] = defaultdict(int)
            for office_id in {room.venue.office_id for room in kind_rooms}:
                counts[office_region[office_id]] += 1
            region_offices[kind] = dict(counts)
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
            office_region=office_region,
            region_offices=region_offices,
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
                for starts, ends in pattern_times_on(self, room, kind, day)
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
        found.token = token
        with _calendars_lock:
            # Only the newest calendar of each database is worth keeping.
            for old in [old for old in _calendars if old[0] == key[0]]:
                del _calendars[old]
            _calendars[key] = found
    return found


def pattern_times_on(calendar: Calendar, room: Room, kind: str, day: date) -> list[tuple[datetime, datetime]]:
    """The `kind` slots the room's weekly patterns make on `day`, in UK local time."""
    found = []
    for pattern, times in calendar.patterns.get((room.pk, kind), {}).get(day.weekday(), ()):
        if (pattern.valid_from and day < pattern.valid_from) or (pattern.valid_until and day > pattern.valid_until):
            continue
        found.extend(
            (datetime.combine(day, starts, tzinfo=UK), datetime.combine(day, ends, tzinfo=UK)) for starts, ends in times
        )
    return found


def is_pattern_start(*, room: Room, starts_at: datetime, kind: str) -> bool:
    """Whether the room's weekly patterns make a `kind` slot starting at `starts_at`, free or not:
    tells a time that was never offered from one that has just been taken."""
    day = starts_at.astimezone(UK).date()
    return any(
        starts == starts_at
        for pattern in room.patterns.filter(kind=kind, weekday=day.weekday())
        for starts, _ends in pattern_times(pattern, day)
    )
