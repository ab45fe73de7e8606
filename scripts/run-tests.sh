#!/usr/bin/env bash
# The whole suite, twice: on SQLite (the embedded default) and on a real PostgreSQL, with a
# real Redis and Celery worker and headless Chromium. Started servers are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# A streaming replica of the test PostgreSQL, for the replica routing tests (tests/replica).
export TEST_REPLICA_PORT="${TEST_REPLICA_PORT:-55433}"
eval "$(./scripts/test-services.sh start | sed 's/^/export /')"
trap './scripts/test-services.sh stop' EXIT
export REQUIRE_TEST_SERVICES=1

echo "== Lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format would change files: run make format"; exit 1; }

echo "== Test suite on SQLite"
env -u DATABASE_URL .venv/bin/pytest -n 2 -m "not postgres_only" "$@"

echo "== Test suite on PostgreSQL"
DATABASE_URL="$TEST_DATABASE_URL" CELERY_BROKER_URL="$TEST_REDIS_URL" CELERY_RESULT_BACKEND="$TEST_REDIS_URL" \
  .venv/bin/pytest -n 2 "$@"
