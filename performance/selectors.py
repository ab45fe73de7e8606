"""The four key performance indicators of the GOV.UK Service Manual, for each journey, counted in
the database from the live tables: completion rate (journeys started, and of those finished),
digital take-up (finished online without help, with phone support, or by a registrar), user
satisfaction (from the survey) and cost per transaction (the cost model in settings over the
service's own counts), by month or by week, nationally or for one registration district."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from booking.models import Booking
from certificates.models import CertificateOrder
from identity.models import AssistedSession, CaseDecision, IdentityCase, OutboundMessage, RegisterOffice
from registrar.models import Notice, Registration

from .models import SATISFIED_RATINGS, DayCount, FeedbackResponse, Journey

PERIOD_KINDS = ("month", "week")
# How many periods the page shows: a year of months, a quarter of weeks.
PERIODS_SHOWN = {"month": 12, "week": 13}
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
PENNY = Decimal("0.01")
NEVER = Q(pk__isnull=True)


def _session_open_at(moment: str, person: str = "person") -> Exists:
    """Whether phone support had an assisted session open for the person at `moment` (a field of
    the row): the step that finished the journey was taken for them, on the phone."""
    return Exists(
        AssistedSession.objects.filter(
            person=OuterRef(person), opened_at__lte=OuterRef(moment), expires_at__gte=OuterRef(moment)
        ).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=OuterRef(moment)))
    )


@dataclass(frozen=True)
class JourneyDefinition:
    """What marks a journey's start and finish in its app's tables, and how it was done.

    `finished`, `by_phone_support`, `by_registrar` and `registrar_case` are conditions on one
    row (they may name the `annotations`). `registrar_case` is a case that took a registrar's
    time (costed at the staff minutes of the cost model); `pays` says a finished journey made one
    card payment. `changed_at` names the row's times stamped when anything the counts read is
    written (made, moved, finished, paid): a row none of them passes has not moved since then;
    `changed_by` adds a condition of rows elsewhere (such as a registrar's decision) by that time."""

    journey: str
    rows: Callable[[], QuerySet]
    started: str
    finished: Q
    by_phone_support: Q
    by_registrar: Q
    registrar_case: Q
    district: str
    changed_at: tuple[str, ...]
    annotations: Callable[[], dict] = dict
    pays: bool = False
    changed_by: Callable[[datetime], Q] = lambda since: NEVER


def _registration(event: str) -> JourneyDefinition:
    taken_by_staff = Q(made_by__isnull=False, assisted_session__isnull=True)
    return JourneyDefinition(
        journey=event,
        rows=lambda: Registration.objects.filter(event=event),
        started="created_at",
        finished=Q(status=Registration.Status.REGISTERED),
        # Phone support takes a registration inside an assisted session; a registrar at the
        # office takes it without one.
        by_phone_support=Q(assisted_session__isnull=False),
        by_registrar=taken_by_staff,
        # Registered by a registrar's decision (casework), or taken by one at the office.
        registrar_case=Q(status=Registration.Status.REGISTERED)
        & (Q(entry__registered_automatically=False) | taken_by_staff),
        district="district",
        # Every move stamps `updated_at` (Registration.MOVED_AT), registering included.
        changed_at=("created_at", "updated_at"),
    )


JOURNEYS: dict[str, JourneyDefinition] = {
    Journey.BIRTH: _registration("birth"),
    Journey.DEATH: _registration("death"),
    # Giving notice online ends when the notice is sent; the interview that follows is a
    # registrar's time on it.
    Journey.NOTICE: JourneyDefinition(
        journey=Journey.NOTICE,
        rows=Notice.objects.all,
        started="created_at",
        finished=Q(sent_at__isnull=False),
        annotations=lambda: {"phone_support": _session_open_at("sent_at")},
        by_phone_support=Q(phone_support=True),
        by_registrar=NEVER,
        registrar_case=Q(status=Notice.Status.GIVEN),
        district="office",
        # Sending and giving (which sets the office) stamp `updated_at`.
        changed_at=("created_at", "updated_at", "sent_at"),
    ),
    # A ceremony is booked once its hold is turned into a booking (`confirmed_at` is set then).
    Journey.CEREMONY_BOOKING: JourneyDefinition(
        journey=Journey.CEREMONY_BOOKING,
        rows=lambda: Booking.objects.filter(kind=Booking.Kind.CEREMONY),
        started="created_at",
        finished=Q(confirmed_at__isnull=False),
        annotations=lambda: {"phone_support": _session_open_at("confirmed_at")},
        by_phone_support=Q(phone_support=True),
        by_registrar=NEVER,
        registrar_case=NEVER,
        district="room__venue__office",
        changed_at=("created_at", "confirmed_at", "cancelled_at"),
    ),
    # An order is finished when it is paid: one successful card payment (a constraint says so).
    Journey.CERTIFICATE_ORDER: JourneyDefinition(
        journey=Journey.CERTIFICATE_ORDER,
        rows=CertificateOrder.objects.all,
        started="created_at",
        finished=Q(paid_at__isnull=False),
        annotations=lambda: {"phone_support": _session_open_at("paid_at")},
        by_phone_support=Q(phone_support=True),
        by_registrar=NEVER,
        registrar_case=NEVER,
        district="entry__district",
        changed_at=("created_at", "paid_at"),
        pays=True,
    ),
    # The person's part of an identity check ends when they submit it; a registrar deciding it
    # by hand is a registrar's case.
    Journey.IDENTITY_CHECK: JourneyDefinition(
        journey=Journey.IDENTITY_CHECK,
        rows=IdentityCase.objects.all,
        started="created_at",
        finished=Q(submitted_at__isnull=False),
        annotations=lambda: {
            "phone_support": _session_open_at("submitted_at"),
            "decided_by_hand": Exists(CaseDecision.objects.filter(case=OuterRef("pk"))),
        },
        by_phone_support=Q(phone_support=True),
        by_registrar=NEVER,
        registrar_case=Q(decided_by_hand=True),
        district="office",
        changed_at=("created_at", "submitted_at", "decided_at"),
        changed_by=lambda since: Q(pk__in=CaseDecision.objects.filter(decided_at__gte=since).values("case")),
    ),
}


@dataclass(frozen=True)
class CostModel:
    infrastructure_per_month: Decimal
    staff_minutes_per_registrar_case: int
    staff_cost_per_hour: Decimal
    payment_fee: Decimal
    message_fee: Decimal

    @classmethod
    def from_settings(cls) -> CostModel:
        model = settings.PERFORMANCE_COST_MODEL
        return cls(
            infrastructure_per_month=Decimal(str(model["infrastructure_per_month"])),
            staff_minutes_per_registrar_case=int(model["staff_minutes_per_registrar_case"]),
            staff_cost_per_hour=Decimal(str(model["staff_cost_per_hour"])),
            payment_fee=Decimal(str(model["payment_fee"])),
            message_fee=Decimal(str(model["message_fee"])),
        )

    def infrastructure(self, period_kind: str) -> Decimal:
        if period_kind == "week":
            return self.infrastructure_per_month / WEEKS_PER_MONTH
        return self.infrastructure_per_month

    @property
    def registrar_case_cost(self) -> Decimal:
        return self.staff_cost_per_hour * self.staff_minutes_per_registrar_case / 60


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """One journey's counts for one period (or for all the periods shown), and its four KPIs."""

    journey: str
    period: date | None
    started: int = 0
    finished: int = 0
    by_phone_support: int = 0
    by_registrar: int = 0
    registrar_cases: int = 0
    payments: int = 0
    responses: int = 0
    satisfied: int = 0
    cost: Decimal = Decimal(0)

    @property
    def online(self) -> int:
        """Finished online by the person themselves, without help."""
        return self.finished - self.by_phone_support - self.by_registrar

    @property
    def completion_rate(self) -> Decimal | None:
        return _percent(self.finished, self.started)

    @property
    def digital_take_up(self) -> Decimal | None:
        return _percent(self.online, self.finished)

    @property
    def phone_support_share(self) -> Decimal | None:
        return _percent(self.by_phone_support, self.finished)

    @property
    def registrar_share(self) -> Decimal | None:
        return _percent(self.by_registrar, self.finished)

    @property
    def satisfaction(self) -> Decimal | None:
        return _percent(self.satisfied, self.responses)

    @property
    def cost_per_transaction(self) -> Decimal | None:
        if not self.finished:
            return None
        return (self.cost / self.finished).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class JourneySeries:
    journey: str
    label: str
    periods: list[Figures]
    overall: Figures


@dataclass(frozen=True)
class PerformanceFigures:
    period_kind: str
    periods: list[date]
    district: RegisterOffice | None
    journeys: list[JourneySeries]
    cost_model: CostModel
    # The costs shared by every transaction, per period: infrastructure and messages sent.
    messages: dict[date, int] = field(default_factory=dict)
    transactions: dict[date, int] = field(default_factory=dict)


def period_starts(period_kind: str, *, today: date | None = None) -> list[date]:
    """The first day of each period shown, oldest first, ending with the current one."""
    today = today or timezone.localdate()
    count = PERIODS_SHOWN[period_kind]
    if period_kind == "week":
        this_week = today - timedelta(days=today.weekday())
        return [this_week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]
    starts = []
    year, month = today.year, today.month
    for _back in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _period_end(period_kind: str, start: date) -> date:
    if period_kind == "week":
        return start + timedelta(weeks=1)
    return date(start.year + (start.month == 12), start.month % 12 + 1, 1)


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


COUNT_NAMES = ("started", "finished", "by_phone_support", "by_registrar", "registrar_cases")
SUMMARY_EXTRAS = ("responses", "satisfied", "messages")


def _local_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def journey_day_counts(
    definition: JourneyDefinition, *, since: date, until: date, group: str | Expression | None = None
) -> dict[tuple[date, object], dict[str, int]]:
    """One query: the journey's counts per day it was started in [since, until), and per `group`
    (a field or an expression of the row, such as its district) when given."""
    rows = definition.rows().filter(
        **{f"{definition.started}__gte": _moment(since), f"{definition.started}__lt": _moment(until)}
    )
    finished = definition.finished
    phone = finished & definition.by_phone_support
    registrar = finished & definition.by_registrar & ~definition.by_phone_support
    keys = {
        "day": _local_day(definition.started),
        "group": group if group is not None else Value(None, output_field=IntegerField()),
    }
    if isinstance(group, str):
        keys["group"] = F(group)
    counted = (
        rows.annotate(**definition.annotations())
        .annotate(**keys)
        .values("day", "group")
        .annotate(
            n_started=Count("pk"),
            n_finished=Count("pk", filter=finished),
            n_phone=Count("pk", filter=phone),
            n_registrar=Count("pk", filter=registrar),
            n_cases=Count("pk", filter=definition.registrar_case),
        )
        .order_by()
    )
    return {
        (row["day"], row["group"]): {
            "started": row["n_started"],
            "finished": row["n_finished"],
            "by_phone_support": row["n_phone"],
            "by_registrar": row["n_registrar"],
            "registrar_cases": row["n_cases"],
        }
        for row in counted
    }


def changed_days(definition: JourneyDefinition, *, since: datetime, first: date, until: date) -> set[date]:
    """One query: the days in [first, until) on which journeys were started that have changed
    since `since` (made, moved or finished then, or decided by a registrar then)."""
    changed = definition.changed_by(since)
    for name in definition.changed_at:
        changed |= Q(**{f"{name}__gte": since})
    rows = definition.rows().filter(
        changed, **{f"{definition.started}__gte": _moment(first), f"{definition.started}__lt": _moment(until)}
    )
    return set(rows.annotate(day=_local_day(definition.started)).values_list("day", flat=True).distinct().order_by())


def survey_day_totals(*, since: date, until: date) -> dict[date, int]:
    """One query: the survey answers given per day in [since, until)."""
    answers = FeedbackResponse.objects.filter(given_on__gte=since, given_on__lt=until)
    return dict(answers.values_list("given_on").annotate(n=Count("pk")).order_by())


def message_days(*, made_since: datetime, first: date, until: date) -> set[date]:
    """One query: the days in [first, until) with messages made since `made_since`."""
    made = OutboundMessage.objects.filter(
        created_at__gte=max(made_since, _moment(first)), created_at__lt=_moment(until)
    )
    return set(made.annotate(day=_local_day("created_at")).values_list("day", flat=True).distinct().order_by())


def survey_and_message_day_counts(*, since: date, until: date) -> dict[tuple[str, date], tuple[int, int]]:
    """One query: per journey and day in [since, until), (survey answers, satisfied answers);
    and per day, under DayCount.MESSAGES, (messages sent, 0)."""
    survey = (
        FeedbackResponse.objects.filter(given_on__gte=since, given_on__lt=until)
        .values_list("journey", "given_on")
        .annotate(n=Count("pk"), n_satisfied=Count("pk", filter=Q(rating__in=list(SATISFIED_RATINGS))))
        .order_by()
    )
    messages = (
        OutboundMessage.objects.filter(created_at__gte=_moment(since), created_at__lt=_moment(until))
        .annotate(kind=Value(DayCount.MESSAGES, output_field=CharField()), day=_local_day("created_at"))
        .values_list("kind", "day")
        .annotate(n=Count("pk"), n_satisfied=Value(0, output_field=IntegerField()))
        .order_by()
    )
    return {(journey, day): (n, satisfied) for journey, day, n, satisfied in survey.union(messages, all=True)}


def summarised_window(today: date) -> tuple[date, date]:
    """The closed days the summary keeps: from the first day of the longest series shown to
    yesterday."""
    first = min(period_starts(kind, today=today)[0] for kind in PERIOD_KINDS)
    return first, today


@dataclass
class _Counted:
    """What the figures are made of, by day: journey counts for the district asked for (or
    nationally) and nationally, survey answers and messages sent (national only)."""

    local: dict[str, dict[date, dict[str, int]]] = field(default_factory=dict)
    national: dict[str, dict[date, dict[str, int]]] = field(default_factory=dict)
    survey: dict[tuple[str, date], dict[str, int]] = field(default_factory=dict)
    messages: dict[date, int] = field(default_factory=dict)

    def add(self, into: dict, journey: str, day: date, counts) -> None:
        found = into.setdefault(journey, {}).setdefault(day, dict.fromkeys(COUNT_NAMES, 0))
        for name in COUNT_NAMES:
            found[name] += counts[name] if isinstance(counts, dict) else getattr(counts, name)


def _counted_by_day(*, since: date, until: date, district: RegisterOffice | None, today: date) -> _Counted:
    """The closed days from the summary (one query), the rest (today, and any day the summary
    has not reached yet) counted live by the same selectors (one query per journey, and one for
    the survey and messages)."""
    counted = _Counted()
    rows = DayCount.objects.filter(day__gte=since, day__lt=min(until, today))
    rows = rows.filter(Q(district__isnull=True) | Q(district=district)) if district else rows.filter(district=None)
    # Plain rows, not model instances: a year of a district's and the nation's days is some
    # 2,500 rows, whose instances cost more than the query.
    rows = list(rows.values_list("day", "journey", "district_id", *COUNT_NAMES, *SUMMARY_EXTRAS, named=True))
    summarised = {row.day for row in rows if row.journey == DayCount.MESSAGES and row.district_id is None}
    through = since
    while through in summarised:
        through += timedelta(days=1)
    for row in rows:
        if row.day >= through:
            continue
        if row.journey == DayCount.MESSAGES:
            if row.messages:
                counted.messages[row.day] = row.messages
            continue
        if row.district_id is None:
            counted.add(counted.national, row.journey, row.day, row)
            if row.responses:
                counted.survey[(row.journey, row.day)] = {"responses": row.responses, "satisfied": row.satisfied}
        if district is None or row.district_id == district.pk:
            counted.add(counted.local, row.journey, row.day, row)
    if through >= until:
        return counted
    for key, definition in JOURNEYS.items():
        in_district = (
            Case(
                When(**{definition.district: district}, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            if district
            else None
        )
        for (day, local), counts in journey_day_counts(
            definition, since=through, until=until, group=in_district
        ).items():
            counted.add(counted.national, key, day, counts)
            if district is None or local:
                counted.add(counted.local, key, day, counts)
    for (journey, day), (n, satisfied) in survey_and_message_day_counts(since=through, until=until).items():
        if journey == DayCount.MESSAGES:
            counted.messages[day] = counted.messages.get(day, 0) + n
        else:
            counted.survey[(journey, day)] = {"responses": n, "satisfied": satisfied}
    return counted


def _period_of(period_kind: str, day: date) -> date:
    return day - timedelta(days=day.weekday()) if period_kind == "week" else day.replace(day=1)


def _by_period(period_kind: str, days: dict[date, dict[str, int]]) -> dict[date, dict[str, int]]:
    periods: dict[date, dict[str, int]] = {}
    for day, counts in days.items():
        found = periods.setdefault(_period_of(period_kind, day), dict.fromkeys(counts, 0))
        for name, value in counts.items():
            found[name] += value
    return periods


def performance_figures(
    *, period_kind: str = "month", district: RegisterOffice | None = None, today: date | None = None
) -> PerformanceFigures:
    """Every journey's four KPIs for each period shown and over all of them.

    Cost per transaction of a journey in a period =
        (infrastructure for the period + messages sent × message fee) ÷ all transactions finished
        in the period, nationally
      + (the journey's registrar cases × staff minutes ÷ 60 × cost per staff hour
         + the journey's payments × payment fee) ÷ the journey's transactions finished.
    Satisfaction is national only: the survey keeps no place, so it cannot be split by district."""
    if period_kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period {period_kind!r}")
    periods = period_starts(period_kind, today=today)
    since, until = periods[0], _period_end(period_kind, periods[-1])
    today = today or timezone.localdate()
    counted = _counted_by_day(since=since, until=until, district=district, today=today)
    counts = {key: _by_period(period_kind, counted.local.get(key, {})) for key in JOURNEYS}
    national = {key: _by_period(period_kind, counted.national.get(key, {})) for key in JOURNEYS}
    survey = {}
    for (journey, day), found in counted.survey.items():
        into = survey.setdefault((journey, _period_of(period_kind, day)), {"responses": 0, "satisfied": 0})
        into["responses"] += found["responses"]
        into["satisfied"] += found["satisfied"]
    messages: dict[date, int] = {}
    for day, n in counted.messages.items():
        messages[_period_of(period_kind, day)] = messages.get(_period_of(period_kind, day), 0) + n
    model = CostModel.from_settings()
    transactions = {
        period: sum(by_period.get(period, {}).get("finished", 0) for by_period in national.values())
        for period in periods
    }
    shared = {
        period: model.infrastructure(period_kind) + messages.get(period, 0) * model.message_fee for period in periods
    }

    series = []
    for key, definition in JOURNEYS.items():
        rows = []
        for period in periods:
            found = counts[key].get(period, {})
            finished = found.get("finished", 0)
            payments = finished if definition.pays else 0
            cost = (
                (shared[period] * finished / transactions[period] if transactions[period] else Decimal(0))
                + found.get("registrar_cases", 0) * model.registrar_case_cost
                + payments * model.payment_fee
            )
            rows.append(
                Figures(
                    journey=key,
                    period=period,
                    **found,
                    payments=payments,
                    **survey.get((key, period), {}),
                    cost=cost,
                )
            )
        overall = Figures(
            journey=key,
            period=None,
            **{
                name: sum(getattr(row, name) for row in rows)
                for name in (
                    "started",
                    "finished",
                    "by_phone_support",
                    "by_registrar",
                    "registrar_cases",
                    "payments",
                    "responses",
                    "satisfied",
                )
            },
            cost=sum((row.cost for row in rows), Decimal(0)),
        )
        series.append(JourneySeries(journey=key, label=str(Journey(key).label), periods=rows, overall=overall))
    return PerformanceFigures(
        period_kind=period_kind,
        periods=periods,
        district=district,
        journeys=series,
        cost_model=model,
        messages=messages,
        transactions=transactions,
    )
