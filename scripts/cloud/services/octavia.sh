# Octavia (load-balancer): api, worker, health-manager. Provider "amphora"
# with noop amphora/compute/network/volume/image drivers, flows in process
# (jobboard off: no Redis/ZooKeeper): a load balancer goes ACTIVE in about a
# second with no VM. (The "noop_driver" provider never leaves
# PENDING_CREATE, and Rally waits for ACTIVE.) Even with noop drivers the
# flow signs a certificate: a throwaway CA in the state folder. Needs
# Neutron: the scenarios require Rally's network context. The role
# load-balancer_member exists; the generated task's roles context gives it
# to Rally's user for the run.
DEPS="mariadb rabbitmq neutron"
PROCS="octavia-worker octavia-health-manager octavia-api"
REGISTER=("octavia:octaviapass:load-balancer:http://$HOSTIP:9876" mkrole:load-balancer_member)
TYPES="load-balancer"
up() {
  local d=$S/octavia
  mkdir -p "$d/lock" "$d/certs"
  if [ ! -s "$d/certs/ca.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=octavia-test-ca \
      -keyout "$d/certs/ca.key" -out "$d/certs/ca.pem" >"$S/log/octavia-ca.log" 2>&1 || die "openssl failed"
  fi
  cat >"$d/octavia.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
[api_settings]
bind_host = $HOSTIP
bind_port = 9876
auth_strategy = keystone
api_base_uri = http://$HOSTIP:9876
enabled_provider_drivers = amphora:Amphora provider (noop amphora/compute/network drivers)
default_provider_driver = amphora
[database]
connection = $(dburl octavia)
[health_manager]
bind_ip = $HOSTIP
bind_port = 5555
controller_ip_port_list = $HOSTIP:5555
heartbeat_key = insecure
health_update_threads = 1
stats_update_threads = 1
[controller_worker]
workers = 1
amphora_driver = amphora_noop_driver
compute_driver = compute_noop_driver
network_driver = network_noop_driver
volume_driver = volume_noop_driver
image_driver = image_noop_driver
loadbalancer_topology = SINGLE
amp_boot_network_list = 00000000-0000-0000-0000-000000000001
amp_flavor_id = 1
amp_image_tag = amphora
client_ca = $d/certs/ca.pem
[certificates]
ca_certificate = $d/certs/ca.pem
ca_private_key = $d/certs/ca.key
[task_flow]
jobboard_enabled = False
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging]
topic = octavia_prov
[oslo_messaging_notifications]
driver = noop
[keystone_authtoken]
$(ksat octavia octaviapass)
[service_auth]
$(svcauth octavia octaviapass)
[oslo_policy]
enforce_scope = false
CONF
  local C=(--config-file "$d/octavia.conf")
  freshdb octavia-db-manage octavia octavia_persistence
  once octavia-db-manage octavia-db-manage "${C[@]}" upgrade head
  launch octavia-worker octavia-worker "${C[@]}" --log-file "$S/log/octavia-worker.log"
  launch octavia-health-manager octavia-health-manager "${C[@]}" --log-file "$S/log/octavia-health-manager.log"
  launch octavia-api octavia-api "${C[@]}" --log-file "$S/log/octavia-api.log"
  wait_http http://$HOSTIP:9876/ 120 "$S/log/octavia-api.log" "$S/octavia-api.pid"
}
