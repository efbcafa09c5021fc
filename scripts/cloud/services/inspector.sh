# ironic-inspector (baremetal-introspection), uncovered by rally-openstack:
# standalone (API + conductor in one process), PXE filter noop (the default
# iptables driver needs iptables and dnsmasq), no message bus, introspection
# data not stored. Talks to the cloud's Ironic when one is up.
DEPS="mariadb"
PROCS="ironic-inspector"
REGISTER=("ironic-inspector:inspectorpass:baremetal-introspection:http://$HOSTIP:5050")
TYPES="baremetal-introspection"
up() {
  local d=$S/inspector
  mkdir -p "$d/lock"
  cat >"$d/inspector.conf" <<CONF
[DEFAULT]
listen_address = $HOSTIP
listen_port = 5050
auth_strategy = keystone
standalone = true
host = cloud1
transport_url = fake://
[database]
connection = $(dburl ironic_inspector)
[keystone_authtoken]
$(ksat ironic-inspector inspectorpass)
[ironic]
$(svcauth ironic-inspector inspectorpass)
[pxe_filter]
driver = noop
[processing]
store_data = none
[oslo_concurrency]
lock_path = $d/lock
CONF
  local C=(--config-file "$d/inspector.conf")
  freshdb ironic-inspector-dbsync ironic_inspector
  once ironic-inspector-dbsync ironic-inspector-dbsync "${C[@]}" upgrade
  launch ironic-inspector ironic-inspector "${C[@]}" --log-file "$S/log/ironic-inspector.log"
  wait_http http://$HOSTIP:5050/ 120 "$S/log/ironic-inspector.log" "$S/ironic-inspector.pid"
}
