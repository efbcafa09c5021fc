# cloudkitty (rating), uncovered by rally-openstack: API only, storage v1
# on SQLAlchemy (Zed's default v2 needs InfluxDB). cloudkitty-api is the pbr
# wsgiref script, bound to 127.0.0.1 explicitly (its default host is all
# addresses).
DEPS="mariadb rabbitmq"
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
version = 1
backend = sqlalchemy
[keystone_authtoken]
$(ksat cloudkitty cloudkittypass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  local C=(--config-file "$d/cloudkitty.conf")
  freshdb cloudkitty-dbsync cloudkitty
  _ckdb() { cloudkitty-dbsync "${C[@]}" upgrade && cloudkitty-storage-init "${C[@]}"; }
  once cloudkitty-dbsync _ckdb
  launch cloudkitty-api cloudkitty-api --host $HOSTIP --port 8889 -- "${C[@]}"
  wait_http http://$HOSTIP:8889/ 120 "$S/log/cloudkitty-api.out" "$S/cloudkitty-api.pid"
}
