"""The staff dashboard's figures for an office, several offices or England and Wales, over a
range of days: every event registered, bookings (room and officer utilisation, lead times,
cancellations), certificate orders (by status, time to issue) and identity checks (outcomes,
reasons, time with a registrar). Counts, sums and percentiles are worked out by the database;
only the weekly room patterns and the rota, which are small, are laid over the days here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import BankHoliday, Booking, Closure, Occupancy, OfficerAbsence, Room, RoomPattern, RotaShift
from booking.selectors.slots import UK
from certificates.models import CertificateOrder, Verification
from core.percentiles import Seconds, percentiles
from identity.case_display import reason_label
from identity.models import CaseDecision, IdentityCase, RegisterOffice, User
from identity.roles import is_national
from registrar.models import Event, RegisterEntry, Registration

WORK = "registrar.work_registrations"
# The events of the registers the offices keep, in the order the page lists them.
EVENTS = (Event.BIRTH, Event.DEATH, Event.STILLBIRTH, Event.MARRIAGE, Event.CIVIL_PARTNERSHIP)
# Up to this many days the events are counted day by day; beyond, week by week (from Monday).
DAILY_UP_TO_DAYS = 62
HOUR = 3600.0
DAY = 86400.0


@dataclass(frozen=True)
class Spread:
    """The median and a high percentile of a time, in the unit the page shows it in."""

    count: int
    median: float | None
    high: float | None
    high_percent: int


@dataclass(frozen=True)
class Utilisation:
    label: str
    booked_minutes: int
    available_minutes: int

    @property
    def share(self) -> float | None:
        return self.booked_minutes / self.available_minutes if self.available_minutes else None


@dataclass
class StaffDashboard:
    offices: list[RegisterOffice]
    national: bool
    first_day: date
    last_day: date
    by_week: bool
    periods: list[date]
    # event -> one count per period
    events: dict[str, list[int]]
    registered: int
    registered_automatically: int
    hours_to_entry: Spread
    near_deadline: list[Registration]
    bookings_made: dict[str, int]
    cancellations: dict[str, int]
    ceremony_lead_days: Spread
    rooms: list[Utilisation]
    officers: list[Utilisation]
    orders_by_status: list[tuple[str, int]]
    hours_to_issue: Spread
    verifications_by_outcome: list[tuple[str, int]]
    verifications_by_kind: list[tuple[str, int]]
    identity_outcomes: list[tuple[str, int]]
    identity_reasons: list[tuple[str, int]]
    hours_with_registrar: Spread
    warning_days: int = field(default_factory=lambda: settings.CASEWORK_DEADLINE_WARNING_DAYS)

    @property
    def automatic_share(self) -> float | None:
        return self.registered_automatically / self.registered if self.registered else None

    @property
    def event_totals(self) -> list[tuple[str, int]]:
        return [(str(Event(event).label), sum(self.events[event])) for event in EVENTS]

    @property
    def room_utilisation(self) -> Utilisation:
        return _total(_("All rooms"), self.rooms)

    @property
    def officer_utilisation(self) -> Utilisation:
        return _total(_("All officers on the rota"), self.officers)


def _total(label, rows: list[Utilisation]) -> Utilisation:
    return Utilisation(
        label=str(label),
        booked_minutes=sum(row.booked_minutes for row in rows),
        available_minutes=sum(row.available_minutes for row in rows),
    )


def dashboard_offices(user: User) -> QuerySet[RegisterOffice]:
    """The offices whose figures the staff member may see: their own, or every one for a
    national role."""
    return RegisterOffice.objects.all() if is_national(user) else user.offices.all()


def _spread(queryset: QuerySet, later: str, earlier: str, *, high: float, unit: float) -> Spread:
    rows = queryset.filter(**{f"{later}__isnull": False, f"{earlier}__isnull": False, f"{later}__gte": F(earlier)})
    found = percentiles(rows, Seconds(later, earlier), [0.5, high])
    count = rows.count()

    def shown(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / unit, 1)

    return Spread(count=count, median=shown(found[0.5]), high=shown(found[high]), high_percent=round(high * 100))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _closed(ranges: list[tuple[date, date]], day: date) -> bool:
    return any(starts <= day <= ends for starts, ends in ranges)


def _minutes(intervals: list[tuple[time, time]]) -> int:
    """The minutes covered by wall-clock intervals that may overlap, each minute counted once."""
    covered, end = 0, None
    for starts, ends in sorted(intervals):
        starts_m, ends_m = starts.hour * 60 + starts.minute, ends.hour * 60 + ends.minute
        if end is not None and starts_m < end:
            starts_m = end
        if ends_m > starts_m:
            covered += ends_m - starts_m
            end = ends_m
        end = max(end or 0, ends_m)
    return covered


def _slot_times(pattern: RoomPattern) -> list[tuple[time, time]]:
    slots = []
    start = datetime.combine(date(2000, 1, 3), pattern.opens)
    closes = datetime.combine(date(2000, 1, 3), pattern.closes)
    length = timedelta(minutes=pattern.duration_minutes)
    while start + length <= closes:
        slots.append((start.time(), (start + length).time()))
        start += length + timedelta(minutes=pattern.gap_minutes)
    return slots


def _room_utilisation(offices: QuerySet, days: list[date], since: datetime, until: datetime) -> list[Utilisation]:
    """Per room: the minutes booked (provisional or confirmed) over the minutes its weekly
    patterns offer as slots on the days shown, less closures and bank holidays."""
    rooms = list(Room.objects.filter(venue__office__in=offices).select_related("venue").order_by("venue__name", "name"))
    if not rooms:
        return []
    room_ids = [room.pk for room in rooms]
    holidays = set(BankHoliday.objects.filter(date__range=(days[0], days[-1])).values_list("date", flat=True))
    closed_venues, closed_rooms = defaultdict(list), defaultdict(list)
    for venue_id, room_id, starts_on, ends_on in Closure.objects.filter(
        venue__office__in=offices, starts_on__lte=days[-1], ends_on__gte=days[0]
    ).values_list("venue_id", "room_id", "starts_on", "ends_on"):
        (closed_rooms[room_id] if room_id else closed_venues[venue_id]).append((starts_on, ends_on))
    patterns = defaultdict(list)
    for pattern in RoomPattern.objects.filter(room_id__in=room_ids):
        patterns[(pattern.room_id, pattern.weekday)].append((pattern, _slot_times(pattern)))
    booked = dict(
        Booking.objects.filter(
            room_id__in=room_ids,
            kind__in=Booking.ROOM_KINDS,
            status__in=Booking.BOOKED,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .values("room_id")
        .annotate(seconds=Sum(Seconds("ends_at", "starts_at")))
        .values_list("room_id", "seconds")
    )
    rows = []
    for room in rooms:
        available = 0
        for day in days:
            if day in holidays or _closed(closed_venues[room.venue_id], day) or _closed(closed_rooms[room.pk], day):
                continue
            times = [
                slot
                for pattern, slots in patterns[(room.pk, day.weekday())]
                if not (pattern.valid_from and day < pattern.valid_from)
                and not (pattern.valid_until and day > pattern.valid_until)
                for slot in slots
            ]
            available += _minutes(times)
        rows.append(
            Utilisation(
                label=f"{room.name}, {room.venue.name}",
                booked_minutes=round((booked.get(room.pk) or 0) / 60),
                available_minutes=available,
            )
        )
    return rows


def _officer_utilisation(offices: QuerySet, days: list[date], since: datetime, until: datetime) -> list[Utilisation]:
    """Per officer on the rota of these offices: the minutes they spend at bookings there
    (provisional or confirmed) over the minutes of their shifts there on the days shown, less
    their leave and sickness and bank holidays. An officer on the rota of several offices shown
    is one row, named with those offices."""
    holidays = set(BankHoliday.objects.filter(date__range=(days[0], days[-1])).values_list("date", flat=True))
    shifts = list(
        RotaShift.objects.filter(office__in=offices, officer__is_active=True).values_list(
            "officer_id", "office__name", "weekday", "starts", "ends"
        )
    )
    officer_ids = {officer_id for officer_id, *_rest in shifts}
    absent = defaultdict(list)
    for officer_id, starts_on, ends_on in OfficerAbsence.objects.filter(
        officer_id__in=officer_ids, starts_on__lte=days[-1], ends_on__gte=days[0]
    ).values_list("officer_id", "starts_on", "ends_on"):
        absent[officer_id].append((starts_on, ends_on))
    rota_minutes: dict[int, int] = defaultdict(int)
    office_names: dict[int, set[str]] = defaultdict(set)
    by_weekday: dict[int, list[date]] = defaultdict(list)
    for day in days:
        if day not in holidays:
            by_weekday[day.weekday()].append(day)
    for officer_id, office_name, weekday, starts, ends in shifts:
        worked = [day for day in by_weekday[weekday] if not _closed(absent[officer_id], day)]
        rota_minutes[officer_id] += len(worked) * _minutes([(starts, ends)])
        office_names[officer_id].add(office_name)
    at_bookings = dict(
        Occupancy.objects.filter(
            officer_id__in=officer_ids,
            active=True,
            booking__status__in=Booking.BOOKED,
            venue__office__in=offices,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .values("officer_id")
        .annotate(seconds=Sum(Seconds("ends_at", "starts_at")))
        .values_list("officer_id", "seconds")
    )
    names = dict(User.objects.filter(pk__in=officer_ids).values_list("pk", "full_name"))
    return sorted(
        (
            Utilisation(
                label=f"{names[officer_id] or _('Officer')} ({', '.join(sorted(office_names[officer_id]))})",
                booked_minutes=round((at_bookings.get(officer_id) or 0) / 60),
                available_minutes=rota_minutes[officer_id],
            )
            for officer_id in officer_ids
            if rota_minutes[officer_id] or at_bookings.get(officer_id)
        ),
        key=lambda row: row.label,
    )


def _reason_counts(cases: QuerySet) -> list[tuple[str, int]]:
    """How many of the cases gave each reason code, counted by the database from the JSON lists."""
    # The inner query is Django's own compilation of `cases`; every value in it is a parameter.
    inner, params = cases.order_by().values("reasons").query.sql_with_params()
    if connection.vendor == "postgresql":
        sql = (
            "SELECT item, COUNT(*) FROM (" + inner + ") AS c, jsonb_array_elements_text(c.reasons) AS item "  # noqa: S608
            "WHERE jsonb_typeof(c.reasons) = 'array' GROUP BY item"
        )
    else:
        sql = "SELECT item.value, COUNT(*) FROM (" + inner + ") AS c, json_each(c.reasons) AS item GROUP BY item.value"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    in_words: dict[str, int] = defaultdict(int)
    for code, count in found:
        in_words[reason_label(str(code))] += count
    return sorted(in_words.items(), key=lambda item: (-item[1], item[0]))


def _by_label(queryset: QuerySet, column: str, choices) -> list[tuple[str, int]]:
    counts = dict(queryset.order_by().values(column).annotate(n=Count("id")).values_list(column, "n"))
    return [(str(label), counts[value]) for value, label in choices if counts.get(value)]


def staff_dashboard(*, user: User, first_day: date, last_day: date, office_code: str = "") -> StaffDashboard:
    """The figures for one of the staff member's offices (`office_code`), or all of them (every
    office for a national role), from `first_day` to `last_day` inclusive, in UK days."""
    if not user.has_perm(WORK):
        raise PermissionDenied
    offices = dashboard_offices(user)
    if office_code:
        offices = offices.filter(code=office_code)
        if not offices.exists():
            raise PermissionDenied
    since = datetime.combine(first_day, time(0), tzinfo=UK)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=UK)
    days = _days(first_day, last_day)
    by_week = len(days) > DAILY_UP_TO_DAYS

    entries = RegisterEntry.objects.filter(
        historic=False, district__in=offices, registered_at__gte=since, registered_at__lt=until
    )
    per_day = defaultdict(int)
    for event, day, count in (
        entries.filter(event__in=EVENTS)
        .annotate(day=TruncDate("registered_at", tzinfo=UK))
        .values("event", "day")
        .annotate(n=Count("id"))
        .values_list("event", "day", "n")
    ):
        per_day[(event, day)] = count
    periods = sorted({day - timedelta(days=day.weekday()) for day in days}) if by_week else days
    position = {period: index for index, period in enumerate(periods)}
    events = {event: [0] * len(periods) for event in EVENTS}
    for (event, day), count in per_day.items():
        period = day - timedelta(days=day.weekday()) if by_week else day
        if period in position:
            events[event][position[period]] += count

    from_registrations = entries.filter(registration__isnull=False)
    totals = from_registrations.aggregate(
        registered=Count("id"), automatic=Count("id", filter=Q(registered_automatically=True))
    )
    near_deadline = list(
        Registration.objects.select_related("district", "assigned_to")
        .filter(
            district__in=offices,
            status__in=Registration.IN_CASEWORK,
            deadline__lte=timezone.localdate() + timedelta(days=settings.CASEWORK_DEADLINE_WARNING_DAYS),
        )
        .order_by("deadline", "submitted_at", "id")[:100]
    )

    bookings = Booking.objects.filter(room__venue__office__in=offices)
    made = bookings.filter(created_at__gte=since, created_at__lt=until).exclude(
        status__in=[Booking.Status.HELD, Booking.Status.EXPIRED]
    )
    cancelled = bookings.filter(status=Booking.Status.CANCELLED, cancelled_at__gte=since, cancelled_at__lt=until)
    ceremonies = bookings.filter(
        kind=Booking.Kind.CEREMONY, status__in=Booking.BOOKED, starts_at__gte=since, starts_at__lt=until
    )

    orders = CertificateOrder.objects.filter(entry__district__in=offices)
    # Checks of documents from these offices; national figures also count the checks that found
    # no document of ours (they belong to no office).
    in_offices = (
        Q(district__in=offices) | Q(district__isnull=True)
        if is_national(user) and not office_code
        else Q(district__in=offices)
    )
    verifications = Verification.objects.filter(in_offices, checked_on__gte=first_day, checked_on__lte=last_day)
    cases = IdentityCase.objects.filter(office__in=offices, submitted_at__gte=since, submitted_at__lt=until)
    decided_by_registrar = IdentityCase.objects.filter(
        Exists(CaseDecision.objects.filter(case=OuterRef("pk"))),
        office__in=offices,
        decided_at__gte=since,
        decided_at__lt=until,
    )
    return StaffDashboard(
        offices=list(offices.order_by("name")),
        national=is_national(user) and not office_code,
        first_day=first_day,
        last_day=last_day,
        by_week=by_week,
        periods=periods,
        events=events,
        registered=totals["registered"],
        registered_automatically=totals["automatic"],
        hours_to_entry=_spread(from_registrations, "registered_at", "registration__submitted_at", high=0.9, unit=HOUR),
        near_deadline=near_deadline,
        bookings_made=dict(_by_label(made, "kind", Booking.Kind.choices)),
        cancellations=dict(_by_label(cancelled, "kind", Booking.Kind.choices)),
        ceremony_lead_days=_spread(ceremonies, "starts_at", "created_at", high=0.9, unit=DAY),
        rooms=_room_utilisation(offices, days, since, until),
        officers=_officer_utilisation(offices, days, since, until),
        orders_by_status=_by_label(
            orders.filter(created_at__gte=since, created_at__lt=until), "status", CertificateOrder.Status.choices
        ),
        hours_to_issue=_spread(
            orders.filter(issued_at__gte=since, issued_at__lt=until), "issued_at", "paid_at", high=0.95, unit=HOUR
        ),
        verifications_by_outcome=_by_label(verifications, "outcome", Verification.Outcome.choices),
        verifications_by_kind=_by_label(verifications, "kind", Verification.Kind.choices),
        identity_outcomes=_by_label(cases, "status", IdentityCase.Status.choices),
        identity_reasons=_reason_counts(cases),
        hours_with_registrar=_spread(decided_by_registrar, "decided_at", "submitted_at", high=0.9, unit=HOUR),
    )
