"""A real Celery worker process for fault tests, and polling for what it does."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """The database this test process uses (pytest-django's, one per xdist worker)."""
    base = urlparse(require_service("TEST_DATABASE_URL"))
    return urlunparse(base._replace(path="/" + connection.settings_dict["NAME"]))


class Worker:
    """`celery worker` on `redis_url` against the test database and this test's media folder.
    With `beat`, it runs the beat schedule too (the sweepers), from a schedule file of its own;
    with `queues`, it takes only those queues (`-Q`), as a production worker does.
    It is a process group of its own, so `kill()` takes it (and its beat) down with SIGKILL."""

    def __init__(
        self,
        redis_url: str,
        *,
        beat: bool = False,
        folder: Path | None = None,
        env: dict | None = None,
        queues: tuple[str, ...] = (),
    ) -> None:
        self.redis_url = redis_url
        self.queues = queues
        self.env = env or {}
        self.beat = beat
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.log = None
        self.starts = 0

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **self.env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        command += ["-n", f"test-{os.getpid()}-{self.starts}@localhost"]
        if self.queues:
            command += ["-Q", ",".join(self.queues)]
        if self.beat:
            folder = self.folder or Path(settings.MEDIA_ROOT).parent
            command += ["-B", "--scheduler", "celery.beat:PersistentScheduler", "-s", str(folder / "beat-schedule")]
        self.starts += 1
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def kill(self) -> str:
        """kill -9, as a crash or the out-of-memory killer does: no chance to tidy up."""
        if self.process is None:
            return ""
        os.killpg(self.process.pid, signal.SIGKILL)
        output, _ = self.process.communicate()
        self.process = None
        return output

    def stop(self) -> str:
        if self.process is None:
            return ""
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            return self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # an embedded beat left behind
        self.process = None
        return output


def wait_for(predicate, timeout=30.0):
    """Poll a condition another process makes true (the worker), up to a deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
