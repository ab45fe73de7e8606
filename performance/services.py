"""Writes of the performance app: recording an answer to the survey, and the summary of closed
days the performance page adds up."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.windows import over_any_limit

from .models import DayCount, FeedbackResponse, Journey, SummaryMark
from .refusals import PerformanceRefused
from .selectors import (
    JOURNEYS,
    changed_days,
    journey_day_counts,
    message_days,
    summarised_window,
    survey_and_message_day_counts,
    survey_day_totals,
)


def record_feedback(*, journey: str, rating: int, comment: str, client_address: str | None) -> FeedbackResponse:
    """Keeps one answer, and nothing about who gave it. The address is counted (hashed, in the
    cache, for a day at most) so that one client cannot flood the figures; it is never stored."""
    if journey not in Journey.values:
        raise ValueError(f"unknown journey {journey!r}")
    counted_as = hashlib.sha256((client_address or "unknown").encode()).hexdigest()[:32]
    if over_any_limit(f"performance:feedback:{counted_as}", settings.PERFORMANCE_FEEDBACK_LIMITS):
        raise PerformanceRefused("feedback_throttled")
    return FeedbackResponse.objects.create(journey=journey, rating=rating, comment=comment.strip())


# A row is stamped with the time of a change before its transaction commits, so a change the
# last run could not yet see may bear a time a little before that run began; each run therefore
# also looks this far before the last one began (far longer than any request or task lasts:
# CELERY_TASK_TIME_LIMIT is 90 s).
CHANGE_GRACE = timedelta(minutes=10)


def _day_ranges(days: set[date]) -> list[tuple[date, date]]:
    """The days as [first, until) ranges of consecutive days, oldest first."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] == day:
            ranges[-1] = (ranges[-1][0], day + timedelta(days=1))
        else:
            ranges.append((day, day + timedelta(days=1)))
    return ranges


def days_to_summarise(*, first: date, until: date, since: datetime | None) -> set[date]:
    """The closed days in [first, until) that the next summary must count: those it lacks, and
    (when it last looked at `since`) those whose journeys, survey answers or messages have
    changed since, as the page counts a journey on the day it started however late it finishes.
    Every day when it has never looked."""
    every = {first + timedelta(days=n) for n in range((until - first).days)}
    if since is None:
        return every
    summarised = set(
        DayCount.objects.filter(journey=DayCount.MESSAGES, district=None, day__gte=first, day__lt=until).values_list(
            "day", flat=True
        )
    )
    days = every - summarised
    for definition in JOURNEYS.values():
        days |= changed_days(definition, since=since, first=first, until=until)
    # Survey answers keep only their day: a day is counted again when its answers are not those
    # summarised. Messages are counted on the day they were made.
    kept = dict(
        DayCount.objects.filter(district=None, day__gte=first, day__lt=until)
        .exclude(journey=DayCount.MESSAGES)
        .values_list("day")
        .annotate(n=Sum("responses"))
        .order_by()
    )
    answered = survey_day_totals(since=first, until=until)
    days |= {day for day in answered.keys() | kept.keys() if answered.get(day, 0) != kept.get(day, 0)}
    days |= message_days(made_since=since, first=first, until=until)
    return days & every


def summarise_closed_days(*, today: date | None = None, full: bool = False) -> int:
    """Counts the closed days of the window the page shows (to yesterday) that need it, by the
    page's own selectors, per district and nationally, and replaces those days of the summary
    with them in one transaction; returns the rows written. A day is counted when the summary
    lacks it or when a journey started on it has changed since the last run (a journey is
    counted on the day it started and may finish days later), and not otherwise; `full` counts
    every day again. Days that left the window are dropped. Safe to run twice, and runs one at
    a time (the mark is locked)."""
    first, until = summarised_window(today or timezone.localdate())
    began = timezone.now()
    with transaction.atomic():
        mark, _created = SummaryMark.objects.select_for_update().get_or_create(pk=1)
        since = None if full or mark.looked_at is None else mark.looked_at - CHANGE_GRACE
        days = days_to_summarise(first=first, until=until, since=since)
        rows = _count_days(days)
        DayCount.objects.filter(day__lt=first).delete()
        for since_day, until_day in _day_ranges(days):
            DayCount.objects.filter(day__gte=since_day, day__lt=until_day).delete()
        DayCount.objects.bulk_create(rows, batch_size=2000)
        mark.looked_at = began
        mark.save(update_fields=["looked_at"])
    return len(rows)


def _count_days(days: set[date]) -> list[DayCount]:
    """The summary's rows of these days: one query per journey and one for the survey and the
    messages per range of consecutive days."""
    rows: dict[tuple[date, str, int | None], DayCount] = {}

    def row(day: date, journey: str, district: int | None) -> DayCount:
        key = (day, journey, district)
        if key not in rows:
            rows[key] = DayCount(day=day, journey=journey, district_id=district)
        return rows[key]

    for first, until in _day_ranges(days):
        for key, definition in JOURNEYS.items():
            for (day, district), counts in journey_day_counts(
                definition, since=first, until=until, group=definition.district
            ).items():
                for into in (row(day, key, district), row(day, key, None)) if district else (row(day, key, None),):
                    for name, value in counts.items():
                        setattr(into, name, getattr(into, name) + value)
        day = first
        while day < until:
            row(day, DayCount.MESSAGES, None)  # written even when none were sent: the day is summarised
            day += timedelta(days=1)
        for (journey, day), (n, satisfied) in survey_and_message_day_counts(since=first, until=until).items():
            if journey == DayCount.MESSAGES:
                row(day, journey, None).messages = n
            else:
                found = row(day, journey, None)
                found.responses, found.satisfied = n, satisfied
    return list(rows.values())
