"""The summary of closed days: the figures the page adds up from it equal the figures counted
live from the tables, by month and by week, nationally and for a district; today is always
counted live; a journey finished after its day was summarised shows once the summary runs
again; a day the summary has not reached is counted live; and the task has a queue."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from identity.models import AssistedSession, ConsentCode, IdentityCase, OutboundMessage
from performance import tasks
from performance.models import DayCount, FeedbackResponse
from performance.selectors import performance_figures
from performance.services import summarise_closed_days
from registrar.models import Registration
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry
from tests.factories.certificates import paid_certificate_order

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 18, 11, tzinfo=datetime.UTC)


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    return (NOW - datetime.timedelta(days=days)).replace(hour=hour)


@pytest.fixture
def districts():
    """A year of journeys in two districts, some finished, some not, some on the phone, with
    survey answers and messages on days of their own; and some of them today."""
    leeds, york = RegisterOfficeFactory(code="E-LEEDS-S"), RegisterOfficeFactory(code="E-YORK-S")
    for days in (0, 1, 2, 9, 31, 40, 95, 200, 330):
        for district, status in ((leeds, "registered"), (leeds, "draft"), (york, "registered")):
            registration = RegistrationFactory(district=district, status=status, event="birth")
            Registration.objects.filter(pk=registration.pk).update(created_at=days_ago(days))
        RegistrationFactory(district=york, status="registered", event="death", made_by=StaffFactory())
        FeedbackResponse.objects.create(journey="birth", rating=5 if days % 2 else 2, given_on=days_ago(days).date())
        OutboundMessage.objects.create(
            key=f"m{days}", channel="email", to="x@example.com", body="b", created_at=days_ago(days, 23)
        )
    caller = UserFactory()
    consent = ConsentCode.objects.create(person=caller, code_hash="x" * 64, expires_at=NOW, used_at=NOW)
    AssistedSession.objects.create(
        staff=StaffFactory(), person=caller, consent=consent, opened_at=days_ago(3, 9), expires_at=days_ago(3, 12)
    )
    IdentityCase.objects.filter(pk=IdentityCase.objects.create(reference="ID-S1", person=caller).pk).update(
        created_at=days_ago(3, 9), submitted_at=days_ago(3, 10)
    )
    paid_certificate_order(make_entry(district=leeds, event_date=datetime.date(2026, 10, 1)))
    return leeds, york


def every_view(leeds):
    return [
        performance_figures(period_kind=kind, district=district)
        for kind in ("month", "week")
        for district in (None, leeds)
    ]


def test_the_summarised_figures_equal_the_live_ones(districts):
    leeds, _york = districts
    live = every_view(leeds)
    assert summarise_closed_days() > 0
    assert DayCount.objects.filter(journey=DayCount.MESSAGES, district=None).count() == 352  # 1 December to yesterday
    summarised = every_view(leeds)
    assert summarised == live
    births = next(series for series in summarised[0].journeys if series.journey == "birth").overall
    assert (births.started, births.finished, births.responses) == (27, 18, 9)


def test_today_is_counted_live_and_a_later_finish_shows_once_summarised_again(districts):
    leeds, _york = districts
    summarise_closed_days()
    RegistrationFactory(district=leeds, status="registered", event="birth")  # today
    yesterday = Registration.objects.filter(district=leeds, status="draft", created_at__date=days_ago(1).date())
    yesterday.update(status="registered")  # finished today, started yesterday
    before = performance_figures(district=leeds)
    summarise_closed_days()
    after = performance_figures(district=leeds)
    DayCount.objects.all().delete()
    live = performance_figures(district=leeds)

    def births(figures):
        return next(series for series in figures.journeys if series.journey == "birth").overall

    assert births(after) == births(live)
    assert births(before).started == births(live).started  # today's birth was counted live
    assert births(before).finished == births(live).finished - 1  # yesterday's finish waited for the task


def test_days_the_summary_has_not_reached_are_counted_live(districts):
    leeds, _york = districts
    live = every_view(leeds)
    summarise_closed_days()
    DayCount.objects.filter(day__gte=days_ago(40).date()).delete()
    assert every_view(leeds) == live


def test_the_summary_reads_one_query_and_counts_today_live_in_a_few(districts, django_assert_max_num_queries):
    leeds, _york = districts
    summarise_closed_days()
    with django_assert_max_num_queries(8):
        performance_figures()
    with django_assert_max_num_queries(8):
        performance_figures(district=leeds)


def test_running_the_task_twice_leaves_the_same_summary(districts):
    first = tasks.summarise_closed_days()
    rows = sorted(
        DayCount.objects.values_list("day", "journey", "district", "started", "finished", "messages"), key=str
    )
    # Inside the grace, the second run counts again the days of the journeys just made, only.
    assert 0 < tasks.summarise_closed_days() < first
    assert (
        sorted(DayCount.objects.values_list("day", "journey", "district", "started", "finished", "messages"), key=str)
        == rows
    )


def test_the_task_runs_on_the_beat_schedule_in_the_sweeps_queue():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "performance.tasks.summarise_closed_days" in scheduled
    assert settings.CELERY_TASK_ROUTES["performance.tasks.summarise_closed_days"] == "sweeps"
    assert timezone.now() == NOW
