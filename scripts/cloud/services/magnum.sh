# Magnum (container-infrastructure-management): api + conductor. Cluster
# templates only (clusters would need Heat + a bootable Nova). Magnum checks
# its trustee domain on every request (even GET /clustertemplates: HTTP 500
# without it): domain "magnum" with an admin user is made here. Templates
# validate image_id in Glance (the image's os_distro picks the driver) and
# external_network_id in Neutron: a 64 KiB image "fedora-coreos" with
# os_distro=fedora-coreos and Neutron's external network "public".
DEPS="mariadb rabbitmq neutron"
PROCS="magnum-conductor magnum-api"
REGISTER=("magnum:magnumpass:container-infra:http://$HOSTIP:9511/v1")
TYPES="container-infra"
up() {
  local d=$S/magnum
  mkdir -p "$d/lock"
  cat >"$d/magnum.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
host = cloud1
[api]
host = $HOSTIP
port = 9511
workers = 1
[conductor]
workers = 1
[database]
connection = $(dburl magnum)
[keystone_authtoken]
$(ksat magnum magnumpass)
[keystone_auth]
$(svcauth magnum magnumpass)
[trust]
trustee_domain_name = magnum
trustee_domain_admin_name = magnum_domain_admin
trustee_domain_admin_domain_name = magnum
trustee_domain_admin_password = magnumdomainpass
[certificates]
cert_manager_type = x509keypair
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[glance_client]
region_name = RegionOne
[neutron_client]
region_name = RegionOne
[nova_client]
region_name = RegionOne
[cinder_client]
region_name = RegionOne
CONF
  (adminrc && $PY - <<'PY') >"$S/log/magnum-setup.log" 2>&1 || die "magnum domain/image setup failed; see $S/log/magnum-setup.log"
import io, os
from keystoneauth1.identity import v3
from keystoneauth1 import session
from keystoneclient.v3 import client
from glanceclient import Client as GC
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
ks = client.Client(session=s, interface="public")
dom = [x for x in ks.domains.list() if x.name == "magnum"]
dom = dom[0] if dom else ks.domains.create("magnum")
u = [x for x in ks.users.list(domain=dom) if x.name == "magnum_domain_admin"]
u = u[0] if u else ks.users.create("magnum_domain_admin", domain=dom, password="magnumdomainpass")
ks.roles.grant([r for r in ks.roles.list() if r.name == "admin"][0], user=u, domain=dom)
g = GC("2", session=s)
if not [i for i in g.images.list() if i["name"] == "fedora-coreos"]:
    im = g.images.create(name="fedora-coreos", disk_format="raw", container_format="bare",
                         visibility="public", os_distro="fedora-coreos")
    g.images.upload(im["id"], io.BytesIO(b"\0" * 65536))
PY
  local C=(--config-file "$d/magnum.conf")
  freshdb magnum-db-manage magnum
  once magnum-db-manage magnum-db-manage "${C[@]}" upgrade
  launch magnum-conductor magnum-conductor "${C[@]}" --log-file "$S/log/magnum-conductor.log"
  launch magnum-api magnum-api "${C[@]}" --log-file "$S/log/magnum-api.log"
  wait_http http://$HOSTIP:9511/ 120 "$S/log/magnum-api.log" "$S/magnum-api.pid"
}
