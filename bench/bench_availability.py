"""National availability search on the demo calendar (175 offices, their approved premises,
officers and rota, bank holidays), with bookings filling part of it. Figures: milliseconds per
search for several kinds of search, and each as a ratio to a baseline measured in the same run
(one query listing every room's patterns, which any search must at least read). Prints
figures; it does not pass or fail. Uses DATABASE_URL or a throwaway SQLite file."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_demo_data", verbosity=0)
call_command("load_booking_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115

from booking import selectors, services  # noqa: E402
from booking.models import RoomPattern  # noqa: E402
from booking.places import find_place  # noqa: E402
from identity.models import User  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
first, last = selectors.bookable_dates("ceremony")

# Fill the first two weeks: every third ceremony slot nationally is booked.
person, _ = User.objects.get_or_create(email="bench@example.com")
filled = 0
for index, slot in enumerate(
    selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=13), limit=100_000)
    )
):
    if index % 3 == 0:
        try:
            services.hold_slot(
                person=person,
                room=slot.room,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                kind="ceremony",
                superintendent=User.objects.get(pk=slot.superintendent_id),
                registrar=User.objects.get(pk=slot.registrar_id),
            )
            filled += 1
        except services.SlotUnavailable:
            pass


def baseline() -> None:
    list(RoomPattern.objects.select_related("room__venue").values_list("room_id", "weekday", "opens"))


leeds = find_place("LS1 3AD")
SEARCHES = {
    "national, by date, 3 months": selectors.SlotSearch(
        kind="ceremony", date_from=first, date_to=first + timedelta(days=90)
    ),
    "near LS1 3AD, by date": selectors.SlotSearch(
        kind="ceremony", date_from=first, date_to=first + timedelta(days=90), place=leeds, radius_km=40
    ),
    "near LS1 3AD, by distance": selectors.SlotSearch(
        kind="ceremony",
        date_from=first,
        date_to=first + timedelta(days=90),
        place=leeds,
        radius_km=40,
        order="distance",
    ),
    "national, Saturday afternoons, approved premises": selectors.SlotSearch(
        kind="ceremony",
        date_from=first,
        date_to=first + timedelta(days=180),
        weekdays=frozenset([5]),
        times_of_day=frozenset(["afternoon"]),
        venue_kind="approved_premises",
    ),
}


def timed(function) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


base = timed(baseline)
print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}; rounds: {ROUNDS}; held slots: {filled}")
print(f"baseline (read every room pattern): {base:.1f} ms")
for name, search in SEARCHES.items():
    found = len(selectors.find_slots(search))
    median = timed(lambda search=search: selectors.find_slots(search))
    print(f"{name}: {median:.1f} ms median, {found} results, {median / base:.1f}x baseline")
