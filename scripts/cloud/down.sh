#!/usr/bin/env bash
# Stops the local cloud: every service cloud.sh started (MariaDB, RabbitMQ,
# Redis last), then Keystone, Placement and Glance of up.sh (their own
# pidfiles only), and waits, bounded, for the processes to exit. The state folder is kept so the next
# up.sh is fast; pass --purge to delete it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# All are signalled first and then waited for: each takes 2-3 s to exit
# (uwsgi's master waits for its worker), so in turn they took ~8 s.
# glance-api is a plain process (no uwsgi): SIGTERM ends its single-process
# eventlet server.
"$CLOUD_DIR/cloud.sh" down-all
stopping=()
for svc in glance placement keystone; do
  pf=$S/$svc-uwsgi.pid
  [ "$svc" = glance ] && pf=$S/glance.pid
  alive "$pf" || { rm -f "$pf"; continue; }
  pid=$(cat "$pf")
  kill -TERM "$pid"
  stopping+=("$svc:$pid:$pf")
done
for e in ${stopping[@]+"${stopping[@]}"}; do
  IFS=: read -r svc pid pf <<<"$e"
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && die "$svc (pid $pid) did not stop within 20s"
  rm -f "$pf"
done
if [ "${1:-}" = "--purge" ]; then
  case "$S" in */cloud) rm -rf "$S" ;; esac
fi
echo "cloud down"
