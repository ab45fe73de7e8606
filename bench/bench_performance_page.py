"""The public performance page, its downloads and the staff dashboard at a national year, over HTTP.

A year through the services is some 174 CPU-hours, so the year measured here is made in two steps,
and the output says so:

1. a small share of a year (BENCH_REPLAY_SCALE, default 0.0001) replayed through the real services
   by `manage.py replay_year`, plus the survey answers given through `record_feedback`; the replay
   has no phone support and no certificate checks, so a share of its journeys is given an assisted
   session and its copies are checked, written as rows (said below as "constructed");
2. those real rows multiplied on PostgreSQL by set-based SQL (one INSERT ... SELECT per table) to
   BENCH_YEAR_SHARE (default 1.0) of a national year: copy k of a row gets new keys (ids in a block
   of their own, references with a suffix), all its dates moved by the same amount (copy k lands
   k/K of a year back, so copies fill the 12 months) and a district picked by k; a foreign key to
   another multiplied row points to the same copy of it, so the shares of statuses, of journeys
   finished and of help given are the replay's own.

Then the page (by month and by week, nationally and for districts), each indicator's CSV and JSON,
and the staff dashboard at national scope (signed in, the last 28 days and the whole year) are
timed by concurrent clients against gunicorn, PostgreSQL and Redis, as ratios to the one-view
Django project served the same way. Set BENCH_PERFPAGE_KEEP=1 to keep the database for EXPLAIN
(its URL is printed; drop it yourself)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import over_http  # noqa: E402
from bench.over_http import bench_database, ceiling, describe, load, report, serving  # noqa: E402

SCALE = float(os.environ.get("BENCH_REPLAY_SCALE", "0.0001"))
YEAR_SHARE = float(os.environ.get("BENCH_YEAR_SHARE", "1.0"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "120"))
KEEP = os.environ.get("BENCH_PERFPAGE_KEEP", "") == "1"
# With KEEP, the replayed share is also kept as this database; BENCH_PERFPAGE_FROM_REPLAYED=1
# starts from it again instead of replaying (for trying indexes at volume).
REPLAYED = "bench_perfpage_replayed"
FROM_REPLAYED = os.environ.get("BENCH_PERFPAGE_FROM_REPLAYED", "") == "1"
# BENCH_PERFPAGE_TIME_KEPT=1 times the kept national year again (after `migrate`, say with new indexes).
TIME_KEPT = os.environ.get("BENCH_PERFPAGE_TIME_KEPT", "") == "1"
# At a national year, counting every figure live takes longer than gunicorn's 30-second worker
# timeout on a loaded machine; BENCH_PERFPAGE_LIVE=0 times only the summarised page.
LIVE = os.environ.get("BENCH_PERFPAGE_LIVE", "1") != "0"
# BENCH_PERFPAGE_DASHBOARD=0 leaves out the staff dashboard (minutes a year at national scope).
DASHBOARD = os.environ.get("BENCH_PERFPAGE_DASHBOARD", "1") != "0"
# BENCH_PERFPAGE_BUILD_ONLY=1 (with KEEP) builds and keeps the year without timing it.
BUILD_ONLY = os.environ.get("BENCH_PERFPAGE_BUILD_ONLY", "") == "1"
# The survey is answered at the end of about one journey in eight; phone support finishes about
# one in twenty-five (the shares the cost model assumes; the replay itself has neither).
SURVEY_SHARE = 1 / 8
PHONE_SUPPORT_SHARE = 1 / 25

# The tables the selectors read whose rows grow with the year, parents before children.
# The citizens are multiplied too, so that each copy of a journey has a person of its own, as in
# a real year (staff are not: a copy is worked by the same registrars).
MULTIPLIED = (
    "identity.User",
    "identity.ConsentCode",
    "identity.AssistedSession",
    "identity.IdentityCase",
    "identity.CaseDecision",
    "identity.OutboundMessage",
    "registrar.Registration",
    "registrar.RegisterEntry",
    "registrar.Notice",
    "booking.Booking",
    "booking.Party",
    "booking.Occupancy",
    "certificates.CertificateOrder",
    "certificates.Verification",
    "performance.FeedbackResponse",
)


@contextlib.contextmanager
def kept_database() -> contextlib.AbstractContextManager:
    """Like `bench_database`, but the database stays afterwards for EXPLAIN."""
    server = os.environ["BENCH_POSTGRES_URL"]
    import psycopg

    name = "bench_perfpage_kept"
    if not TIME_KEPT:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            template = f' TEMPLATE "{REPLAYED}"' if FROM_REPLAYED else ""
            connection.execute(f'CREATE DATABASE "{name}"{template}')
    database_url = f"{server.rsplit('/', 1)[0]}/{name}"
    with bench_database("perfpage") as settings:
        settings["DATABASE_URL"] = database_url
        os.environ["DATABASE_URL"] = database_url
        yield settings
    print(f"kept: {database_url}")


def keep_replayed(database_url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ["BENCH_POSTGRES_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{REPLAYED}"')
        connection.execute(f'CREATE DATABASE "{REPLAYED}" TEMPLATE "{database_url.rsplit("/", 1)[1]}"')


def replay_share() -> dict[str, int]:
    """Step 1: the real services, and the parts the replay does not do."""
    from django.core.management import call_command

    from certificates.models import CertificateOrder, Verification
    from identity.models import AssistedSession, ConsentCode, User
    from performance.models import Journey, Rating
    from performance.services import record_feedback
    from registrar.models import Registration

    started = time.monotonic()
    call_command("replay_year", "--scale", str(SCALE), "--every", "100000", stdout=open(os.devnull, "w"))  # noqa: SIM115
    replay_seconds = time.monotonic() - started
    rng = random.Random(19)
    journeys = list(Journey.values)
    finished = Registration.objects.filter(status="registered").count() + CertificateOrder.objects.count()
    ratings = [Rating.VERY_SATISFIED] * 5 + [Rating.SATISFIED] * 3 + [Rating.NEITHER, Rating.DISSATISFIED]
    for n in range(max(1, round(finished * SURVEY_SHARE * 2))):
        record_feedback(journey=rng.choice(journeys), rating=rng.choice(ratings), comment="", client_address=f"10.{n}")
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    helped = [order for order in CertificateOrder.objects.exclude(paid_at=None) if rng.random() < PHONE_SUPPORT_SHARE]
    for order in helped:
        opened = order.paid_at - timedelta(minutes=10)
        consent = ConsentCode.objects.create(
            person=order.person, code_hash="bench", created_at=opened, expires_at=opened, used_at=opened
        )
        AssistedSession.objects.create(
            staff=staff,
            person=order.person,
            consent=consent,
            opened_at=opened,
            expires_at=opened + timedelta(minutes=30),
            closed_at=order.paid_at + timedelta(minutes=1),
        )
    kinds = list(Verification.Kind.values)
    for order in CertificateOrder.objects.select_related("entry"):
        Verification.objects.create(
            checked_on=order.created_at.date(),
            how=rng.choice(list(Verification.How.values)),
            kind=rng.choice(kinds[:1] * 8 + kinds),
            outcome=Verification.Outcome.VALID if rng.random() < 0.95 else Verification.Outcome.UNKNOWN,
            district=order.entry.district,
        )
    return {"replay_seconds": round(replay_seconds), "phone_sessions": len(helped)}


def multiply(copies: int) -> tuple[dict[str, tuple[int, int]], list[str], float]:
    """Step 2: each multiplied table's rows made `copies` times over, in SQL. Returns per table
    (rows replayed, rows now), the constraints stood aside in this throwaway database (uniqueness
    across several columns, which copies sharing offices and registrars cannot always keep, and
    the exclusion constraints, since copies share rooms), and the seconds taken. Citizens are
    copied with their journeys (copy k of a notice belongs to copy k of its person); staff are
    not, and a reference to a member of staff stays as it was."""
    from django.apps import apps
    from django.db import connection, models, transaction

    from booking.models import Room, Venue
    from identity.models import RegisterOffice, User

    started = time.monotonic()
    tables = [apps.get_model(label) for label in MULTIPLIED]
    table_names = {model._meta.db_table for model in tables}
    stood_aside: list[str] = []
    spans: dict[str, tuple[int, int, int]] = {}
    counts: dict[str, tuple[int, int]] = {}
    with connection.cursor() as cursor:
        # Uniqueness across several columns and exclusion constraints cannot hold for copies
        # of the same people in the same rooms; single-column keys (references) are kept unique.
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype FROM pg_constraint c "
            "WHERE c.contype IN ('u', 'x') AND c.conrelid::regclass::text = ANY(%s) "
            "AND (c.contype = 'x' OR array_length(c.conkey, 1) > 1)",
            [list(table_names)],
        )
        for table, name, _kind in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            stood_aside.append(f"{table}.{name}")
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE 'CREATE UNIQUE%%' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(table_names)],
        )
        for table, name in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            stood_aside.append(f"{table}.{name}")
        for model in tables:
            table = model._meta.db_table
            cursor.execute(f'SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*) FROM "{table}"')
            low, high, count = cursor.fetchone()
            spans[table] = (low, high - low + 1 if count else 0, high)
            counts[table] = (count, count)
        # Copies are spread over the offices, rooms and venues by k: an array literal indexed per
        # row (a subquery per row would read the list again for each of millions of rows).
        picks = {}
        for model in (RegisterOffice, Room, Venue):
            cursor.execute(
                f'SELECT COALESCE(array_agg(id ORDER BY id), ARRAY[]::bigint[]) FROM "{model._meta.db_table}"'
            )
            ids = cursor.fetchone()[0] or [0]
            picks[model] = f"(ARRAY[{','.join(str(pk) for pk in ids)}]::bigint[])[((k + t.id) %% {len(ids)}) + 1]"
        staff = list(User.objects.filter(is_staff=True).values_list("pk", flat=True)) or [0]
        staff_ids = f"ARRAY[{','.join(str(pk) for pk in staff)}]::bigint[]"
        user_table = User._meta.db_table
        # Copy k lands k/copies of a year before the replay's own day.
        year = timedelta(days=365)
        # One transaction: a copy may point to the copy of a row in a table copied after it.
        transaction.set_autocommit(False)
        for model in tables:
            table = model._meta.db_table
            count, _now = counts[table]
            if not count:
                continue
            low, span, high = spans[table]
            columns, values = [], []
            for field in model._meta.concrete_fields:
                column = f't."{field.column}"'
                if field.primary_key:
                    value = f"{high} + (k - 1) * {span} + ({column} - {low}) + 1"
                elif field.is_relation and field.related_model._meta.db_table in spans:
                    target_low, target_span, target_high = spans[field.related_model._meta.db_table]
                    value = f"{target_high} + (k - 1) * {target_span} + ({column} - {target_low}) + 1"
                    if field.related_model is User:
                        value = f"CASE WHEN {column} = ANY({staff_ids}) THEN {column} ELSE {value} END"
                elif field.is_relation and field.related_model is RegisterOffice:
                    value = f"CASE WHEN {column} IS NULL THEN NULL ELSE {picks[RegisterOffice]} END"
                elif field.is_relation and field.related_model is Room:
                    value = f"CASE WHEN {column} IS NULL THEN NULL ELSE {picks[Room]} END"
                elif field.is_relation and field.related_model is Venue:
                    value = f"CASE WHEN {column} IS NULL THEN NULL ELSE {picks[Venue]} END"
                elif isinstance(field, models.DateTimeField):
                    value = f"{column} - k * interval '{year.total_seconds() / copies} seconds'"
                elif isinstance(field, models.DateField):
                    value = f"({column} - (k * {365 / copies})::int)"
                elif field.unique and isinstance(field, models.CharField | models.TextField):
                    value = f"{column} || '~' || k"
                    if isinstance(field, models.CharField):
                        cursor.execute(
                            f'ALTER TABLE "{table}" ALTER COLUMN "{field.column}" TYPE varchar({field.max_length + 8})'
                        )
                else:
                    value = column
                columns.append(f'"{field.column}"')
                values.append(value)
            citizens_only = " WHERE NOT t.is_staff" if table == user_table else ""
            cursor.execute(
                f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608
                f'SELECT {", ".join(values)} FROM "{table}" t CROSS JOIN generate_series(1, %s) AS k{citizens_only}',
                [copies - 1],
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
            )
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = (count, cursor.fetchone()[0])
            print(f"  ... {table}: {counts[table][1]:,} rows, {time.monotonic() - started:.0f} s", flush=True)
        transaction.commit()
        transaction.set_autocommit(True)
        cursor.execute("ANALYZE")
    return counts, stood_aside, time.monotonic() - started


# What every HTML page links to: without them in the manifest, production mode answers 500.
STATIC_NEEDED = ("site/favicon.svg", "site/neutral.css", "govuk/govuk-frontend.min.js")


def collect_static(settings: dict[str, str]) -> None:
    """The static files and their manifest, collected into STATIC_ROOT (var/staticfiles) with the
    servers' own settings, as a deployment does: production mode serves from the manifest, which
    only its storage writes. Stops the bench, saying why, when the assets were never built."""
    built = over_http.ROOT / "build" / "static"
    missing = [name for name in STATIC_NEEDED[1:] if not (built / name).is_file()]
    if missing:
        sys.exit(f"bench_performance_page: {built} lacks {', '.join(missing)}; build the assets first (`make assets`)")
    manifest = over_http.ROOT / "var" / "staticfiles" / "staticfiles.json"
    sources = [path for folder in (built, over_http.ROOT / "config" / "static") for path in folder.rglob("*")]
    if not manifest.is_file() or manifest.stat().st_mtime < max(path.stat().st_mtime for path in sources):
        # Minutes on a loaded machine (every file is hashed and compressed): only when changed.
        env = {**os.environ, **settings, "DJANGO_SETTINGS_MODULE": "config.settings"}
        command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"]
        subprocess.run(command, env=env, cwd=over_http.ROOT, check=True)
    paths = json.loads(manifest.read_text())["paths"] if manifest.is_file() else {}
    missing = [name for name in STATIC_NEEDED if name not in paths]
    if missing:
        sys.exit(f"bench_performance_page: the static manifest {manifest} lacks {', '.join(missing)}")


def page_answers(url: str) -> None:
    """Stops the bench, saying why, unless the start page (which links every static file a page
    does) answers 200: a 500 on every page is no figure."""
    import requests

    response = requests.get(url + "/", headers={**over_http.HEADERS, "Accept": "text/html"}, timeout=60)
    if response.status_code != 200:
        sys.exit(f"bench_performance_page: the start page answered {response.status_code}: {response.text[:300]!r}")


def time_the_summary() -> None:
    """The summary of closed days at this volume: the whole window (none summarised), then a run
    with nothing changed, then the next day closed (today's rows, counted as if it were
    tomorrow), then that day with a day's finishes of the journeys started in the last fortnight."""
    from django.db import connection
    from django.utils import timezone

    from performance.services import summarise_closed_days

    today = timezone.localdate()
    runs = [
        ("the whole window, none summarised", {}),
        ("again, nothing changed", {}),
        ("the next day closed", {"today": today + timedelta(days=1)}),
    ]
    for label, options in runs:
        started = time.monotonic()
        written = summarise_closed_days(**options)
        print(f"  summarise_closed_days, {label}: {written:,} rows in {time.monotonic() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        # A day's moves: one in fourteen of the fortnight's births and deaths registered today.
        cursor.execute(
            "UPDATE registrar_registration SET updated_at = now() "
            "WHERE created_at >= now() - interval '14 days' AND id % 14 = 0"
        )
        moved = cursor.rowcount
    started = time.monotonic()
    written = summarise_closed_days(today=today + timedelta(days=1))
    print(
        f"  summarise_closed_days, the next day after {moved:,} registrations of the last fortnight moved: "
        f"{written:,} rows in {time.monotonic() - started:.1f} s",
        flush=True,
    )


def staff_cookie() -> str:
    """A signed-in Registrar General's office account (both factors), as the sign-in leaves it."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from identity import roles
    from identity.access import STAFF_VERIFIED_SESSION_KEY
    from identity.models import User

    national, _created = User.objects.get_or_create(
        email="national@bench.invalid", defaults={"full_name": "Bench national", "is_staff": True}
    )
    national.groups.add(Group.objects.get(name=roles.REGISTRAR_GENERAL))
    client = Client()
    client.force_login(national)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = timezone.now().isoformat()
    session.save()
    return f"__Host-sessionid={session.session_key}"


def dashboard_query(first: date, last: date, office: str = "") -> str:
    return (
        f"?date_from_0={first.day}&date_from_1={first.month}&date_from_2={first.year}"
        f"&date_to_0={last.day}&date_to_1={last.month}&date_to_2={last.year}&office={office}"
    )


def main() -> None:
    if not os.environ.get("BENCH_POSTGRES_URL"):
        print("bench_performance_page needs PostgreSQL (BENCH_POSTGRES_URL); skipped")
        return
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    with kept_database() if KEEP else bench_database("perfpage") as settings:
        signing = Path(settings["MEDIA_ROOT"]).parent / "signing"
        os.environ.update(
            {
                "PAYMENT_PROVIDER": "sandbox",
                "CERTIFICATE_SIGNING_KEY_PATH": str(signing / "signing-key.pem"),
                "CERTIFICATE_SIGNING_CERT_PATH": str(signing / "signing-cert.pem"),
                "CERTIFICATE_SIGNING_CA_PATH": str(signing / "ca-cert.pem"),
                "CERTIFICATE_SIGNING_KEY_PASSPHRASE": "",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        from certificates.signing import create_development_keys

        create_development_keys(signing, passphrase="")
        call_command("migrate", verbosity=0)
        if TIME_KEPT:
            from django.db import connection

            from performance.models import DayCount, SummaryMark

            DayCount.objects.all().delete()
            SummaryMark.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"{describe(settings)}. The national year kept by an earlier run (replayed rows multiplied):")
            time_the_pages(settings)
            return
        if FROM_REPLAYED:
            extra = {"replay_seconds": "not timed (kept from an earlier run)", "phone_sessions": "some"}
        else:
            call_command("load_demo_data", "--offices-only", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
            extra = replay_share()
            if KEEP:
                keep_replayed(settings["DATABASE_URL"])
        copies = max(1, round(YEAR_SHARE / SCALE))
        counts, stood_aside, multiply_seconds = multiply(copies)
        if BUILD_ONLY:
            print(f"built {YEAR_SHARE:g} of a year ({multiply_seconds:.0f} s to multiply); not timed")
            for table, (replayed, now) in counts.items():
                print(f"  {table:34} {replayed:>7,} replayed -> {now:>11,}")
            return
        print(
            f"{describe(settings)}. THE YEAR IS REPLAYED ROWS MULTIPLIED: {SCALE:g} of a national year replayed "
            f"through the services ({extra['replay_seconds']} s; plus survey answers through the survey service, "
            f"and {extra['phone_sessions']} phone-support sessions and the certificate checks constructed as rows), "
            f"then every row copied {copies:,} times in SQL ({multiply_seconds:.0f} s) to {YEAR_SHARE:g} of a year."
        )
        for table, (replayed, now) in counts.items():
            print(f"  {table:34} {replayed:>7,} replayed -> {now:>11,}")
        print(f"  stood aside in this throwaway database: {', '.join(stood_aside) or 'nothing'}")
        time_the_pages(settings)


def time_the_pages(settings: dict[str, str]) -> None:
    """Step 3: the page and downloads counted live, then with the closed days summarised (in
    English and in Welsh); the open data; the staff dashboard nationally and for one office."""
    from django.conf import settings as django_settings
    from django.utils import timezone

    from identity.models import RegisterOffice

    districts = list(RegisterOffice.objects.order_by("code").values_list("code", flat=True))
    rng = random.Random(3)
    picked = rng.sample(districts, min(8, len(districts)))
    queries = ["", "?period=week", "?period=month"] + [f"?district={code}" for code in picked]
    queries += [f"?period=week&district={code}" for code in picked[:4]]
    page = [f"/performance/{query}" for query in queries]
    downloads = [
        f"/performance/{key}.{extension}{query}"
        for key in ("completion-rate", "digital-take-up", "user-satisfaction", "cost-per-transaction")
        for extension in ("csv", "json")
        for query in queries[:5]
    ]
    rng.shuffle(downloads)
    today = timezone.localdate()
    open_data = [
        f"/api/v1/open-data/{dataset}?year={year}&format={extension}"
        for dataset in (
            "births-by-month",
            "deaths-by-month",
            "deaths-by-week",
            "marriages-and-civil-partnerships-by-month",
        )
        for year in (today.year, today.year - 1)
        for extension in ("csv", "json")
    ]
    rng.shuffle(open_data)
    office = picked[0]
    month, year = (
        dashboard_query(today - timedelta(days=27), today),
        dashboard_query(today - timedelta(days=364), today),
    )
    dashboards = {
        "staff dashboard, national, 28 days": f"/staff/registrar/dashboard/{month}",
        "staff dashboard, national, a year": f"/staff/registrar/dashboard/{year}",
        f"staff dashboard, office {office}, 28 days": f"/staff/registrar/dashboard/{month}{office}",
        f"staff dashboard, office {office}, a year": f"/staff/registrar/dashboard/{year}{office}",
    }
    cookie = staff_cookie()
    welsh = f"{django_settings.LANGUAGE_COOKIE_NAME}=cy"
    collect_static(settings)
    if not LIVE:
        time_the_summary()
    base = ceiling(settings, requests_count=REQUESTS)
    figures = []
    with serving("config.wsgi:application", settings, probe="/healthz") as url:
        page_answers(url)
        # First with every figure counted live (no summary yet), then with the closed days summarised.
        for when in ("counted live", "closed days summarised") if LIVE else ("closed days summarised",):
            if when != "counted live" and LIVE:
                from performance.services import summarise_closed_days

                started = time.monotonic()
                written = summarise_closed_days()
                print(f"  summarise_closed_days: {written:,} rows in {time.monotonic() - started:.1f} s")
            load("warm-up", url, page[:4], requests_count=8)
            figures.append(load(f"page, {when}", url, page, requests_count=REQUESTS))
            figures.append(load(f"CSV and JSON downloads, {when}", url, downloads, requests_count=REQUESTS))
        with mock.patch.dict(over_http.HEADERS, {"Cookie": welsh, "Accept": "text/html"}):
            figures.append(load("page in Welsh, closed days summarised", url, page, requests_count=REQUESTS))
        # Each format is asked for by `format=`; an `Accept` of JSON alone would refuse the CSV (406).
        with mock.patch.dict(over_http.HEADERS, {"Accept": "*/*"}):
            load("warm-up", url, open_data[:2], requests_count=2)
            figures.append(
                load("open data (API, CSV and JSON, two years)", url, open_data, requests_count=REQUESTS // 2)
            )
        with mock.patch.dict(over_http.HEADERS, {"Cookie": cookie, "Accept": "text/html"}):
            for label, path in dashboards.items() if DASHBOARD else ():
                load("warm-up", url, [path], requests_count=2)
                figures.append(load(label, url, [path], requests_count=max(8, REQUESTS // 6)))
        with mock.patch.dict(over_http.HEADERS, {"Cookie": f"{cookie}; {welsh}", "Accept": "text/html"}):
            path = dashboards["staff dashboard, national, 28 days"]
            figures += (
                []
                if not DASHBOARD
                else [
                    load(
                        "staff dashboard in Welsh, national, 28 days", url, [path], requests_count=max(8, REQUESTS // 6)
                    )
                ]
            )
    report(figures, base)


if __name__ == "__main__":
    main()
