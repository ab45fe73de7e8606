"""A PostgreSQL streaming replica for the routing tests. The shared one that `make test` starts
(TEST_DATABASE_REPLICA_URL) is only read; tests that pause or stop a replica make a standby of
their own from the test primary (pg_basebackup), since the suite runs in parallel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connections

from tests.conftest import require_service
from tests.faults.servers import PG_BIN, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def database_url(*, port, name: str) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def test_database_name() -> str:
    return connections["default"].settings_dict["NAME"]


def primary_url() -> str:
    settings = connections["default"].settings_dict
    return database_url(port=settings["PORT"], name=settings["NAME"])


def current_lsn(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as primary:
        return primary.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0]


def replayed_up_to(url: str, lsn: str) -> bool:
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=2) as standby:
            return standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0] is True
    except psycopg.OperationalError:
        return False


class Standby:
    """A hot standby of the test primary on a free port, streaming from it."""

    def __init__(self) -> None:
        if PG_BIN is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        settings = connections["default"].settings_dict
        self.primary_port = settings["PORT"]
        # Not under pytest's tmp_path: the postgres user must be able to reach the folder.
        self.folder = Path(tempfile.mkdtemp(prefix="registrar-standby-"))
        self.folder.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.port = free_port()

    def url(self, name: str) -> str:
        return database_url(port=self.port, name=name)

    def _run(self, *command: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / command[0]), *command[1:]]), check=True, capture_output=True)

    def create(self) -> None:
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "replicator",
            "-D", str(self.data), "-X", "stream", "-R", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "standby.log"), "-w", "-t", "60", "start",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on"
            " -c hot_standby_feedback=on -c max_connections=200",  # a standby needs as many as its primary
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        status = subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"]), check=False)
        return status.returncode == 0

    def execute(self, sql: str):
        with psycopg.connect(self.url("postgres"), autocommit=True) as standby:
            return standby.execute(sql).fetchone()

    def pause(self) -> None:
        self.execute("SELECT pg_wal_replay_pause()")
        assert wait_until(lambda: self.execute("SELECT pg_get_wal_replay_pause_state()")[0] == "paused", 20)

    def resume(self) -> None:
        self.execute("SELECT pg_wal_replay_resume()")

    def streaming(self) -> bool:
        try:
            return self.execute("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")[0] == 1
        except psycopg.OperationalError:
            return False

    def caught_up(self) -> bool:
        """Waits until the standby has replayed everything the primary has written so far."""
        lsn = current_lsn(database_url(port=self.primary_port, name="postgres"))
        return wait_until(lambda: replayed_up_to(self.url("postgres"), lsn), 30)

    def remove(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def shared_replica_url():
    """The test database on the replica `make test` started."""
    url = require_service("TEST_DATABASE_REPLICA_URL")
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    return database_url(port=port, name=test_database_name())


@pytest.fixture(scope="module")
def _standby_of_module(django_db_setup, django_db_blocker):
    """One standby per test module (a base backup takes seconds); each test puts it back to
    running and replaying."""
    require_service("TEST_DATABASE_REPLICA_URL")  # `make test` prepared the primary for streaming
    with django_db_blocker.unblock():
        server = Standby()
    try:
        server.create()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def standby(_standby_of_module, transactional_db):
    server = _standby_of_module
    if not server.running():
        server.start()
    server.resume()
    assert wait_until(server.streaming, 30), (server.folder / "standby.log").read_text()[-3000:]
    assert server.caught_up()
    return server


class Web:
    """gunicorn, as the Procfile runs it, on the test primary with the standby as its replica."""

    def __init__(self, standby: Standby, folder: Path, **settings: str) -> None:
        self.log = folder / "gunicorn.log"
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": primary_url(),
            "DATABASE_REPLICA_URL": standby.url(test_database_name()),
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE": "100000",
            "CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR": "100000",
            **settings,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["--threads", "2", "--timeout", "30", "--error-logfile", str(self.log), "--log-level", "info"]
            + ["--control-socket", str(folder / "gunicorn.ctl")],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def up(self) -> bool:
        try:
            return requests.get(f"{self.base}/healthz", timeout=10).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the application
            return False

    def text_of_log(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)


@pytest.fixture
def web(standby, tmp_path):
    """`web(**settings)`: a gunicorn with these settings in its environment."""
    started: list[Web] = []

    def start(**settings: str) -> Web:
        server = Web(standby, tmp_path, **settings)
        started.append(server)
        assert wait_until(server.up, 45, 0.2), server.text_of_log()[-6000:]
        return server

    yield start
    for server in started:
        server.stop()
