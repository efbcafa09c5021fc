# cloudkitty (rating), uncovered by rally-openstack: API only, storage v2
# on InfluxDB (as DevStack's plugin): on v1 storage cloudkitty-api disables
# its v2 API ("v1 storage is used, disabling v2 API"), which is everything
# its api-ref documents with rest_method (v1 is autodoc of its controllers).
# cloudkitty-api is the pbr wsgiref script, bound to 127.0.0.1 explicitly
# (its default host is all addresses).
DEPS="mariadb rabbitmq influxdb"
PROCS="cloudkitty-api"
REGISTER=("cloudkitty:cloudkittypass:rating:http://$HOSTIP:8889" role:rating)
TYPES="rating"
up() {
  local d=$S/cloudkitty
  mkdir -p "$d/lock"
  cat >"$d/cloudkitty.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
auth_strategy = keystone
api_paste_config = /etc/cloudkitty/api_paste.ini
[database]
connection = $(dburl cloudkitty)
[storage]
version = 2
backend = influxdb
[storage_influxdb]
host = $HOSTIP
port = 8086
database = cloudkitty
[keystone_authtoken]
$(ksat cloudkitty cloudkittypass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  local C=(--config-file "$d/cloudkitty.conf")
  # (named for the storage version: a state folder made with v1 storage
  # syncs again and gets its InfluxDB database)
  freshdb cloudkitty-db-v2 cloudkitty
  # storage-init expects the InfluxDB database to exist (DevStack makes it
  # with the influx CLI, not packaged here: its HTTP API does the same).
  _ckdb() {
    curl -sf -XPOST "http://$HOSTIP:8086/query" --data-urlencode "q=CREATE DATABASE cloudkitty" &&
      cloudkitty-dbsync "${C[@]}" upgrade && cloudkitty-storage-init "${C[@]}"
  }
  once cloudkitty-db-v2 _ckdb
  launch cloudkitty-api cloudkitty-api --host $HOSTIP --port 8889 -- "${C[@]}"
  wait_http http://$HOSTIP:8889/ 120 "$S/log/cloudkitty-api.out" "$S/cloudkitty-api.pid"
}
