# Heat (orchestration): api + engine, one worker each (defaults: one per
# CPU). No heat-api-cfn and no stack-user domain: the generated task's
# templates use OS::Heat resources that need neither. Trusts (the default
# deferred auth) are made and removed per stack.
DEPS="mariadb rabbitmq"
PROCS="heat-engine heat-api"
REGISTER=("heat:heatpass:orchestration:http://$HOSTIP:8004/v1/%(project_id)s" role:heat_stack_owner)
TYPES="orchestration"
up() {
  local d=$S/heat
  mkdir -p "$d/lock"
  cat >"$d/heat.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
num_engine_workers = 1
heat_metadata_server_url = http://$HOSTIP:8000
heat_waitcondition_server_url = http://$HOSTIP:8000/v1/waitcondition
region_name_for_services = RegionOne
[database]
connection = $(dburl heat)
[keystone_authtoken]
$(ksat heat heatpass)
[trustee]
auth_type = password
auth_url = $KURL
username = heat
password = heatpass
user_domain_name = Default
[clients_keystone]
auth_uri = http://$HOSTIP:$KS_PORT
[heat_api]
bind_host = $HOSTIP
bind_port = 8004
workers = 1
[paste_deploy]
api_paste_config = /etc/heat/api-paste.ini
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  local C=(--config-file "$d/heat.conf")
  freshdb heat-manage heat
  once heat-manage heat-manage "${C[@]}" db_sync
  launch heat-engine heat-engine "${C[@]}" --log-file "$S/log/heat-engine.log"
  launch heat-api heat-api "${C[@]}" --log-file "$S/log/heat-api.log"
  wait_http http://$HOSTIP:8004/ 120 "$S/log/heat-api.log" "$S/heat-api.pid"
  wait_until 120 heat-engine _heat_engine_up
}
_heat_engine_up() {
  local out
  out=$(heat-manage --config-file "$S/heat/heat.conf" service list 2>/dev/null)
  grep -q ' up ' <<<"$out"
}
