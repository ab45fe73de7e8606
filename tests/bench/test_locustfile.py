"""bench/locustfile.py walks every journey against a live server without a failure, so that the
load test keeps up with the pages it drives: bench/bench_locust.py prepares a SQLite database,
serves it with gunicorn and runs locust in its own process until one person has been through every journey."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Only looked for: importing locust here would patch this process's sockets with gevent.
if importlib.util.find_spec("locust") is None:
    pytest.skip("locust is installed from requirements-bench.txt (make bench)", allow_module_level=True)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# Every step of every journey, as locust names them in its figures.
STEPS = {
    "sign in": ["email form", "send code", "code form", "check code"],
    "identity": [
        "start",
        "document type form",
        "choose passport",
        "passport details",
        "passport photo",
        "photo of face",
        "proof of address",
        "statement photo",
        "check",
    ],
    "birth": [
        "start",
        "before you start",
        "new registration",
        "informant",
        "the child",
        "place of birth",
        "the mother",
        "the parents",
        "the father",
        "declaration",
        "send",
    ],
    "death": [
        "medical examiner sends the MCCD (API)",
        "start",
        "before you start",
        "new registration",
        "informant",
        "the person who died",
        "date and place",
        "the certificate's reference",
        "the informant",
        "the funeral",
        "declaration",
        "send",
    ],
    "booking": [
        "start",
        "search form",
        "search",
        "choose a time",
        "first person's details",
        "second person's details",
        "book",
    ],
    "certificate": [
        "start",
        "search form",
        "search the index",
        "order form",
        "kind and copies",
        "applicant",
        "continue to payment",
        "pay (sandbox provider)",
        "download the PDF",
    ],
}


def test_every_step_of_every_journey_runs_without_a_failure(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "BENCH_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "TMPDIR": str(tmp_path),
            "BENCH_LOCUST_SECONDS": "600",
            "BENCH_LOCUST_JOURNEYS": "1",
            "BENCH_LOCUST_USERS": "1",
            "BENCH_LOCUST_INDEX_SIZE": "2000",
            "BENCH_LOCUST_FIGURES": str(tmp_path / "figures.json"),
            "BENCH_REQUESTS": "20",
            "BENCH_CLIENTS": "2",
        }
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_locust.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = {row["step"]: row for row in json.loads((tmp_path / "figures.json").read_text())}
    expected = {f"{journey}: {step}" for journey, steps in STEPS.items() for step in steps}
    assert expected - set(rows) == set(), run.stderr[-5000:]
    failed = {name: row["failures"] for name, row in rows.items() if row["failures"]}
    assert failed == {}, run.stderr[-5000:]
    assert "all steps" in run.stdout and "sign in: check code" in run.stdout
