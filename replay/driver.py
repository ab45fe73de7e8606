"""The replay's loop: each kind, day by day, item by item, through the journeys; progress kept per
kind and day (committed with each item's count), so a rerun carries on where the last stopped."""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certificates.models import CertificateOrder
from registrar.models import RegisterEntry

from . import diary, journeys
from .models import ReplayProgress
from .people import DOMAIN
from .plan import KINDS, NOTICES_PER_CEREMONY, Plan


class Stopped(Exception):
    """The replay stopped after the items it was asked to do (the way an interruption stops it)."""


@dataclass
class Run:
    plan: Plan
    seed: int
    say: Callable[[str], None] = print
    stop_after: int | None = None
    every: int = 100
    done_now: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def scale(self) -> str:
        return f"{self.plan.scale:g}"

    def rows(self) -> dict[tuple[str, int], ReplayProgress]:
        """The progress rows, made once per replay (notices ride on ceremonies' days)."""
        existing = {(row.kind, row.day): row for row in ReplayProgress.objects.filter(seed=self.seed, scale=self.scale)}
        wanted = []
        for kind in KINDS:
            for day, planned in enumerate(self.plan.per_day[kind]):
                wanted.append((kind, day, planned))
                if kind == "ceremony":
                    wanted.append(("notice", day, planned * NOTICES_PER_CEREMONY))
        for kind, day, planned in wanted:
            if (kind, day) not in existing:
                existing[(kind, day)] = ReplayProgress.objects.create(
                    seed=self.seed, scale=self.scale, kind=kind, day=day, planned=planned
                )
        return existing

    def _rng(self, kind: str, day: int, index: int) -> random.Random:
        return random.Random(f"{self.seed}:{kind}:{day}:{index}")

    def _label(self, kind: str, day: int, index: int) -> str:
        # Unique across reruns of an item that was cut off half-way (its rows stay behind).
        return f"r{self.seed}-{self.scale}-{kind}-{day}-{index}-{time.time_ns() % 10**12}"

    def _record(self, rows: dict, kind: str, day: int, count: int, cpu: float) -> None:
        ReplayProgress.objects.filter(pk=rows[(kind, day)].pk).update(
            done=F("done") + count, cpu_seconds=F("cpu_seconds") + cpu
        )
        rows[(kind, day)].done += count

    def _tick(self) -> None:
        self.done_now += 1
        if self.done_now % self.every == 0:
            done = ReplayProgress.objects.filter(seed=self.seed, scale=self.scale)
            total = sum(row.planned for row in done if row.kind != "notice")
            finished = sum(row.done for row in done if row.kind != "notice")
            elapsed = time.monotonic() - self.started
            self.say(f"  {finished}/{total} items ({100 * finished / max(total, 1):.0f}%), {elapsed:.0f} s")
        if self.stop_after is not None and self.done_now >= self.stop_after:
            raise Stopped

    def drive(self) -> None:
        diary.forget()
        rows = self.rows()
        today = timezone.localdate()
        for day in range(self.plan.days):
            for kind in KINDS:
                row = rows[(kind, day)]
                while row.done < row.planned:
                    index = row.done
                    rng = self._rng(kind, day, index)
                    label = self._label(kind, day, index)
                    started = time.process_time()
                    if kind == "birth":
                        with transaction.atomic():
                            journeys.birth(rng, label, today=today)
                            self._record(rows, kind, day, 1, time.process_time() - started)
                    elif kind == "death":
                        with transaction.atomic():
                            journeys.death(rng, label, today=today)
                            self._record(rows, kind, day, 1, time.process_time() - started)
                    elif kind == "ceremony":
                        booking = journeys.ceremony(rng, label, today=today, day=day)
                        booked = time.process_time()
                        given = journeys.notices(rng, label, booking=booking)
                        with transaction.atomic():
                            self._record(rows, "ceremony", day, 1, booked - started)
                            self._record(rows, "notice", day, given, time.process_time() - booked)
                    else:
                        entries = self.entries()
                        if not entries:
                            raise journeys.JourneyFailed("no registered entry to order copies of")
                        copies = min(row.planned - row.done, rng.choice((1, 1, 1, 2, 2, 3)))
                        journeys.copies(rng, label, copies=copies, entries=entries)
                        self._record(rows, kind, day, copies, time.process_time() - started)
                    self._tick()

    def entries(self) -> list[int]:
        return list(
            RegisterEntry.objects.filter(
                registration__informant__email__endswith=f"@{DOMAIN}", event__in=("birth", "death")
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def replay_orders():
    return CertificateOrder.objects.filter(person__email__endswith=f"@{DOMAIN}")


def start_workers(count: int) -> list[subprocess.Popen]:
    """Real Celery worker processes on the configured broker, children of this one (so their CPU
    time is counted in RUSAGE_CHILDREN once they have stopped)."""
    return [
        subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "--hostname",
                f"replay{number}@%h",
            ],
            cwd=settings.BASE_DIR,
        )
        for number in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen], *, timeout: float = 60) -> None:
    for worker in workers:
        worker.terminate()  # warm shutdown: the task in hand finishes
    for worker in workers:
        try:
            worker.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for_certificates(*, deadline_seconds: float, poll_seconds: float = 1.0) -> int:
    """Poll the replay's paid orders until none is still waiting for its certificates, or the
    deadline passes; returns how many are still waiting."""
    ends = time.monotonic() + deadline_seconds
    while True:
        waiting = replay_orders().filter(status=CertificateOrder.Status.PAID).count()
        if waiting == 0 or time.monotonic() >= ends:
            return waiting
        time.sleep(poll_seconds)


def usage() -> dict[str, float]:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_self": mine.ru_utime + mine.ru_stime,
        "cpu_children": children.ru_utime + children.ru_stime,
        # Linux reports kilobytes.
        "peak_rss_mb_self": mine.ru_maxrss / 1024,
        "peak_rss_mb_children": children.ru_maxrss / 1024,
    }
