"""Issuing certificates: a paid order to its signed PDF stored (certificates.services.issue_order,
the work a certificates worker does for one order), against a bare render + sign of the same
document in the same run, order by order, alternating, so both see the same machine. Prints p50
and p95 of each, the ratio, copies per second in one process (one worker process's ceiling,
without the broker) by the clock and by the CPU time the process used (what one worker core
issues when nothing else wants it: on a shared machine the clock counts the others' work too),
and the queries and storage writes one issue makes.

BENCH_CERTIFICATES (40 orders of one copy) sets the size. On PostgreSQL when BENCH_POSTGRES_URL
is given (bench/run.py starts one), otherwise on a throwaway SQLite file."""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.over_http import Figures, bench_database  # noqa: E402

ORDERS = int(os.environ.get("BENCH_CERTIFICATES", "40"))
# With BENCH_PROFILE=1, the issues are profiled too, and the slowest calls printed.
PROFILE = os.environ.get("BENCH_PROFILE") == "1"


def _content(certificate):
    """The document `issue_order` renders for `certificate`, built the same way from its entry."""
    from django.conf import settings
    from django.utils import timezone

    from certificates.documents import CertificateContent, CorrectionLine
    from registrar.register import current_particulars

    entry = certificate.entry
    corrections = list(entry.corrections.order_by("corrected_at", "id"))
    return CertificateContent(
        serial=certificate.serial,
        kind=certificate.kind,
        bilingual=certificate.bilingual,
        entry_reference=entry.entry_reference,
        district_name=entry.district.name,
        district_welsh_name=entry.district.welsh_name,
        registered_on=timezone.localdate(entry.registered_at),
        particulars=current_particulars(entry),
        corrections=[
            CorrectionLine(c.field, c.old_value, c.new_value, timezone.localdate(c.corrected_at)) for c in corrections
        ],
        issued_at=timezone.now(),
        entry_number=entry.number,
        sub_district=entry.district.town,
        administrative_area=entry.district.region,
        registrar_name=entry.registered_by.full_name if entry.registered_by else "",
    ), str(settings.SERVICE_NAME)


def main() -> None:
    with bench_database("certificates") as server_settings:
        keys = Path(tempfile.mkdtemp(prefix="bench-signing-", dir=server_settings["MEDIA_ROOT"].rsplit("/", 1)[0]))
        os.environ.update(
            CERTIFICATE_SIGNING_KEY_PATH=str(keys / "signing-key.pem"),
            CERTIFICATE_SIGNING_CERT_PATH=str(keys / "signing-cert.pem"),
            CERTIFICATE_SIGNING_CA_PATH=str(keys / "ca-cert.pem"),
            CERTIFICATE_SIGNING_KEY_PASSPHRASE="bench passphrase",
            CELERY_TASK_ALWAYS_EAGER="false",
        )
        import django

        django.setup()
        from django.core.files.storage import FileSystemStorage
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from reportlab.lib.rl_accel import fp_str

        from certificates import services
        from certificates.documents import render_certificate
        from certificates.models import Certificate
        from certificates.signing import create_development_keys, sign_pdf
        from config.celery import app
        from tests.factories import RegisterOfficeFactory, historic_birth, paid_certificate_order

        app.conf.task_always_eager = False
        published = []
        # No broker is needed: the "issued" email's task is counted, not sent.
        app.send_task = lambda *args, **kwargs: published.append(args[0])
        from celery.app.task import Task

        Task.apply_async = lambda self, *args, **kwargs: published.append(self.name)

        call_command("migrate", verbosity=0)
        create_development_keys(keys, passphrase="bench passphrase")
        database = connection.vendor
        print(f"certificates: {ORDERS} orders of one copy, {database}, one process, {time.strftime('%Y-%m-%d %H:%M')}")

        offices = [RegisterOfficeFactory() for _ in range(4)]
        surnames = ["Smith", "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes"]
        orders = [
            paid_certificate_order(
                historic_birth(offices[i % len(offices)], surname=surnames[i % len(surnames)], forenames=f"Ada {i}")
            )
            for i in range(ORDERS + 2)
        ]
        # Warm both paths once (fonts, the signer's key), outside the figures.
        services.issue_order(order_id=orders[0].pk)
        warm = Certificate.objects.get(order=orders[0])
        content, location = _content(warm)
        sign_pdf(render_certificate(content), reason="warm", location=location)

        writes = []
        original_save = FileSystemStorage._save

        def counting_save(self, name, content):
            writes.append(name)
            return original_save(self, name, content)

        FileSystemStorage._save = counting_save

        profiler = cProfile.Profile() if PROFILE else None
        issue_ms, bare_ms, render_ms, queries = [], [], [], []
        started = time.perf_counter()
        issue_seconds = issue_cpu_seconds = bare_cpu_seconds = 0.0
        for order in orders[2:]:
            writes_before = len(writes)
            with CaptureQueriesContext(connection) as captured:
                begin, begin_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                services.issue_order(order_id=order.pk)
                if profiler:
                    profiler.disable()
                elapsed = time.perf_counter() - begin
                issue_cpu_seconds += time.process_time() - begin_cpu
            issue_seconds += elapsed
            issue_ms.append(elapsed * 1000)
            queries.append(len(captured.captured_queries))
            stored = len(writes) - writes_before

            certificate = Certificate.objects.select_related("entry__district", "entry__registered_by").get(order=order)
            content, location = _content(certificate)
            begin, begin_cpu = time.perf_counter(), time.process_time()
            pdf = render_certificate(content)
            rendered = time.perf_counter()
            sign_pdf(pdf, reason=f"Certified copy, serial {certificate.serial}", location=location)
            bare_ms.append((time.perf_counter() - begin) * 1000)
            bare_cpu_seconds += time.process_time() - begin_cpu
            render_ms.append((rendered - begin) * 1000)
        wall = time.perf_counter() - started

        issued = Figures("issue (paid -> signed PDF stored)", issue_ms, wall, 0)
        bare = Figures("bare render + sign", bare_ms, wall, 0)
        print(f"  {'':36} {'p50 ms':>8} {'p95 ms':>8}")
        for figures in (issued, bare):
            print(f"  {figures.name:36} {figures.p50:8.1f} {figures.p95:8.1f}")
        print(f"  {'  of which render':36} {statistics.median(render_ms):8.1f}")
        print(
            f"  ratio issue / bare: p50 {issued.p50 / bare.p50:.2f}x, p95 {issued.p95 / bare.p95:.2f}x (target <= 1.5x)"
        )
        print(
            f"  copies per second, one process issuing: {len(issue_ms) / issue_seconds:.1f} by the clock, "
            f"{len(issue_ms) / issue_cpu_seconds:.1f} per CPU second (bare render + sign: "
            f"{len(bare_ms) / bare_cpu_seconds:.1f}; target >= 20)"
        )
        accelerated = getattr(fp_str, "__module__", "") == "_rl_accel"
        print(f"  reportlab's C accelerator (rl-accel): {'in use' if accelerated else 'not installed'}")
        print(f"  per issue: {statistics.median(queries):.0f} queries (max {max(queries)}), {stored} storage writes")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            print("  the last issue's queries:")
            for query in captured.captured_queries:
                print(f"    {query['time']}s {query['sql'][:150]}")
        print(f"  tasks published per issue: {len(published) / (len(orders) - 1):.1f} ({sorted(set(published))})")


if __name__ == "__main__":
    main()
