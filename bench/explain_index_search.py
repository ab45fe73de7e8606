"""EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) of every query each kind of index search runs
(`certificates.selectors.search_index`), on a generated register already loaded
(`manage.py load_historic_register`). Give DATABASE_URL of that database (PostgreSQL); prints the
plans in the form of `bench/index_search_plans.txt`. PLAN_LINES (60) cuts each plan after that
many lines (a per-surname merge repeats the same branch for every surname)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from certificates.selectors import IndexSearch, search_index  # noqa: E402
from identity.models import RegisterOffice  # noqa: E402
from registrar.models import IndexName, RegisterEntry  # noqa: E402

PLAN_LINES = int(os.environ.get("PLAN_LINES", "60"))


def explain(label: str, search: IndexSearch) -> None:
    with CaptureQueriesContext(connection) as captured:
        search_index(search)
    print(f"\n===== {label}: {search}")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip("( ").upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
            plan = [row[0] for row in cursor.fetchall() if not row[0].lstrip().startswith("Buffers:")]
            print(f"-- {sql[:200]}")
            shown = [line for line in plan if not line.startswith(("Planning", "Execution"))][:PLAN_LINES]
            print("\n".join(shown))
            if len(shown) < len(plan) - 3:
                print("  (… cut)")
            print("\n".join(line for line in plan if line.startswith(("Planning Time", "Execution Time"))))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Give DATABASE_URL of a PostgreSQL database with a generated register loaded.")
    births = IndexName.objects.filter(event="birth")
    by_count = births.values_list("surname").annotate(n=Count("id")).order_by("n", "surname")
    rare = by_count.first()[0]
    district = RegisterOffice.objects.order_by("code").first()
    print(
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) of every query each kind of index search runs\n"
        "(certificates.selectors.search_index), on PostgreSQL "
        f"{connection.cursor().connection.info.server_version // 10000} with a generated register of "
        f"{RegisterEntry.objects.filter(historic=True).count():,} entries ({IndexName.objects.count():,} index "
        "lines). Buffers lines are left out; each plan is cut after "
        f"{PLAN_LINES} lines. Made by bench/explain_index_search.py; how to reproduce: bench/README.md,\n"
        "section 'Index search at national scale'."
    )
    explain("exact surname", IndexSearch(event="birth", surname="Jones"))
    explain("exact rare surname", IndexSearch(event="birth", surname=rare))
    explain("sounds-like", IndexSearch(event="birth", surname="Jones", sounds_like=True))
    explain("sounds-like, a rare surname", IndexSearch(event="birth", surname=rare, sounds_like=True))
    explain("maiden surname", IndexSearch(event="birth", surname="Jones", mother_maiden_surname="Davies"))
    explain(
        "sounds-like + maiden",
        IndexSearch(event="birth", surname="Jones", sounds_like=True, mother_maiden_surname="Davies"),
    )
    explain(
        "forenames + year±2",
        IndexSearch(event="birth", surname="Jones", forenames="John", year=1960, years_either_side=2),
    )
    explain("district", IndexSearch(event="birth", surname="Jones", district=district))
    explain(
        "misspelt, sounds-like, year±10",
        IndexSearch(event="birth", surname="Smiht", sounds_like=True, year=1970, years_either_side=10),
    )
    explain("late page", IndexSearch(event="birth", surname="Jones", page=40))


if __name__ == "__main__":
    main()
