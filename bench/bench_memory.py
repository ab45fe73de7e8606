"""Memory of the long-running processes: the resident set (RSS) of each gunicorn web worker after
BENCH_MEMORY_REQUESTS mixed requests (default 2,000; the target is stated for 10,000: < 150 MB),
after BENCH_MEMORY_PER_PATH requests of each path alone (default 200) to show which kind grows,
and of a Celery worker taking the certificates queue (one pool process) after
BENCH_MEMORY_CERTIFICATES certificates issued (default 100; the target is for 1,000: < 250 MB),
with their figures at start for comparison. Prints figures; it does not pass or fail.

The web part runs on whatever bench/over_http.py gives (PostgreSQL and Redis from bench/run.py,
or SQLite; the static files are collected into STATIC_ROOT, as `make run` does); the worker part
needs Redis (BENCH_REDIS_URL) and says so when it is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import ROOT, bench_database, describe, load, serving  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "2000"))
CERTIFICATES = int(os.environ.get("BENCH_MEMORY_CERTIFICATES", "100"))
PER_PATH = int(os.environ.get("BENCH_MEMORY_PER_PATH", "200"))

# Mixed requests over the public pages and the API's open parts.
PAGES = [
    "/",
    "/healthz",
    "/sign-in/",
    "/staff/sign-in/",
    "/accessibility/",
    "/cookies/",
    "/privacy/",
    "/api/docs/",
    "/api/schema/",
    "/performance/",
]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _gunicorn_workers() -> list[int]:
    """The workers of the gunicorn this process started (serving() runs one master at a time)."""
    masters = [pid for pid in _children(os.getpid()) if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    return sorted(pid for master in masters for pid in _children(master))


def _mean_rss(pids: list[int]) -> float:
    return sum(_rss_mb(pid) for pid in pids) / len(pids)


def web(settings: dict[str, str]) -> None:
    """First the cost of each path's first hits and of PER_PATH more of it, path by path (in the
    list's order, so a path's first hit pays only for what the paths before it did not load),
    then the mixed requests over all of them."""
    paths = PAGES
    with serving("config.wsgi:application", settings, probe="/healthz") as url:
        workers = _gunicorn_workers()
        at_start = {pid: _rss_mb(pid) for pid in workers}
        by_path = []
        for path in paths:
            before = _mean_rss(workers)
            # Enough that each worker takes a few (the clients share the workers unevenly).
            load(f"first {path}", url, [path], requests_count=8 * len(workers))
            first = _mean_rss(workers)
            load(f"more {path}", url, [path], requests_count=PER_PATH)
            by_path.append((path, first - before, _mean_rss(workers) - first))
        start = {pid: _rss_mb(pid) for pid in workers}
        figures = load("mixed pages", url, paths, requests_count=REQUESTS)
        end = {pid: _rss_mb(pid) for pid in _gunicorn_workers()}
    print(f"web: {describe(settings)}; {REQUESTS} mixed requests over {len(paths)} paths")
    print(f"  per path (mean of the workers): first hits, then {PER_PATH} more of the same path")
    for path, first, more in by_path:
        print(f"    {path:18} first hits {first:+5.1f} MB, {PER_PATH} more {more:+5.1f} MB")
    print(
        f"  mixed: {figures.per_second:.0f} req/s, p50 {figures.p50:.1f} ms, p95 {figures.p95:.1f} ms,"
        f" {figures.errors} errors"
    )
    for pid in sorted(end):
        print(
            f"  gunicorn worker {pid}: RSS {at_start.get(pid, float('nan')):.0f} MB at start (one /healthz),"
            f" {start.get(pid, float('nan')):.0f} MB after every path, {end[pid]:.0f} MB after the mixed requests"
        )


def worker(settings: dict[str, str]) -> None:
    redis_url = settings.get("CELERY_BROKER_URL", "")
    if not redis_url.startswith("redis"):
        print("worker: skipped, it needs Redis (BENCH_REDIS_URL; bench/run.py starts one)")
        return
    from certificates.models import CertificateOrder
    from certificates.signing import create_development_keys
    from certificates.tasks import issue_order_task
    from tests.factories import RegisterOfficeFactory, historic_birth, paid_certificate_order

    # In the script's own folder (its media's parent), removed with it.
    keys = Path(tempfile.mkdtemp(prefix="keys-", dir=Path(settings["MEDIA_ROOT"]).parent))
    create_development_keys(keys)
    signing = {
        "CERTIFICATE_SIGNING_KEY_PATH": str(keys / "signing-key.pem"),
        "CERTIFICATE_SIGNING_CERT_PATH": str(keys / "signing-cert.pem"),
        "CERTIFICATE_SIGNING_CA_PATH": str(keys / "ca-cert.pem"),
        "CERTIFICATE_SIGNING_KEY_PASSPHRASE": "",
    }
    offices = [RegisterOfficeFactory() for _ in range(4)]
    surnames = ["Smith", "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes"]
    orders = [
        paid_certificate_order(historic_birth(offices[i % 4], surname=surnames[i % 8], forenames=f"Ada {i}")).pk
        for i in range(CERTIFICATES)
    ]
    env = {**os.environ, **settings, **signing, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "certificates"]
    command += ["--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from config.celery import app

        app.conf.task_always_eager = False
        started = time.monotonic()
        for order_id in orders[:1]:
            issue_order_task.delay(order_id)
        while not CertificateOrder.objects.filter(pk=orders[0], status=CertificateOrder.Status.ISSUED).exists():
            if process.poll() is not None or time.monotonic() - started > 120:
                raise RuntimeError("the certificates worker did not issue the first order")
            time.sleep(0.5)  # polling another process's work, not standing in for it
        pool = _children(process.pid)
        start = {pid: _rss_mb(pid) for pid in [process.pid, *pool]}
        began = time.monotonic()
        for order_id in orders[1:]:
            issue_order_task.delay(order_id)
        issued = CertificateOrder.objects.filter(pk__in=orders, status=CertificateOrder.Status.ISSUED)
        while issued.count() < len(orders):
            if process.poll() is not None or time.monotonic() - began > 60 + 5 * len(orders):
                break
            time.sleep(1)
        seconds = time.monotonic() - began
        count = issued.count()
        end = {pid: _rss_mb(pid) for pid in [process.pid, *_children(process.pid)]}
    finally:
        process.terminate()
        process.wait(30)
    print(f"worker: celery -Q certificates --concurrency 1 (prefork), {count} of {len(orders)} certificates issued")
    print(f"  {(count - 1) / seconds:.1f} certificates per second through the broker, one pool process")
    for pid in sorted(end):
        role = "main process" if pid == process.pid else "pool process"
        print(f"  {role} {pid}: RSS {start.get(pid, float('nan')):.0f} MB after the first, {end[pid]:.0f} MB after")


def main() -> None:
    with bench_database("memory") as settings:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        # The pages need the static files' manifest, which only production mode's storage writes.
        collect = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"]
        subprocess.run(collect, cwd=ROOT, env={**os.environ, **settings}, check=True)
        print(f"memory: {time.strftime('%Y-%m-%d %H:%M')}")
        web(settings)
        worker(settings)


if __name__ == "__main__":
    main()
