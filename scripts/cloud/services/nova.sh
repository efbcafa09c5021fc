# Nova (compute): api (uwsgi), conductor, scheduler and compute with
# compute_driver = fake.FakeDriver (shipped in python3-nova; one fake node,
# servers go ACTIVE with no hypervisor). The nova-compute package is not
# installed (it depends on a hypervisor package): its console script is
# run from python3-nova. MariaDB (sqlite is not safe for Nova under
# concurrency). The DB URLs are given to every process but nova-compute
# ("No DB access allowed in nova-compute"). Also makes what the generated
# tasks ask for by default: flavor m1.tiny and a public image named like
# the gate's cirros (64 KiB of zeros, raw: the fake driver never reads it).
DEPS="mariadb rabbitmq neutron"
PROCS="nova-api-uwsgi nova-conductor nova-scheduler nova-compute"
REGISTER=("nova:novapass:compute:http://$HOSTIP:8774/v2.1")
TYPES="compute"
# The fake node's host: the name Neutron's test mechanism driver binds
# ports on (services/neutron.sh).
NOVA_HOST=host-ovs-filter-active
up() {
  local d=$S/nova
  mkdir -p "$d/lock" "$d/instances"
  cat >"$d/nova.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
state_path = $d
instances_path = $d/instances
compute_driver = fake.FakeDriver
host = $NOVA_HOST
my_ip = $HOSTIP
enabled_apis = osapi_compute
osapi_compute_listen = $HOSTIP
osapi_compute_workers = 1
metadata_listen = $HOSTIP
metadata_workers = 1
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $d/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = -1
[keystone_authtoken]
$(ksat nova novapass)
[placement]
$(svcauth nova novapass)
[neutron]
$(svcauth nova novapass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
CONF
  printf '[api_database]\nconnection = %s\n[database]\nconnection = %s\n' "$(dburl nova_api)" "$(dburl nova)" >"$d/nova-db.conf"
  printf '[DEFAULT]\nlog_file = %s/log/nova-api.log\n' "$S" >"$d/nova-api.conf"
  printf '#!/usr/bin/python3\nimport sys\nfrom nova.cmd.compute import main\nif __name__ == "__main__":\n    sys.exit(main())\n' >"$d/nova-compute"
  chmod +x "$d/nova-compute"
  freshdb nova-manage nova_api nova_cell0 nova
  local NC=(--config-file "$d/nova.conf" --config-file "$d/nova-db.conf")
  _novadb() {
    nova-manage "${NC[@]}" api_db sync &&
      nova-manage "${NC[@]}" cell_v2 map_cell0 --database_connection "$(dburl nova_cell0)" &&
      nova-manage "${NC[@]}" cell_v2 create_cell --name cell1 --verbose &&
      nova-manage "${NC[@]}" db sync
  }
  once nova-manage _novadb
  # nova-api-wsgi reads the paste pipeline from the first file of the list.
  cp /etc/nova/api-paste.ini "$d/api-paste.ini"
  serve nova-api 8774 /usr/bin/nova-api-wsgi "OS_NOVA_CONFIG_DIR=$d" \
    "OS_NOVA_CONFIG_FILES=api-paste.ini;nova.conf;nova-db.conf;nova-api.conf"
  launch nova-conductor nova-conductor "${NC[@]}" --log-file "$S/log/nova-conductor.log"
  launch nova-scheduler nova-scheduler "${NC[@]}" --log-file "$S/log/nova-scheduler.log"
  launch nova-compute "$d/nova-compute" --config-file "$d/nova.conf" --log-file "$S/log/nova-compute.log"
  wait_http http://$HOSTIP:8774/ 90 "$S/log/nova-api-uwsgi.log" "$S/nova-api-uwsgi.pid"
  # The fake node is mapped to cell1 once nova-compute has registered it
  # through the conductor (5-20 s after start). Output captured, not piped
  # into grep -q (a closed pipe makes nova-manage log a BrokenPipeError).
  local i out
  for i in $(seq 1 90); do
    nova-manage "${NC[@]}" cell_v2 discover_hosts >/dev/null 2>&1 || true
    out=$(nova-manage "${NC[@]}" cell_v2 list_hosts 2>/dev/null || true)
    case "$out" in *"$NOVA_HOST"*) break ;; esac
    alive "$S/nova-compute.pid" || die "nova-compute exited; see $S/log/nova-compute.log"
    [ "$i" -eq 90 ] && die "the fake compute host was not mapped within 90 s; see $S/log/nova-compute.log"
    sleep 1
  done
  (adminrc && $PY - <<'PY') >"$S/log/nova-resources.log" 2>&1 || die "flavor/image setup failed; see $S/log/nova-resources.log"
import io, os
from keystoneauth1.identity import v3
from keystoneauth1 import session
from novaclient import client as nc
from glanceclient import Client as GC
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
nova = nc.Client("2.1", session=s)
if not [f for f in nova.flavors.list(is_public=None) if f.name == "m1.tiny"]:
    nova.flavors.create("m1.tiny", 512, 1, 1, flavorid="1")
g = GC("2", session=s)
name = "cirros-0.6.2-x86_64-disk"
if not [i for i in g.images.list() if i["name"] == name]:
    im = g.images.create(name=name, disk_format="raw", container_format="bare", visibility="public")
    g.images.upload(im["id"], io.BytesIO(b"\0" * 65536))
PY
}
