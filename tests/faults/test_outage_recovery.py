"""Recovery in seconds, on a real worker and a Redis of the test's own. Redis stopped while
citizens sign in, pay and submit, then restarted empty: every message, certificate and webhook
is delivered exactly once within 60 s of its return. A worker killed with kill -9 while issuing:
what it wrote is swept, and the order is issued once within 60 s of a worker coming back."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from certificates import payments, services
from certificates.models import Certificate, CertificateOrder
from certificates.tasks import issue_order_task
from core.storage import remove_orphan_files
from identity.models import MessageStatus, OutboundMessage
from registrar import events
from registrar.models import WebhookDelivery
from tests.factories import (
    RegisterOfficeFactory,
    UserFactory,
    WebhookSubscriptionFactory,
    historic_birth,
    make_entry,
    paid_certificate_order,
)
from tests.faults.workers import wait_for, worker_database_url

pytestmark = [pytest.mark.postgres_only, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TARGET_SECONDS = 60


def _pdfs() -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "certificates").glob("*.pdf"))


def _worker_is_up(worker) -> None:
    """A message sent and delivered proves the worker is connected and consuming."""
    with transaction.atomic():
        from identity.notifications import send_message

        probe = send_message(key=f"probe:{worker.starts}", channel="email", to="probe@example.com", body="probe")
    assert wait_for(lambda: OutboundMessage.objects.get(pk=probe.pk).status == MessageStatus.SENT, 30), worker.stop()


def test_redis_stopped_while_citizens_sign_in_pay_and_submit_loses_nothing_and_sends_once_within_60_s(
    redis_server, worker_with_beat, receiver, client
):
    worker = worker_with_beat
    worker.start()
    _worker_is_up(worker)
    WebhookSubscriptionFactory(url=receiver.url)
    order = services.save_applicant(
        order=services.start_order(person=UserFactory(), entry=historic_birth(), kind="full_birth", copies=2),
        name="Robin",
        email="robin@example.com",
        address="1 High St",
        postcode="LS1 3AD",
    )

    redis_server.stop()
    down = time.monotonic()
    # Sign in: the page answers as usual and the code is kept for sending.
    response = client.post(reverse("identity:sign-in"), {"email": "ada@example.com"})
    assert response.status_code == 302, response.content.decode()[:500]
    # Pay: the person comes back from the provider and the order is paid.
    payment = services.start_payment(order=order, return_url=lambda token: f"http://testserver/return/{token}")
    with transaction.atomic():  # the provider's page
        payments.pay_in_sandbox(
            payment_id=payment.provider_payment_id, card_number=payments.SandboxProvider.SUCCESS_CARD
        )
    services.confirm_payment(payment=payment)
    # Submit: a registration is written and its webhook is to be sent.
    with transaction.atomic():
        event = events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    code = OutboundMessage.objects.get(to="ada@example.com")
    delivery = event.deliveries.get()
    assert code.status == MessageStatus.PENDING and delivery.status == "pending"
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.PAID

    print(f"\nRedis outage: requests answered in {time.monotonic() - down:.1f} s while it was down")
    redis_server.start()  # empty: whatever was queued before the outage is gone as well
    back = time.monotonic()

    def everything_delivered():
        order.refresh_from_db()
        return (
            OutboundMessage.objects.get(pk=code.pk).status == MessageStatus.SENT
            and order.status == CertificateOrder.Status.ISSUED
            and OutboundMessage.objects.filter(
                key=f"certificates:{order.reference}:issued", status=MessageStatus.SENT
            ).exists()
            and WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered"
        )

    assert wait_for(everything_delivered, TARGET_SECONDS + 15), worker.stop()
    delay = time.monotonic() - back
    print(f"\nRedis outage: everything delivered {delay:.1f} s after Redis came back")
    assert delay <= TARGET_SECONDS

    # Exactly once: one attempt per message, one serial and one PDF per copy, one webhook call.
    assert OutboundMessage.objects.get(pk=code.pk).attempts == 1
    assert OutboundMessage.objects.get(key=f"certificates:{order.reference}:issued").attempts == 1
    certificates = list(Certificate.objects.filter(order=order))
    assert len(certificates) == 2 and all(c.is_ready for c in certificates)
    assert [p.name for p in _pdfs()] == sorted(Path(c.pdf.name).name for c in certificates)
    assert len(receiver.received) == 1 and WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1


def _other_backends_in_a_transaction(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
    )
    return cursor.fetchone()[0]


def test_a_worker_killed_while_issuing_leaves_nothing_a_sweep_does_not_remove_and_is_redone_once(
    worker_with_beat,
):
    worker = worker_with_beat
    order = paid_certificate_order(historic_birth(), copies=2)
    connection.close()  # the test's own connection is not one of the "other backends" below
    # Hold the worker mid-task, after the PDFs are written and before its transaction commits:
    # an uncommitted message with the key its "issued" email will use makes its insert wait.
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
        with watcher.cursor() as cursor:
            waiting = (
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            assert wait_for(lambda: cursor.execute(waiting).fetchone()[0] == 1, 45), worker.stop()
        assert len(_pdfs()) == 2  # signed PDFs, for serials that are not committed
        worker.kill()
        blocker.rollback()
        with watcher.cursor() as cursor:
            assert wait_for(lambda: _other_backends_in_a_transaction(cursor) == 0, 20)
    finally:
        blocker.close()
        watcher.close()

    # The kill left two signed PDFs for serials that do not exist; the sweep removes them.
    assert Certificate.objects.count() == 0 and len(_pdfs()) == 2
    assert remove_orphan_files(older_than_seconds=0) == 2
    assert _pdfs() == []

    worker.start()
    back = time.monotonic()

    def issued():
        return CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED

    assert wait_for(issued, TARGET_SECONDS + 15), worker.stop()
    delay = time.monotonic() - back
    print(f"\nWorker killed mid-task: order issued {delay:.1f} s after a worker came back")
    assert delay <= TARGET_SECONDS
    certificates = list(Certificate.objects.filter(order=order))
    assert len(certificates) == 2 and all(c.is_ready for c in certificates)
    assert [p.name for p in _pdfs()] == sorted(Path(c.pdf.name).name for c in certificates)
    assert wait_for(
        lambda: OutboundMessage.objects.filter(
            key=f"certificates:{order.reference}:issued", status=MessageStatus.SENT, attempts=1
        ).exists()
    )
