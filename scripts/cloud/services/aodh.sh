# aodh (alarming), uncovered by rally-openstack: the API only (alarms are
# stored and listed; the evaluator and notifier, which would act on them,
# need Gnocchi/Prometheus metrics that nothing produces here). MariaDB
# store. aodh-api is the pbr wsgiref script, bound to 127.0.0.1 explicitly
# (its default host is all addresses).
# No TestCloud subtest: aodh documents its API with sphinxcontrib-pecanwsme
# (rest-controller directives over its Python controllers), not an
# os-api-ref api-ref/source, so init has no reference to derive plugins
# from (scripts/cloud/README.md).
DEPS="mariadb rabbitmq"
PROCS="aodh-api"
REGISTER=("aodh:aodhpass:alarming:http://$HOSTIP:8042")
TYPES="alarming"
up() {
  local d=$S/aodh
  mkdir -p "$d"
  cat >"$d/aodh.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
[database]
connection = $(dburl aodh)
[keystone_authtoken]
$(ksat aodh aodhpass)
[service_credentials]
$(svcauth aodh aodhpass)
interface = public
[oslo_messaging_notifications]
driver = noop
[api]
paste_config = $d/api-paste.ini
CONF
  # keystonemiddleware reads its options from a configuration of its own
  # (the paste file's oslo_config_project = aodh: /etc/aodh/aodh.conf);
  # the package's paste file, with oslo_config_file naming this one.
  sed "s|^oslo_config_project = aodh\$|&\noslo_config_file = $d/aodh.conf|" \
    /usr/lib/python3/dist-packages/aodh/api/api-paste.ini >"$d/api-paste.ini"
  local C=(--config-file "$d/aodh.conf")
  freshdb aodh-dbsync aodh
  once aodh-dbsync aodh-dbsync "${C[@]}"
  launch aodh-api aodh-api --host $HOSTIP --port 8042 -- "${C[@]}"
  wait_http http://$HOSTIP:8042/healthcheck 120 "$S/log/aodh-api.out" "$S/aodh-api.pid"
}
