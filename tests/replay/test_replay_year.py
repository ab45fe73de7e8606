"""`manage.py replay_year` at a tiny scale on SQLite: every kind through the services, the
invariants hold, a rerun adds nothing, a stopped run resumes to the same totals, and the
invariant checks fail on a constructed gap, double booking or missing copy."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from booking.models import Booking, Party
from certificates.models import Certificate, CertificateOrder
from registrar.models import Notice, RegisterEntry
from replay import invariants
from replay.models import ReplayProgress
from replay.people import DOMAIN
from replay.plan import plan

# Real commits: certificates are made by tasks enqueued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

# A tiny fraction of a year: one day with 4 births, 3 deaths, 1 ceremony and 8 copies.
SCALE = "0.000006"


def replay(*extra) -> str:
    out = io.StringIO()
    call_command(
        "replay_year", "--scale", SCALE, "--seed", "7", "--every", "5", "--drain-seconds", "30", *extra, stdout=out
    )
    return out.getvalue()


def totals() -> dict[str, int]:
    return {
        "births": RegisterEntry.objects.filter(event="birth", registration__informant__email__endswith=DOMAIN).count(),
        "deaths": RegisterEntry.objects.filter(event="death", registration__informant__email__endswith=DOMAIN).count(),
        "ceremonies": Booking.objects.filter(kind="ceremony", status__in=Booking.BOOKED).count(),
        "notices": Notice.objects.filter(status="sent").count(),
        "copies": Certificate.objects.filter(order__person__email__endswith=DOMAIN).count(),
    }


def planned() -> dict[str, int]:
    the_plan = plan(float(SCALE))
    return {
        "births": the_plan.total("birth"),
        "deaths": the_plan.total("death"),
        "ceremonies": the_plan.total("ceremony"),
        "notices": the_plan.total("notice"),
        "copies": the_plan.total("copy"),
    }


def test_the_plan_spreads_a_week_of_national_volume_over_seven_days():
    week = plan(0.0192)
    assert week.days == 7
    assert week.total("birth") == 11_520 and week.total("ceremony") == 4_416 and week.total("notice") == 8_832
    assert max(week.per_day["copy"]) - min(week.per_day["copy"]) <= 1


def test_a_tiny_replay_drives_every_kind_through_the_services_and_the_invariants_hold(offices):
    output = replay()
    assert all(planned().values())
    assert totals() == planned()
    # Registered by the service, numbered in their district's register.
    entry = RegisterEntry.objects.filter(registration__informant__email__endswith=DOMAIN).first()
    assert entry.registration.status == "registered"
    assert Party.objects.filter(booking__kind="ceremony").count() == 2 * planned()["ceremonies"]
    assert not CertificateOrder.objects.filter(status="paid").exists()
    assert "entry numbers consecutive: ok" in output
    assert "no double booking: ok" in output
    assert "one certificate per copy: ok" in output
    assert "cores on average" in output and "per registration" in output


def test_a_rerun_adds_nothing(offices):
    replay()
    before = totals()
    replay()
    assert totals() == before
    assert all(row.done == row.planned for row in ReplayProgress.objects.all())


def test_a_stopped_replay_resumes_to_the_same_totals(offices):
    output = replay("--stop-after", "5")
    assert "Stopped after 5 items" in output
    assert sum(row.done for row in ReplayProgress.objects.exclude(kind="notice")) < sum(planned().values())
    replay()
    assert totals() == planned()


def test_the_number_check_finds_a_gap_and_a_repeat():
    assert invariants.number_problems([(("E-LEEDS", "birth", 2026), [1, 2, 3])]) == []
    assert invariants.number_problems([(("E-LEEDS", "birth", 2026), [1, 2, 4])])
    assert invariants.number_problems([(("E-LEEDS", "birth", 2026), [1, 2, 2])])


def test_the_number_check_reads_a_gap_out_of_the_register(offices):
    replay()
    assert invariants.entry_number_problems() == []
    entry = RegisterEntry.objects.filter(registration__informant__email__endswith=DOMAIN).order_by("number").first()
    # The register is write-once; the constructed gap is made behind its back, in SQL (on
    # PostgreSQL with its write-once trigger stood aside for this session only).
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if on_postgres:
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                f"UPDATE {RegisterEntry._meta.db_table} SET number = number + 1000 WHERE id = %s", [entry.pk]
            )
        finally:
            if on_postgres:
                cursor.execute("SET session_replication_role = DEFAULT")
    assert invariants.entry_number_problems()


def test_the_booking_check_finds_a_double_booking():
    nine = datetime(2027, 6, 5, 9)
    assert invariants.overlap_problems([("room 1", nine, nine + timedelta(hours=1), 1)]) == []
    assert invariants.overlap_problems(
        [
            ("room 1", nine, nine + timedelta(hours=1), 1),
            ("room 1", nine + timedelta(minutes=30), nine + timedelta(hours=2), 2),
        ]
    )
    assert not invariants.overlap_problems(
        [("room 1", nine, nine + timedelta(hours=1), 1), ("room 2", nine, nine + timedelta(hours=1), 2)]
    )


def test_the_copy_check_finds_a_missing_or_repeated_copy():
    assert invariants.copy_problems([(1, "issued", 2, [1, 2])]) == []
    assert invariants.copy_problems([(1, "issued", 2, [1])])
    assert invariants.copy_problems([(1, "issued", 2, [1, 1, 2])])
    assert invariants.copy_problems([(1, "paid", 1, [])])


def test_a_scale_of_nothing_is_refused():
    with pytest.raises(CommandError):
        call_command("replay_year", "--scale", "0", stdout=io.StringIO())
