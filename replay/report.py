"""The replay's figures: wall time, CPU-seconds per transaction of each kind, peak memory, rows per
kind, and from them the cores and the compute cost a national year needs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from .models import ReplayProgress
from .plan import NATIONAL_YEAR

SECONDS_PER_YEAR = 365 * 24 * 3600
# Registrations are made and ceremonies booked mostly in working hours: 52 weeks of 5 days of 8
# hours is 2,080 of the year's 8,760 hours, so the busy hours need about 4.2 times the average.
BUSY_HOURS_FACTOR = 8760 / 2080
REGISTRATIONS = ("birth", "death", "ceremony")


def per_kind(*, seed: int, scale: str) -> dict[str, dict[str, float]]:
    rows = (
        ReplayProgress.objects.filter(seed=seed, scale=scale)
        .values("kind")
        .annotate(done=Sum("done"), planned=Sum("planned"), cpu=Sum("cpu_seconds"))
    )
    return {row["kind"]: {"done": row["done"], "planned": row["planned"], "cpu": row["cpu"]} for row in rows}


def figures(*, kinds: dict, wall: float, usage: dict, worker_cpu: float) -> dict:
    """CPU per transaction: this process's time per kind, and the workers' time (they make the
    certificates) added to the copies."""
    cpu_per = {}
    for kind, row in kinds.items():
        cpu = row["cpu"] + (worker_cpu if kind == "copy" else 0.0)
        cpu_per[kind] = cpu / row["done"] if row["done"] else None
    year_cpu = sum((cpu_per.get(kind) or 0.0) * NATIONAL_YEAR[kind] for kind in NATIONAL_YEAR)
    cores_average = year_cpu / SECONDS_PER_YEAR
    infrastructure_year = Decimal(settings.PERFORMANCE_COST_MODEL["infrastructure_per_month"]) * 12
    registrations_year = sum(NATIONAL_YEAR[kind] for kind in REGISTRATIONS)
    cpu_per_registration = year_cpu / registrations_year
    return {
        "wall_seconds": wall,
        "cpu_per_transaction": cpu_per,
        "usage": usage,
        "year_cpu_seconds": year_cpu,
        "cores_average": cores_average,
        "cores_busy_hours": cores_average * BUSY_HOURS_FACTOR,
        "cpu_seconds_per_registration": cpu_per_registration,
        "infrastructure_per_year": infrastructure_year,
        "cost_per_registration": infrastructure_year / registrations_year,
        "registrations_per_year": registrations_year,
    }


def lines(result: dict, kinds: dict, problems: dict[str, list[str]]) -> list[str]:
    out = [f"Wall time: {result['wall_seconds']:.1f} s"]
    usage = result["usage"]
    journeys_in = (
        "in this process"
        if usage["processes"] == 1
        else f"in {usage['processes']} processes, {usage['cpu_shares']:.1f} s"
    )
    out.append(
        f"CPU: this command {usage['cpu_command']:.1f} s (journeys {journeys_in}), "
        f"workers {usage['cpu_workers']:.1f} s; offices' diaries made on first use (not counted below) "
        f"{usage['cpu_setup']:.1f} s; peak RSS: this command {usage['peak_rss_mb_command']:.0f} MB, "
        f"largest journey process {usage['peak_rss_mb_share']:.0f} MB, "
        f"largest worker {usage['peak_rss_mb_worker']:.0f} MB"
    )
    out.append("Kind        done/planned   CPU-seconds per transaction")
    for kind in ("birth", "death", "ceremony", "notice", "copy"):
        row = kinds.get(kind)
        if row is None:
            continue
        cpu = result["cpu_per_transaction"].get(kind)
        out.append(
            f"{kind:<11} {row['done']:>6}/{row['planned']:<7} {cpu:.3f}"
            if cpu
            else f"{kind:<11} {row['done']:>6}/{row['planned']:<7} -"
        )
    out.append("Invariants:")
    for name, found in problems.items():
        out.append(f"  {name}: {'ok' if not found else 'FAILED'}")
        out.extend(f"    {problem}" for problem in found[:20])
    out.append(
        f"A national year ({result['registrations_per_year']:,} registrations, {NATIONAL_YEAR['copy']:,} copies): "
        f"{result['year_cpu_seconds'] / 3600:,.0f} CPU-hours, {result['cores_average']:.2f} cores on average, "
        f"{result['cores_busy_hours']:.1f} in working hours; {result['cpu_seconds_per_registration']:.2f} CPU-seconds "
        f"per registration (copies included)"
    )
    out.append(
        f"Infrastructure £{result['infrastructure_per_year']:,.0f} a year (PERFORMANCE_COST_MODEL): "
        f"£{result['cost_per_registration']:.3f} per registration"
    )
    return out
