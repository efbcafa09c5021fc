# trove (database), uncovered by rally-openstack: API only (instances need
# a guest image that boots and runs the trove guest agent). trove-manage
# uses inspect.getargspec, gone in Python 3.11: run through a one-line shim.
# A datastore "mysql" is registered so the datastore API has content.
DEPS="mariadb rabbitmq"
PROCS="trove-api"
REGISTER=("trove:trovepass:database:http://$HOSTIP:8779/v1.0/%(tenant_id)s")
TYPES="database"
up() {
  local d=$S/trove
  mkdir -p "$d/lock"
  cat >"$d/trove.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
control_exchange = trove
bind_host = $HOSTIP
bind_port = 8779
trove_api_workers = 1
api_paste_config = /etc/trove/api-paste.ini
os_region_name = RegionOne
[database]
connection = $(dburl trove)
[keystone_authtoken]
$(ksat trove trovepass)
[service_credentials]
$(svcauth trove trovepass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  local C=(--config-file "$d/trove.conf")
  freshdb trove-manage trove
  _trovemanage() {
    $PY -c 'import inspect, sys; inspect.getargspec = inspect.getfullargspec; from trove.cmd.manage import main; sys.exit(main())' "$@"
  }
  _trovedb() { _trovemanage "${C[@]}" db_sync && _trovemanage "${C[@]}" datastore_update mysql ''; }
  once trove-manage _trovedb
  launch trove-api trove-api "${C[@]}" --log-file "$S/log/trove-api.log"
  wait_http http://$HOSTIP:8779/ 120 "$S/log/trove-api.log" "$S/trove-api.pid"
}
