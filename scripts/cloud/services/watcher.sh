# Watcher (resource-optimization): api + decision-engine, goal/strategy
# "dummy". The decision engine syncs goals and strategies at start; ready
# when the API lists goal dummy.
DEPS="mariadb rabbitmq"
PROCS="watcher-decision-engine watcher-api"
REGISTER=("watcher:watcherpass:infra-optim:http://$HOSTIP:9322")
TYPES="infra-optim"
up() {
  local d=$S/watcher
  mkdir -p "$d/lock"
  cat >"$d/watcher.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
[database]
connection = $(dburl watcher)
[api]
host = $HOSTIP
port = 9322
workers = 1
[watcher_decision_engine]
max_audit_workers = 1
max_general_workers = 1
[keystone_authtoken]
$(ksat watcher watcherpass)
[watcher_clients_auth]
$(svcauth watcher watcherpass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  local C=(--config-file "$d/watcher.conf")
  freshdb watcher-db-manage watcher
  once watcher-db-manage watcher-db-manage "${C[@]}" upgrade
  launch watcher-decision-engine watcher-decision-engine "${C[@]}" --log-file "$S/log/watcher-decision-engine.log"
  launch watcher-api watcher-api "${C[@]}" --log-file "$S/log/watcher-api.log"
  wait_http http://$HOSTIP:9322/ 120 "$S/log/watcher-api.log" "$S/watcher-api.pid"
  wait_until 120 "watcher goal dummy" _watcher_goal
}
_watcher_goal() {
  (adminrc && $PY - <<'PY')
import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
goals = s.get("/v1/goals", endpoint_filter={"service_type": "infra-optim", "interface": "public"}).json()["goals"]
raise SystemExit(0 if any(g["name"] == "dummy" for g in goals) else 1)
PY
}
