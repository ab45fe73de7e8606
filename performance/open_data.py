"""The open data files: births and deaths by month, registration district and sex, deaths by
week, region and sex (the ONS-style weekly series), and marriages and civil partnerships by
month and district — counted from the register (the service's own entries, by the date they
were registered; the historic paper registers are left out) in one query each, and published
only through `disclosure.protect`."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower, Trunc
from django.utils.translation import gettext_lazy as _

from identity.models import RegisterOffice
from registrar.models import Event, RegisterEntry

from .disclosure import NATIONAL, TOTAL, protect

SEXES = ("female", "male", "other")
PARTNERSHIPS = (Event.MARRIAGE, Event.CIVIL_PARTNERSHIP)
NATIONAL_NAME = "England and Wales"


def threshold() -> int:
    return settings.OPEN_DATA_MIN_COUNT


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    period: str  # "month" or "week"
    area: str  # "district" or "region"
    categories: tuple[str, ...]
    entries: Callable[[], QuerySet]
    category: Callable[[], object]  # an expression giving each entry's category
    # The same events are also published by region (a year of weeks adds up to the year's
    # regional totals), so each region's sum of districts counts as published too.
    also_by_region: bool = False


def _sex():
    sex = Lower(KeyTextTransform("sex", "particulars"))
    return Case(
        When(sex_text="female", then=Value("female")),
        When(sex_text="male", then=Value("male")),
        default=Value("other"),
        output_field=CharField(),
    ), {"sex_text": sex}


def _registered(*events: str) -> Callable[[], QuerySet]:
    return lambda: RegisterEntry.objects.filter(event__in=events, historic=False)


DATASETS: dict[str, Dataset] = {
    dataset.key: dataset
    for dataset in (
        Dataset(
            key="births-by-month",
            title=_("Births by month, registration district and sex"),
            description=_("Births registered each month, by the registration district and the child's sex."),
            period="month",
            area="district",
            categories=SEXES,
            entries=_registered(Event.BIRTH),
            category=_sex,
        ),
        Dataset(
            key="deaths-by-month",
            title=_("Deaths by month, registration district and sex"),
            description=_("Deaths registered each month, by the registration district and the sex of the person."),
            period="month",
            area="district",
            categories=SEXES,
            entries=_registered(Event.DEATH),
            category=_sex,
            also_by_region=True,
        ),
        Dataset(
            key="deaths-by-week",
            title=_("Deaths by week, region and sex"),
            description=_("Deaths registered each week (Monday to Sunday), by region of England and Wales and sex."),
            period="week",
            area="region",
            categories=SEXES,
            entries=_registered(Event.DEATH),
            category=_sex,
        ),
        Dataset(
            key="marriages-and-civil-partnerships-by-month",
            title=_("Marriages and civil partnerships by month and registration district"),
            description=_("Marriages and civil partnerships registered each month, by registration district."),
            period="month",
            area="district",
            categories=tuple(str(event) for event in PARTNERSHIPS),
            entries=_registered(*PARTNERSHIPS),
            category=lambda: (F("event"), {}),
        ),
    )
}


@dataclass(frozen=True)
class Publication:
    dataset: Dataset
    year: int
    threshold: int
    columns: list[str]
    rows: list[dict]


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _day(value) -> date:
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date() if isinstance(value, datetime) else value


def publication(key: str, *, year: int) -> Publication:
    """A dataset for one year, disclosure-controlled: one query for the counts, one for the names."""
    dataset = DATASETS[key]
    category, helpers = dataset.category()
    area_field = "district__code" if dataset.area == "district" else "district__region"
    counted = (
        dataset.entries()
        .filter(registered_at__gte=_moment(date(year, 1, 1)), registered_at__lt=_moment(date(year + 1, 1, 1)))
        .annotate(**helpers)
        .annotate(
            period=Trunc("registered_at", dataset.period, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)),
            category=category,
            area=F(area_field),
        )
        .values("period", "area", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_period: dict[date, dict[tuple[str, str], int]] = {}
    areas: set[str] = set()
    for row in counted:
        by_period.setdefault(_day(row["period"]), {})[(row["area"], row["category"])] = row["n"]
        areas.add(row["area"])
    # Every area counted in the year appears in every period, so that a missing row never says "none".
    ordered_areas = sorted(areas)
    regions: dict[str, list[str]] = {}
    if dataset.area == "district":
        names = {}
        for code, name, region in RegisterOffice.objects.filter(code__in=ordered_areas).values_list(
            "code", "name", "region"
        ):
            names[code] = name
            regions.setdefault(region, []).append(code)
    else:
        names = {area: area for area in ordered_areas}
    groups = list(regions.values()) if dataset.also_by_region else []
    names[NATIONAL] = NATIONAL_NAME
    minimum = threshold()
    rows = []
    for period in sorted(by_period):
        table = protect(
            by_period[period], areas=ordered_areas, categories=dataset.categories, threshold=minimum, groups=groups
        )
        for area in [*ordered_areas, NATIONAL]:
            rows.append(
                {
                    "period": period.isoformat(),
                    "area_code": area,
                    "area_name": names.get(area, area),
                    **{category: table.value(area, category) for category in dataset.categories},
                    TOTAL: table.value(area, TOTAL),
                }
            )
    columns = ["period", "area_code", "area_name", *dataset.categories, TOTAL]
    return Publication(dataset=dataset, year=year, threshold=minimum, columns=columns, rows=rows)


def as_json(published: Publication) -> dict:
    return {
        "dataset": published.dataset.key,
        "title": str(published.dataset.title),
        "year": published.year,
        "threshold": published.threshold,
        "columns": published.columns,
        "rows": published.rows,
    }
