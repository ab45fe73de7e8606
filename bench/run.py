"""Runs every benchmark in this folder (files named bench_*.py), each in its own process with the
environment this script was given, so that no setting or database of one leaks into the next;
each script removes its own temporary database. Unless BENCH_POSTGRES_URL and BENCH_REDIS_URL
are given, private PostgreSQL and Redis servers are started for the run (scripts/test-services.sh
on BENCH_PG_PORT and BENCH_REDIS_PORT) and stopped afterwards. `bench/run.py NAME…` runs only
the scripts whose names contain one of the NAMEs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

here = Path(__file__).resolve().parent
root = here.parent
services = root / "scripts" / "test-services.sh"


def start_services() -> tuple[dict[str, str], dict[str, str]] | None:
    """(the variables the scripts need, the variables that stop the servers), or None when the
    servers cannot be started here (the scripts then say they ran on SQLite)."""
    state = tempfile.mkdtemp(prefix="bench-services-")
    control = {
        "TEST_PG_PORT": os.environ.get("BENCH_PG_PORT", "55441"),
        "TEST_REDIS_PORT": os.environ.get("BENCH_REDIS_PORT", "56441"),
        "TEST_SERVICES_DIR": state,
    }
    started = subprocess.run(
        [str(services), "start"], env={**os.environ, **control}, capture_output=True, text=True, check=False
    )
    if started.returncode != 0:
        print(f"PostgreSQL and Redis could not be started ({started.stderr.strip()[-200:]}); using SQLite")
        shutil.rmtree(state, ignore_errors=True)
        return None
    urls = dict(line.split("=", 1) for line in started.stdout.split() if "=" in line)
    database = urls["TEST_DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    return {"BENCH_POSTGRES_URL": database, "BENCH_REDIS_URL": urls["TEST_REDIS_URL"]}, control


def main(names: list[str]) -> int:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)  # each script makes its own database
    started = None
    if not (env.get("BENCH_POSTGRES_URL") and env.get("BENCH_REDIS_URL")):
        started = start_services()
        if started:
            env.update(started[0])
    failed = 0
    try:
        for script in sorted(here.glob("bench_*.py")):
            if names and not any(name in script.stem for name in names):
                continue
            print(f"== {script.stem}", flush=True)
            # Whatever the script leaves in its temporary folder (SQLite files, uploads) goes with it.
            scratch = tempfile.mkdtemp(prefix=f"{script.stem}-")
            try:
                run = subprocess.run(
                    [sys.executable, str(script)], env={**env, "TMPDIR": scratch}, cwd=root, check=False
                )
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            failed += run.returncode != 0
    finally:
        if started:
            subprocess.run([str(services), "stop"], env={**os.environ, **started[1]}, check=False)
            shutil.rmtree(started[1]["TEST_SERVICES_DIR"], ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
