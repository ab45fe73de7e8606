"""Percentiles counted by the database give `percentile_cont`'s answers on both backends:
run on SQLite by default and on PostgreSQL with DATABASE_URL, the same expectations hold."""

from __future__ import annotations

import datetime
import statistics

import pytest
from django.db.models import F

from core.percentiles import PercentileCont, Seconds, percentiles
from identity.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)


def _people_waiting(minutes):
    """One person per wait: joined at START, verified their email `minutes` later (None: never)."""
    for wait in minutes:
        UserFactory(
            date_joined=START,
            email_verified_at=None if wait is None else START + datetime.timedelta(minutes=wait),
        )
    return Seconds("email_verified_at", "date_joined")


def test_the_median_and_the_ninetieth_percentile_interpolate_between_rows():
    waits = _people_waiting([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    found = percentiles(User.objects.all(), waits, [0.5, 0.9, 0.0, 1.0])
    assert found[0.5] == pytest.approx(5.5 * 60)
    assert found[0.9] == pytest.approx(9.1 * 60)
    assert found[0.0] == pytest.approx(60) and found[1.0] == pytest.approx(600)


def test_percentiles_agree_with_the_inclusive_method_on_uneven_data():
    minutes = [0.5, 2, 2, 3, 17, 40, 41, 95, 1440, 3000, 7]
    waits = _people_waiting(minutes)
    found = percentiles(User.objects.all(), waits, [0.5, 0.9, 0.95])
    cuts = statistics.quantiles([m * 60 for m in minutes], n=20, method="inclusive")
    assert found[0.5] == pytest.approx(statistics.median(m * 60 for m in minutes))
    assert found[0.9] == pytest.approx(cuts[17])
    assert found[0.95] == pytest.approx(cuts[18])


def test_rows_without_a_value_are_left_out_and_nothing_gives_none():
    assert percentiles(User.objects.all(), Seconds("email_verified_at", "date_joined"), [0.5]) == {0.5: None}
    waits = _people_waiting([None, None, 30])
    assert percentiles(User.objects.all(), waits, [0.5, 0.9]) == {0.5: pytest.approx(1800), 0.9: pytest.approx(1800)}


def test_only_the_rows_of_the_queryset_count():
    waits = _people_waiting([1, 2, 3])
    UserFactory(date_joined=START, email_verified_at=START + datetime.timedelta(minutes=1000), is_staff=True)
    assert percentiles(User.objects.filter(is_staff=False), waits, [0.5]) == {0.5: pytest.approx(120)}


def test_one_query_per_percentile_at_most(django_assert_max_num_queries):
    waits = _people_waiting(range(50))
    with django_assert_max_num_queries(3):
        percentiles(User.objects.all(), waits, [0.5, 0.9])


@pytest.mark.parametrize("fractions", [[], [1.5], [-0.1]])
def test_a_fraction_outside_nought_to_one_is_refused(fractions):
    with pytest.raises(ValueError):
        percentiles(User.objects.all(), F("date_joined"), fractions)
    with pytest.raises(ValueError):
        PercentileCont("date_joined", fraction=2)
