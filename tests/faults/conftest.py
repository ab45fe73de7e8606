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


@pytest.fixture(scope="session")
def signing_folder(tmp_path_factory):
    from certificates.signing import create_development_keys

    folder = tmp_path_factory.mktemp("signing")
    create_development_keys(folder, passphrase="test passphrase")
    return folder


@pytest.fixture
def certificate_settings(settings, signing_folder):
    """The signing key, for this process and (as environment) for the worker."""
    values = {
        "CERTIFICATE_SIGNING_KEY_PATH": str(signing_folder / "signing-key.pem"),
        "CERTIFICATE_SIGNING_CERT_PATH": str(signing_folder / "signing-cert.pem"),
        "CERTIFICATE_SIGNING_CA_PATH": str(signing_folder / "ca-cert.pem"),
        "CERTIFICATE_SIGNING_KEY_PASSPHRASE": "test passphrase",
        "PAYMENT_PROVIDER": "sandbox",
        "SITE_URL": "http://testserver",
    }
    for name, value in values.items():
        setattr(settings, name, value)
    return values


@pytest.fixture
def worker_with_beat(broker, tmp_path, certificate_settings):
    """A worker running the beat schedule (the sweepers at their real intervals) too."""
    w = Worker(broker, beat=True, folder=tmp_path, env=certificate_settings)
    yield w
    w.stop()


@pytest.fixture
def receiver():
    from tests.webhook_receiver import Receiver

    server = Receiver()
    yield server
    server.close()
