"""Registering marriages on PostgreSQL: ceremonies registered at the same moment in one district
get consecutive numbers, and one schedule registered twice at once (the page and the API, a
double submit) writes one entry: the schedule row is locked and the second is refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from registrar.marriage import schedule_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import RegisterEntry, Schedule
from tests.factories.booking import book_ceremony, ceremony_slots
from tests.factories.marriage_schedules import authorised_proposal, registrar

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _record():
    return schedule_services.DayRecord(
        ceremony_date=timezone.localdate(),
        ceremony_place="Leeds Register Office",
        officiants=[{"name": "Gwen Super", "role": "Superintendent registrar"}, {"name": "Rhian", "role": "Registrar"}],
        witnesses=["Alun Witness", "Bethan Witness"],
        signed=True,
    )


def _in_parallel(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except MarriageRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_parallel_ceremonies_in_one_district_get_consecutive_numbers_on_postgres():
    first = authorised_proposal()
    slots = ceremony_slots(first.district, days_ahead=60)
    proposals = [first] + [authorised_proposal(ceremony=book_ceremony(slot)) for slot in slots[1:6]]
    staff = registrar(first.district)
    outcomes = _in_parallel(
        [
            lambda p=p: (
                schedule_services.register_schedule(
                    schedule=Schedule.objects.get(proposal=p), record=_record(), actor=staff, route="ceremony"
                ).number
            )
            for p in proposals
        ]
    )
    assert sorted(outcomes) == list(range(1, len(proposals) + 1))
    numbers = RegisterEntry.objects.filter(district=first.district, event="marriage").values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, len(proposals) + 1))


def test_one_schedule_registered_twice_at_once_writes_one_entry_on_postgres():
    proposal = authorised_proposal()
    staff = registrar(proposal.district)
    schedule = Schedule.objects.get(proposal=proposal)
    outcomes = _in_parallel(
        [
            lambda route=route: (
                schedule_services.register_schedule(
                    schedule=schedule, record=_record(), actor=staff, route=route
                ).entry_reference
            )
            for route in ("ceremony", "paper", "ceremony", "paper")
        ]
    )
    assert outcomes.count("already_registered") == 3
    assert RegisterEntry.objects.filter(district=proposal.district).count() == 1
    assert Schedule.objects.get(pk=schedule.pk).entry is not None
