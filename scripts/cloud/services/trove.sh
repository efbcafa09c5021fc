# trove (database), uncovered by rally-openstack: API only (instances need
# a guest image that boots and runs the trove guest agent). trove-manage
# uses inspect.getargspec, gone in Python 3.11: run through a one-line shim.
# Beside Nova, as at a DevStack gate: listing instances asks Nova for the
# servers (without a compute endpoint every list answers 500).
# Datastore "mysql" is registered as DevStack's plugin does: an active
# default version "5.7" (TROVE_DATASTORE_VERSION), trove's own validation
# rules for its configuration parameters; its image is found by tag (none
# boots here).
DEPS="mariadb rabbitmq nova"
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
  _trovemanage() {
    $PY -c 'import inspect, sys; inspect.getargspec = inspect.getfullargspec; from trove.cmd.manage import main; sys.exit(main())' "$@"
  }
  local rules=/usr/lib/python3/dist-packages/trove/templates/mysql/validation-rules.json
  _trovedb() {
    _trovemanage "${C[@]}" db_sync && _trovemanage "${C[@]}" datastore_update mysql '' &&
      _trovemanage "${C[@]}" datastore_version_update mysql 5.7 mysql '' '' 1 --image-tags trove &&
      _trovemanage "${C[@]}" datastore_update mysql 5.7 &&
      _trovemanage "${C[@]}" db_load_datastore_config_parameters mysql 5.7 "$rules"
  }
  freshdb trove-db-devstack trove
  once trove-db-devstack _trovedb
  launch trove-api trove-api "${C[@]}" --log-file "$S/log/trove-api.log"
  wait_http http://$HOSTIP:8779/ 120 "$S/log/trove-api.log" "$S/trove-api.pid"
}
