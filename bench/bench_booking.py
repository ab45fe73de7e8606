"""Booking under contention over HTTP: the demo calendar served by gunicorn with 2 workers, and
BENCH_BOOKING_CLIENTS (50) concurrent clients booking ceremonies through the API as a client app
does (hold a slot, then book the hold with both people's details, each POST with its own
Idempotency-Key), each booking on a distinct slot. In the same run, the same rows are inserted
bare at the same concurrency into the same constrained tables (a booking, its three occupancy
rows under the exclusion constraints and its two parties, in one transaction, by plain SQL and
by the ORM), so that the booking's throughput is given as a ratio to the bare insert's. A
contested phase then sends many clients at a few slots and counts the winners, the refusals and
any server error. BENCH_PROFILE=1 also profiles bookings made in this process. Prints figures;
it does not pass or fail."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import HEADERS, THREADS, WORKERS, bench_database, serving  # noqa: E402

BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "400"))
CLIENTS = int(os.environ.get("BENCH_BOOKING_CLIENTS", "50"))
CONTESTED_SLOTS = int(os.environ.get("BENCH_CONTESTED_SLOTS", "5"))
CONTESTED_ROUNDS = int(os.environ.get("BENCH_CONTESTED_ROUNDS", "4"))
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
PROFILED_BOOKINGS = 20
WARM_UP_BOOKINGS = 4 * WORKERS

HOLDS = "/api/v1/booking/holds"
# Names the register can hold (letters only), and addresses lived at long enough to give notice.
PARTIES = [
    {
        "full_name": f"{name} Example",
        "date_of_birth": "1990-05-17",
        "postcode": "LS1 3AD",
        "lived_there_since": "2020-01-01",
    }
    for name in ("Ann", "Bea")
]


def percentile(samples: list[float], share: int) -> float:
    """The nearest-rank percentile: the smallest sample with `share`% of the samples at or below it."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * share // 100) - 1)]


@dataclass
class Line:
    """One row of the report: what was timed, each sample in milliseconds, over how long."""

    name: str
    samples: list[float]
    seconds: float
    errors: int = 0
    requests_per_item: int = 1

    @property
    def per_second(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        return (
            f"{self.name[:58]:58} {len(self.samples):6d} {self.per_second * self.requests_per_item:7.1f} "
            f"{self.per_second:8.1f} {statistics.median(self.samples) if self.samples else float('nan'):8.1f} "
            f"{percentile(self.samples, 95):8.1f} {percentile(self.samples, 99):8.1f} {self.errors:6d}"
        )


HEADING = f"{'':58} {'count':>6} {'req/s':>7} {'items/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"


@dataclass
class Attempt:
    """One client's try at one slot: the status of each POST and how long each took."""

    slot: int
    round: int = 0
    hold_status: int = 0  # 0: no answer (a connection error or a timeout)
    hold_code: str = ""
    hold_ms: float = 0.0
    reference: str = ""
    confirm_status: int | None = None  # None: not tried, as the hold was not had
    confirm_ms: float = 0.0
    replay_matched: bool | None = None
    statuses: list[int] = field(default_factory=list)


def _session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers.update(HEADERS | {"Authorization": f"Bearer {token}"})
    return session


def _post(session: requests.Session, url: str, body: dict, key: str) -> tuple[int, dict, float, bool]:
    started = time.perf_counter()
    try:
        response = session.post(url, json=body, headers={"Idempotency-Key": key}, timeout=120)
    except requests.RequestException:
        return 0, {}, (time.perf_counter() - started) * 1000, False
    elapsed = (time.perf_counter() - started) * 1000
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer, elapsed, response.headers.get("Idempotent-Replayed") == "true"


def book(session: requests.Session, url: str, index: int, body: dict, *, retry_hold: bool = False) -> Attempt:
    """Hold the slot and book the hold with both people's details, as a client app does; with
    `retry_hold`, the hold is sent again with its key afterwards, as a client that lost the first
    answer would, and must be answered the same."""
    attempt = Attempt(slot=index)
    hold_key = str(uuid.uuid4())
    attempt.hold_status, answer, attempt.hold_ms, _replayed = _post(session, url + HOLDS, body, hold_key)
    attempt.statuses.append(attempt.hold_status)
    attempt.hold_code = (answer.get("error") or {}).get("code", "")
    if attempt.hold_status == 201:
        attempt.reference = answer["reference"]
        attempt.confirm_status, answer, attempt.confirm_ms, _replayed = _post(
            session, f"{url}{HOLDS}/{attempt.reference}/confirm", {"parties": PARTIES}, str(uuid.uuid4())
        )
        attempt.statuses.append(attempt.confirm_status)
        if attempt.confirm_status == 200 and answer.get("status") != "provisional":
            attempt.confirm_status = -1  # answered 200 without booking it
    if retry_hold:
        status, again, _ms, replayed = _post(session, url + HOLDS, body, hold_key)
        attempt.statuses.append(status)
        attempt.replay_matched = (
            replayed and status == attempt.hold_status and again.get("reference", "") == attempt.reference
        )
    return attempt


def run_clients(url: str, tokens: list[str], bodies: list[dict], *, contested: bool = False) -> tuple[list, float]:
    """Every client takes the next slot in turn until none are left; contested, each client takes
    one slot (`bodies[client % len(bodies)]`) and all start together."""
    lock = threading.Lock()
    queue = iter(enumerate(bodies))
    attempts: list[Attempt] = []
    barrier = threading.Barrier(len(tokens))

    def client(number: int) -> None:
        session = _session(tokens[number])
        if contested:
            barrier.wait()
            index = number % len(bodies)
            attempt = book(session, url, index, bodies[index], retry_hold=True)
            with lock:
                attempts.append(attempt)
            return
        while True:
            with lock:
                taken = next(queue, None)
            if taken is None:
                return
            attempt = book(session, url, *taken)
            with lock:
                attempts.append(attempt)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return attempts, time.perf_counter() - started


def distinct_slots(slots, count: int) -> list:
    """`count` slots no two of which could want the same officers: one per office and day."""
    from booking.selectors import UK

    chosen, seen = [], set()
    for slot in slots:
        key = (slot.room.venue.office_id, slot.starts_at.astimezone(UK).date())
        if key in seen:
            continue
        seen.add(key)
        chosen.append(slot)
        if len(chosen) == count:
            break
    return chosen


def find_distinct_slots(count: int) -> list:
    from booking import selectors

    first, last = selectors.bookable_dates("ceremony")
    days = 7
    while True:
        date_to = min(first + timedelta(days=days - 1), last)
        found = selectors.find_slots(
            selectors.SlotSearch(kind="ceremony", date_from=first, date_to=date_to, limit=1_000_000)
        )
        chosen = distinct_slots(found, count)
        if len(chosen) == count or date_to == last:
            return chosen
        days *= 2


def _body(slot) -> dict:
    return {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}


def booking_lines(attempts: list[Attempt], seconds: float) -> list[Line]:
    held = [a for a in attempts if a.hold_status == 201]
    booked = [a for a in held if a.confirm_status == 200]
    return [
        Line("hold: POST /holds", [a.hold_ms for a in attempts], seconds, len(attempts) - len(held)),
        Line("book the hold, both parties: POST /holds/{ref}/confirm", [a.confirm_ms for a in held], seconds),
        Line(
            "booking: hold + both parties + confirm",
            [a.hold_ms + a.confirm_ms for a in booked],
            seconds,
            len(attempts) - len(booked),
            requests_per_item=2,
        ),
    ]


def rows_made(references: list[str]) -> list[tuple[dict, list[dict], list[dict]]]:
    """The rows each booking wrote (the booking, its active occupancy rows, its parties), as
    templates for the bare insert."""
    from booking.models import Booking, Occupancy, Party

    bookings = {row["id"]: row for row in Booking.objects.filter(reference__in=references).values()}
    occupancies: dict[int, list[dict]] = {pk: [] for pk in bookings}
    for row in Occupancy.objects.filter(booking_id__in=bookings, active=True).values():
        occupancies[row["booking_id"]].append(row)
    parties: dict[int, list[dict]] = {pk: [] for pk in bookings}
    for row in Party.objects.filter(booking_id__in=bookings).values():
        parties[row["booking_id"]].append(row)
    return [(bookings[pk], occupancies[pk], parties[pk]) for pk in bookings]


def free_rows(booking_ids: list[int]) -> None:
    """Cancel the bookings the next phase copies, so that their rooms and officers are free again
    under the same constraints: inactive occupancy rows are history."""
    from booking.models import Booking, Occupancy

    Occupancy.objects.filter(booking_id__in=booking_ids).update(active=False)
    Booking.objects.filter(pk__in=booking_ids).update(status=Booking.Status.CANCELLED)


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def bare_insert_sql(database_url: str, templates, name_prefix: str) -> tuple[Line, list[int]]:
    """Each template's rows inserted again by plain SQL, one transaction per booking, from CLIENTS
    connections at once: what the database alone takes to write a booking under its constraints."""
    import psycopg
    from psycopg import sql

    from booking.models import Booking, Occupancy, Party

    def statement(model, rows: int, returning: bool = False):
        columns = _columns(model)
        values = sql.SQL("({})").format(sql.SQL(", ").join(sql.Placeholder() * len(columns)))
        return sql.SQL("INSERT INTO {} ({}) VALUES {}{}").format(
            sql.Identifier(model._meta.db_table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join([values] * rows),
            sql.SQL(" RETURNING id") if returning else sql.SQL(""),
        )

    booking_columns, occupancy_columns, party_columns = _columns(Booking), _columns(Occupancy), _columns(Party)
    queue = iter(enumerate(templates))
    lock = threading.Lock()
    samples: list[float] = []
    made: list[int] = []
    errors = [0]

    def client() -> None:
        with psycopg.connect(database_url) as connection:
            while True:
                with lock:
                    taken = next(queue, None)
                if taken is None:
                    return
                number, (booking, occupancies, parties) = taken
                started = time.perf_counter()
                try:
                    with connection.transaction():
                        row = {**booking, "reference": f"{name_prefix}{number:06d}", "status": "provisional"}
                        booking_id = connection.execute(
                            statement(Booking, 1, returning=True),
                            [row[_attname(Booking, column)] for column in booking_columns],
                        ).fetchone()[0]
                        connection.execute(
                            statement(Occupancy, len(occupancies)),
                            [
                                value
                                for occupancy in occupancies
                                for value in (
                                    {**occupancy, "booking_id": booking_id}[_attname(Occupancy, column)]
                                    for column in occupancy_columns
                                )
                            ],
                        )
                        connection.execute(
                            statement(Party, len(parties)),
                            [
                                value
                                for party in parties
                                for value in (
                                    {**party, "booking_id": booking_id}[_attname(Party, column)]
                                    for column in party_columns
                                )
                            ],
                        )
                except psycopg.Error:
                    with lock:
                        errors[0] += 1
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    samples.append(elapsed)
                    made.append(booking_id)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Line(
        "bare insert, plain SQL: 1 + 3 + 2 rows, 1 transaction", samples, time.perf_counter() - started, errors[0]
    ), made


def _attname(model, column: str) -> str:
    return next(f.attname for f in model._meta.concrete_fields if f.column == column)


def bare_insert_orm(templates, name_prefix: str) -> tuple[Line, list[int]]:
    """The same rows through the ORM (create, then bulk_create), one transaction per booking,
    from CLIENTS threads, each with its own connection."""
    from django.db import DatabaseError, connection, transaction

    from booking.models import Booking, Occupancy, Party

    queue = iter(enumerate(templates))
    lock = threading.Lock()
    samples: list[float] = []
    made: list[int] = []
    errors = [0]

    def client() -> None:
        try:
            while True:
                with lock:
                    taken = next(queue, None)
                if taken is None:
                    return
                number, (booking, occupancies, parties) = taken
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        row = {key: value for key, value in booking.items() if key != "id"}
                        made_booking = Booking.objects.create(
                            **row | {"reference": f"{name_prefix}{number:06d}", "status": "provisional"}
                        )
                        Occupancy.objects.bulk_create(
                            Occupancy(**{k: v for k, v in o.items() if k != "id"} | {"booking_id": made_booking.pk})
                            for o in occupancies
                        )
                        Party.objects.bulk_create(
                            Party(**{k: v for k, v in p.items() if k != "id"} | {"booking_id": made_booking.pk})
                            for p in parties
                        )
                except DatabaseError:
                    with lock:
                        errors[0] += 1
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    samples.append(elapsed)
                    made.append(made_booking.pk)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Line(
        "bare insert, ORM: create + 2 bulk_create, 1 transaction", samples, time.perf_counter() - started, errors[0]
    ), made


def _json_rows(model, rows: list[dict]) -> list[dict]:
    """The rows by column name, without their ids, in JSON's types (times and dates in ISO 8601)."""
    from django.core.serializers.json import DjangoJSONEncoder

    encoder = DjangoJSONEncoder()
    columns = [column for column in _columns(model) if column != "booking_id"]
    return [
        {
            column: value if value is None or isinstance(value, bool | int | str) else encoder.default(value)
            for column in columns
            for value in [row[_attname(model, column)]]
        }
        for row in rows
    ]


def bare_insert_http(url: str, templates, name_prefix: str) -> tuple[Line, list[int]]:
    """The same rows posted to the ceiling project's `/booking-rows` (bench/ceiling/urls.py),
    one request per booking, from CLIENTS clients each keeping its connection: the bare insert
    plus what any Django view served by the same gunicorn costs, and nothing of the service."""
    from booking.models import Booking, Occupancy, Party

    bodies = [
        {
            "booking": _json_rows(
                Booking, [{**booking, "reference": f"{name_prefix}{number:06d}", "status": "provisional"}]
            )[0],
            "occupancies": _json_rows(Occupancy, occupancies),
            "parties": _json_rows(Party, parties),
        }
        for number, (booking, occupancies, parties) in enumerate(templates)
    ]
    queue = iter(bodies)
    lock = threading.Lock()
    samples: list[float] = []
    made: list[int] = []
    errors = [0]

    def client() -> None:
        session = requests.Session()
        session.headers.update(HEADERS)
        while True:
            with lock:
                body = next(queue, None)
            if body is None:
                return
            started = time.perf_counter()
            try:
                response = session.post(url + "/booking-rows", json=body, timeout=120)
                ok = response.status_code == 201
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    samples.append(elapsed)
                    made.append(response.json()["id"])
                else:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Line(
        f"bare insert over HTTP: ceiling project, {WORKERS} x {THREADS} gthread",
        samples,
        time.perf_counter() - started,
        errors[0],
    ), made


def contested_report(attempts: list[Attempt], rounds: list[list], seconds: float) -> None:
    """Winners, refusals and server errors per contested slot, checked against the database."""
    from booking.models import Booking, Occupancy

    codes = Counter(status for attempt in attempts for status in attempt.statuses)
    refusals = Counter(a.hold_code for a in attempts if 400 <= a.hold_status < 500)
    server_errors = sum(count for status, count in codes.items() if status >= 500 or status == 0)
    winners = Counter()
    for attempt in attempts:
        if attempt.confirm_status == 200:
            winners[(attempt.round, attempt.slot)] += 1
    booked_in_database = []
    for number, slots in enumerate(rounds):
        for index, slot in enumerate(slots):
            live = Booking.objects.filter(room=slot.room, starts_at=slot.starts_at, status__in=Booking.ACTIVE)
            rooms_busy = Occupancy.objects.filter(room=slot.room, starts_at=slot.starts_at, active=True).count()
            booked_in_database.append((winners[(number, index)], live.count(), rooms_busy))
    slots_total = len(booked_in_database)
    one_winner = sum(1 for won, live, busy in booked_in_database if won == 1 and live == 1 and busy == 1)
    replays = [a.replay_matched for a in attempts]
    print(
        f"contested: {len(rounds)} rounds of {CLIENTS} clients on {len(rounds[0])} slots "
        f"({CLIENTS // len(rounds[0])} per slot), {seconds:.1f} s"
    )
    print(f"  slots with one winner, one live booking and one room row: {one_winner} of {slots_total}")
    print(f"  answers by status: {dict(sorted(codes.items()))}; server errors (5xx or none): {server_errors}")
    print(f"  holds refused (4xx) by code: {dict(refusals)}")
    print(f"  holds retried with their Idempotency-Key answered the same: {sum(map(bool, replays))} of {len(replays)}")
    contested_lines = booking_lines(attempts, seconds)
    print(HEADING)
    for line in contested_lines[:2]:
        print(line.row())


def profile_bookings(slots, person) -> None:
    """Bookings made through the API in this process, profiled, with the time the database took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.test import APIClient

    from identity.services import issue_api_token

    token, _expires = issue_api_token(user=person)
    client = APIClient(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    profiler = cProfile.Profile()
    last_queries: dict[str, list[dict]] = {}
    walls, sql_ms, counts = {"hold": [], "confirm": []}, {"hold": [], "confirm": []}, {"hold": [], "confirm": []}
    with override_settings(DEBUG=False):
        for number, slot in enumerate(slots):
            reference = None
            for step in ("hold", "confirm"):
                if step == "hold":
                    path, body = HOLDS, _body(slot)
                else:
                    path, body = f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}
                connection.queries_log.clear()  # a full log would capture nothing
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    if number:  # the first booking of the process loads the calendar: not profiled
                        profiler.enable()
                    response = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
                    profiler.disable()
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code not in (200, 201):
                    print(f"  profiled {step} answered {response.status_code}: {response.content[:200]!r}")
                    break
                if step == "hold":
                    reference = response.json()["reference"]
                last_queries[step] = captured.captured_queries
                if number:
                    walls[step].append(elapsed)
                    sql_ms[step].append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
                    counts[step].append(len(captured.captured_queries))
    print(f"profile: {len(slots) - 1} bookings through the API in this process (DEBUG off, one at a time)")
    for step in ("hold", "confirm"):
        if walls[step]:
            print(
                f"  {step:8} wall p50 {statistics.median(walls[step]):6.1f} ms, of which SQL "
                f"{statistics.median(sql_ms[step]):5.1f} ms in {statistics.median(counts[step]):.0f} statements"
            )
    for step, queries in last_queries.items():
        print(f"  the last {step}'s statements:")
        for query in queries:
            print(f"    {float(query['time']) * 1000:5.1f} ms {query['sql'][:110]}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue())


def main() -> None:
    with bench_database("booking") as settings:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from booking.models import Booking
        from identity.models import User
        from identity.services import issue_api_token

        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_booking_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        people = [
            User.objects.create(
                email=f"bench{n}@example.com", full_name=f"Bench Person {n}", email_verified_at=timezone.now()
            )
            for n in range(CLIENTS)
        ]
        tokens = [issue_api_token(user=person)[0] for person in people]
        contested_count = CONTESTED_SLOTS * CONTESTED_ROUNDS
        wanted = WARM_UP_BOOKINGS + BOOKINGS + contested_count + (PROFILED_BOOKINGS if PROFILE else 0)
        slots = find_distinct_slots(wanted)
        if len(slots) < wanted:
            print(f"only {len(slots)} distinct slots for the {wanted} wanted; fewer bookings")
        warm_up, slots = slots[:WARM_UP_BOOKINGS], slots[WARM_UP_BOOKINGS:]
        contested_slots, slots = slots[:contested_count], slots[contested_count:]
        profiled, distinct = slots[:PROFILED_BOOKINGS] if PROFILE else [], slots[PROFILED_BOOKINGS if PROFILE else 0 :]
        distinct = distinct[:BOOKINGS]
        database = settings["DATABASE_URL"].split(":", 1)[0]
        print(
            f"database {database}, cache {'Redis' if settings.get('CACHE_URL') else 'local memory'}, "
            f"gunicorn {WORKERS} workers, {CLIENTS} clients; {len(distinct)} bookings on distinct ceremony slots "
            f"(one per office and day)"
        )
        with serving("config.wsgi:application", settings, probe="/healthz") as url:
            run_clients(url, tokens[: 2 * WORKERS], [_body(slot) for slot in warm_up])
            attempts, seconds = run_clients(url, tokens, [_body(slot) for slot in distinct])
            lines = booking_lines(attempts, seconds)
            rounds = [contested_slots[n * CONTESTED_SLOTS : (n + 1) * CONTESTED_SLOTS] for n in range(CONTESTED_ROUNDS)]
            contested_attempts = []
            contested_started = time.perf_counter()
            for number, round_slots in enumerate(rounds):
                round_attempts, _seconds = run_clients(
                    url, tokens, [_body(slot) for slot in round_slots], contested=True
                )
                for attempt in round_attempts:
                    attempt.round = number
                contested_attempts += round_attempts
            contested_seconds = time.perf_counter() - contested_started
        statuses = Counter(status for attempt in attempts for status in attempt.statuses)
        booked = [attempt.reference for attempt in attempts if attempt.confirm_status == 200]
        templates = rows_made(booked)
        free_rows([booking["id"] for booking, _o, _p in templates])
        database_url = settings["DATABASE_URL"]
        sql_line, made = bare_insert_sql(database_url, templates, "BARESQL") if database == "postgres" else (None, [])
        if made:
            free_rows(made)
        orm_line, made = bare_insert_orm(templates, "BAREORM")
        free_rows(made)
        with serving("bench.ceiling.wsgi:application", settings, probe="/") as ceiling_url:
            bare_insert_http(ceiling_url, templates[: 2 * WORKERS], "BAREWARM")  # each thread's connection
            free_rows(list(Booking.objects.filter(reference__startswith="BAREWARM").values_list("pk", flat=True)))
            http_line, _made = bare_insert_http(ceiling_url, templates, "BAREHTTP")
        print(HEADING)
        for line in [*lines, *(bare for bare in (sql_line, orm_line, http_line) if bare is not None)]:
            print(line.row())
        print(f"  distinct phase answers by status: {dict(sorted(statuses.items()))}")
        booking_rate = lines[2].per_second
        for line in (sql_line, orm_line, http_line):
            if line is not None and line.per_second:
                print(
                    f"  ratio, bookings/s to {line.name.split(':')[0]}/s: {booking_rate / line.per_second:.3f} "
                    f"(target >= 0.5)"
                )
        contested_report(contested_attempts, rounds, contested_seconds)
        if PROFILE:
            profile_bookings(profiled, people[0])


if __name__ == "__main__":
    main()
