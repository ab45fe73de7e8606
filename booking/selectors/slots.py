"""The published slots: weekly room patterns, less closures and bank holidays, with two free
officers on the rota, and the national availability search over them. Services call
`published_slot` before they write; the database constraints remain the guarantee."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.dates import in_words
from core.places import Place, distance_km
from identity.models import User
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR

from .. import rules
from ..commitments import Commitment, officer_commitment, travel_time
from ..models import BankHoliday, Booking, Closure, Occupancy, OfficerAbsence, Room, RoomPattern, RotaShift, Venue
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


class DiaryWindow:
    """Everything needed to test slots in [first, last]: loaded in a few queries."""

    def __init__(self, rooms: list[Room], first: date, last: date, exclude_booking_id: int | None) -> None:
        self.first, self.last = first, last
        since, until = local_datetime(first, time(0)), local_datetime(last + timedelta(days=1), time(0))
        room_ids = [room.pk for room in rooms]
        office_ids = {room.venue.office_id for room in rooms}
        self.bank_holidays = set(BankHoliday.objects.filter(date__range=(first, last)).values_list("date", flat=True))
        self.closed_venues: dict[int, list[tuple[date, date]]] = defaultdict(list)
        self.closed_rooms: dict[int, list[tuple[date, date]]] = defaultdict(list)
        closures = Closure.objects.filter(starts_on__lte=last, ends_on__gte=first, venue__rooms__in=room_ids)
        for closure in closures.distinct():
            target = self.closed_rooms[closure.room_id] if closure.room_id else self.closed_venues[closure.venue_id]
            target.append((closure.starts_on, closure.ends_on))
        # A hold past its expiry frees its slot at once, even before the sweeper marks it: the
        # hold service releases such holds before it inserts, so showing the slot is truthful.
        occupancies = Occupancy.objects.filter(active=True).exclude(
            booking__status=Booking.Status.HELD, booking__hold_expires_at__lte=timezone.now()
        )
        if exclude_booking_id:
            occupancies = occupancies.exclude(booking_id=exclude_booking_id)
        self.room_busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        for room_id, starts, ends in occupancies.filter(
            room_id__in=room_ids, starts_at__lt=until, ends_at__gt=since
        ).values_list("room_id", "starts_at", "ends_at"):
            self.room_busy[room_id].append((starts, ends))
        self.shifts: dict[tuple[int, int], list[tuple[int, time, time]]] = defaultdict(list)
        officer_ids = set()
        for shift in RotaShift.objects.filter(office_id__in=office_ids, officer__is_active=True):
            self.shifts[(shift.office_id, shift.weekday)].append((shift.officer_id, shift.starts, shift.ends))
            officer_ids.add(shift.officer_id)
        self.superintendents, self.registrars = set(), set()
        for officer_id, role in User.groups.through.objects.filter(
            user_id__in=officer_ids, group__name__in=[REGISTRAR, SUPERINTENDENT_REGISTRAR]
        ).values_list("user_id", "group__name"):
            (self.superintendents if role == SUPERINTENDENT_REGISTRAR else self.registrars).add(officer_id)
        self.absent: dict[int, list[tuple[date, date]]] = defaultdict(list)
        for officer_id, starts_on, ends_on in OfficerAbsence.objects.filter(
            officer_id__in=officer_ids, starts_on__lte=last, ends_on__gte=first
        ).values_list("officer_id", "starts_on", "ends_on"):
            self.absent[officer_id].append((starts_on, ends_on))
        self.journeys: dict[int, timedelta] = {}  # venue -> its travel_time, worked out once
        self.officer_busy: dict[int, list[Commitment]] = defaultdict(list)
        # A booking in the window can clash with a commitment whose time away reaches into it.
        for officer_id, *commitment in occupancies.filter(
            officer_id__in=officer_ids, away_from__lt=until, away_until__gt=since
        ).values_list("officer_id", "venue_id", "starts_at", "ends_at", "away_from", "away_until"):
            self.officer_busy[officer_id].append(Commitment(*commitment))

    def room_open(self, room: Room, day: date) -> bool:
        if day in self.bank_holidays:
            return False
        closures = self.closed_venues.get(room.venue_id, []) + self.closed_rooms.get(room.pk, [])
        return not any(starts_on <= day <= ends_on for starts_on, ends_on in closures)

    def room_free(self, room: Room, starts: datetime, ends: datetime) -> bool:
        return not any(s < ends and e > starts for s, e in self.room_busy.get(room.pk, ()))

    def free_officers(self, venue: Venue, starts: datetime, ends: datetime) -> list[int]:
        """Officers on the rota at the venue's office for the whole booking, not absent, and
        with no commitment that clashes with this one (`booking.commitments`)."""
        local_start, local_end = starts.astimezone(UK), ends.astimezone(UK)
        day = local_start.date()
        if venue.pk not in self.journeys:
            self.journeys[venue.pk] = travel_time(venue)
        commitment = officer_commitment(venue, starts, ends, journey=self.journeys[venue.pk])
        free = []
        for officer_id, shift_starts, shift_ends in self.shifts.get((venue.office_id, day.weekday()), ()):
            if not (shift_starts <= local_start.time() and local_end.time() <= shift_ends):
                continue
            if any(starts_on <= day <= ends_on for starts_on, ends_on in self.absent.get(officer_id, ())):
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


def _candidate_rooms(search: SlotSearch) -> list[tuple[Room, float | None]]:
    rooms = (
        Room.objects.filter(patterns__kind=search.kind, capacity__gte=max(search.guests, 0))
        .select_related("venue", "venue__office")
        .prefetch_related("patterns")
        .distinct()
    )
    if search.venue_kind:
        rooms = rooms.filter(venue__kind=search.venue_kind)
    if search.office_ids is not None:
        rooms = rooms.filter(venue__office_id__in=search.office_ids)
    if search.venue_ids is not None:
        rooms = rooms.filter(venue_id__in=search.venue_ids)
    found = []
    for room in rooms:
        distance = None
        if search.place is not None:
            distance = distance_km(search.place.point, (float(room.venue.latitude), float(room.venue.longitude)))
            if search.radius_km is not None and distance > search.radius_km:
                continue
        found.append((room, distance))
    return found


def _slots_in_window(search: SlotSearch, rooms, window: DiaryWindow, now: datetime) -> list[Slot]:
    found = []
    day = window.first
    while day <= window.last:
        if day.weekday() in search.weekdays:
            for room, distance in rooms:
                if not window.room_open(room, day):
                    continue
                for pattern in room.patterns.all():
                    if pattern.kind != search.kind:
                        continue
                    for starts, ends in pattern_times(pattern, day):
                        if not any(
                            TIMES_OF_DAY[name][0] <= starts.time() < TIMES_OF_DAY[name][1]
                            for name in search.times_of_day
                        ):
                            continue
                        if starts <= now:
                            continue
                        # A video appointment needs an officer only: the room just says whose
                        # office offers the time.
                        if search.kind in Booking.ROOM_KINDS and not window.room_free(room, starts, ends):
                            continue
                        officers = window.officers_for(search.kind, room.venue, starts, ends)
                        if officers is None:
                            continue
                        found.append(
                            Slot(
                                room=room,
                                kind=search.kind,
                                starts_at=starts.astimezone(UK),
                                ends_at=ends.astimezone(UK),
                                superintendent_id=officers[0],
                                registrar_id=officers[1],
                                distance_km=distance,
                            )
                        )
        day += timedelta(days=1)
        # By date, a whole day is enough once it fills the page: later days sort after it.
        if search.order == "date" and len(found) >= search.limit:
            break
    return found


def find_slots(search: SlotSearch, *, now: datetime | None = None) -> list[Slot]:
    """Free slots nationally, ordered by date (then distance) or by distance (then date, a few
    per venue). Dates outside what may be booked today are left out."""
    now = now or timezone.now()
    first_allowed, last_allowed = bookable_dates(search.kind, today=now.astimezone(UK).date())
    if search.from_today:
        first_allowed = now.astimezone(UK).date()
    first, last = max(search.date_from, first_allowed), min(search.date_to, last_allowed)
    rooms = _candidate_rooms(search)
    if first > last or not rooms:
        return []
    results: list[Slot] = []
    per_venue: dict[int, int] = defaultdict(int)
    start = first
    while start <= last:
        end = min(start + timedelta(days=WINDOW_DAYS - 1), last)
        window = DiaryWindow([room for room, _d in rooms], start, end, search.exclude_booking_id)
        slots = sorted(
            _slots_in_window(search, rooms, window, now),
            key=lambda slot: (
                slot.starts_at,
                slot.room.venue.office_id != search.prefer_office_id,
                slot.distance_km or 0,
                slot.room.pk,
            ),
        )
        if search.one_per_time:
            slots = _first_per_time(slots)
        if search.order == "distance":
            for slot in slots:
                if per_venue[slot.room.venue_id] < search.per_venue:
                    per_venue[slot.room.venue_id] += 1
                    results.append(slot)
            rooms = [(room, d) for room, d in rooms if per_venue[room.venue_id] < search.per_venue]
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
    such slot is published or it is no longer free."""
    day = starts_at.astimezone(UK).date()
    search = SlotSearch(
        kind=kind,
        date_from=day,
        date_to=day,
        venue_ids=frozenset([room.venue_id]),
        limit=10_000,
        exclude_booking_id=exclude_booking_id,
        from_today=from_today,
    )
    for slot in find_slots(search):
        if slot.room.pk == room.pk and slot.starts_at == starts_at:
            return slot
    return None


def is_pattern_start(*, room: Room, starts_at: datetime, kind: str) -> bool:
    """Whether the room's weekly patterns make a `kind` slot starting at `starts_at`, free or not:
    tells a time that was never offered from one that has just been taken."""
    day = starts_at.astimezone(UK).date()
    return any(
        starts == starts_at
        for pattern in room.patterns.filter(kind=kind, weekday=day.weekday())
        for starts, _ends in pattern_times(pattern, day)
    )
