#!/usr/bin/env bash
# Brings up Keystone (:5000), Placement (:8778) and Glance (:9292) on
# 127.0.0.1 with sqlite, state under ${RALLYFORGE_LAB:-.lab}/cloud, and writes
# an admin openrc and a non-admin user openrc there. Idempotent: services
# already running are kept, databases already synced are reused. Recipe and
# the reasons behind each flag: ../shared/notes/local-openstack.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for t in keystone-manage placement-manage glance-manage glance-api uwsgi curl sqlite3 /usr/bin/python3 \
  /etc/glance/glance-api-paste.ini; do
  command -v "$t" >/dev/null || [ -e "$t" ] || die "$t not found; run scripts/cloud/install.sh (as root)"
done
mkdir -p "$S"/{log,fernet-keys,credential-keys,keystone,placement,glance,glance-images,glance-staging}
chmod 700 "$S/fernet-keys" "$S/credential-keys"

port_busy() { curl -s -o /dev/null --max-time 2 "http://$HOSTIP:$1/"; }

# All ports are checked before anything starts, so a taken one leaves no
# half-started cloud behind.
for svc in keystone:$KS_PORT:KEYSTONE:keystone-uwsgi placement:$PL_PORT:PLACEMENT:placement-uwsgi glance:$GL_PORT:GLANCE:glance; do
  IFS=: read -r name port var pid <<<"$svc"
  if ! alive "$S/$pid.pid" && port_busy "$port"; then
    die "port $port on $HOSTIP ($name) is taken by another process; stop it or set RALLYFORGE_${var}_PORT"
  fi
done


cat > "$S/keystone/keystone.conf" <<CONF
[DEFAULT]
log_file = $S/log/keystone-app.log
[database]
connection = sqlite:///$S/keystone.sqlite
[token]
provider = fernet
[fernet_tokens]
key_repository = $S/fernet-keys
[fernet_receipts]
key_repository = $S/fernet-keys
[credential]
key_repository = $S/credential-keys
[identity]
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memory
CONF

# Glance goes first and in the background: its db sync and its start (mostly
# Python imports, the slowest of the three services) need nothing from
# Keystone until the first request, so they overlap Keystone's bootstrap.
# The wait for it is at the end.
cat > "$S/glance/glance-api.conf" <<CONF
[DEFAULT]
bind_host = $HOSTIP
bind_port = $GL_PORT
# 0: serve from the launching process (the default forks one per CPU, each
# with its own sqlite connections; notes, gotchas 2-4).
workers = 0
log_file = $S/log/glance-app.log
[database]
connection = sqlite:///$S/glance.sqlite
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $S/glance-images/
[os_glance_staging_store]
filesystem_store_datadir = $S/glance-staging/
[keystone_authtoken]
www_authenticate_uri = $KURL
auth_url = $KURL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = glance
password = glancepass
region_name = RegionOne
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
CONF
gl_job=
if ! alive "$S/glance.pid"; then
  (
    if [ ! -e "$S/.glance-synced" ]; then
      timeout 120 glance-manage --config-file "$S/glance/glance-api.conf" db_sync &&
        sqlite3 "$S/glance.sqlite" 'PRAGMA journal_mode=WAL;' >/dev/null || exit 1
      touch "$S/.glance-synced"
    fi
    # setsid: out of the caller's process group, as the daemonized uwsgi are.
    setsid glance-api --config-file "$S/glance/glance-api.conf" </dev/null >>"$S/log/glance-api.log" 2>&1 &
    echo $! >"$S/glance.pid"
  ) >"$S/log/glance-manage.log" 2>&1 &
  gl_job=$!
fi

if ! alive "$S/keystone-uwsgi.pid"; then
  if [ ! -s "$S/keystone.sqlite" ] || [ ! -e "$S/.keystone-bootstrapped" ]; then
    KM=(keystone-manage --config-file "$S/keystone/keystone.conf")
    log=$S/log/keystone-manage.log
    { "${KM[@]}" db_sync &&
      sqlite3 "$S/keystone.sqlite" 'PRAGMA journal_mode=WAL;' >/dev/null &&
      "${KM[@]}" fernet_setup --keystone-user root --keystone-group root &&
      "${KM[@]}" credential_setup --keystone-user root --keystone-group root &&
      "${KM[@]}" bootstrap --bootstrap-password adminpass --bootstrap-username admin \
        --bootstrap-project-name admin --bootstrap-role-name admin \
        --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
        --bootstrap-admin-url "$KURL" --bootstrap-public-url "$KURL" \
        --bootstrap-internal-url "$KURL"; } >"$log" 2>&1 || die "keystone-manage failed; see $log"
    touch "$S/.keystone-bootstrapped"
  fi
  serve keystone "$KS_PORT" /usr/bin/keystone-wsgi-public "OS_KEYSTONE_CONFIG_DIR=$S/keystone" ||
    die "keystone (uwsgi) did not start; see $S/log/keystone-uwsgi.log"
fi
wait_http "$KURL" 60 "$S/log/keystone-uwsgi.log"

cat > "$S/admin-openrc" <<RC
export OS_AUTH_URL=$KURL OS_IDENTITY_API_VERSION=3 OS_USERNAME=admin OS_PASSWORD=adminpass
export OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne OS_INTERFACE=public
RC
cat > "$S/user-openrc" <<RC
export RALLYFORGE_USER_USERNAME=rally RALLYFORGE_USER_PASSWORD=rallypass RALLYFORGE_USER_PROJECT_NAME=rally
RC
log=$S/log/ks_setup.log
( . "$S/admin-openrc"; PLACEMENT_URL=http://$HOSTIP:$PL_PORT GLANCE_URL=http://$HOSTIP:$GL_PORT \
  /usr/bin/python3 "$(dirname "$0")/ks_setup.py" ) >"$log" 2>&1 ||
  die "registering placement, glance and the rally user failed: $(tail -1 "$log"); see $log"

cat > "$S/placement/placement.conf" <<CONF
[DEFAULT]
log_file = $S/log/placement-app.log
[api]
auth_strategy = keystone
[keystone_authtoken]
www_authenticate_uri = $KURL
auth_url = $KURL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = placement
password = placementpass
region_name = RegionOne
[placement_database]
connection = sqlite:///$S/placement.sqlite
CONF
if ! alive "$S/placement-uwsgi.pid"; then
  if [ ! -e "$S/.placement-synced" ]; then
    log=$S/log/placement-manage.log
    { placement-manage --config-file "$S/placement/placement.conf" db sync &&
      sqlite3 "$S/placement.sqlite" 'PRAGMA journal_mode=WAL;' >/dev/null; } >"$log" 2>&1 ||
      die "placement-manage failed; see $log"
    touch "$S/.placement-synced"
  fi
  serve placement "$PL_PORT" /usr/bin/placement-api "OS_PLACEMENT_CONFIG_DIR=$S/placement" ||
    die "placement (uwsgi) did not start; see $S/log/placement-uwsgi.log"
fi
wait_http "http://$HOSTIP:$PL_PORT/" 60 "$S/log/placement-uwsgi.log"
if [ -n "$gl_job" ]; then
  wait "$gl_job" || die "glance-manage db_sync failed; see $S/log/glance-manage.log"
fi
# GET / answers 300 (the version list) once glance-api serves.
wait_http "http://$HOSTIP:$GL_PORT/" 120 "$S/log/glance-app.log and glance-api.log" "$S/glance.pid"
echo "cloud up: keystone $KURL, placement http://$HOSTIP:$PL_PORT, glance http://$HOSTIP:$GL_PORT; . $S/admin-openrc"
