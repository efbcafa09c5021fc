# masakari (instance-ha), uncovered by rally-openstack: API only (the
# engine acts on notifications from hosts, which a loopback cloud has none
# of). A host must be one of Nova's compute services: TestCloud runs it
# beside Nova. api-paste.ini comes from the masakari-api package. Started through a
# wrapper: Debian 12's oslo.messaging rebuilds the request context of every
# notification with from_dict(), which passes read_deleted=None to
# masakari's RequestContext, and every POST/PUT/DELETE answers 500
# ("read_deleted can only be one of 'no', 'yes' or 'only', not None"); the
# wrapper maps None to the default 'no'. Nothing under /usr is modified.
DEPS="mariadb rabbitmq"
PROCS="masakari-api"
REGISTER=("masakari:masakaripass:instance-ha:http://$HOSTIP:15868/v1/%(tenant_id)s")
TYPES="instance-ha"
up() {
  local d=$S/masakari
  mkdir -p "$d/lock"
  cat >"$d/masakari.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
auth_strategy = keystone
masakari_api_listen = $HOSTIP
masakari_api_listen_port = 15868
masakari_api_workers = 1
api_paste_config = /etc/masakari/api-paste.ini
# Creating a host asks Nova's compute services whether it exists, as this
# privileged user (DevStack's masakari plugin sets the same four).
os_privileged_user_name = masakari
os_privileged_user_password = masakaripass
os_privileged_user_tenant = service
os_privileged_user_auth_url = $KURL
os_user_domain_name = Default
os_project_domain_name = Default
os_region_name = RegionOne
[database]
connection = $(dburl masakari)
[keystone_authtoken]
$(ksat masakari masakaripass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
CONF
  cat >"$d/masakari-api-wrapper.py" <<'PY'
import sys

import masakari.context as mc

_orig = mc.RequestContext._set_read_deleted


def _set(self, value):
    _orig(self, "no" if value is None else value)


mc.RequestContext.read_deleted = property(mc.RequestContext._get_read_deleted, _set,
                                          mc.RequestContext._del_read_deleted)
from masakari.cmd.api import main  # noqa: E402

sys.exit(main())
PY
  local C=(--config-file "$d/masakari.conf")
  freshdb masakari-manage masakari
  once masakari-manage masakari-manage "${C[@]}" db sync
  launch masakari-api $PY "$d/masakari-api-wrapper.py" "${C[@]}" --log-file "$S/log/masakari-api.log"
  wait_http http://$HOSTIP:15868/ 120 "$S/log/masakari-api.log" "$S/masakari-api.pid"
}
