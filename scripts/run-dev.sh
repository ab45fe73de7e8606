#!/usr/bin/env bash
# The embedded default: web server, a real Celery worker and beat on the filesystem broker,
# all stopped together with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
mkdir -p var/staticfiles var/log var/celery/queue var/celery/processed var/celery/results var/celery/control var/media

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
WORKER=$!
.venv/bin/celery -A config beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

cat <<MSG

  Registrar Online is starting on http://localhost:8000
    Start page          http://localhost:8000/
    Sign in (citizen)   http://localhost:8000/sign-in/  (read your code at /dev/outbox/)
    Staff sign in       http://localhost:8000/staff/sign-in/
    API docs            http://localhost:8000/api/docs/
    Health              http://localhost:8000/healthz
  Celery worker and beat are running (logs in var/log/). Demo staff are listed above;
  their authenticator keys work in any TOTP app, or: .venv/bin/python -c "import pyotp;print(pyotp.TOTP('KEY').now())"

MSG
.venv/bin/python manage.py runserver 0.0.0.0:8000
