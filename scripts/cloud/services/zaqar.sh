# Zaqar (message): zaqar-server (wsgi transport, wsgiref, one process).
# Message store: Swift (this cloud's object-store, through Zaqar's own
# service user), management store: SQLAlchemy on MariaDB. Not Redis:
# Debian 12's python3-zaqar lacks zaqar/storage/redis/scripts/*.lua, and
# every message POST on Redis answers 503 (FileNotFoundError:
# index_messages.lua); not MongoDB: Debian 12 has no server. API 1.1,
# the only one rally-openstack's client speaks, is off by default in Zed:
# enabled.
DEPS="mariadb swift"
PROCS="zaqar"
REGISTER=("zaqar:zaqarpass:messaging:http://$HOSTIP:8888")
TYPES="messaging"
up() {
  local d=$S/zaqar
  mkdir -p "$d"
  cat >"$d/zaqar.conf" <<CONF
[DEFAULT]
auth_strategy = keystone
pooling = false
enable_deprecated_api_versions = 1.1
[drivers]
transport = wsgi
message_store = swift
management_store = sqlalchemy
[drivers:transport:wsgi]
bind = $HOSTIP
port = 8888
[drivers:message_store:swift]
uri = swift://zaqar:zaqarpass@/service
auth_url = $KURL
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne
interface = public
[drivers:management_store:sqlalchemy]
uri = $(dburl zaqar)
[keystone_authtoken]
$(ksat zaqar zaqarpass)
[oslo_messaging_notifications]
driver = noop
CONF
  freshdb zaqar-sql-db-manage zaqar
  once zaqar-sql-db-manage zaqar-sql-db-manage --config-file "$d/zaqar.conf" upgrade head
  launch zaqar zaqar-server --config-file "$d/zaqar.conf" --log-file "$S/log/zaqar.log"
  wait_http http://$HOSTIP:8888/ 120 "$S/log/zaqar.log" "$S/zaqar.pid"
}
