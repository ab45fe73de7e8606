"""`/healthz` over HTTP: requests per second and latency of the cheap check (database, cache, the
broker's remembered answer) and of `/healthz?deep=1` (a new broker connection each time), each as
a ratio to the one-view Django project served the same way in the same run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import bench_database, ceiling, describe, load, report, serving  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))


def main() -> None:
    with bench_database("healthz") as settings:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"{describe(settings)}; {REQUESTS} requests each")
        base = ceiling(settings, requests_count=REQUESTS)
        with serving("config.wsgi:application", settings, probe="/healthz") as url:
            load("warm-up", url, ["/healthz"], requests_count=20)
            figures = [
                load("/healthz", url, ["/healthz"], requests_count=REQUESTS),
                load("/healthz?deep=1", url, ["/healthz?deep=1"], requests_count=max(20, REQUESTS // 10)),
            ]
        report(figures, base)


if __name__ == "__main__":
    main()
