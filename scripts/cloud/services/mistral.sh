# Mistral (workflow): api, engine, executor (mistral-server --server X),
# one API worker. std.* actions loaded by `mistral-db-manage populate`.
DEPS="mariadb rabbitmq"
PROCS="mistral-engine mistral-executor mistral-api"
REGISTER=("mistral:mistralpass:workflowv2:http://$HOSTIP:8989/v2")
TYPES="workflowv2"
up() {
  local d=$S/mistral
  mkdir -p "$d/lock"
  cat >"$d/mistral.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
[database]
connection = $(dburl mistral)
[api]
host = $HOSTIP
port = 8989
api_workers = 1
[pecan]
auth_enable = true
[keystone_authtoken]
$(ksat mistral mistralpass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
enforce_scope = false
CONF
  local C=(--config-file "$d/mistral.conf")
  freshdb mistral-db-manage mistral
  _mistraldb() { mistral-db-manage "${C[@]}" upgrade head && mistral-db-manage "${C[@]}" populate; }
  once mistral-db-manage _mistraldb
  local s
  for s in engine executor api; do
    launch mistral-$s mistral-server --server $s "${C[@]}" --log-file "$S/log/mistral-$s.log"
  done
  wait_http http://$HOSTIP:8989/ 120 "$S/log/mistral-api.log" "$S/mistral-api.pid"
}
