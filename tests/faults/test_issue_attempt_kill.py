"""A real worker killed with kill -9 while issuing: the try it was making is already counted on
the order (committed before the work began), so a try that kills its worker every time still
runs out at CERTIFICATE_ISSUE_MAX_ATTEMPTS."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from certificates.models import Certificate, CertificateOrder
from certificates.tasks import issue_order_task
from tests.factories import historic_birth, paid_certificate_order
from tests.faults.workers import Worker, wait_for, worker_database_url

pytestmark = [pytest.mark.postgres_only, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_issue_leaves_its_try_counted(broker, certificate_settings):
    worker = Worker(broker, env=certificate_settings)
    order = paid_certificate_order(historic_birth())
    connection.close()
    # Hold the worker inside the issuing transaction: its "issued" email waits on this row's key.
    blocker = psycopg.connect(worker_database_url())
    blocker.execute(
        'INSERT INTO identity_outboundmessage (key, channel, "to", subject, body, status, attempts, last_error, '
        "provider_reference, created_at) VALUES (%s, 'email', 'x@example.com', '', '', 'failed', 0, '', '', now())",
        [f"certificates:{order.reference}:issued"],
    )
    watcher = psycopg.connect(worker_database_url(), autocommit=True)
    try:
        issue_order_task.delay(order.pk)
        worker.start()
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        with watcher.cursor() as cursor:
            assert wait_for(lambda: cursor.execute(waiting).fetchone()[0] == 1, 45), worker.stop()
        worker.kill()
        blocker.rollback()
    finally:
        blocker.close()
        watcher.close()
        worker.stop()
    order.refresh_from_db()
    assert order.issue_attempts == 1 and order.last_issue_attempt_at is not None
    assert order.status == CertificateOrder.Status.PAID and not Certificate.objects.filter(order=order).exists()
