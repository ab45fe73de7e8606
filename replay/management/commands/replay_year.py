"""`manage.py replay_year --scale S`: a fraction of England and Wales's year through the services."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from replay import driver, invariants, report
from replay.journeys import JourneyFailed
from replay.plan import plan
from replay.progress import Progress


class Command(BaseCommand):
    help = (
        "Replay `--scale` of a national year (0.0192 is a week) through the services, in one or more "
        "processes, with Celery workers making the certificates; resumable; shows its progress on "
        "stderr, prints the figures and checks the invariants."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Processes the journeys are dealt to, each with its own database connection (a replay "
            "carries on with the number it started with)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Celery worker processes to start (0: the operator runs them, or tasks run eagerly)",
        )
        parser.add_argument("--drain-seconds", type=float, default=600, help="How long to wait for the certificates")
        parser.add_argument("--stop-after", type=int, default=None, help="Stop after this many items (resume later)")
        parser.add_argument(
            "--every", type=int, default=100, help="Off a terminal: a progress line on stderr every this many items"
        )

    def handle(self, *args, scale, seed, processes, workers, drain_seconds, stop_after, every, **options):
        try:
            the_plan = plan(scale)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if processes < 1:
            raise CommandError("--processes must be at least 1")
        if processes > 1 and connection.vendor == "sqlite" and connection.is_in_memory_db():
            raise CommandError("--processes above 1 needs a database the processes can share (not in memory)")
        self.stdout.write(
            f"Replaying {the_plan.days} day(s) in {processes} process(es): "
            + ", ".join(f"{the_plan.total(kind)} {kind}" for kind in ("birth", "death", "ceremony", "notice", "copy"))
        )
        progress = None

        def on_done(done: int) -> None:
            nonlocal progress
            if progress is None:
                total = driver.items(seed=seed, scale=driver.scale_name(the_plan))[1]
                progress = Progress(total=total, already=done, stream=options.get("stderr") or sys.stderr, every=every)
            progress.update(done)

        started = time.monotonic()
        pool = driver.start_workers(workers)
        worker_cpu = worker_peak = 0.0
        try:
            try:
                outcome = driver.drive(the_plan, seed=seed, processes=processes, stop_after=stop_after, on_done=on_done)
            except driver.ReplayRefused as error:
                raise CommandError(str(error)) from error
            except JourneyFailed as error:
                raise CommandError(f"A journey was refused: {error}") from error
            finally:
                if progress is not None:
                    progress.close()
            if outcome.stopped:
                self.stdout.write(f"Stopped after {outcome.done_now} items; run the same command again to carry on.")
                return
            waiting = driver.wait_for_certificates(deadline_seconds=drain_seconds)
            if waiting:
                self.stdout.write(f"{waiting} paid orders still without certificates after {drain_seconds:.0f} s")
        finally:
            worker_cpu, worker_peak = driver.stop_workers(pool)
        wall = time.monotonic() - started
        usage = driver.usage(outcome, worker_cpu=worker_cpu, worker_peak_mb=worker_peak)
        kinds = report.per_kind(seed=seed, scale=driver.scale_name(the_plan))
        result = report.figures(kinds=kinds, wall=wall, usage=usage, worker_cpu=worker_cpu)
        problems = invariants.all_problems(order_ids=driver.replay_orders().values_list("pk", flat=True))
        for line in report.lines(result, kinds, problems):
            self.stdout.write(line)
        if any(problems.values()):
            raise CommandError("An invariant does not hold (above).")
