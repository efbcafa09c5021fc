# Shared by the cloud scripts: the state folder, the ports (loopback only)
# and the helpers every service script uses.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLOUD_DIR=$ROOT/scripts/cloud
LAB=${RALLYFORGE_LAB:-$ROOT/.lab}
S=$LAB/cloud
KS_PORT=${RALLYFORGE_KEYSTONE_PORT:-5000}
PL_PORT=${RALLYFORGE_PLACEMENT_PORT:-8778}
GL_PORT=${RALLYFORGE_GLANCE_PORT:-9292}
HOSTIP=127.0.0.1
KURL=http://$HOSTIP:$KS_PORT/v3
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

# wait_until SECONDS WHAT CMD...: bounded retry of CMD once a second.
wait_until() {
  local limit=$1 what=$2 i=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -ge "$limit" ] && die "$what not ready within ${limit}s"
    sleep 1
  done
}

# launch NAME CMD...: a daemon in its own session (out of the caller's
# process group, so a test's Ctrl-C does not skip the orderly stop), output
# to $S/log/NAME.out, its PID in $S/NAME.pid.
launch() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$S/log/$name.out" 2>&1 &
  echo $! >"$S/$name.pid"
}

# serve NAME PORT WSGI-SCRIPT ENV=VALUE...: a WSGI app under uwsgi with one
# process and one thread (sqlite and in-process caches: notes gotchas 3, 4)
# and Connection: close (gotcha 1); the master's PID in $S/NAME-uwsgi.pid.
serve() {
  local name=$1 port=$2 app=$3 envs=()
  shift 3
  for e in "$@"; do envs+=(--env "$e"); done
  uwsgi --plugins python3 --http-socket "$HOSTIP:$port" --wsgi-file "$app" \
    "${envs[@]}" --master --processes 1 --threads 1 --enable-threads \
    --buffer-size 65535 --die-on-term --need-app --add-header "Connection: close" \
    --pidfile "$S/$name-uwsgi.pid" --daemonize2 "$S/log/$name-uwsgi.log" >>"$S/log/$name-uwsgi.log" 2>&1 ||
    die "$name (uwsgi) did not start: $(grep -m1 -iE 'error|unable' "$S/log/$name-uwsgi.log"); see $S/log/$name-*.log"
}

# descendants PID: every process below PID.
descendants() {
  local c
  for c in $(pgrep -P "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}

# stop PIDFILE...: SIGTERM each recorded process, then wait (30 s) for it and
# every process that was below it; what is still there then gets SIGKILL.
# Only recorded PIDs and their own children are ever signalled.
stop() {
  local pf pid all=() p i
  for pf in "$@"; do
    alive "$pf" || { rm -f "$pf"; continue; }
    pid=$(cat "$pf")
    all+=("$pid" $(descendants "$pid"))
    kill -TERM "$pid" 2>/dev/null || true
  done
  for p in ${all[@]+"${all[@]}"}; do
    for i in $(seq 1 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && { echo "pid $p did not stop within 30s: SIGKILL" >&2; kill -KILL "$p" 2>/dev/null || true; }
  done
  rm -f "$@"
}

# ksat USER PASSWORD: the [keystone_authtoken] body every service uses.
ksat() {
  cat <<KSAT
www_authenticate_uri = $KURL
auth_url = $KURL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $2
region_name = RegionOne
KSAT
}

# svcauth USER PASSWORD: the same service credentials as a plain auth section
# (placement, neutron, service_auth, ... clients of the services).
svcauth() {
  cat <<AUTH
auth_url = $KURL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $2
region_name = RegionOne
AUTH
}

RABBIT_URL=rabbit://guest:guest@$HOSTIP:5672/
MYSQL_SOCK=$S/mysql/mysqld.sock
# dburl DB: the service's SQLAlchemy URL on the shared MariaDB.
dburl() { echo "mysql+pymysql://os:ospass@$HOSTIP:3306/$1?charset=utf8"; }
# mkdb DB...: create the databases (utf8: manila's migrations fail on
# utf8mb4, notes services M1; devstack uses utf8 too).
mkdb() {
  local d sql=
  for d in "$@"; do sql+="CREATE DATABASE IF NOT EXISTS \`$d\` CHARACTER SET utf8; "; done
  mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e "$sql"
}
# freshdb ONCE DB...: the databases of a service whose `once ONCE` sync has
# not finished yet are dropped and made again: a sync that was interrupted
# (a killed test) leaves half-migrated tables that the next sync trips on
# ("Table ... already exists").
freshdb() {
  local name=$1
  shift
  [ -e "$S/.done-$name" ] || dropdb "$@"
  mkdb "$@"
}
# dropdb DB...: for a clean re-sync.
dropdb() {
  local d sql=
  for d in "$@"; do sql+="DROP DATABASE IF EXISTS \`$d\`; "; done
  mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e "$sql"
}
# once NAME CMD...: run CMD (a db sync, a bootstrap) only the first time for
# this state folder; its output goes to $S/log/NAME.log.
once() {
  local name=$1
  shift
  [ -e "$S/.done-$name" ] && return 0
  "$@" >"$S/log/$name.log" 2>&1 || die "$name failed: $(tail -3 "$S/log/$name.log" | tr '\n' ' '); see $S/log/$name.log"
  touch "$S/.done-$name"
}

# The Debian interpreter: pyenv's python3 on PATH lacks the OpenStack libs.
PY=/usr/bin/python3
adminrc() { . "$S/admin-openrc"; }
