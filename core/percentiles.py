"""Medians and other percentiles counted by the database, never in Python over a list: on
PostgreSQL with `percentile_cont`, on SQLite (which has none) with one `ORDER BY … LIMIT 2
OFFSET k` query per percentile, interpolating as `percentile_cont` does, so that both give the
same answers. `Seconds` turns the time between two moments into a number either can order."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.db import connection
from django.db.models import Aggregate, Expression, F, FloatField, Func, QuerySet


class Seconds(Func):
    """The seconds from `earlier` to `later` (two datetime expressions), as a float."""

    output_field = FloatField()

    def __init__(self, later: str | Expression, earlier: str | Expression) -> None:
        later = F(later) if isinstance(later, str) else later
        earlier = F(earlier) if isinstance(earlier, str) else earlier
        super().__init__(later, earlier)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)",
            arg_joiner=" - ",
            **extra,
        )


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile: the value at `fraction` of the ordered values,
    interpolated linearly between the two rows either side."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra) -> None:
        # A number the code chose, checked here, never a value from a request.
        if not 0 <= float(fraction) <= 1:
            raise ValueError("A percentile's fraction is from 0 to 1.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _check(fractions: Iterable[float]) -> list[float]:
    checked = [float(fraction) for fraction in fractions]
    if not checked or any(not 0 <= fraction <= 1 for fraction in checked):
        raise ValueError("Percentiles are asked for as fractions from 0 to 1, at least one.")
    return checked


def percentiles(
    queryset: QuerySet, expression: str | Expression, fractions: Iterable[float]
) -> dict[float, float | None]:
    """Each fraction's percentile (0.5 is the median) of `expression` over the rows of
    `queryset`, rows where it is null left out; None for every fraction when no row has one."""
    wanted = _check(fractions)
    value = F(expression) if isinstance(expression, str) else expression
    rows = queryset.order_by().annotate(percentile_value=value).filter(percentile_value__isnull=False)
    if connection.vendor == "postgresql":
        found = rows.aggregate(
            **{
                f"p{index}": PercentileCont("percentile_value", fraction=fraction)
                for index, fraction in enumerate(wanted)
            }
        )
        return {fraction: found[f"p{index}"] for index, fraction in enumerate(wanted)}
    ordered = rows.order_by("percentile_value").values_list("percentile_value", flat=True)
    count = ordered.count()
    if not count:
        return dict.fromkeys(wanted)
    answers: dict[float, float | None] = {}
    for fraction in wanted:
        position = (count - 1) * fraction
        below = math.floor(position)
        pair = [float(number) for number in ordered[below : below + 2]]
        above = pair[1] if len(pair) > 1 else pair[0]
        answers[fraction] = pair[0] + (position - below) * (above - pair[0])
    return answers
