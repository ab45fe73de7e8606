"""Audit log verification at scale: fills a throwaway database with BENCH_AUDIT_SIZE chained
entries (default 100,000 on PostgreSQL, 20,000 on SQLite), then times `verify_audit` (every
keyed hash and link, then the stored checkpoints), a first and an incremental checkpoint, and
record_audit itself. Prints seconds and entries per second, and verifying as a ratio to a
baseline measured in the same run (reading every row without hashing). Meant for PostgreSQL
(DATABASE_URL names the server; a database of its own is made and dropped); without it, a
throwaway SQLite file."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
ON_SQLITE = "DATABASE_URL" not in os.environ
SCRATCH = tempfile.mkdtemp()
# The audit tables refuse DELETE and TRUNCATE, so the entries go into a database of their own.
BENCH_DB = "registrar_bench_audit"
server_url = None
if ON_SQLITE:
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}/bench.sqlite3"
else:
    import psycopg

    server_url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres")
    with psycopg.connect(urlunsplit(server_url), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunsplit(server_url._replace(path=f"/{BENCH_DB}"))
os.environ["AUDIT_CHECKPOINT_STORAGE_OPTIONS"] = f'{{"location": "{SCRATCH}/audit-checkpoints"}}'

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from identity.audit import GENESIS_HASH, keyed_entry_hash, record_audit, write_checkpoint  # noqa: E402
from identity.models import AuditEntry  # noqa: E402

SIZE = int(os.environ.get("BENCH_AUDIT_SIZE", "20000" if ON_SQLITE else "100000"))
WRITES = int(os.environ.get("BENCH_AUDIT_WRITES", "500"))

call_command("migrate", verbosity=0)


def fill(size: int) -> None:
    """Entries as record_audit makes them, chained in memory and inserted in batches."""
    key_id = settings.AUDIT_CHAIN_KEY_ID
    key = settings.AUDIT_CHAIN_KEYS[key_id].encode()
    previous, batch, now = GENESIS_HASH, [], timezone.now()
    for sequence in range(1, size + 1):
        entry = AuditEntry(
            sequence=sequence,
            at=now,
            actor_email="registrar@example.gov.uk",
            action="registration_case.viewed",
            object_type="registration",
            object_id=f"R-{sequence:08d}",
            reason="",
            detail={"office": "E-LEEDS", "n": sequence},
            client_address="192.0.2.10",
            previous_hash=previous,
            key_id=key_id,
        )
        entry.entry_hash = keyed_entry_hash(entry, key=key)
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


try:
    fill_seconds = timed(lambda: fill(SIZE))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE identity_auditentry")
    baseline = timed(lambda: sum(1 for _ in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)))
    first_checkpoint = timed(write_checkpoint)
    verify = timed(lambda: call_command("verify_audit", stdout=io.StringIO()))
    writes = timed(lambda: [record_audit(actor=None, action="bench.write", object_id=n) for n in range(WRITES)])
    incremental_checkpoint = timed(write_checkpoint)

    print(f"database: {connection.vendor}, entries: {SIZE:,}")
    print(f"  fill (in-memory chain, bulk insert): {fill_seconds:.1f} s")
    print(f"  baseline, read every row without hashing: {baseline:.2f} s")
    print(
        f"  verify_audit (keyed chain + checkpoints): {verify:.2f} s = {SIZE / verify:,.0f} entries/s, "
        f"{verify / baseline:.1f}x the baseline"
    )
    print(f"  first checkpoint (verifies the whole chain, then signs): {first_checkpoint:.2f} s")
    print(f"  checkpoint after {WRITES} new entries (verifies only those): {incremental_checkpoint * 1000:.0f} ms")
    print(f"  record_audit, one at a time: {writes / WRITES * 1000:.2f} ms per entry")
finally:
    connection.close()
    if server_url is not None:
        with psycopg.connect(urlunsplit(server_url), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
