# Shared by up.sh and down.sh: the state folder and the ports (loopback only).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB=${RALLYFORGE_LAB:-$ROOT/.lab}
S=$LAB/cloud
KS_PORT=${RALLYFORGE_KEYSTONE_PORT:-5000}
PL_PORT=${RALLYFORGE_PLACEMENT_PORT:-8778}
GL_PORT=${RALLYFORGE_GLANCE_PORT:-9292}
HOSTIP=127.0.0.1
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# alive PIDFILE: the process recorded in PIDFILE is running.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_http URL SECONDS LOG [PIDFILE]: bounded wait for an HTTP answer (any
# status); with PIDFILE, stops waiting as soon as that process has exited.
wait_http() {
  local url=$1 limit=$2 log=$3 pf=${4:-} i=0
  while ! curl -s -o /dev/null --max-time 2 "$url"; do
    i=$((i + 1))
    [ -n "$pf" ] && ! alive "$pf" && die "the server for $url exited before answering; see $log"
    [ $i -ge $((limit * 4)) ] && die "$url did not answer within ${limit}s; see $log"
    sleep 0.25
  done
}
