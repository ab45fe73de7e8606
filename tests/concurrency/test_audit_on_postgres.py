"""DESIGN.md invariant 7 on PostgreSQL: the database refuses UPDATE, DELETE and (to the
application's role) TRUNCATE on the audit tables; a tail cut by someone who switched the
trigger off is still reported against the checkpoint; checkpoints written while staff write in
parallel all verify."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from identity.audit import record_audit, verify_chain, verify_checkpoints, write_checkpoint
from identity.models import AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.postgres_only

APP_ROLE = "audit_test_application"


@pytest.fixture
def entries(db):
    made = [record_audit(actor=None, action="system.check", object_id=n) for n in range(3)]
    write_checkpoint()
    return made


def test_the_database_refuses_to_change_or_delete_audit_rows_on_postgres(entries):
    for queryset, change in (
        (AuditEntry.objects.filter(sequence=2), {"reason": "covering tracks"}),
        (AuditCheckpoint.objects.all(), {"entry_hash": "0" * 64}),
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            queryset.update(**change)
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            queryset._raw_delete(queryset.db)
    assert AuditEntry.objects.get(sequence=2).reason == ""
    assert verify_chain().intact


def test_the_database_refuses_truncate_to_the_application_role_on_postgres(entries):
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT ALL ON identity_auditentry, identity_auditcheckpoint TO {APP_ROLE}")
        for table in ("identity_auditentry", "identity_auditcheckpoint"):
            with pytest.raises(IntegrityError, match="TRUNCATE"), transaction.atomic():
                cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
                cursor.execute(f"TRUNCATE {table}")
    assert AuditEntry.objects.count() == 3


def test_a_tail_cut_with_the_trigger_switched_off_is_reported_on_postgres(entries):
    with connection.cursor() as cursor:
        # What a superuser or the table's owner could do; the checkpoint outside the database remains.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE identity_auditentry DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM identity_auditentry WHERE sequence = 3")
        cursor.execute("ALTER TABLE identity_auditentry ENABLE TRIGGER USER")
    assert verify_chain().intact
    with pytest.raises(CommandError, match="the log was cut: it ends at entry 2"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_checkpoints_written_while_staff_write_in_parallel_all_verify_on_postgres():
    writers, per_writer = 8, 10
    barrier = threading.Barrier(writers + 1)

    def write(index):
        barrier.wait()
        try:
            for n in range(per_writer):
                record_audit(actor=None, action="system.check", object_id=f"{index}-{n}")
        finally:
            connection.close()

    def checkpoint():
        barrier.wait()
        try:
            return [write_checkpoint().written for _ in range(10)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=writers + 1) as pool:
        written = pool.submit(checkpoint)
        list(pool.map(write, range(writers)))
        written.result()  # raises if a checkpoint was refused over a chain seen half-written
    write_checkpoint()
    chain = verify_chain()
    assert chain.intact and chain.checked == writers * per_writer
    report = verify_checkpoints(chain, limit=None)
    assert report.intact and report.checked == AuditCheckpoint.objects.count() >= 1
    assert AuditCheckpoint.objects.order_by("-sequence").first().sequence == writers * per_writer
