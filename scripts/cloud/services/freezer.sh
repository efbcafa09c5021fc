# freezer-api (backup), uncovered by rally-openstack: the API only (the
# freezer agent and scheduler run on the machines being backed up). Store:
# its SQLAlchemy driver on the shared MariaDB ([storage] backend/driver
# sqlalchemy, as Debian's shipped freezer-api.conf has it), not
# Elasticsearch (not packaged in Debian 12). freezer-api is the paste
# httpserver console script, bound to 127.0.0.1 by bind_host (its default
# is all addresses); the paste file is the package's own. Readiness is
# asked of /healthcheck: its version document at / sets a str body, which
# Debian's falcon 3 passes on and the HTTP server drops the connection on
# (TypeError: a bytes-like object is required); the v2 API is unaffected.
DEPS="mariadb"
PROCS="freezer-api"
REGISTER=("freezer:freezerpass:backup:http://$HOSTIP:9090")
TYPES="backup"
up() {
  local d=$S/freezer
  mkdir -p "$d"
  cat >"$d/freezer-api.conf" <<CONF
[DEFAULT]
bind_host = $HOSTIP
bind_port = 9090
[storage]
backend = sqlalchemy
driver = sqlalchemy
[database]
connection = $(dburl freezer)
[keystone_authtoken]
$(ksat freezer freezerpass)
[paste_deploy]
config_file = /usr/share/freezer-api/freezer-paste.ini
CONF
  local C=(--config-file "$d/freezer-api.conf")
  freshdb freezer-db-sync freezer
  # freezer-manage reports a failed sync on stdout and exits 0: the
  # tables it must have made are checked.
  _fzdb() {
    freezer-manage "${C[@]}" db sync &&
      [ "$(mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -N -e 'SHOW TABLES' freezer | grep -c .)" -ge 5 ]
  }
  once freezer-db-sync _fzdb
  launch freezer-api freezer-api "${C[@]}" --log-file "$S/log/freezer-api.log"
  wait_http http://$HOSTIP:9090/healthcheck 120 "$S/log/freezer-api.log" "$S/freezer-api.pid"
}
