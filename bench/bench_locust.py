"""The citizen journeys under load: bench/locustfile.py run by locust in its own process against
the service under gunicorn (2 workers, production mode) on PostgreSQL and Redis with a Celery
worker, on a fresh database with the demo offices, calendar and a small historic register.
Prints locust's figures per step (requests per second, p50/p95/p99 in milliseconds, failures)
and the one-view ceiling's, measured the same way in the same run. Prints figures; it does not
pass or fail.

BENCH_LOCUST_SECONDS (60) is how long locust starts new journeys, BENCH_LOCUST_USERS (8) how many
people walk them at once, BENCH_LOCUST_STOP_TIMEOUT (60) how long those still on the way then
have to finish, BENCH_LOCUST_INDEX_SIZE (5,000) the historic register's entries. BENCH_LOCUST_FIGURES,
when given, is where the per-step figures are also kept (JSON).
BENCH_LOCUST_JOURNEYS, when given, stops the run once that many people have been through every
journey. Without PostgreSQL and Redis it runs on SQLite in development mode, tasks run by the web workers."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import ROOT, bench_database, ceiling, describe, serving  # noqa: E402

SECONDS = int(os.environ.get("BENCH_LOCUST_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_LOCUST_USERS", "8"))
INDEX_SIZE = int(os.environ.get("BENCH_LOCUST_INDEX_SIZE", "5000"))
CEILING_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
# When the time is up, each person still on the way finishes the journey, for at most this long.
STOP_TIMEOUT = int(os.environ.get("BENCH_LOCUST_STOP_TIMEOUT", "60"))

# The identity checkers a staging site runs: every role its sandbox (the pages say so), the
# platform comparing the faces itself. Production refuses these unless IDENTITY_SANDBOX_ALLOWED.
SANDBOX_CHECKERS = {
    "IDENTITY_SANDBOX_ALLOWED": "true",
    "IDENTITY_DOCUMENT_PLATFORM": "identity.verifiers.sandbox.SandboxDocumentPlatform",
    "IDENTITY_FACE_MATCHER": "",
    "IDENTITY_PASSPORT_VALIDATOR": "identity.verifiers.sandbox.SandboxPassportValidator",
    "IDENTITY_LICENCE_VALIDATOR": "identity.verifiers.sandbox.SandboxLicenceValidator",
    "IDENTITY_FRAUD_PROVIDER": "identity.verifiers.sandbox.SandboxFraudProvider",
    "IDENTITY_KNOWLEDGE_PROVIDER": "identity.verifiers.sandbox.SandboxKnowledgeProvider",
    "PAYMENT_PROVIDER": "sandbox",
    "NOTIFICATIONS_BACKEND": "outbox",
}


def journey_settings(folder: Path) -> dict[str, str]:
    """What the servers and the locust process need beyond bench_database's: the sandbox
    checkers and payments, and a signing key of this run's own."""
    signing = folder / "signing"
    return {
        **SANDBOX_CHECKERS,
        "CERTIFICATE_SIGNING_KEY_PATH": str(signing / "signing-key.pem"),
        "CERTIFICATE_SIGNING_CERT_PATH": str(signing / "signing-cert.pem"),
        "CERTIFICATE_SIGNING_CA_PATH": str(signing / "ca-cert.pem"),
        "CERTIFICATE_SIGNING_KEY_PASSPHRASE": "",
        # The address the service gives for itself (the sandbox payment page's); the locustfile
        # sends what goes there to the server under test, as the load balancer would.
        "SITE_URL": "https://registrar.bench.invalid",
    }


def prepare(*, index_size: int) -> None:
    """Migrations, the demo offices and calendar, the signing key and a historic register to
    search and order from; in this process, with the settings bench_database set."""
    import django

    django.setup()
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    with contextlib.closing(quiet):
        call_command("migrate", verbosity=0)
        call_command("load_demo_data", verbosity=0, stdout=quiet)
        call_command("load_booking_demo_data", stdout=quiet)
        call_command("create_signing_key", stdout=quiet)
        call_command("load_historic_register", size=index_size, stdout=quiet, stderr=quiet)
    os.environ["BENCH_LOCUST_SEARCHES"] = json.dumps(searches_that_find_entries())


def searches_that_find_entries(count: int = 40) -> list[tuple[str, int]]:
    """Surnames and years of births in the register over 50 years ago (which anyone may order),
    the most common first, so that every index search the locustfile makes finds some: the
    generated register spreads hundreds of thousands of surnames over a century."""
    from django.db.models import Count
    from django.utils import timezone

    from registrar.models import IndexName

    rows = (
        IndexName.objects.filter(event="birth", year__lte=timezone.localdate().year - 51)
        .values("surname_key", "year")
        .annotate(found=Count("id"))
        .order_by("-found", "surname_key", "year")[:count]
    )
    return [(row["surname_key"], row["year"]) for row in rows]


def collect_static(settings: dict[str, str]) -> None:
    """The static files and their manifest, from which production mode serves them, collected
    into STATIC_ROOT (var/staticfiles) as a deployment does, with the servers' settings."""
    env = {**os.environ, **settings, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"]
    subprocess.run(command, env=env, cwd=ROOT, check=True)


@contextlib.contextmanager
def celery_worker(settings: dict[str, str]) -> object:
    env = {**os.environ, **settings, "DJANGO_SETTINGS_MODULE": "config.settings"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING"],
        env=env,
        cwd=ROOT,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=60)


def run_locust(url: str, settings: dict[str, str], figures: Path, *, seconds: int, users: int) -> int:
    """locust, headless, in its own process; each step's figures in `figures` (JSON)."""
    env = {**os.environ, **settings, "DJANGO_SETTINGS_MODULE": "config.settings", "BENCH_LOCUST_FIGURES": str(figures)}
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    # https://: the locustfile plays the load balancer that ends HTTPS (bench/locustfile.py).
    command += [
        "--host",
        url.replace("http://", "https://", 1),
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
    ]
    command += ["--only-summary", "--loglevel", "WARNING", "--stop-timeout", str(STOP_TIMEOUT)]
    return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode


def print_table(figures: Path, ceiling_figures) -> None:
    """The per-step figures, each step's p50 also as a ratio to the ceiling's."""
    print(
        f"{'step':44} {'requests':>8} {'fails':>5} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'/ceil':>6}"
    )
    print(
        f"{'ceiling: one-view Django project':44} {len(ceiling_figures.samples):8d} {ceiling_figures.errors:5d} "
        f"{ceiling_figures.per_second:6.1f} {ceiling_figures.p50:7.0f} {ceiling_figures.p95:7.0f} {'':>7} {1:6.1f}"
    )
    for row in json.loads(figures.read_text()):
        print(
            f"{row['step'][:44]:44} {row['requests']:8d} {row['failures']:5d} {row['per_second']:6.1f} "
            f"{row['p50']:7.0f} {row['p95']:7.0f} {row['p99']:7.0f} {row['p50'] / ceiling_figures.p50:6.1f}"
        )


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-locust-"))
    try:
        with bench_database("locust") as settings:
            settings.update(journey_settings(folder))
            os.environ.update(settings)
            os.environ["DEBUG"] = "true"  # this process loads the demo data; the servers run in production mode
            redis = bool(settings.get("CELERY_BROKER_URL"))
            prepare(index_size=INDEX_SIZE)
            if redis:
                collect_static(settings)
            from django.db import connections

            connections.close_all()
            if not redis:
                # No broker without Redis: the web workers run each task themselves.
                settings["CELERY_TASK_ALWAYS_EAGER"] = "true"
            print(f"locust: {USERS} people for {SECONDS} s; {describe(settings)}", flush=True)
            base = ceiling(settings, requests_count=CEILING_REQUESTS)
            worker = celery_worker(settings) if redis else contextlib.nullcontext()
            with worker, serving("config.wsgi:application", settings, probe="/healthz") as url:
                figures = Path(os.environ.get("BENCH_LOCUST_FIGURES", "") or folder / "figures.json")
                code = run_locust(url, settings, figures, seconds=SECONDS, users=USERS)
            print_table(figures, base)
            return code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
