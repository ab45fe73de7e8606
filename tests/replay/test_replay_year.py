"""`manage.py replay_year` at a tiny scale: every kind through the services, in one process or
dealt to two, the invariants hold, a rerun adds nothing, a stopped run resumes to the same totals
(with the processes it started with), the progress shows on stderr, and the invariant checks fail
on a constructed gap, double booking or missing copy."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from booking.models import Booking, Party
from certificates.models import Certificate, CertificateOrder
from registrar.models import Notice, RegisterEntry
from replay import driver, invariants
from replay.models import ReplayProgress
from replay.people import DOMAIN
from replay.plan import plan
from replay.progress import Progress

# Real commits: certificates are made by tasks enqueued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

# A tiny fraction of a year: one day with 4 births, 3 deaths, 1 ceremony and 8 copies.
SCALE = "0.000006"


def replay(*extra, stderr: io.StringIO | None = None) -> str:
    out = io.StringIO()
    call_command(
        "replay_year",
        "--scale",
        SCALE,
        "--seed",
        "7",
        "--every",
        "5",
        "--drain-seconds",
        "30",
        *extra,
        stdout=out,
        stderr=stderr or io.StringIO(),
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
    stderr = io.StringIO()
    output = replay(stderr=stderr)
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
    # Its progress, on stderr (not a terminal here): plain lines, the last one at the total.
    total = sum(planned()[kind] for kind in ("births", "deaths", "ceremonies", "copies"))
    lines = stderr.getvalue().splitlines()
    assert lines and all(" items (" in line and "items/s" in line for line in lines)
    assert lines[-1].startswith(f"{total}/{total} items (100%)")
    assert "\r" not in stderr.getvalue() and "items (" not in output


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


def test_a_replay_dealt_to_two_processes_does_every_item_once_carries_on_only_with_two_and_holds(offices):
    output = replay("--processes", "2", "--stop-after", "4")
    assert "in 2 process(es)" in output and "Stopped after 4 items" in output
    with pytest.raises(CommandError, match="started with --processes 2"):
        replay("--processes", "1")
    output = replay("--processes", "2")
    assert "journeys in 2 processes" in output
    assert totals() == planned()
    assert set(ReplayProgress.objects.values_list("share", flat=True)) == {0, 1}
    assert all(row.done == row.planned and row.shares == 2 for row in ReplayProgress.objects.all())
    assert "entry numbers consecutive: ok" in output
    assert "no double booking: ok" in output
    assert "one certificate per copy: ok" in output


def test_each_share_gets_every_other_item_and_together_all_of_them():
    for planned_items in (0, 1, 7, 8):
        counts = [driver.in_share(planned_items, share, 3) for share in range(3)]
        assert sum(counts) == planned_items and max(counts) - min(counts) <= 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_is_a_bar_with_the_rate_and_time_left_on_a_terminal():
    stream = Terminal()
    progress = Progress(total=10, already=2, stream=stream)
    progress.update(6)
    progress.close()
    shown = stream.getvalue()
    assert "6/10" in shown and "item/s" in shown and "\r" in shown


def test_the_progress_counts_an_earlier_run_in_the_total_but_not_in_the_rate():
    stream = io.StringIO()
    progress = Progress(total=10, already=8, stream=stream, every=1)
    progress.started -= 10  # ten seconds into this run
    progress.update(9)
    assert stream.getvalue().startswith("9/10 items (90%), 0.10 items/s")


def test_fewer_processes_than_one_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("replay_year", "--scale", SCALE, "--processes", "0", stdout=io.StringIO())


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
