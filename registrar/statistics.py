"""Open statistics of the service's own registrations (historic entries loaded from the paper
registers are left out): entries registered by month and event, marriages and civil partnerships
by registration district, marriages converted from civil partnerships, deaths registered after an
inquest, births re-registered, citizenship ceremonies, notices given, and the days from notice to
the ceremony. Counts only: nothing here names anybody."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import ExtractMonth

from .models import Event, Notice, Proposal, RegisterEntry, Schedule

PARTNERSHIP_EVENTS = (Event.MARRIAGE, Event.CIVIL_PARTNERSHIP)


@dataclass(frozen=True)
class MonthFigures:
    month: date
    births: int
    deaths: int
    marriages: int
    civil_partnerships: int
    converted: int
    marriage_notices: int
    partnership_notices: int
    # Deaths registered from a coroner's certificate after inquest: among the deaths, and apart.
    after_inquest: int
    # Citizenship ceremonies: entries in the citizenship register (people who took the oath or
    # affirmation and the pledge), by the month they were registered.
    citizenship_ceremonies: int = 0
    # Births re-registered (the new entries, not counted again among the births).
    reregistrations: int = 0
    # Still-births registered: a count only, like every figure here.
    stillbirths: int = 0


@dataclass(frozen=True)
class DistrictFigures:
    district: str
    welsh_name: str
    marriages: int
    civil_partnerships: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    months: list[MonthFigures]
    districts: list[DistrictFigures]
    totals: dict[str, int]
    median_days_notice_to_ceremony: dict[str, int | None]
    ceremonies_measured: dict[str, int]


def _by_month(queryset, field: str, *, group: str) -> dict[tuple[int, str], int]:
    rows = queryset.annotate(month=ExtractMonth(field)).values("month", group).annotate(count=Count("id"))
    return {(row["month"], row[group]): row["count"] for row in rows}


def _median_days(year: int) -> tuple[dict[str, int | None], dict[str, int]]:
    """Whole days from the later of the two notices to the ceremony, for the marriages and
    partnerships registered from a schedule in `year` (a conversion has no notice)."""
    rows = (
        Schedule.objects.filter(entry__isnull=False, entry__year=year, entry__historic=False)
        .annotate(last_notice=Max("proposal__notices__given_on"))
        .values_list("entry__event", "entry__event_date", "last_notice")
    )
    days: dict[str, list[int]] = {event: [] for event in PARTNERSHIP_EVENTS}
    for event, ceremony, last_notice in rows:
        if last_notice is not None and ceremony >= last_notice:
            days[event].append((ceremony - last_notice).days)
    medians = {str(event): (round(statistics.median(values)) if values else None) for event, values in days.items()}
    return medians, {str(event): len(values) for event, values in days.items()}


def year_figures(year: int) -> YearFigures:
    entries = RegisterEntry.objects.filter(historic=False, year=year).order_by()
    # A re-registration's new entry is the same birth again: counted apart, not as another birth.
    registered = _by_month(entries.filter(reregistration_of__isnull=True), "registered_at", group="event")
    reregistered = _by_month(entries.filter(reregistration_of__isnull=False), "registered_at", group="event")
    # Marriages converted from a civil partnership are counted among the marriages and apart.
    converted = _by_month(entries.filter(converted_from__isnull=False), "registered_at", group="event")
    notices = _by_month(Notice.objects.filter(given_on__year=year).order_by(), "given_on", group="proposal__kind")
    after_inquest = _by_month(entries.filter(coroner_certificate__isnull=False), "registered_at", group="event")
    months = [
        MonthFigures(
            month=date(year, month, 1),
            births=registered.get((month, Event.BIRTH), 0),
            deaths=registered.get((month, Event.DEATH), 0),
            marriages=registered.get((month, Event.MARRIAGE), 0),
            civil_partnerships=registered.get((month, Event.CIVIL_PARTNERSHIP), 0),
            converted=converted.get((month, Event.MARRIAGE), 0),
            marriage_notices=notices.get((month, Proposal.Kind.MARRIAGE), 0),
            partnership_notices=notices.get((month, Proposal.Kind.CIVIL_PARTNERSHIP), 0),
            citizenship_ceremonies=registered.get((month, Event.CITIZENSHIP), 0),
            after_inquest=after_inquest.get((month, Event.DEATH), 0),
            reregistrations=reregistered.get((month, Event.BIRTH), 0),
            stillbirths=registered.get((month, Event.STILLBIRTH), 0),
        )
        for month in range(1, 13)
    ]
    per_district: dict[tuple[str, str], dict[str, int]] = {}
    for row in (
        entries.filter(event__in=PARTNERSHIP_EVENTS)
        .values("district__name", "district__welsh_name", "event")
        .annotate(count=Count("id"))
    ):
        figures = per_district.setdefault((row["district__name"], row["district__welsh_name"]), {})
        figures[row["event"]] = row["count"]
    districts = [
        DistrictFigures(
            district=name,
            welsh_name=welsh,
            marriages=figures.get(Event.MARRIAGE, 0),
            civil_partnerships=figures.get(Event.CIVIL_PARTNERSHIP, 0),
        )
        for (name, welsh), figures in sorted(per_district.items())
    ]
    totals = {
        name: sum(getattr(month, name) for month in months)
        for name in (
            "births",
            "deaths",
            "marriages",
            "civil_partnerships",
            "converted",
            "marriage_notices",
            "partnership_notices",
            "citizenship_ceremonies",
            "after_inquest",
            "reregistrations",
            "stillbirths",
        )
    }
    medians, measured = _median_days(year)
    return YearFigures(
        year=year,
        months=months,
        districts=districts,
        totals=totals,
        median_days_notice_to_ceremony=medians,
        ceremonies_measured=measured,
    )
