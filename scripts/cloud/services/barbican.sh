# Barbican (key-manager): API only under uwsgi, secret store simple_crypto
# (a KEK in the state folder): secrets really stored, encrypted, in MariaDB.
# With [queue] enable = False (the default) the API does everything
# synchronously: no worker, no RabbitMQ. barbican-wsgi-api hard-codes
# /etc/barbican/barbican-api-paste.ini (read as shipped) and reads
# ~/.barbican/barbican.conf first, so HOME points into the state folder.
# Rally's user needs role "creator" (Zed's secrets:post with the legacy
# rules: member alone gets 403).
DEPS="mariadb"
PROCS="barbican-uwsgi"
REGISTER=("barbican:barbicanpass:key-manager:http://$HOSTIP:9311" role:creator)
TYPES="key-manager"
up() {
  local d=$S/barbican
  mkdir -p "$d/home/.barbican"
  [ -s "$d/kek" ] || $PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >"$d/kek"
  cat >"$d/home/.barbican/barbican.conf" <<CONF
[DEFAULT]
host_href = http://$HOSTIP:9311
sql_connection = $(dburl barbican)
db_auto_create = false
log_file = $S/log/barbican-app.log
[secretstore]
enabled_secretstore_plugins = store_crypto
[crypto]
enabled_crypto_plugins = simple_crypto
[simple_crypto_plugin]
kek = $(cat "$d/kek")
[keystone_authtoken]
$(ksat barbican barbicanpass)
[oslo_policy]
enforce_scope = false
CONF
  freshdb barbican-manage barbican
  once barbican-manage env HOME="$d/home" barbican-manage db upgrade
  serve barbican 9311 /usr/bin/barbican-wsgi-api "HOME=$d/home"
  wait_http http://$HOSTIP:9311/ 90 "$S/log/barbican-uwsgi.log" "$S/barbican-uwsgi.pid"
}
