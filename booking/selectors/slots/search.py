"""The national availability search over the published calendar (`calendar`) and the
occupancy of the days it shows (`window`), and the one slot a service checks before it writes
(`published_slot`); the database constraints remain the guarantee."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.dates import in_words
from core.places import Place

from ... import rules
from ...availability_cache import answer_key, answers_usable, keep_answer, kept_answer, version_keys
from ...models import Booking, Room, Venue
from ...refusals import BookingRefused
from .calendar import UK, Calendar, current_calendar, pattern_times_on
from .window import DiaryWindow, time_away

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
    times_away = [time_away(calendar, room, starts, ends) for starts, ends, room, _d in candidates]
    return min(leave for leave, _back in times_away), max(back for _leave, back in times_away)


def _result_order(search: SlotSearch, starts: datetime, room: Room, distance: float | None) -> tuple:
    """How results are shown by date: by time, this office first (`prefer_office_id`), nearest."""
    return (starts, room.venue.office_id != search.prefer_office_id, distance or 0, room.pk)


def find_slots(search: SlotSearch, *, now: datetime | None = None) -> list[Slot]:
    """Free slots nationally, ordered by date (then distance) or by distance (then date, a few
    per venue). Dates outside what may be booked today are left out. An answer given before is
    given again while the calendar token, the occupancy versions of the offices it read and the
    holds it read stand (`booking.availability_cache`)."""
    now = now or timezone.now()
    calendar = current_calendar()
    if calendar.token is None or not answers_usable():
        return _search(search, calendar, now)[0]
    key = answer_key(
        connection.settings_dict["NAME"],
        calendar.token,
        now.astimezone(UK).date(),
        tuple(getattr(settings, name) for name in _SEARCH_SETTINGS),
        _search_key(search),
    )
    # The offices whose diaries the search may read: those of its candidate rooms, whose rows
    # and whose officers' rows are all it reads (`DiaryWindow`).
    offices = {room.venue.office_id for room, _d in _candidate_rooms(search, calendar)}
    keys = version_keys(offices, calendar.office_region, calendar.region_offices.get(search.kind, {}))
    kept, versions = kept_answer(key, keys)
    if kept is not None:
        slots = _kept_slots(kept, calendar, now)
        if slots is not None:
            return slots
    slots, holds_expire = _search(search, calendar, now)
    keep_answer(key, versions, (now, holds_expire, [_kept_row(slot) for slot in slots]))
    return slots


# The settings the answer depends on besides the calendar and occupancy.
_SEARCH_SETTINGS = (
    "BOOKING_NOTICE_MINIMUM_DAYS",
    "BOOKING_HORIZON_DAYS",
    "BOOKING_CHANGEOVER_MINUTES",
    "BOOKING_TRAVEL_KM_PER_HOUR",
    "BOOKING_ROAD_DETOUR_FACTOR",
    "NOTICE_WAIT_DAYS",
)


def _search_key(search: SlotSearch) -> tuple:
    """The search as plain values in a fixed order (sets sorted), the same in every process."""
    return tuple(
        tuple(sorted(value)) if isinstance(value, (set, frozenset)) else value
        for value in (getattr(search, f.name) for f in fields(search))
    )


def _kept_row(slot: Slot) -> tuple:
    return (
        slot.room.pk,
        slot.kind,
        slot.starts_at,
        slot.ends_at,
        slot.superintendent_id,
        slot.registrar_id,
        slot.distance_km,
    )


def _kept_slots(kept: tuple, calendar: Calendar, now: datetime) -> list[Slot] | None:
    """A kept answer as it reads at `now`; None when it may no longer be true. Time going on
    only takes slots away (those that have started, which the answer does not show while every
    slot shown is still ahead) until a hold read then runs out and frees its slot."""
    searched_at, holds_expire, rows = kept
    if now < searched_at or (holds_expire is not None and now >= holds_expire):
        return None
    slots = []
    for room_id, kind, starts_at, ends_at, superintendent_id, registrar_id, distance in rows:
        room = calendar.rooms.get(room_id)
        if room is None or starts_at <= now:
            return None
        slots.append(Slot(room, kind, starts_at, ends_at, superintendent_id, registrar_id, distance))
    return slots


def _search(search: SlotSearch, calendar: Calendar, now: datetime) -> tuple[list[Slot], datetime | None]:
    """The answer, and the earliest a hold it counted as busy runs out (None if it read none)."""
    first_allowed, last_allowed = bookable_dates(search.kind, today=now.astimezone(UK).date())
    if search.from_today:
        first_allowed = now.astimezone(UK).date()
    first, last = max(search.date_from, first_allowed), min(search.date_to, last_allowed)
    rooms = _candidate_rooms(search, calendar)
    holds_expire: datetime | None = None
    if first > last or not rooms:
        return [], holds_expire
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
        if window.holds_expire is not None and (holds_expire is None or window.holds_expire < holds_expire):
            holds_expire = window.holds_expire
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
    return results[: search.limit], holds_expire


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
    times = [(starts, ends) for starts, ends in pattern_times_on(calendar, room, kind, day) if starts == starts_at]
    if not times:
        return None
    window = DiaryWindow([room], day, day, exclude_booking_id, calendar=calendar)
    if not window.room_open(room, day):
        return None
    starts, ends = times[0]
    return _free_slot(window, room, kind, starts, ends, None)
