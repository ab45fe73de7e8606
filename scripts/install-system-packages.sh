#!/usr/bin/env bash
# Installs the OS packages the project needs when they are missing: Node.js/npm and gettext
# for the build; PostgreSQL, Redis and Chromium for the test suite (with "test").
# Needs root (as CI runs); otherwise it only reports what is missing.
set -euo pipefail

need=()
command -v npm >/dev/null || need+=(nodejs npm)
command -v msgfmt >/dev/null || need+=(gettext)
if [ "${1:-}" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ -x /usr/lib/chromium/chromium ] || need+=(chromium fonts-dejavu-core)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Missing system packages: ${need[*]} (install them, or run as root)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
