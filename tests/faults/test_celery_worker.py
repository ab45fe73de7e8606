"""A real Celery worker on a real Redis, against the test PostgreSQL database: messages
enqueued on commit are delivered; a message queued while no worker runs is delivered when
one starts; a task delivered twice sends once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.db import connection, transaction

from identity import notifications, tasks
from identity.models import MessageStatus, OutboundMessage
from tests.conftest import require_service

pytestmark = [pytest.mark.postgres_only, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    base = urlparse(require_service("TEST_DATABASE_URL"))
    return urlunparse(base._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def broker():
    """Point this process's Celery app at the real Redis, not eager mode."""
    from config.celery import app

    redis_url = require_service("TEST_REDIS_URL")
    if app.conf.broker_url != redis_url:
        pytest.fail("run the PostgreSQL pass with CELERY_BROKER_URL set to the test Redis (make test does)")
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    app.conf.task_always_eager = False
    return redis_url


class Worker:
    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "registrar",
                "worker",
                "-P",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{os.getpid()}@localhost",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def stop(self) -> str:
        if self.process is None:
            return ""
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        self.process = None
        return output


@pytest.fixture
def worker(broker):
    w = Worker(broker)
    yield w
    w.stop()


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _sent(message_id):
    return lambda: OutboundMessage.objects.get(pk=message_id).status == MessageStatus.SENT


def test_message_enqueued_on_commit_is_delivered_by_a_real_worker(worker):
    worker.start()
    with transaction.atomic():
        message = notifications.send_message(key="worker:1", channel="email", to="ada@example.com", body="Hello")
    assert _wait_for(_sent(message.pk)), worker.stop()


def test_message_queued_while_no_worker_runs_is_delivered_when_one_starts(worker):
    with transaction.atomic():
        message = notifications.send_message(key="worker:2", channel="email", to="ada@example.com", body="Hello")
    time.sleep(0.5)
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING
    worker.start()
    assert _wait_for(_sent(message.pk)), worker.stop()


def test_task_delivered_twice_sends_once(worker):
    with transaction.atomic():
        message = notifications.send_message(key="worker:3", channel="email", to="ada@example.com", body="Hello")
    tasks.deliver_message.delay(message.pk)  # a duplicate, as after a redelivery
    worker.start()
    assert _wait_for(_sent(message.pk)), worker.stop()
    time.sleep(1.0)
    message.refresh_from_db()
    assert message.attempts == 1
