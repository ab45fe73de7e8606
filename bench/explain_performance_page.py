"""EXPLAIN (ANALYZE, BUFFERS) of the queries behind the performance page, its downloads, the open
data and the staff dashboard, on the national year `bench_performance_page.py` kept
(BENCH_PERFPAGE_KEEP=1). Give DATABASE_URL of that database; prints each query's plan and time."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from identity.models import RegisterOffice, User  # noqa: E402
from performance.dashboard import staff_dashboard  # noqa: E402
from performance.open_data import publication  # noqa: E402
from performance.selectors import performance_figures  # noqa: E402


def explain(label: str, run) -> None:
    with CaptureQueriesContext(connection) as captured:
        run()
    print(f"\n=== {label}: {len(captured)} queries")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            print(f"--- {sql[:160]}...\n    {total}")
            for line in plan[: int(os.environ.get("PLAN_LINES", "14"))]:
                print(f"    {line}")


def main() -> None:
    today = timezone.localdate()
    office = RegisterOffice.objects.order_by("code").first()
    national = User.objects.get(email="national@bench.invalid")
    explain("performance page, national, by month", lambda: performance_figures())
    explain("performance page, a district, by week", lambda: performance_figures(district=office, period_kind="week"))
    explain("open data, births by month", lambda: publication("births-by-month", year=today.year))
    explain("open data, deaths by week", lambda: publication("deaths-by-week", year=today.year))
    first = today - timedelta(days=364)
    explain(
        "staff dashboard, national, a year", lambda: staff_dashboard(user=national, first_day=first, last_day=today)
    )
    explain(
        f"staff dashboard, {office.code}, a year",
        lambda: staff_dashboard(user=national, first_day=first, last_day=today, office_code=office.code),
    )


if __name__ == "__main__":
    main()
