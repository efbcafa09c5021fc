#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the history tests and prints its
# DSN on stdout (one line). Usage: up.sh [STATE_DIR]
# STATE_DIR (created if missing, must be empty; default a new /tmp folder)
# holds the cluster, its socket and log; give it to down.sh to stop and
# remove everything. Loopback only (127.0.0.1, a free port), trust auth
# for the superuser "rallyforge": the cluster lives for one test run.
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` user (Debian's package creates it).
set -euo pipefail
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

BIN=${RALLYFORGE_PG_BIN:-}
if [ -z "$BIN" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && BIN=$d; done
fi
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ] ||
  die "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); install them: apt-get install postgresql (or bash scripts/install-deps.sh)"

S=${1:-$(mktemp -d /tmp/rallyforge-pg.XXXXXX)}
mkdir -p "$S"
[ -z "$(ls -A "$S")" ] || die "$S is not empty"
S=$(cd "$S" && pwd)

as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (apt-get install postgresql)"
  chown postgres: "$S"
  as=(runuser -u postgres --)
fi
# The server must be able to reach its folder (a 0700 parent owned by
# someone else makes initdb fail with a confusing message).
"${as[@]}" test -w "$S" || die "$S is not writable by ${as[*]:+postgres}${as[*]:-$(id -un)}; use a folder under /tmp"

cd "$S"
"${as[@]}" "$BIN/initdb" -D "$S/data" -U rallyforge -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$S/initdb.log" 2>&1 ||
  die "initdb failed: $(tail -3 "$S/initdb.log" | tr '\n' ' ')(log $S/initdb.log)"

# A free port: ask the kernel for one, then let the server bind it; retry
# if another process took it in between.
freeport() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for attempt in 1 2 3; do
  port=$(freeport)
  # pg_ctl -w waits for the server to accept connections, at most -t seconds.
  if "${as[@]}" "$BIN/pg_ctl" -D "$S/data" -l "$S/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$S -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=50" \
      >"$S/pg_ctl.log" 2>&1; then
    echo "postgres://rallyforge@127.0.0.1:$port/postgres?sslmode=disable"
    echo "$port" >"$S/port"
    exit 0
  fi
  grep -q "could not bind\|already in use" "$S/server.log" 2>/dev/null || break
done
die "the server did not start within 30s: $(tail -3 "$S/server.log" 2>/dev/null | tr '\n' ' ')(logs in $S)"
