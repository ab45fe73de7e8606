"""Shared test set-up: which database we are on, the real Redis for Celery tests, eager
Celery for everything else, and small helpers for reading codes from the outbox."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_configure(config):
    """The folders under var/ that `make run` makes (settings never write to the disk): the
    embedded Celery queue and results, which some tests read, and the static root."""
    for folder in ("queue", "processed", "results", "control"):
        (settings.VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise serves from it


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file in WAL mode (in this worker's own temporary
    folder), as in the embedded default, not Django's in-memory one. The in-memory database's
    threads share one cache, whose table locks refuse a write at once ("database table is locked")
    while another thread is part-way through reading the table: a page refreshing itself while a
    live-server request issued a certificate made that certificate fail now and then.
    Durability is not needed for a database thrown away after the run
    (tests/concurrency/test_a_reader_does_not_stop_a_writer.py). Other databases keep
    pytest-django's name per xdist worker (the suffix fixture this one asks for)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.getbasetemp() / "test-database.sqlite3")
    options = database.get("OPTIONS", {})
    database["OPTIONS"] = {**options, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"}


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass of `make test`")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def require_service(env_name: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    if os.environ.get("REQUIRE_TEST_SERVICES"):
        pytest.fail(f"{env_name} is not set; `make test` starts the service and sets it")
    pytest.skip(f"{env_name} not set (run through `make test`)")


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test asks for the real worker."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English; a Welsh request in an earlier test leaves its language
    active in the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a fresh folder per test, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path):
    """Audit checkpoints go to a fresh folder per test: `verify_audit` reads every one there."""
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "audit-checkpoints"},
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def latest_code_for(destination: str) -> str:
    """The 6-digit code in the newest message sent to `destination`."""
    from identity.models import OutboundMessage

    message = OutboundMessage.objects.filter(to=destination).order_by("-id").first()
    assert message is not None, f"no message was sent to {destination}"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def sign_in_staff():
    """`sign_in_staff(client, user)`: signs a staff member in with password and authenticator
    app, as the staff sign-in pages ask (the one helper, `tests.factories.sign_in_staff`)."""
    return factories.sign_in_staff


SANDBOX_CHECKERS = {
    "document_platform": "identity.verifiers.sandbox.SandboxDocumentPlatform",
    # The platform compares the faces itself; the offline matcher needs real faces (test_face_match).
    "face_matcher": "",
    "passport": "identity.verifiers.sandbox.SandboxPassportValidator",
    "driving_licence": "identity.verifiers.sandbox.SandboxLicenceValidator",
    "fraud": "identity.verifiers.sandbox.SandboxFraudProvider",
    "knowledge": "identity.verifiers.sandbox.SandboxKnowledgeProvider",
}


@pytest.fixture
def sandbox_checkers(settings):
    """Every identity checker role given its sandbox, as a staging site would run."""
    settings.IDENTITY_VERIFIERS = dict(SANDBOX_CHECKERS)
    return settings.IDENTITY_VERIFIERS
