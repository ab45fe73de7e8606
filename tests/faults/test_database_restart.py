"""PostgreSQL crashed and restarted under load, behind a real gunicorn, on a cluster of the
test's own: every write the service acknowledged is still there, clients get 503 with
Retry-After while the database is away (the JSON error shape under /api/, a GOV.UK page
otherwise), never a 500 or a dropped connection, and the same web process serves them again
within seconds of the database coming back."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.conftest import require_service
from tests.faults.servers import PrivatePostgres, free_port, wait_until
from tests.faults.workers import ROOT, worker_database_url

pytestmark = [pytest.mark.postgres_only, pytest.mark.celery_worker, pytest.mark.django_db]

TARGET_SECONDS = 60
SEED = """
from identity.services import issue_api_token
from tests.factories import UserFactory
token, _ = issue_api_token(user=UserFactory(email="load@example.com"))
print("TOKEN=" + token)
"""


@pytest.fixture
def database():
    require_service("TEST_DATABASE_URL")
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        server.load_schema_of(worker_database_url())
        yield server
    finally:
        server.remove()


def _env(database) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database.url,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE": "100000",
        "CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR": "100000",
    }


@pytest.fixture
def web(database, tmp_path):
    """gunicorn, as the Procfile runs it, against the private cluster."""
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, env=_env(database), capture_output=True, text=True
    )
    token = next(line[6:] for line in seeded.stdout.splitlines() if line.startswith("TOKEN="))
    port = free_port()
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--threads", "4", "--timeout", "30", "--error-logfile", str(log), "--log-level", "info"]
        + ["--control-socket", str(tmp_path / "gunicorn.ctl")],  # not the shared one in the home folder
        cwd=ROOT,
        env=_env(database),
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/api/v1/auth/me", headers=_auth(token), timeout=15).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the application
            return False

    try:
        assert wait_until(up, 45, 0.2), log.read_text() if log.exists() else "gunicorn did not start"
        yield base, token, log
    finally:
        process.terminate()
        process.wait(20)


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


class Load:
    """Clients reading and writing through the API and reading a page, as fast as answers come."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.answers: list[tuple[float, str, int | str, requests.Response | None]] = []
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(kind,), daemon=True) for kind in ("read", "write", "page")
        ]

    def _one(self, session: requests.Session, kind: str) -> requests.Response:
        if kind == "read":
            return session.get(f"{self.base}/api/v1/auth/me", headers=_auth(self.token), timeout=10)
        if kind == "write":
            return session.post(f"{self.base}/api/v1/auth/me/consent-code", headers=_auth(self.token), timeout=10)
        return session.get(f"{self.base}/verify/K7QH-3MZP-W2XA-9RTC", timeout=10)

    def _run(self, kind: str) -> None:
        session = requests.Session()
        while not self.stopping.is_set():
            try:
                response = self._one(session, kind)
                self.answers.append((time.monotonic(), kind, response.status_code, response))
            except requests.RequestException as error:
                self.answers.append((time.monotonic(), kind, error.__class__.__name__, None))
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(15)

    def since(self, moment: float) -> list:
        return [answer for answer in self.answers if answer[0] >= moment]


def test_postgresql_restarted_under_load_keeps_committed_data_answers_503_and_recovers_without_a_restart(database, web):
    base, token, log = web
    with Load(base, token) as load:
        assert wait_until(lambda: any(a[1] == "write" and a[2] == 201 for a in load.answers), 20)
        database.crash()
        down = time.monotonic()

        # The database stays away until each kind of client has had ten answers without it.
        def answered_without_it():
            away = [a[1] for a in load.since(down) if a[2] == 503]
            return all(away.count(kind) >= 10 for kind in ("read", "write", "page"))

        assert wait_until(answered_without_it, 20), (
            sorted({(a[1], a[2]) for a in load.since(down)}),
            log.read_text()[-6000:],
        )
        back = time.monotonic()  # the restart begins (pg_ctl start waits until it accepts connections)
        database.start()
        recovered = wait_until(
            lambda: {a[1] for a in load.since(back) if a[2] in (200, 201, 404)} == {"read", "write", "page"},
            TARGET_SECONDS,
        )
        first_success = min((a[0] for a in load.since(back) if a[2] in (200, 201)), default=time.monotonic())
        time.sleep(1)  # a few more answers after recovery, to see they stay good
    print(
        f"\nPostgreSQL crash: {len(load.answers)} requests, answers {sorted({str(a[2]) for a in load.answers})}; "
        f"{sum(1 for a in load.answers if a[2] == 503)} of them 503 over {back - down:.1f} s down; "
        f"served again {first_success - back:.1f} s after the restart began"
    )
    assert recovered, sorted({(a[1], a[2]) for a in load.since(back)})
    assert first_success - back <= TARGET_SECONDS

    statuses = {a[2] for a in load.answers}
    assert statuses <= {200, 201, 404, 503}, statuses  # never a 500, never a dropped connection
    for _at, kind, status, response in load.answers:
        if status != 503:
            continue
        assert response.headers["Retry-After"].isdigit()
        if kind == "page":
            assert "text/html" in response.headers["Content-Type"] and "govuk-" in response.text
        else:
            assert response.json()["error"]["code"] == "service_unavailable"

    # Every write the service acknowledged is in the database after the crash.
    acknowledged = sum(1 for a in load.answers if a[1] == "write" and a[2] == 201)
    with psycopg.connect(database.url) as check:
        stored = check.execute(
            "SELECT count(*) FROM identity_consentcode JOIN identity_user ON identity_user.id = person_id "
            "WHERE identity_user.email = 'load@example.com'"
        ).fetchone()[0]
    attempted = sum(1 for a in load.answers if a[1] == "write")
    assert acknowledged <= stored <= attempted, (acknowledged, stored)
    # The same web process throughout: gunicorn booted its worker once.
    assert Path(log).read_text().count("Booting worker") == 1
