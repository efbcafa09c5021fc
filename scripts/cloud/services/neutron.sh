# Neutron (network): ML2, API only, no agents. Mechanism drivers:
# openvswitch only because the trunk plugin refuses to start without a
# driver that supports trunks (with no agent it binds nothing), then
# "test" (neutron.tests...mechanism_test, shipped in python3-neutron like
# Nova's fake driver), which binds a port on the host named
# host-ovs-filter-active without an agent and marks it ACTIVE: Nova's fake
# compute host has that name, so a server booted on a tenant network gets a
# bound port, as on a DevStack gate (without a binding Nova puts the server
# in ERROR: PortBindingFailed). The driver also asserts unit-test
# bookkeeping (each port bound once per process, no binding levels from a
# previous driver) that a real run breaks (openvswitch tries first, Nova
# rebinds): the API is served through a wrapper that turns those checks
# off, then runs Debian's /usr/bin/neutron-api. Nothing under /usr changes.
# Networks get a VXLAN segment, ports stay unbound: that is all the API
# scenarios (networks, subnets, ports, routers, security groups) need, and
# Nova boots without a NIC. Debian's uwsgi app /usr/bin/neutron-api serves
# only the API (the eventlet neutron-server always forks RPC and periodic
# workers nobody uses here: 3 processes, ~500 MiB). Service plugins router
# and trunk (the generated network task lists routers, floating IPs and
# trunks); an external network "public" with a subnet, as DevStack makes
# it, for floating IPs, routers' gateways and Magnum's templates. MariaDB: Neutron's
# migrations ALTER constraints, which sqlite cannot.
DEPS="mariadb rabbitmq"
PROCS="neutron-api-uwsgi"
REGISTER=("neutron:neutronpass:network:http://$HOSTIP:9696")
TYPES="network"
up() {
  local d=$S/neutron
  mkdir -p "$d/lock"
  cat >"$d/neutron.conf" <<CONF
[DEFAULT]
core_plugin = ml2
service_plugins = router,trunk
auth_strategy = keystone
transport_url = $RABBIT_URL
state_path = $d
api_paste_config = /etc/neutron/api-paste.ini
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
dhcp_agent_notification = false
[database]
connection = $(dburl neutron)
[keystone_authtoken]
$(ksat neutron neutronpass)
[placement]
$(svcauth neutron neutronpass)
[nova]
$(svcauth neutron neutronpass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  cat >"$d/ml2_conf.ini" <<CONF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = openvswitch,test
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:1000
CONF
  printf '[DEFAULT]\nlog_file = %s/log/neutron-api.log\n' "$S" >"$d/neutron-api.conf"
  freshdb neutron-db-manage neutron
  once neutron-db-manage neutron-db-manage --config-file "$d/neutron.conf" --config-file "$d/ml2_conf.ini" upgrade head
  cat >"$d/neutron-api-wsgi.py" <<'PY'
from neutron.tests.unit.plugins.ml2.drivers import mechanism_test as _mt

_mt.TestMechanismDriver._check_port_context = lambda self, context, original_expected: None
with open("/usr/bin/neutron-api") as _f:
    exec(compile(_f.read(), "/usr/bin/neutron-api", "exec"))
PY
  serve neutron-api 9696 "$d/neutron-api-wsgi.py" "OS_NEUTRON_CONFIG_DIR=$d" \
    "OS_NEUTRON_CONFIG_FILES=neutron.conf;ml2_conf.ini;neutron-api.conf"
  wait_http http://$HOSTIP:9696/ 90 "$S/log/neutron-api-uwsgi.log" "$S/neutron-api-uwsgi.pid"
  (adminrc && $PY - <<'PY') >"$S/log/neutron-public.log" 2>&1 || die "external network setup failed; see $S/log/neutron-public.log"
import os
from keystoneauth1.identity import v3
from keystoneauth1 import session
from neutronclient.v2_0 import client
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
n = client.Client(session=s)
nets = n.list_networks(name="public")["networks"]
net = nets[0] if nets else n.create_network({"network": {"name": "public", "router:external": True,
    "provider:network_type": "flat", "provider:physical_network": "public"}})["network"]
if not n.list_subnets(network_id=net["id"])["subnets"]:
    n.create_subnet({"subnet": {"network_id": net["id"], "name": "public-subnet", "ip_version": 4,
        "cidr": "172.24.4.0/24", "gateway_ip": "172.24.4.1", "enable_dhcp": False}})
PY
}
