"""National availability over HTTP: the demo calendar (175 offices, their approved premises,
officers, rota and bank holidays) with a third of the ceremony slots of the first
BENCH_FILL_DAYS days held, served by gunicorn with 2 workers, searched through the availability
API by concurrent clients. Each kind of search runs three ways: every search different (none
answered from the cache: what a search costs without it), a mix drawn as people search (many
from the first bookable days, fewer later; many places; ceremonies and notice appointments), and
the same mix while a writer holds and cancels a slot BENCH_WRITES_PER_SECOND times a second (each
write moves the occupancy versions of its office and region, so answers kept before it that read
that office are not used). BENCH_AVAILABILITY_WAYS (default "different,mixed,writes") picks the
ways run. Prints p50/p95, each as a ratio to the one-view Django project served the same way in
the same run, the share of requests answered from the cache, and what checking a national
answer's versions costs as one read of every office's version against one of the regions'.
Prints figures; it does not pass or fail."""

from __future__ import annotations

import contextlib
import os
import random
import sys
import threading
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import (  # noqa: E402
    bench_database,  # noqa: E402
    ceiling,
    describe,
    load,
    report,
    serving,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
FILL_DAYS = int(os.environ.get("BENCH_FILL_DAYS", "14"))
WRITES_PER_SECOND = float(os.environ.get("BENCH_WRITES_PER_SECOND", "1"))
# Days from the first bookable one a mixed search starts on, and places it is near: the first
# few of each are drawn far more often (weights 1/rank), as people search.
MIX_DAYS = 60
MIX_PLACES = 120
ANSWER_KEYS = "*booking:availability:*"
WAYS = os.environ.get("BENCH_AVAILABILITY_WAYS", "different,mixed,writes").split(",")
# Reads of the versions a national answer checks, each way.
VERSION_READS = 2000


def main() -> None:
    with bench_database("availability") as settings:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from booking import selectors, services
        from booking.models import Booking
        from core.places import outcodes
        from identity.models import User

        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_booking_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        first, _last = selectors.bookable_dates("ceremony")
        person, _ = User.objects.get_or_create(email="bench@example.com")
        held = 0
        slots = selectors.find_slots(
            selectors.SlotSearch(
                kind="ceremony", date_from=first, date_to=first + timedelta(days=FILL_DAYS - 1), limit=1_000_000
            )
        )
        for index, slot in enumerate(slots):
            if index % 3 == 0:
                try:
                    services.hold_published_slot(
                        person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony"
                    )
                    held += 1
                except services.SlotUnavailable:
                    pass
        # Holds run out after BOOKING_HOLD_MINUTES; a long run keeps them as if booked.
        Booking.objects.filter(person=person).update(hold_expires_at=timezone.now() + timedelta(days=400))
        codes = sorted(outcodes())
        points = [outcodes()[code] for code in codes[:: max(1, len(codes) // MIX_PLACES)]]
        rng = random.Random(16)

        def national(day: int, kind: str = "ceremony", span: int = 90) -> str:
            start = first + timedelta(days=day)
            return f"/api/v1/booking/availability?kind={kind}&from={start}&to={start + timedelta(days=span)}"

        def near(day: int, place: int, kind: str = "ceremony", span: int = 90) -> str:
            point = points[place % len(points)]
            return national(day, kind, span) + f"&lat={point.latitude}&lon={point.longitude}&radius_km=40"

        def every_one_different(make) -> list[str]:
            return [make(index % 120, index // 120, span=90 - index // 120) for index in range(REQUESTS)]

        def drawn(count: int) -> int:
            return rng.choices(range(count), weights=[1 / (rank + 1) for rank in range(count)])[0]

        def mix(make) -> list[str]:
            return [
                make(drawn(MIX_DAYS), drawn(len(points)), "ceremony" if rng.random() < 0.7 else "notice")
                for _ in range(REQUESTS)
            ]

        searches = {
            "national, by date, 3 months": lambda day, _place, kind="ceremony", span=90: national(day, kind, span),
            "near a place (40 km), by date, 3 months": near,
        }
        print(
            f"{describe(settings)}; {held} ceremony slots held in the first {FILL_DAYS} days; {REQUESTS} requests "
            f"each; {len(points)} places; writer at {WRITES_PER_SECOND}/s in the last phase"
        )
        answers = _answer_keys(settings)
        base = ceiling(settings, requests_count=REQUESTS)
        with serving("config.wsgi:application", settings, probe="/healthz") as url:
            figures, shares = [], []
            load("warm-up", url, [national(100 + i) for i in range(32)], requests_count=32)
            for name, make in searches.items():
                for way, how, paths, writing in (
                    ("different", "every search different", every_one_different(make), False),
                    ("mixed", "mixed", mix(make), False),
                    ("writes", "mixed, with writes", mix(make), True),
                ):
                    if way not in WAYS:
                        continue
                    answers.forget()
                    with _writer(person, slots, writing):
                        figures.append(load(f"{name}: {how}", url, paths, requests_count=REQUESTS))
                    shares.append((figures[-1].name, 1 - answers.count() / REQUESTS))
        report(figures, base)
        for name, share in shares:
            print(f"answered from the cache, {name[:60]:60} about {max(share, 0):4.0%}")
        _version_reads()


def _version_reads() -> None:
    """A national answer read with the versions it checks, in one cache read: every office's
    own version, or each region's (what `availability_cache.version_keys` gives it)."""
    import time

    from django.core.cache import cache

    from booking import availability_cache
    from booking.selectors.slots.calendar import current_calendar

    calendar = current_calendar()
    offices = sorted(calendar.office_region)
    answer = availability_cache.answer_key("bench", "national")
    ways = {
        f"every office's version ({len(offices)} keys)": [
            availability_cache.EVERYTHING_KEY,
            *(availability_cache.office_key(pk) for pk in offices),
        ],
        "each region's version (what a national answer checks)": availability_cache.version_keys(
            offices, calendar.office_region, calendar.region_offices["ceremony"]
        ),
    }
    timings = {}
    for name, keys in ways.items():
        availability_cache.occupancy_versions(keys)
        started = time.perf_counter()
        for _ in range(VERSION_READS):
            availability_cache.kept_answer(answer, keys)
        timings[name] = (time.perf_counter() - started) / VERSION_READS * 1000
    fastest = min(timings.values())
    for name, ms in timings.items():
        print(f"a national answer's versions read, {name:56} {ms:6.3f} ms  {ms / fastest:4.1f}x")
    cache.delete(answer)


class _AnswerKeys:
    """The availability answers kept in Redis: each one kept is a search that was not answered
    from the cache (two concurrent misses of one search count once)."""

    def __init__(self, redis_url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(redis_url) if redis_url else None

    def forget(self) -> None:
        if self.client is not None:
            for key in self.client.scan_iter(match=ANSWER_KEYS, count=1000):
                self.client.delete(key)

    def count(self) -> int:
        if self.client is None:
            return REQUESTS
        return sum(1 for _ in self.client.scan_iter(match=ANSWER_KEYS, count=1000))


def _answer_keys(settings: dict[str, str]) -> _AnswerKeys:
    return _AnswerKeys(settings.get("CACHE_URL", ""))


@contextlib.contextmanager
def _writer(person, slots, writing: bool):
    """While the block runs, hold a free slot and cancel it again, WRITES_PER_SECOND a second,
    through the services (which move the occupancy version as a request's writes do)."""
    from django.db import connections

    from booking import services

    stop = threading.Event()

    def write() -> None:
        index = 1
        while not stop.wait(1 / WRITES_PER_SECOND):
            slot = slots[index % len(slots)]
            index += 3
            with contextlib.suppress(services.SlotUnavailable, services.BookingRefused):
                booking = services.hold_published_slot(
                    person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony"
                )
                services.cancel_booking(booking=booking, actor=person)
        connections.close_all()

    thread = threading.Thread(target=write, daemon=True)
    if writing and WRITES_PER_SECOND > 0:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=30)


if __name__ == "__main__":
    main()
