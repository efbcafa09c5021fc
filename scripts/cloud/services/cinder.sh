# Cinder (block-storage): api, scheduler, volume with
# cinder.tests.fake_driver.FakeLoggingVolumeDriver (shipped in
# python3-cinder): volumes and snapshots reach "available" with no I/O. LVM,
# the DevStack default, cannot work here: this kernel has no device-mapper
# (lvcreate: "striped: Required device-mapper target(s) not detected") and
# no LIO target, and loads no modules (notes services 3.1). Eventlet API with
# one worker on 127.0.0.1 (the default forks one per CPU on 0.0.0.0).
DEPS="mariadb rabbitmq"
PROCS="cinder-api cinder-scheduler cinder-volume"
REGISTER=("cinder:cinderpass:block-storage:http://$HOSTIP:8776/v3/%(project_id)s"
  "cinder:cinderpass:volumev3:http://$HOSTIP:8776/v3/%(project_id)s")
TYPES="block-storage volumev3"
up() {
  local d=$S/cinder
  mkdir -p "$d/lock" "$d/state"
  cat >"$d/cinder.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
auth_strategy = keystone
state_path = $d/state
my_ip = $HOSTIP
host = cloud1
osapi_volume_listen = $HOSTIP
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
api_paste_config = /etc/cinder/api-paste.ini
enabled_backends = fake
glance_api_servers = http://$HOSTIP:$GL_PORT
[database]
connection = $(dburl cinder)
[keystone_authtoken]
$(ksat cinder cinderpass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[coordination]
backend_url = file://$d/state
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
CONF
  local C=(--config-file "$d/cinder.conf")
  freshdb cinder-manage cinder
  once cinder-manage cinder-manage "${C[@]}" db sync
  launch cinder-api cinder-api "${C[@]}" --log-file "$S/log/cinder-api.log"
  launch cinder-scheduler cinder-scheduler "${C[@]}" --log-file "$S/log/cinder-scheduler.log"
  launch cinder-volume cinder-volume "${C[@]}" --log-file "$S/log/cinder-volume.log"
  wait_http http://$HOSTIP:8776/ 120 "$S/log/cinder-api.log" "$S/cinder-api.pid"
  # Ready when the API sees the volume service's heartbeat.
  wait_until 120 cinder-volume _cinder_volume_up
}
_cinder_volume_up() {
  local out
  out=$(cinder-manage --config-file "$S/cinder/cinder.conf" service list 2>/dev/null)
  grep -q 'cinder-volume .*cloud1@fake.*:-)' <<<"$out"
}
