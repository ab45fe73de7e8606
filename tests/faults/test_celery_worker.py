"""A real Celery worker on a real Redis, against the test PostgreSQL database: messages
enqueued on commit are delivered; a message queued while no worker runs is delivered when
one starts; a task delivered twice sends once."""

from __future__ import annotations

import pytest
from django.db import transaction

from identity import notifications, tasks
from identity.models import MessageStatus, OutboundMessage
from tests.faults.workers import wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _sent(message_id):
    return lambda: OutboundMessage.objects.get(pk=message_id).status == MessageStatus.SENT


def test_message_enqueued_on_commit_is_delivered_by_a_real_worker(worker):
    worker.start()
    with transaction.atomic():
        message = notifications.send_message(key="worker:1", channel="email", to="ada@example.com", body="Hello")
    assert wait_for(_sent(message.pk)), worker.stop()


def test_message_queued_while_no_worker_runs_is_delivered_when_one_starts(worker):
    with transaction.atomic():
        message = notifications.send_message(key="worker:2", channel="email", to="ada@example.com", body="Hello")
    # No worker runs: nothing can have taken it.
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING
    worker.start()
    assert wait_for(_sent(message.pk)), worker.stop()


def test_task_delivered_twice_sends_once(worker):
    with transaction.atomic():
        message = notifications.send_message(key="worker:3", channel="email", to="ada@example.com", body="Hello")
    duplicate = tasks.deliver_message.apply_async(
        (message.pk,), ignore_result=False
    )  # a duplicate, as after a redelivery
    worker.start()
    assert wait_for(_sent(message.pk)), worker.stop()
    # The duplicate has run to the end (its result is in), and it sent nothing more.
    assert duplicate.get(timeout=30) == MessageStatus.SENT
    message.refresh_from_db()
    assert message.attempts == 1
