"""National availability over HTTP: the demo calendar (175 offices, their approved premises,
officers, rota and bank holidays) with a third of the ceremony slots of the first
BENCH_FILL_DAYS days held, served by gunicorn with 2 workers, searched through the availability
API by concurrent clients with varied searches (national by date, near many places by date and by
distance, Saturday afternoons at approved premises; each from a different week). Prints p50/p95
and each as a ratio to the one-view Django project served the same way in the same run. Prints
figures; it does not pass or fail."""

from __future__ import annotations

import os
import sys
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

# Outward codes across England and Wales to search near, so that each search reads other venues.
PLACES = ["LS1", "M1", "B1", "CF10", "SW1A", "NE1", "BS1", "NR1", "EX1", "LL55", "SA1", "YO1", "CB2", "PL1", "CA1"]


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
        points = {code: outcodes()[code] for code in PLACES if code in outcodes()}

        def week(index: int) -> tuple[str, str]:
            start = first + timedelta(days=7 * (index % 8))
            return start.isoformat(), (start + timedelta(days=90)).isoformat()

        searches = {
            "national, by date, 3 months": [
                "/api/v1/booking/availability?kind=ceremony&from={}&to={}".format(*week(index)) for index in range(8)
            ],
            "near a place (40 km), by date, 3 months": [
                "/api/v1/booking/availability?kind=ceremony&from={}&to={}&lat={}&lon={}&radius_km=40".format(
                    *week(index), point.latitude, point.longitude
                )
                for index, point in enumerate(points.values())
            ],
            "near a place (40 km), by distance, 3 months": [
                "/api/v1/booking/availability?kind=ceremony&from={}&to={}&lat={}&lon={}&radius_km=40&order=distance".format(
                    *week(index), point.latitude, point.longitude
                )
                for index, point in enumerate(points.values())
            ],
            "national, Saturday afternoons, approved premises": [
                "/api/v1/booking/availability?kind=ceremony&from={}&to={}&weekdays=sat&time_of_day=afternoon"
                "&venue_kind=approved_premises".format(*week(index))
                for index in range(8)
            ],
        }
        print(
            f"{describe(settings)}; {held} ceremony slots held in the first {FILL_DAYS} days; {REQUESTS} requests each"
        )
        base = ceiling(settings, requests_count=REQUESTS)
        with serving("config.wsgi:application", settings, probe="/healthz") as url:
            figures = []
            for name, paths in searches.items():
                load("warm-up", url, paths, requests_count=len(paths))
                figures.append(load(name, url, paths, requests_count=REQUESTS))
        report(figures, base)


if __name__ == "__main__":
    main()
