"""The replay's loop: each kind, day by day, item by item, through the journeys, in one process
or dealt out to several; progress kept per kind, day and share (committed with each item's
count), so a rerun carries on where the last stopped."""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Sum
from django.utils import timezone

from certificates.models import CertificateOrder
from registrar.models import RegisterEntry

from . import diary, journeys
from .models import ReplayProgress
from .people import DOMAIN, medical_examiner
from .plan import KINDS, NOTICES_PER_CEREMONY, Plan


class Stopped(Exception):
    """The replay stopped after the items it was asked to do (the way an interruption stops it)."""


class ReplayRefused(Exception):
    """The replay cannot go on as asked (another number of processes than it started with)."""


def scale_name(plan: Plan) -> str:
    return f"{plan.scale:g}"


def in_share(planned: int, share: int, shares: int) -> int:
    """How many of a row's items are share's: item i is dealt to share i mod shares."""
    return len(range(share, planned, shares))


def make_rows(plan: Plan, *, seed: int, shares: int) -> None:
    """Every share's progress rows, made once per replay (notices ride on ceremonies' days). A
    replay carries on with the processes it started with: its items were dealt to them."""
    scale = scale_name(plan)
    existing = ReplayProgress.objects.filter(seed=seed, scale=scale)
    started_with = set(existing.values_list("shares", flat=True))
    if started_with and started_with != {shares}:
        raise ReplayRefused(
            f"this replay (seed {seed}, scale {scale}) was started with --processes {min(started_with)}: "
            "carry it on with that, or give another seed"
        )
    have = set(existing.values_list("kind", "day", "share"))
    wanted = []
    for kind in KINDS:
        for day, planned in enumerate(plan.per_day[kind]):
            for share in range(shares):
                mine = in_share(planned, share, shares)
                wanted.append((kind, day, share, mine))
                if kind == "ceremony":
                    wanted.append(("notice", day, share, mine * NOTICES_PER_CEREMONY))
    ReplayProgress.objects.bulk_create(
        ReplayProgress(seed=seed, scale=scale, kind=kind, day=day, share=share, shares=shares, planned=planned)
        for kind, day, share, planned in wanted
        if (kind, day, share) not in have
    )


def items(*, seed: int, scale: str) -> tuple[int, int]:
    """(done, planned) over every share, notices left out (they are part of their ceremony)."""
    totals = (
        ReplayProgress.objects.filter(seed=seed, scale=scale)
        .exclude(kind="notice")
        .aggregate(done=Sum("done"), planned=Sum("planned"))
    )
    return totals["done"] or 0, totals["planned"] or 0


def prepare_shared() -> None:
    """What every process would otherwise make at once on its first item: the offices' venues and
    the medical examiner's account."""
    diary.forget()
    diary.start()
    medical_examiner()


@dataclass
class Share:
    """One process's part of a replay: the items dealt to `share` of `shares`, in the replay's
    order (day by day, kinds in order). The shares run at the same time, so the contention the
    real service has is met for real (two shares register in one district's register, search and
    hold on one office's calendar); what the replay itself keeps (its progress rows, its people,
    the entries it orders copies of) is each share's own."""

    plan: Plan
    seed: int
    share: int = 0
    shares: int = 1
    stop_after: int | None = None
    on_items: Callable[[int], None] = lambda count: None
    done_now: int = 0
    items_now: int = 0
    started: float = field(default_factory=time.monotonic)
    _entries: list[int] | None = None

    @property
    def scale(self) -> str:
        return scale_name(self.plan)

    @property
    def prefix(self) -> str:
        """How this share's people's addresses start (their labels)."""
        return f"r{self.seed}-{self.scale}-{self.share + 1}of{self.shares}-"

    def rows(self) -> dict[tuple[str, int], ReplayProgress]:
        return {
            (row.kind, row.day): row
            for row in ReplayProgress.objects.filter(seed=self.seed, scale=self.scale, share=self.share)
        }

    def _rng(self, kind: str, day: int, index: int) -> random.Random:
        return random.Random(f"{self.seed}:{kind}:{day}:{index}")

    def _label(self, kind: str, day: int, index: int) -> str:
        # Unique across reruns of an item that was cut off half-way (its rows stay behind).
        return f"{self.prefix}{kind}-{day}-{index}-{time.time_ns() % 10**12}"

    def _record(self, rows: dict, kind: str, day: int, count: int, cpu: float) -> None:
        ReplayProgress.objects.filter(pk=rows[(kind, day)].pk).update(
            done=F("done") + count, cpu_seconds=F("cpu_seconds") + cpu
        )
        rows[(kind, day)].done += count

    @staticmethod
    def _cpu_since(started: float) -> float:
        return time.process_time() - diary.spent - started

    def _tick(self, count: int) -> None:
        self.done_now += 1
        self.items_now += count
        self.on_items(count)
        if self.stop_after is not None and self.done_now >= self.stop_after:
            raise Stopped

    def drive(self) -> None:
        if self.stop_after is not None and self.stop_after <= 0:
            raise Stopped
        rows = self.rows()
        today = timezone.localdate()
        for day in range(self.plan.days):
            for kind in KINDS:
                row = rows[(kind, day)]
                while row.done < row.planned:
                    # The share's n-th item of a row is the row's item share + n * shares: the same
                    # person and answers whichever share it falls to.
                    index = self.share + row.done * self.shares
                    rng = self._rng(kind, day, index)
                    label = self._label(kind, day, index)
                    # The CPU of an item is the journey's: an office's diary made on its first
                    # item is the replay setting up, and not counted.
                    started = time.process_time() - diary.spent
                    count = 1
                    if kind in ("birth", "death"):
                        journey = journeys.birth if kind == "birth" else journeys.death
                        with transaction.atomic():
                            entry = journey(rng, label, today=today)
                            self._record(rows, kind, day, 1, self._cpu_since(started))
                        self.entries().append(entry.pk)
                    elif kind == "ceremony":
                        booking = journeys.ceremony(rng, label, today=today, day=day)
                        booked = time.process_time() - diary.spent
                        given = journeys.notices(rng, label, booking=booking)
                        with transaction.atomic():
                            self._record(rows, "ceremony", day, 1, booked - started)
                            self._record(rows, "notice", day, given, self._cpu_since(booked))
                    else:
                        entries = self.entries() or self.replay_entries()
                        if not entries:
                            raise journeys.JourneyFailed("no registered entry to order copies of")
                        count = min(row.planned - row.done, rng.choice((1, 1, 1, 2, 2, 3)))
                        journeys.copies(rng, label, copies=count, entries=entries)
                        self._record(rows, kind, day, count, self._cpu_since(started))
                    self._tick(count)

    def entries(self) -> list[int]:
        """The entries this share has registered, in the order it registered them: read once (a
        rerun carries on with them) and then kept as the share registers more, rather than read
        again for every order."""
        if self._entries is None:
            self._entries = list(
                RegisterEntry.objects.filter(
                    registration__informant__email__startswith=self.prefix, event__in=("birth", "death")
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        return self._entries

    def replay_entries(self) -> list[int]:
        """Every share's entries so far: for a share that was dealt copies but no registrations."""
        return list(
            RegisterEntry.objects.filter(
                registration__informant__email__startswith=f"r{self.seed}-{self.scale}-",
                registration__informant__email__endswith=f"@{DOMAIN}",
                event__in=("birth", "death"),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@dataclass
class Outcome:
    """What the replay's processes did: the steps (orders count once) and items they did, and
    their own CPU and peak memory."""

    done_now: int = 0
    items_now: int = 0
    stopped: bool = False
    cpu: float = 0.0
    setup_cpu: float = 0.0
    peak_rss_mb: float = 0.0
    processes: int = 0


def _own_usage() -> tuple[float, float]:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    return mine.ru_utime + mine.ru_stime, mine.ru_maxrss / 1024  # Linux reports kilobytes


def _share_process(share: Share, pipe) -> None:
    """A forked process's whole life: its share, then what it did, sent back to the parent."""
    report = {"done_now": 0, "items_now": 0, "stopped": False, "failed": None}
    try:
        share.drive()
    except Stopped:
        report["stopped"] = True
    except journeys.JourneyFailed as error:
        report["failed"] = f"share {share.share + 1} of {share.shares}: {error}"
    except BaseException:  # noqa: BLE001 - the parent reports it; a child has no one else to tell
        report["failed"] = f"share {share.share + 1} of {share.shares} crashed:\n{traceback.format_exc()}"
    finally:
        connections.close_all()
    report["done_now"], report["items_now"] = share.done_now, share.items_now
    report["cpu"], report["peak_rss_mb"] = _own_usage()
    report["setup_cpu"] = diary.spent
    pipe.send(report)
    pipe.close()


def drive(
    plan: Plan,
    *,
    seed: int,
    processes: int = 1,
    stop_after: int | None = None,
    on_done: Callable[[int], None] = lambda done: None,
    poll_seconds: float = 1.0,
) -> Outcome:
    """The replay's items not yet done, in this process (one) or in `processes` forked ones, each
    with a database connection of its own. `on_done` is told how many items of the whole replay
    are done as they are. Raises JourneyFailed if a share's journey was refused (the other shares
    are stopped then: a rerun carries on)."""
    make_rows(plan, seed=seed, shares=processes)
    prepare_shared()
    done, _planned = items(seed=seed, scale=scale_name(plan))
    on_done(done)
    if processes == 1:
        counted = [done]

        def items_done(count: int) -> None:
            counted[0] += count
            on_done(counted[0])

        share = Share(plan=plan, seed=seed, stop_after=stop_after, on_items=items_done)
        started = _own_usage()[0]
        outcome = Outcome(processes=1)
        try:
            share.drive()
        except Stopped:
            outcome.stopped = True
        outcome.done_now, outcome.items_now = share.done_now, share.items_now
        outcome.cpu, outcome.peak_rss_mb = _own_usage()[0] - started, _own_usage()[1]
        outcome.setup_cpu = diary.spent
        return outcome

    # No connection may cross the fork: each process opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    running = {}
    for number in range(processes):
        allowance = None
        if stop_after is not None:
            allowance = stop_after // processes + (1 if number < stop_after % processes else 0)
        share = Share(plan=plan, seed=seed, share=number, shares=processes, stop_after=allowance)
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_share_process, args=(share, sending), name=f"replay share {number + 1}")
        process.start()
        sending.close()
        running[process.sentinel] = (process, receiving)
    outcome = Outcome(processes=processes)
    failures = []
    reports = []
    while running:
        for sentinel in wait(list(running), timeout=poll_seconds):
            process, receiving = running.pop(sentinel)
            try:
                report = receiving.recv()
            except EOFError:
                report = {"failed": f"{process.name} ended before reporting"}
            process.join()
            if report["failed"]:
                failures.append(report["failed"])
            else:
                reports.append(report)
        if failures:
            for process, _receiving in running.values():
                process.terminate()
        on_done(items(seed=seed, scale=scale_name(plan))[0])
        connections.close_all()  # the parent's polling connection is not kept open between polls
    for report in reports:
        outcome.done_now += report["done_now"]
        outcome.items_now += report["items_now"]
        outcome.stopped = outcome.stopped or report["stopped"]
        outcome.cpu += report["cpu"]
        outcome.setup_cpu += report["setup_cpu"]
        outcome.peak_rss_mb = max(outcome.peak_rss_mb, report.get("peak_rss_mb", 0.0))
    if failures:
        raise journeys.JourneyFailed("; ".join(failures))
    return outcome


def replay_orders():
    return CertificateOrder.objects.filter(person__email__endswith=f"@{DOMAIN}")


def start_workers(count: int) -> list[subprocess.Popen]:
    """Real Celery worker processes on the configured broker, children of this one."""
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


def stop_workers(workers: list[subprocess.Popen], *, timeout: float = 60) -> tuple[float, float]:
    """Stops the workers (a warm shutdown: the task in hand finishes) and returns their CPU-seconds
    and the largest one's peak memory in MB, read from each one's own resource usage as it is
    reaped (so the replay's own processes are never counted with them)."""
    for worker in workers:
        worker.terminate()
    cpu, peak = 0.0, 0.0
    for worker in workers:
        ends = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(worker.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() >= ends:
                worker.kill()
                pid, status, usage = os.wait4(worker.pid, 0)
                break
            time.sleep(0.1)
        worker.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
    return cpu, peak


def wait_for_certificates(*, deadline_seconds: float, poll_seconds: float = 1.0) -> int:
    """Poll the replay's paid orders until none is still waiting for its certificates, or the
    deadline passes; returns how many are still waiting."""
    ends = time.monotonic() + deadline_seconds
    while True:
        waiting = replay_orders().filter(status=CertificateOrder.Status.PAID).count()
        if waiting == 0 or time.monotonic() >= ends:
            return waiting
        time.sleep(poll_seconds)


def usage(outcome: Outcome, *, worker_cpu: float, worker_peak_mb: float) -> dict[str, float]:
    """CPU-seconds and peak memory of the command itself, of the processes that drove the journeys
    (the command itself when there was one) and of the Celery workers."""
    command_cpu, command_peak = _own_usage()
    return {
        "processes": outcome.processes,
        "cpu_command": command_cpu,
        "cpu_shares": outcome.cpu,
        "cpu_setup": outcome.setup_cpu,
        "cpu_workers": worker_cpu,
        "peak_rss_mb_command": command_peak,
        "peak_rss_mb_share": outcome.peak_rss_mb,
        "peak_rss_mb_worker": worker_peak_mb,
    }
