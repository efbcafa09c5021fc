#!/usr/bin/env bash
# Stops the cluster up.sh started in STATE_DIR and removes the folder.
# Usage: down.sh STATE_DIR
set -euo pipefail
die() { echo "$(basename "$0"): $*" >&2; exit 1; }
S=${1:?usage: down.sh STATE_DIR}
[ -d "$S/data" ] || { rm -rf "$S"; exit 0; }
BIN=${RALLYFORGE_PG_BIN:-}
if [ -z "$BIN" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && BIN=$d; done
fi
as=()
[ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
cd "$S"
# immediate: a throwaway cluster needs no clean shutdown; -t bounds the wait.
if [ -s "$S/data/postmaster.pid" ]; then
  "${as[@]}" "$BIN/pg_ctl" -D "$S/data" -m immediate -w -t 30 stop >"$S/pg_ctl-stop.log" 2>&1 ||
    die "pg_ctl stop failed: $(tail -3 "$S/pg_ctl-stop.log" | tr '\n' ' ')"
fi
cd /
rm -rf "$S"
