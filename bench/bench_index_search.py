"""Index search at national scale: loads a historic register of BENCH_INDEX_SIZE entries
(default 1,000,000) with `load_historic_register` (skipped when already loaded), then times
searches — exact surname, sounds-like (phonetic code + trigram fuzzy), with year ranges,
forenames, a district, a mother's maiden surname, a late page — as the page runs them (the
capped count plus one page of results). Prints median and p95 in milliseconds and each as a
ratio to a baseline measured in the same run (fetching 20 index lines by primary key). Meant for
PostgreSQL (DATABASE_URL); without it, a throwaway SQLite file and a smaller default size."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
ON_SQLITE = "DATABASE_URL" not in os.environ
if ON_SQLITE:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DEBUG"] = "false" if os.environ.get("BENCH_DEBUG_OFF") else os.environ.get("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SIZE = int(os.environ.get("BENCH_INDEX_SIZE", "100000" if ON_SQLITE else "1000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))

call_command("migrate", verbosity=0)
call_command("load_demo_data", "--offices-only", verbosity=0)
started = time.monotonic()
call_command("load_historic_register", "--size", str(SIZE))
load_seconds = time.monotonic() - started
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrar_indexname")

from certificates.selectors import IndexSearch, search_index  # noqa: E402
from identity.models import RegisterOffice  # noqa: E402
from registrar.models import IndexName  # noqa: E402

lines = IndexName.objects.count()
first_id = IndexName.objects.order_by("id").values_list("id", flat=True).first()
leeds = RegisterOffice.objects.filter(code="E-LEEDS").first() or RegisterOffice.objects.first()
cardiff = RegisterOffice.objects.filter(code="W-CARDIFF").first() or leeds


def baseline() -> None:
    list(IndexName.objects.select_related("district").filter(id__gte=first_id, id__lt=first_id + 20))


SEARCHES = {
    "exact SMITH, all years": IndexSearch(event="birth", surname="Smith"),
    "exact SMITH, 1950 ±2": IndexSearch(event="birth", surname="Smith", year=1950, years_either_side=2),
    "exact JONES, Cardiff, all years": IndexSearch(event="birth", surname="Jones", district=cardiff),
    "exact SMITH + forename 'Mar', 1950-1970": IndexSearch(
        event="birth", surname="Smith", forenames="Mar", year=1960, years_either_side=10
    ),
    "exact SMITH + maiden JONES": IndexSearch(event="birth", surname="Smith", mother_maiden_surname="Jones"),
    "sounds like SMITH, all years": IndexSearch(event="birth", surname="Smith", sounds_like=True),
    "sounds like SMYTH, 1960 ±5": IndexSearch(
        event="birth", surname="Smyth", sounds_like=True, year=1960, years_either_side=5
    ),
    "fuzzy THOMSPON (misspelt), 1980 ±10": IndexSearch(
        event="birth", surname="Thomspon", sounds_like=True, year=1980, years_either_side=10
    ),
    "fuzzy WILLIANS, deaths, Leeds": IndexSearch(event="death", surname="Willians", sounds_like=True, district=leeds),
    "sounds like PRICHARD, marriages": IndexSearch(event="marriage", surname="Prichard", sounds_like=True),
    "exact SMITH, page 40": IndexSearch(event="birth", surname="Smith", page=40),
    "rare surname, no matches": IndexSearch(event="birth", surname="Zzyzzx", sounds_like=True),
}


def timed(function, rounds: int = ROUNDS) -> list[float]:
    function()  # warm
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


base = timed(baseline)
base_median = statistics.median(base)
print(
    f"{connection.vendor}: {SIZE:,} entries requested, {lines:,} index lines; load {load_seconds:.1f}s "
    f"(0 if already loaded); {ROUNDS} rounds each"
)
print(f"{'search':44} {'found':>6} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11}")
print(f"{'baseline: 20 lines by primary key':44} {'':>6} {base_median:10.2f} {p95(base):8.2f} {1:11.1f}")
for name, search in SEARCHES.items():
    page = search_index(search)
    samples = timed(lambda search=search: search_index(search))
    median = statistics.median(samples)
    found = f"{page.total}{'+' if page.too_many else ''}"
    print(f"{name:44} {found:>6} {median:10.2f} {p95(samples):8.2f} {median / base_median:11.1f}")
