#!/usr/bin/env bash
# Brings services of the loopback cloud up and down, one service group at a
# time, on top of the Keystone + Placement + Glance of up.sh (which must be
# up). Every service is a file services/NAME.sh (README.md lists them and why
# each backend was chosen) that sets
#   DEPS      services it needs running first (mariadb, rabbitmq, neutron...)
#   PROCS     its daemons: pidfile $S/<proc>.pid, stopped in reverse order
#   REGISTER  Keystone specs for ks_setup.py add (user:pass:type:url, role:X)
#   TYPES     the service types it registers (removed again when it stops)
# and a function up that starts the daemons and waits until they serve.
#
#   cloud.sh up NAME...     start NAME and its DEPS (running ones are kept)
#   cloud.sh down NAME...   stop NAME (not its DEPS), unregister its types
#   cloud.sh down-all       stop every service of this state folder
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# Stop order is the reverse of this list: shared parts last.
ORDER=(mariadb rabbitmq redis influxdb neutron nova cinder heat swift manila barbican designate octavia
  mistral watcher zaqar magnum ironic masakari cloudkitty trove inspector freezer aodh)

svc() { [ -f "$CLOUD_DIR/services/$1.sh" ] || die "no such service: $1"; echo "$CLOUD_DIR/services/$1.sh"; }

# deps NAME: NAME's DEPS, recursively, before NAME, without repeats.
declare -A seen=()
resolve() {
  local d
  [ -n "${seen[$1]:-}" ] && return 0
  seen[$1]=1
  for d in $(DEPS=; . "$(svc "$1")"; echo "$DEPS"); do resolve "$d"; done
  plan+=("$1")
}

running() { # NAME: every daemon of NAME is alive
  local p
  for p in $(PROCS=; . "$(svc "$1")"; echo "$PROCS"); do alive "$S/$p.pid" || return 1; done
}

case "${1:-}" in
_up) # internal: one service, in its own process so `set -e` holds in up()
  name=$2
  DEPS= PROCS= TYPES= REGISTER=()
  . "$(svc "$name")"
  mkdir -p "$S/log" "$S/$name"
  t0=$(date +%s.%N)
  if [ ${#REGISTER[@]} -gt 0 ]; then
    (adminrc && $PY "$CLOUD_DIR/ks_setup.py" add "${REGISTER[@]}") >"$S/log/ks-$name.log" 2>&1 ||
      die "registering $name in Keystone failed: $(tail -1 "$S/log/ks-$name.log")"
  fi
  up
  printf '%s up in %.1fs\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
  ;;
up)
  shift
  [ -s "$S/admin-openrc" ] && alive "$S/keystone-uwsgi.pid" || die "Keystone is not up: run scripts/cloud/up.sh first"
  plan=()
  for n in "$@"; do resolve "$n"; done
  # Services whose DEPS all run start side by side (most of a start is
  # Python imports and db syncs: the 2 cores are kept busy); then the next
  # round. Half-started leftovers of a failed attempt are stopped first.
  declare -A ok=()
  pending=()
  for n in "${plan[@]}"; do
    if running "$n"; then ok[$n]=1; else pending+=("$n"); fi
  done
  while [ ${#pending[@]} -gt 0 ]; do
    round=() rest=()
    for n in "${pending[@]}"; do
      ready=1
      for d in $(DEPS=; . "$(svc "$n")"; echo "$DEPS"); do [ -n "${ok[$d]:-}" ] || ready=; done
      if [ -n "$ready" ]; then round+=("$n"); else rest+=("$n"); fi
    done
    [ ${#round[@]} -gt 0 ] || die "cannot order ${pending[*]}: a DEPS cycle"
    declare -A pid=()
    for n in "${round[@]}"; do
      "$0" _down "$n" >/dev/null 2>&1 || true
      "$0" _up "$n" &
      pid[$n]=$!
    done
    failed=()
    for n in "${round[@]}"; do
      if wait "${pid[$n]}"; then ok[$n]=1; else failed+=("$n"); fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
      for n in "${failed[@]}"; do "$0" _down "$n" >/dev/null 2>&1 || true; done
      die "${failed[*]} did not come up (logs in $S/log)"
    fi
    pending=(${rest[@]+"${rest[@]}"})
  done
  ;;
_down)
  name=$2
  PROCS= TYPES=
  . "$(svc "$name")"
  pfs=()
  for p in $PROCS; do pfs=("$S/$p.pid" ${pfs[@]+"${pfs[@]}"}); done
  [ ${#pfs[@]} -gt 0 ] && stop "${pfs[@]}"
  echo "$TYPES"
  ;;
down | down-all)
  if [ "$1" = down-all ]; then
    names=()
    for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do
      [ -f "$CLOUD_DIR/services/${ORDER[$i]}.sh" ] && names+=("${ORDER[$i]}")
    done
  else
    shift
    names=("$@")
  fi
  types=()
  for n in "${names[@]}"; do
    svc "$n" >/dev/null
    types+=($("$0" _down "$n"))
  done
  if [ ${#types[@]} -gt 0 ] && [ -s "$S/admin-openrc" ] && alive "$S/keystone-uwsgi.pid"; then
    (adminrc && $PY "$CLOUD_DIR/ks_setup.py" remove "${types[@]}") >"$S/log/ks-remove.log" 2>&1 ||
      echo "cloud.sh: unregistering ${types[*]} failed; see $S/log/ks-remove.log" >&2
  fi
  ;;
*)
  echo "usage: cloud.sh up NAME... | down NAME... | down-all" >&2
  exit 2
  ;;
esac
