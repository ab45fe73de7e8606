"""What the HTTP benchmarks share: a fresh database per script (dropped afterwards), the service
and a one-view Django project (the ceiling) each served by gunicorn with 2 workers on the same
PostgreSQL and Redis in production mode, and a load of varied requests from concurrent clients,
reported as p50/p95 in milliseconds and as a ratio to the ceiling measured in the same run.

PostgreSQL and Redis come from BENCH_POSTGRES_URL (a server URL; one database per script is
created and dropped there) and BENCH_REDIS_URL, which `bench/run.py` sets after starting private
servers; without them the script uses a throwaway SQLite file and the local-memory cache, says so,
and removes the file afterwards."""

from __future__ import annotations

import base64
import contextlib
import itertools
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
# Threads per gthread worker, as in production (Procfile); the ceiling project gets the same.
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
STARTUP_SECONDS = 90


@dataclass
class Figures:
    name: str
    samples: list[float]  # milliseconds
    seconds: float
    errors: int

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)] if ordered else float("nan")

    @property
    def per_second(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0


def _server_settings(database_url: str, redis_url: str) -> dict[str, str]:
    """Production mode (DEBUG off, as deployed), with throwaway secrets for this run."""
    settings = {
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AUDIT_CHAIN_KEYS": "bench:" + secrets.token_urlsafe(32),
        "AUDIT_CHECKPOINT_SIGNING_KEY": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "AUDIT_CHECKPOINT_STORAGE_BACKEND": "django.core.files.storage.FileSystemStorage",
        "HOME_OFFICE_URL": "https://home-office.invalid/marriage-referrals/",
        "HOME_OFFICE_KEY": secrets.token_urlsafe(16),
        "OIDC_SIGNING_KEY_PATH": str(ROOT / "tests" / "identity" / "oidc" / "keys" / "signing-key-2027.pem"),
        "OIDC_PAIRWISE_KEY": secrets.token_urlsafe(32),
    }
    if redis_url:
        settings.update(
            {
                "DEBUG": "false",
                "CACHE_URL": redis_url,
                "CELERY_BROKER_URL": redis_url,
                "CELERY_RESULT_BACKEND": redis_url,
            }
        )
    else:
        settings["DEBUG"] = "true"  # production mode needs a shared cache
    return settings


@contextlib.contextmanager
def bench_database(name: str) -> Iterator[dict[str, str]]:
    """Sets this process's environment for a fresh database (and Redis when given) and yields
    the settings the servers need too; the database or its folder is removed afterwards."""
    server = os.environ.get("BENCH_POSTGRES_URL", "")
    redis_url = os.environ.get("BENCH_REDIS_URL", "")
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    database = f"bench_{name}_{os.getpid()}"
    if server:
        import psycopg

        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        database_url = f"{server.rsplit('/', 1)[0]}/{database}"
    else:
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    settings = _server_settings(database_url, redis_url)
    settings["AUDIT_CHECKPOINT_STORAGE_OPTIONS"] = f'{{"location": "{folder / "checkpoints"}"}}'
    settings["MEDIA_ROOT"] = str(folder / "media")
    os.environ.update(settings)
    # This process loads the demo data, which production mode refuses; the servers run in it.
    os.environ["DEBUG"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    try:
        yield settings
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if server:
            import psycopg

            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def describe(settings: dict[str, str]) -> str:
    database = settings["DATABASE_URL"].split(":", 1)[0]
    cache = "Redis" if settings.get("CACHE_URL") else "local memory (no Redis given)"
    return f"database {database}, cache {cache}, gunicorn {WORKERS} workers x {THREADS} threads, {CLIENTS} clients"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(application: str, settings: dict[str, str], *, probe: str) -> Iterator[str]:
    """`application` (a WSGI path) under gunicorn until the block ends; yields its base URL once
    `probe` answers."""
    port = _free_port()
    env = {**os.environ, **settings}
    if application.startswith("bench.ceiling"):
        env["DJANGO_SETTINGS_MODULE"] = "bench.ceiling.settings"
    else:
        env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", application, "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS)]
        + ["--log-level", "warning", "--chdir", str(ROOT), "--no-control-socket"],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{application} exited with {process.returncode} before answering")
            try:
                requests.get(url + probe, headers=HEADERS, timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # gunicorn is still starting: poll the port again
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


# Behind the load balancer: HTTPS was ended there (production mode redirects plain HTTP).
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "application/json"}


Request = str | tuple[str, dict]  # a path to GET, or a path and the JSON body to POST to it


def load(name: str, url: str, paths: list[Request], *, requests_count: int, expect: int = 200) -> Figures:
    """`requests_count` requests from CLIENTS concurrent clients, each taking the next of `paths`
    in turn (so that no one warm query is repeated back to back); each client keeps its
    connection, as a browser or an integrator does."""
    source = itertools.cycle(paths)
    lock = threading.Lock()
    remaining = [requests_count]
    samples: list[float] = []
    errors = [0]

    def client() -> None:
        session = requests.Session()
        session.headers.update(HEADERS)
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
                path = next(source)
            started = time.perf_counter()
            try:
                if isinstance(path, tuple):
                    response = session.post(url + path[0], json=path[1], timeout=60)
                else:
                    response = session.get(url + path, timeout=60)
                ok = response.status_code == expect
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                samples.append(elapsed)
                errors[0] += not ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Figures(name, samples, time.perf_counter() - started, errors[0])


def ceiling(settings: dict[str, str], *, requests_count: int) -> Figures:
    """The one-view Django project (one query, a small JSON answer) served and loaded the same way."""
    with serving("bench.ceiling.wsgi:application", settings, probe="/") as url:
        load("warm-up", url, ["/"], requests_count=CLIENTS * 2)
        return load("ceiling: one-view Django project", url, ["/"], requests_count=requests_count)


def report(figures: list[Figures], base: Figures) -> None:
    print(f"{'request':52} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'errors':>6} {'p50 / ceiling':>13}")
    for line in [base, *figures]:
        print(
            f"{line.name[:52]:52} {line.p50:8.1f} {line.p95:8.1f} {line.per_second:7.0f} {line.errors:6d} "
            f"{line.p50 / base.p50:13.1f}"
        )
