"""Fault tests: a real Celery worker on a Redis of the test's own (tests/faults/servers.py),
against the test PostgreSQL database. Only the PostgreSQL pass has the servers they need."""

from __future__ import annotations

import pytest

from tests.conftest import require_service
from tests.faults.servers import PrivateRedis, celery_app_on
from tests.faults.workers import Worker


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of this test's own: the tests run in parallel, and a shared queue would let one
    test's worker take another's tasks (for a row in another database)."""
    require_service("TEST_REDIS_URL")
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This process's Celery app publishes to the test's Redis, not eager mode."""
    with celery_app_on(redis_server.url):
        yield redis_server.url


@pytest.fixture
def worker(broker):
    w = Worker(broker)
    yield w
    w.stop()


@pytest.fixture
def worker_with_beat(broker, tmp_path):
    w = Worker(broker, beat=True, folder=tmp_path)
    yield w
    w.stop()
