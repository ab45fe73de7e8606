"""The summary counts only what it must: a day summarised once is not counted again unless a
journey started on it has moved since (finished, decided by hand, made late), whose day is then
counted again as the page's definitions require (a journey counts on the day it started, however
late it finishes); a change stamped a little before the last run began but committed after it
is still seen; days that leave the page's window are dropped, and `full` counts every day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from identity.models import CaseDecision, IdentityCase
from performance.models import DayCount, FeedbackResponse, SummaryMark
from performance.services import CHANGE_GRACE, summarise_closed_days
from registrar.models import Registration
from tests.factories import RegistrationFactory, StaffFactory
from tests.performance.test_day_counts import NOW, days_ago, districts, every_view  # noqa: F401

pytestmark = pytest.mark.django_db


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def settled(districts):  # noqa: F811
    """The summary as a night's runs leave it: once when the rows were made, and again after the
    grace (which recounts the days of the rows just made), so that nothing is left to recount."""
    summarise_closed_days()
    with at(NOW + CHANGE_GRACE * 2):
        summarise_closed_days()


def live_views(leeds) -> list:
    kept = list(DayCount.objects.values_list("day", "journey", "district", "started", "finished", "responses"))
    DayCount.objects.all().delete()
    views = every_view(leeds)
    assert kept  # the summary was there to compare with
    return views


def test_a_day_summarised_once_is_not_counted_again(districts):  # noqa: F811
    settled(districts)
    tampered = DayCount.objects.get(day=days_ago(31).date(), journey="birth", district=None)
    DayCount.objects.filter(pk=tampered.pk).update(started=999)
    with at(NOW + CHANGE_GRACE * 4):
        assert summarise_closed_days() == 0
    # The next day: only the day just closed is counted; the tampered day is left as it was.
    with at(NOW + datetime.timedelta(days=1)):
        written = summarise_closed_days()
    assert written == DayCount.objects.filter(day=NOW.date()).count() > 0
    assert DayCount.objects.get(pk=tampered.pk).started == 999
    assert DayCount.objects.filter(day=NOW.date(), journey=DayCount.MESSAGES, district=None).exists()


def test_full_counts_every_day_again(districts):  # noqa: F811
    settled(districts)
    tampered = DayCount.objects.get(day=days_ago(31).date(), journey="birth", district=None)
    DayCount.objects.filter(pk=tampered.pk).update(started=999)
    with at(NOW + CHANGE_GRACE * 4):
        assert summarise_closed_days(full=True) == DayCount.objects.count()
    assert DayCount.objects.get(day=days_ago(31).date(), journey="birth", district=None).started == 3


def test_a_journey_finished_late_is_counted_again_on_the_day_it_started(districts):  # noqa: F811
    leeds, _york = districts
    settled(districts)
    with at(NOW + CHANGE_GRACE * 4):
        # As `move("register")` leaves it: the move stamps `updated_at` (Registration.MOVED_AT).
        late = Registration.objects.filter(district=leeds, status="draft", created_at__date=days_ago(40).date())
        assert late.update(status="registered", updated_at=timezone.now()) == 1
        written = summarise_closed_days()
        summarised = every_view(leeds)
    assert written == DayCount.objects.filter(day=days_ago(40).date()).count()
    assert summarised == live_views(leeds)
    births = next(series for series in summarised[0].journeys if series.journey == "birth").overall
    assert (births.started, births.finished) == (27, 19)


def test_a_case_decided_by_a_registrar_later_is_counted_again(districts):  # noqa: F811
    leeds, _york = districts
    settled(districts)
    with at(NOW + CHANGE_GRACE * 4):
        case = IdentityCase.objects.get(reference="ID-S1")
        CaseDecision.objects.create(case=case, outcome="accept", reason="checked", decided_by=StaffFactory())
        assert summarise_closed_days() > 0
        summarised = every_view(leeds)
    checks = next(series for series in summarised[0].journeys if series.journey == "identity_check").overall
    assert checks.registrar_cases == 1
    assert summarised == live_views(leeds)


def test_a_row_committed_after_the_run_but_stamped_before_it_is_counted(districts):  # noqa: F811
    """A registration made at 23:59:50 whose transaction commits after the 00:00:30 run read the
    day: the next run looks back past its start by the grace, and counts that day again."""
    leeds, _york = districts
    settled(districts)
    midnight = datetime.datetime(2026, 11, 19, tzinfo=datetime.UTC)  # Europe/London is on UTC
    with at(midnight + datetime.timedelta(seconds=30)):
        summarise_closed_days()
    stamped = midnight - datetime.timedelta(seconds=10)
    late = RegistrationFactory(district=leeds, status="registered", event="birth")
    Registration.objects.filter(pk=late.pk).update(created_at=stamped, updated_at=stamped)
    with at(midnight + datetime.timedelta(minutes=5)):
        assert summarise_closed_days() > 0
        summarised = every_view(leeds)
        assert summarised == live_views(leeds)


def test_survey_answers_given_for_a_closed_day_are_counted(districts):  # noqa: F811
    leeds, _york = districts
    settled(districts)
    with at(NOW + CHANGE_GRACE * 4):
        FeedbackResponse.objects.create(journey="death", rating=5, given_on=days_ago(95).date())
        FeedbackResponse.objects.filter(given_on=days_ago(200).date()).delete()
        assert summarise_closed_days() == DayCount.objects.filter(day__in=[days_ago(95), days_ago(200)]).count()
        summarised = every_view(leeds)
        assert summarised == live_views(leeds)


def test_days_that_leave_the_window_are_dropped(districts):  # noqa: F811
    settled(districts)
    assert DayCount.objects.filter(day__lt=datetime.date(2026, 1, 1)).exists()
    with at(NOW + datetime.timedelta(days=30)):  # 18 December: the window starts on 1 January
        summarise_closed_days()
    assert not DayCount.objects.filter(day__lt=datetime.date(2026, 1, 1)).exists()
    assert DayCount.objects.filter(day=datetime.date(2026, 12, 17), journey=DayCount.MESSAGES).exists()


def test_the_mark_is_kept_and_runs_look_in_a_few_queries(districts, django_assert_max_num_queries):  # noqa: F811
    settled(districts)
    assert SummaryMark.objects.get().looked_at == NOW + CHANGE_GRACE * 2
    with at(NOW + CHANGE_GRACE * 4), django_assert_max_num_queries(16):
        assert summarise_closed_days() == 0  # nothing changed: it only looks
    with at(NOW + datetime.timedelta(days=1)), django_assert_max_num_queries(24):
        assert summarise_closed_days() > 0  # one day closed: counted by one query per journey


def test_the_beat_recounts_every_day_once_a_night_for_changes_no_row_stamps(districts, settings):  # noqa: F811
    from performance import tasks

    nightly = settings.CELERY_BEAT_SCHEDULE["recount-performance-days"]
    assert nightly["task"] == "performance.tasks.summarise_closed_days"
    assert nightly["kwargs"] == {"full": True}
    assert nightly["schedule"].hour == {3}
    settled(districts)
    # A change no row stamps (as a booking moved to another office's room leaves it): only the
    # nightly recount puts it right.
    tampered = DayCount.objects.get(day=days_ago(31).date(), journey="birth", district=None)
    DayCount.objects.filter(pk=tampered.pk).update(started=999)
    with at(NOW + CHANGE_GRACE * 4):
        assert tasks.summarise_closed_days() == 0
        assert DayCount.objects.get(pk=tampered.pk).started == 999
        assert tasks.summarise_closed_days(**nightly["kwargs"]) == DayCount.objects.count()
    assert DayCount.objects.get(day=days_ago(31).date(), journey="birth", district=None).started == 3
