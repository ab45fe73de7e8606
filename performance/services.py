"""Writes of the performance app: recording an answer to the survey, and the summary of closed
days the performance page adds up."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.windows import over_any_limit

from .models import DayCount, FeedbackResponse, Journey
from .refusals import PerformanceRefused
from .selectors import JOURNEYS, journey_day_counts, summarised_window, survey_and_message_day_counts


def record_feedback(*, journey: str, rating: int, comment: str, client_address: str | None) -> FeedbackResponse:
    """Keeps one answer, and nothing about who gave it. The address is counted (hashed, in the
    cache, for a day at most) so that one client cannot flood the figures; it is never stored."""
    if journey not in Journey.values:
        raise ValueError(f"unknown journey {journey!r}")
    counted_as = hashlib.sha256((client_address or "unknown").encode()).hexdigest()[:32]
    if over_any_limit(f"performance:feedback:{counted_as}", settings.PERFORMANCE_FEEDBACK_LIMITS):
        raise PerformanceRefused("feedback_throttled")
    return FeedbackResponse.objects.create(journey=journey, rating=rating, comment=comment.strip())


def summarise_closed_days(*, today: date | None = None) -> int:
    """Counts every closed day of the window the page shows (to yesterday) by the page's own
    selectors, per district and nationally, and replaces the summary with them in one
    transaction; returns the rows written. The whole window is counted again each time, not
    only the day just closed, because a journey is counted on the day it started and may finish
    days later: a closed day's figures are then at most one run old. Safe to run twice."""
    first, until = summarised_window(today or timezone.localdate())
    rows: dict[tuple[date, str, int | None], DayCount] = {}

    def row(day: date, journey: str, district: int | None) -> DayCount:
        key = (day, journey, district)
        if key not in rows:
            rows[key] = DayCount(day=day, journey=journey, district_id=district)
        return rows[key]

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
        day = date.fromordinal(day.toordinal() + 1)
    for (journey, day), (n, satisfied) in survey_and_message_day_counts(since=first, until=until).items():
        if journey == DayCount.MESSAGES:
            row(day, journey, None).messages = n
        else:
            found = row(day, journey, None)
            found.responses, found.satisfied = n, satisfied
    with transaction.atomic():
        DayCount.objects.all().delete()
        DayCount.objects.bulk_create(rows.values(), batch_size=2000)
    return len(rows)
