"""Webhooks survive a broker outage: the event and its deliveries are saved with the
registration, the sweeper re-enqueues what was never sent, and nothing is sent twice. With a
real Redis and worker (PostgreSQL pass): a delivery queued while no worker runs arrives when
one starts, and a duplicated task message sends once."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from registrar import events
from registrar.models import WebhookDelivery
from registrar.tasks import deliver_webhook, redeliver_pending_webhooks
from tests.factories import RegisterOfficeFactory, WebhookSubscriptionFactory, make_entry
from tests.faults.workers import wait_for
from tests.webhook_receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.mark.django_db
def test_a_broker_outage_loses_nothing_and_the_sweeper_sends_it_once(receiver, django_capture_on_commit_callbacks):
    WebhookSubscriptionFactory(url=receiver.url)
    entry = make_entry(district=RegisterOfficeFactory(code="E-LEEDS"))
    with mock.patch.object(deliver_webhook, "delay", side_effect=OperationalError("Connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            event = events.publish(kind="registered", entry=entry)
        # The sweeper cannot reach the broker either: it stops, and the delivery stays pending.
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
        assert redeliver_pending_webhooks() == 0
    delivery = event.deliveries.get()
    assert delivery.status == "pending" and delivery.attempts == 0 and receiver.received == []
    # A fresh delivery is not swept before its grace period is over (its own message may be on the way).
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert redeliver_pending_webhooks() == 0
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert redeliver_pending_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(receiver.received) == 1
    assert redeliver_pending_webhooks() == 0 and len(receiver.received) == 1


# --- With a real worker on Redis ------------------------------------------------------------------------


def _delivered(delivery_id):
    return lambda: WebhookDelivery.objects.get(pk=delivery_id).status == "delivered"


@pytest.mark.postgres_only
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_delivery_queued_while_no_worker_runs_is_sent_once_when_one_starts(worker, receiver):
    WebhookSubscriptionFactory(url=receiver.url)
    entry = make_entry(district=RegisterOfficeFactory(code="E-LEEDS"))
    with transaction.atomic():
        event = events.publish(kind="registered", entry=entry)
    delivery = event.deliveries.get()
    duplicate = deliver_webhook.apply_async(
        (delivery.pk,), ignore_result=False
    )  # a duplicate message, as after a redelivery
    # No worker runs: nothing can have taken it.
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "pending"
    worker.start()
    assert wait_for(_delivered(delivery.pk)), worker.stop()
    # The duplicate has run to the end (its result is in), and it sent nothing more.
    assert duplicate.get(timeout=30) == "delivered"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and len(receiver.received) == 1
    assert receiver.received[0]["headers"]["Registrar-Event-Id"] == str(event.event_id)
