#!/usr/bin/env bash
# Starts (or stops) the private PostgreSQL and Redis servers the test suite runs against:
# PostgreSQL as the postgres user (pg_ctl refuses root) on a private port with fsync off,
# Redis on a private port with no persistence. Prints the URLs to export.
# With TEST_REPLICA_PORT set, also a streaming replica of that PostgreSQL (pg_basebackup of the
# primary, then a hot standby on its own port), for the tests of reads routed to a replica.
set -euo pipefail

PG_PORT="${TEST_PG_PORT:-55432}"
REDIS_PORT="${TEST_REDIS_PORT:-56379}"
STATE="${TEST_SERVICES_DIR:-/tmp/registrar-test-services}"
PG_DATA="$STATE/pgdata"
REPLICA_PORT="${TEST_REPLICA_PORT:-}"
REPLICA_DATA="$STATE/pgreplica"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A primary that a standby can stream from: WAL with enough for replication, and senders to spare
# for the standbys the replica tests make of their own.
primary_options() {
  if [ -n "$REPLICA_PORT" ]; then echo "-c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=256MB"; fi
}

start_replica() {
  local psql=(psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
  # A role that may only replicate, allowed to do so from this machine only.
  "${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') THEN CREATE ROLE replicator WITH REPLICATION LOGIN; END IF; END \$\$" >/dev/null
  if ! grep -q "^host replication replicator 127.0.0.1/32" "$PG_DATA/pg_hba.conf"; then
    as_postgres sh -c "printf 'host replication replicator 127.0.0.1/32 trust\n' >> '$PG_DATA/pg_hba.conf'"
    "${psql[@]}" -c "SELECT pg_reload_conf()" >/dev/null
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1; then return; fi
  if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
    # -R writes standby.signal and primary_conninfo: the copy starts as a standby of the primary.
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U replicator -D "$REPLICA_DATA" \
      -X stream -R --checkpoint=fast --no-sync
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$STATE/replica.log" -w -t 60 start \
    -o "-p $REPLICA_PORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200" >/dev/null
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
      -o "-p $PG_PORT -k $STATE -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 $(primary_options)" >/dev/null
  fi
  if [ -n "$REPLICA_PORT" ]; then start_replica; fi
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/registrar"
  echo "TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  if [ -n "$REPLICA_PORT" ]; then echo "TEST_DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/registrar"; fi
}

stop() {
  if [ -n "$PG_BIN" ] && [ -d "$REPLICA_DATA" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -m fast stop >/dev/null 2>&1 || true; fi
  if [ -n "$PG_BIN" ] && [ -d "$PG_DATA" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true; fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
