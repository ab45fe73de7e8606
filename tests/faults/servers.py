"""Private servers for fault tests. The suite runs in parallel against one shared PostgreSQL and
Redis, so a test that stops or restarts a server starts its own: a Redis or a PostgreSQL cluster
on a free port with its data in a fresh folder, stopped when the test ends."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class PrivateRedis:
    """A Redis of the test's own, with no persistence: a restart comes back empty, as a Redis
    that lost its memory does, so whatever was queued is gone and only the sweepers can bring it back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def _ping(self) -> bool:
        answer = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True, check=False
        ).stdout
        return answer.strip() == "PONG"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self._ping, 10):
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (pg_ctl refuses root, so it runs as postgres)."""

    def __init__(self) -> None:
        if PG_BIN is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        # Not under pytest's tmp_path: the postgres user must be able to reach the folder.
        self.folder = Path(tempfile.mkdtemp(prefix="registrar-fault-pg-"))
        self.folder.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/registrar"

    def _run(self, *command: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / command[0]), *command[1:]]), check=True, capture_output=True)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-w", "-t", "60", "start",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=50",
        )  # fmt: skip

    def crash(self) -> None:
        """Stop at once, as a crash does: committed data must come back from the WAL."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def load_schema_of(self, database_url: str) -> None:
        """The schema (tables, constraints, triggers) of an already migrated database."""
        subprocess.run(
            [
                "psql",
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE registrar",
            ],
            check=True,
            capture_output=True,
        )
        dump = subprocess.run(
            ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", database_url],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url], input=dump, check=True, capture_output=True)


@contextmanager
def celery_app_on(broker_url: str):
    """Point this process's Celery app (the web side: what `delay` publishes to) at `broker_url`,
    not eager mode, and back afterwards. The pools and the result backend are made again."""
    from kombu import pools

    from config.celery import app

    names = ("broker_url", "result_backend", "task_always_eager")
    saved = {name: app.conf[name] for name in names}

    def _reset():
        pools.reset()  # kombu keeps producers per connection in global registries
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)
        app._backend_cache = None
        app._local.__dict__.pop("backend", None)

    # Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment before its
    # configuration, and the PostgreSQL pass sets both to the shared Redis.
    saved_env = {name: os.environ.get(name) for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    os.environ.update(CELERY_BROKER_URL=broker_url, CELERY_RESULT_BACKEND=broker_url)
    app.conf.update(broker_url=broker_url, result_backend=broker_url, task_always_eager=False)
    _reset()
    try:
        yield app
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _reset()
        app.conf.update(saved)
