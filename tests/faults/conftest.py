"""Fault tests: a real Celery worker on the real Redis, against the test PostgreSQL database."""

from __future__ import annotations

import pytest

from tests.conftest import require_service
from tests.faults.workers import Worker


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


@pytest.fixture
def worker(broker):
    w = Worker(broker)
    yield w
    w.stop()
