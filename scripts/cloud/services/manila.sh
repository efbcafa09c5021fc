# Manila (shared-file-system): api, scheduler, share with
# manila.tests.share.drivers.dummy.DummyDriver (shipped in python3-manila),
# driver_handles_share_servers = False: shares reach "available" with no
# storage and no share network. Its per-method sleeps are set to 0 (0.1 s
# for create_share). A default share type dhss_false with snapshot support
# is made, as DevStack makes "default". manila-common ships every binary
# (the manila-share package would pull the Ceph libraries). The DB must be
# utf8, not utf8mb4 (a migration converts a table to utf8 and trips on a
# foreign key). rally-openstack speaks API v1 on service type "share".
DEPS="mariadb rabbitmq"
PROCS="manila-api manila-scheduler manila-share"
REGISTER=("manila:manilapass:share:http://$HOSTIP:8786/v1/%(project_id)s"
  "manila:manilapass:sharev2:http://$HOSTIP:8786/v2/%(project_id)s")
TYPES="share sharev2"
up() {
  local d=$S/manila
  mkdir -p "$d/lock" "$d/state"
  cat >"$d/manila.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
auth_strategy = keystone
state_path = $d/state
my_ip = $HOSTIP
host = cloud1
osapi_share_listen = $HOSTIP
osapi_share_listen_port = 8786
osapi_share_workers = 1
api_paste_config = /etc/manila/api-paste.ini
enabled_share_backends = dummy
enabled_share_protocols = NFS,CIFS
default_share_type = dhss_false
[database]
connection = $(dburl manila)
[keystone_authtoken]
$(ksat manila manilapass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[dummy]
share_driver = manila.tests.share.drivers.dummy.DummyDriver
share_backend_name = dummy
driver_handles_share_servers = False
dummy_driver_default_driver_method_delay = 0
dummy_driver_driver_methods_delays = create_share:0.1
CONF
  local C=(--config-file "$d/manila.conf")
  freshdb manila-manage manila
  once manila-manage manila-manage "${C[@]}" db sync
  launch manila-api manila-api "${C[@]}" --log-file "$S/log/manila-api.log"
  launch manila-scheduler manila-scheduler "${C[@]}" --log-file "$S/log/manila-scheduler.log"
  launch manila-share manila-share "${C[@]}" --log-file "$S/log/manila-share.log"
  wait_http http://$HOSTIP:8786/ 120 "$S/log/manila-api.log" "$S/manila-api.pid"
  (adminrc && $PY - <<'PY') >"$S/log/manila-setup.log" 2>&1 || die "manila share type setup failed; see $S/log/manila-setup.log"
import os, time
from keystoneauth1.identity import v3
from keystoneauth1 import session
s = session.Session(auth=v3.Password(auth_url=os.environ["OS_AUTH_URL"], username="admin",
    password=os.environ["OS_PASSWORD"], project_name="admin",
    user_domain_name="Default", project_domain_name="Default"))
ef = {"service_type": "sharev2", "interface": "public"}
h = {"X-OpenStack-Manila-API-Version": "2.40"}
for _ in range(120):
    svcs = s.get("/services", endpoint_filter=ef, headers=h).json()["services"]
    if any(x["binary"] == "manila-share" and x["state"] == "up" for x in svcs):
        break
    time.sleep(1)
else:
    raise SystemExit("manila-share did not report up within 120 s")
# The scheduler learns the backend's pool from manila-share's periodic
# capability report; before it has one every create ends in NoValidHost.
for _ in range(150):
    if s.get("/scheduler-stats/pools", endpoint_filter=ef, headers=h).json()["pools"]:
        break
    time.sleep(1)
else:
    raise SystemExit("manila's scheduler knows no pool after 150 s")
types = s.get("/types", endpoint_filter=ef, headers=h).json()["share_types"]
if not [t for t in types if t["name"] == "dhss_false"]:
    s.post("/types", endpoint_filter=ef, headers=h, json={"share_type": {"name": "dhss_false",
        "share_type_access:is_public": True, "extra_specs": {"driver_handles_share_servers": False,
        "snapshot_support": True}}})
PY
}
