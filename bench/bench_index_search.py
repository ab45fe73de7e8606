"""Index search over HTTP: a generated historic register of BENCH_INDEX_SIZE entries (default
100,000; `load_historic_register`), searched through the API (POST, names in the body) by
concurrent clients, every request a different search: exact surnames drawn from the register's
own surnames (common and rare, and as the register's people bear them: head and tail of its
Zipf-like distribution), with year ranges, forenames, districts, mothers' maiden surnames,
sounds-like and misspelt surnames, and late pages. Prints p50/p95 per kind of search and each as
a ratio to the one-view Django project served the same way in the same run, and the load time.
BENCH_INDEX_DATABASE names a database on BENCH_POSTGRES_URL's server with a register loaded
already (`load_historic_register`, e.g. 10,000,000 entries): it is searched as it is, neither
loaded nor dropped."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import _server_settings, bench_database, ceiling, describe, load, report, serving  # noqa: E402

SIZE = int(os.environ.get("BENCH_INDEX_SIZE", "100000"))
EXISTING = os.environ.get("BENCH_INDEX_DATABASE", "")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
API = "/api/v1/certificates/index"


def misspelt(surname: str, rng: random.Random) -> str:
    """One letter swapped with its neighbour, as a person typing fast would."""
    if len(surname) < 4:
        return surname
    index = rng.randrange(1, len(surname) - 2)
    return surname[:index] + surname[index + 1] + surname[index] + surname[index + 2 :]


@contextlib.contextmanager
def existing_database(name: str) -> Iterator[dict[str, str]]:
    """As `bench_database`, for a database already loaded: it is kept afterwards."""
    server = os.environ.get("BENCH_POSTGRES_URL", "")
    if not server:
        sys.exit("BENCH_INDEX_DATABASE needs BENCH_POSTGRES_URL (the server it is on).")
    folder = Path(tempfile.mkdtemp(prefix="bench-index-"))
    settings = _server_settings(f"{server.rsplit('/', 1)[0]}/{name}", os.environ.get("BENCH_REDIS_URL", ""))
    settings["AUDIT_CHECKPOINT_STORAGE_OPTIONS"] = f'{{"location": "{folder / "checkpoints"}"}}'
    settings["MEDIA_ROOT"] = str(folder / "media")
    os.environ.update(settings)
    os.environ["DEBUG"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    try:
        yield settings
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    with existing_database(EXISTING) if EXISTING else bench_database("index") as settings:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count

        from registrar.models import IndexName, RegisterEntry

        if EXISTING:
            loaded = "loaded before"
        else:
            call_command("migrate", verbosity=0)
            call_command("load_demo_data", "--offices-only", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
            started = time.monotonic()
            call_command("load_historic_register", "--size", str(SIZE), stdout=open(os.devnull, "w"))  # noqa: SIM115
            loaded = f"loaded in {time.monotonic() - started:.1f} s"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        births = IndexName.objects.filter(event="birth")
        by_count = list(births.values_list("surname").annotate(n=Count("id")).order_by("-n", "surname"))
        common = [surname for surname, _n in by_count[:50]]
        rare = [surname for surname, _n in by_count[-200:]]
        distinct = len(by_count)
        # Surnames of people picked at random: the head of the distribution often, its tail too.
        people = list(births.order_by("?").values_list("surname", flat=True)[:2000])
        maiden_pairs = list(births.exclude(other_surname="").values_list("surname", "other_surname").distinct()[:300])
        districts = list(births.values_list("district__code", flat=True).distinct()[:50])
        rng = random.Random(7)

        def varied(build, count: int = 200) -> list:
            return [(API, build()) for _ in range(count)]

        searches = {
            "exact common surname, all years": varied(lambda: {"event": "birth", "surname": rng.choice(common)}),
            "exact rare surname": varied(lambda: {"event": "birth", "surname": rng.choice(rare)}),
            "exact surname of a random person": varied(lambda: {"event": "birth", "surname": rng.choice(people)}),
            "sounds like a rare surname": varied(
                lambda: {"event": "birth", "surname": rng.choice(rare), "sounds_like": True}
            ),
            "exact common surname, a year ±2": varied(
                lambda: {
                    "event": "birth",
                    "surname": rng.choice(common),
                    "year": rng.randrange(1925, 2020),
                    "years_either_side": 2,
                }
            ),
            "exact common surname, a district": varied(
                lambda: {"event": "birth", "surname": rng.choice(common), "district": rng.choice(districts)}
            ),
            "exact surname + mother's maiden surname": varied(
                lambda: dict(
                    zip(["surname", "mother_maiden_surname"], rng.choice(maiden_pairs), strict=True), event="birth"
                )
            ),
            "sounds like a common surname": varied(
                lambda: {"event": "birth", "surname": rng.choice(common), "sounds_like": True}
            ),
            "sounds like + mother's maiden surname": varied(
                lambda: dict(
                    zip(["surname", "mother_maiden_surname"], rng.choice(maiden_pairs), strict=True),
                    event="birth",
                    sounds_like=True,
                )
            ),
            "misspelt common surname, a year ±10": varied(
                lambda: {
                    "event": "birth",
                    "surname": misspelt(rng.choice(common), rng),
                    "sounds_like": True,
                    "year": rng.randrange(1930, 2015),
                    "years_either_side": 10,
                }
            ),
            "exact common surname, a late page": varied(
                lambda: {"event": "birth", "surname": rng.choice(common), "page": rng.randrange(20, 50)}
            ),
        }
        print(
            f"{describe(settings)}; {RegisterEntry.objects.filter(historic=True).count():,} entries, "
            f"{IndexName.objects.count():,} index lines, {distinct:,} distinct birth surnames, {loaded}; "
            f"{REQUESTS} requests each"
        )
        base = ceiling(settings, requests_count=REQUESTS)
        with serving("config.wsgi:application", settings, probe="/healthz") as url:
            figures = []
            for name, paths in searches.items():
                load("warm-up", url, paths[:10], requests_count=10)
                figures.append(load(name, url, paths, requests_count=REQUESTS))
        report(figures, base)


if __name__ == "__main__":
    main()
