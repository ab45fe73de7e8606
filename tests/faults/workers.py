"""A real Celery worker process for fault tests, and polling for what it does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    base = urlparse(require_service("TEST_DATABASE_URL"))
    return urlunparse(base._replace(path="/" + connection.settings_dict["NAME"]))


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
                "config",
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


def wait_for(predicate, timeout=30.0):
    """Poll a condition another process makes true (the worker), up to a deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
