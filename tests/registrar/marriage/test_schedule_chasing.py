"""Schedules not returned within SCHEDULE_RETURN_DAYS (21) of the ceremony are chased: on day 22
and after, not on day 20 or 21; once a day however often the task runs; counted on the schedule
and listed on the office dashboard and the schedules page, for the office's staff only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from identity.models import OutboundMessage
from registrar.marriage import rules, schedule_selectors
from registrar.models import Schedule
from registrar.tasks import marriage_schedules
from tests.factories import RegisterOfficeFactory
from tests.factories.identity import staff_session
from tests.factories.marriage_schedules import authorised_proposal, registrar

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, 0)), tick=False)


def _reminders(proposal):
    return OutboundMessage.objects.filter(key__contains=f"{proposal.reference}:schedule-reminder")


@pytest.mark.parametrize(("days_after", "chased"), [(20, False), (21, False), (22, True)])
def test_a_schedule_is_chased_only_after_its_21_days(days_after, chased):
    proposal = authorised_proposal(form="religious")
    day = schedule_selectors.ceremony_date(proposal)
    assert rules.schedule_return_by(day) == day + datetime.timedelta(days=21)
    with _at(day + datetime.timedelta(days=days_after)):
        assert marriage_schedules.chase_unreturned_schedules() == int(chased)
    assert _reminders(proposal).count() == (2 if chased else 0)
    assert Schedule.objects.get(proposal=proposal).reminders_sent == int(chased)


def test_a_civil_ceremony_not_registered_is_chased_from_its_booked_day():
    proposal = authorised_proposal()
    day = schedule_selectors.ceremony_date(proposal)
    with _at(day + datetime.timedelta(days=21), hour=23):
        assert marriage_schedules.chase_unreturned_schedules() == 0
    with _at(day + datetime.timedelta(days=22), hour=0):
        assert marriage_schedules.chase_unreturned_schedules() == 1


def test_reminders_go_once_a_day_and_are_counted():
    proposal = authorised_proposal(form="religious")
    day = schedule_selectors.ceremony_date(proposal)
    with _at(day + datetime.timedelta(days=22), hour=9):
        marriage_schedules.chase_unreturned_schedules()
    with _at(day + datetime.timedelta(days=22), hour=15):
        marriage_schedules.chase_unreturned_schedules()
    assert Schedule.objects.get(proposal=proposal).reminders_sent == 1
    assert _reminders(proposal).count() == 2
    with _at(day + datetime.timedelta(days=23)):
        marriage_schedules.chase_unreturned_schedules()
    assert Schedule.objects.get(proposal=proposal).reminders_sent == 2
    assert _reminders(proposal).count() == 4


def test_a_registered_schedule_is_not_chased():
    proposal = authorised_proposal(form="religious")
    Schedule.objects.filter(proposal=proposal).update(status=Schedule.Status.REGISTERED)
    day = schedule_selectors.ceremony_date(proposal)
    with _at(day + datetime.timedelta(days=30)):
        assert marriage_schedules.chase_unreturned_schedules() == 0
        assert marriage_schedules.chase_schedule(proposal.schedule.pk) is False


def test_unreturned_schedules_are_on_the_dashboard_and_the_list_for_their_office_only(client):
    proposal = authorised_proposal(form="religious")
    day = schedule_selectors.ceremony_date(proposal)
    staff = registrar(proposal.district)
    outsider = registrar(RegisterOfficeFactory())
    with _at(day + datetime.timedelta(days=22)):
        staff_session(client, staff)
        for url in (reverse("staff-dashboard:dashboard"), reverse("marriage-staff:schedules")):
            page = client.get(url)
            assert page.status_code == 200
            assert proposal.schedule.reference in page.content.decode()
        client.logout()
        staff_session(client, outsider)
        for url in (reverse("staff-dashboard:dashboard"), reverse("marriage-staff:schedules")):
            assert proposal.schedule.reference not in client.get(url).content.decode()
    with _at(day + datetime.timedelta(days=21)):
        staff_session(client, staff)
        assert proposal.schedule.reference not in client.get(reverse("marriage-staff:schedules")).content.decode()


def test_beat_runs_the_authority_and_the_chasing_tasks():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "registrar.tasks.marriage_schedules.issue_due_authorities",
        "registrar.tasks.marriage_schedules.chase_unreturned_schedules",
    ):
        assert name in scheduled and name in app.tasks
