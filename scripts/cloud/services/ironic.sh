# Ironic (baremetal): api + conductor, hardware type fake-hardware with
# every interface fake/noop: nodes are enrolled, managed and deleted with
# no BMC, PXE, TFTP or DHCP (ironic-conductor's package would pull ipxe,
# tftpd-hpa, xinetd: not installed; ironic-common ships the binaries).
DEPS="mariadb rabbitmq"
PROCS="ironic-conductor ironic-api"
REGISTER=("ironic:ironicpass:baremetal:http://$HOSTIP:6385")
TYPES="baremetal"
up() {
  local d=$S/ironic
  mkdir -p "$d/lock" "$d/state"
  cat >"$d/ironic.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
host = cloud1
auth_strategy = keystone
state_path = $d/state
rpc_transport = oslo
enabled_hardware_types = fake-hardware
enabled_boot_interfaces = fake
enabled_deploy_interfaces = fake
enabled_management_interfaces = fake
enabled_power_interfaces = fake
enabled_inspect_interfaces = no-inspect,fake
enabled_console_interfaces = no-console,fake
enabled_raid_interfaces = no-raid,fake
enabled_vendor_interfaces = no-vendor,fake
enabled_bios_interfaces = no-bios,fake
enabled_rescue_interfaces = no-rescue,fake
enabled_network_interfaces = noop
default_network_interface = noop
enabled_storage_interfaces = noop
[api]
host_ip = $HOSTIP
port = 6385
api_workers = 1
public_endpoint = http://$HOSTIP:6385
[conductor]
automated_clean = false
workers_pool_size = 8
[database]
connection = $(dburl ironic)
[keystone_authtoken]
$(ksat ironic ironicpass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[dhcp]
dhcp_provider = none
CONF
  local C=(--config-file "$d/ironic.conf")
  freshdb ironic-dbsync ironic
  once ironic-dbsync ironic-dbsync "${C[@]}" upgrade
  launch ironic-conductor ironic-conductor "${C[@]}" --log-file "$S/log/ironic-conductor.log"
  launch ironic-api ironic-api "${C[@]}" --log-file "$S/log/ironic-api.log"
  wait_http http://$HOSTIP:6385/ 120 "$S/log/ironic-api.log" "$S/ironic-api.pid"
  # ready when the conductor has registered the fake-hardware driver
  wait_until 120 "ironic conductor" _ironic_driver
}
_ironic_driver() {
  (adminrc && $PY - <<'PY')
import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
d = s.get("/v1/drivers", endpoint_filter={"service_type": "baremetal", "interface": "public"},
          headers={"X-OpenStack-Ironic-API-Version": "1.31"}).json()["drivers"]
raise SystemExit(0 if any(x["name"] == "fake-hardware" for x in d) else 1)
PY
}
