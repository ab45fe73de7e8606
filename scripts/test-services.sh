#!/usr/bin/env bash
# Starts (or stops) the private PostgreSQL and Redis servers the test suite runs against:
# PostgreSQL as the postgres user (pg_ctl refuses root) on a private port with fsync off,
# Redis on a private port with no persistence. Prints the URLs to export.
set -euo pipefail

PG_PORT="${TEST_PG_PORT:-55432}"
REDIS_PORT="${TEST_REDIS_PORT:-56379}"
STATE="${TEST_SERVICES_DIR:-/tmp/registrar-test-services}"
PG_DATA="$STATE/pgdata"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  if [ "$(id -u)" = "0" ]; then chown postgres "$STATE"; fi
  if [ -z "$PG_BIN" ]; then echo "PostgreSQL server binaries not found" >&2; exit 1; fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE/postgres.log" -w -t 60 start \
      -o "-p $PG_PORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  fi
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/registrar"
  echo "TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

stop() {
  if [ -n "$PG_BIN" ] && [ -d "$PG_DATA" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true; fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
