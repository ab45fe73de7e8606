"""`manage.py replay_year --scale S`: a fraction of England and Wales's year through the services."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from replay import driver, invariants, report
from replay.journeys import JourneyFailed
from replay.plan import plan


class Command(BaseCommand):
    help = (
        "Replay `--scale` of a national year (0.0192 is a week) through the services, with Celery "
        "workers making the certificates; resumable; prints the figures and checks the invariants."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Celery worker processes to start (0: the operator runs them, or tasks run eagerly)",
        )
        parser.add_argument("--drain-seconds", type=float, default=600, help="How long to wait for the certificates")
        parser.add_argument("--stop-after", type=int, default=None, help="Stop after this many items (resume later)")
        parser.add_argument("--every", type=int, default=100, help="A progress line every this many items")

    def handle(self, *args, scale, seed, workers, drain_seconds, stop_after, every, **options):
        try:
            the_plan = plan(scale)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Replaying {the_plan.days} day(s): "
            + ", ".join(f"{the_plan.total(kind)} {kind}" for kind in ("birth", "death", "ceremony", "notice", "copy"))
        )
        run = driver.Run(plan=the_plan, seed=seed, say=self.stdout.write, stop_after=stop_after, every=every)
        started = time.monotonic()
        pool = driver.start_workers(workers)
        try:
            try:
                run.drive()
            except driver.Stopped:
                self.stdout.write(f"Stopped after {run.done_now} items; run the same command again to carry on.")
                return
            except JourneyFailed as error:
                raise CommandError(f"A journey was refused: {error}") from error
            waiting = driver.wait_for_certificates(deadline_seconds=drain_seconds)
            if waiting:
                self.stdout.write(f"{waiting} paid orders still without certificates after {drain_seconds:.0f} s")
        finally:
            driver.stop_workers(pool)
        wall = time.monotonic() - started
        usage = driver.usage()
        kinds = report.per_kind(seed=seed, scale=run.scale)
        result = report.figures(kinds=kinds, wall=wall, usage=usage, worker_cpu=usage["cpu_children"])
        problems = invariants.all_problems(order_ids=driver.replay_orders().values_list("pk", flat=True))
        for line in report.lines(result, kinds, problems):
            self.stdout.write(line)
        if any(problems.values()):
            raise CommandError("An invariant does not hold (above).")
