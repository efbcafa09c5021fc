# Designate (dns): central, worker, producer, mdns, api (one worker each).
# Pool "default" with the fake backend (designate/backend/impl_fake.py, only
# logs create/delete) whose NOTIFY target and nameserver are designate-mdns:
# mdns serves SOA/AXFR straight from the DB, so the worker's serial polls
# are answered and zones really go PENDING -> ACTIVE and are deleted; no
# bind9 needed. The fake target needs options host/port (the NOTIFY does
# int(port)). The pool is loaded before worker/producer start (a running
# worker keeps the old targets) and with a short RPC timeout plus a retry
# (central may not have declared its queue yet: the default 60 s wait).
DEPS="mariadb rabbitmq"
PROCS="designate-central designate-worker designate-producer designate-mdns designate-api"
REGISTER=("designate:designatepass:dns:http://$HOSTIP:9001")
TYPES="dns"
up() {
  local d=$S/designate
  mkdir -p "$d/lock" "$d/state"
  cat >"$d/designate.conf" <<CONF
[DEFAULT]
transport_url = $RABBIT_URL
state_path = $d/state
[database]
connection = $(dburl designate)
[storage:sqlalchemy]
connection = $(dburl designate)
[keystone_authtoken]
$(ksat designate designatepass)
[oslo_concurrency]
lock_path = $d/lock
[oslo_messaging_notifications]
driver = noop
[coordination]
backend_url = file://$d/state
[service:api]
listen = $HOSTIP:9001
workers = 1
api_base_uri = http://$HOSTIP:9001/
auth_strategy = keystone
enable_api_v2 = true
enable_api_admin = true
enable_host_header = false
api_paste_config = /etc/designate/api-paste.ini
[service:central]
workers = 1
[service:worker]
workers = 1
poll_delay = 1
poll_retry_interval = 1
poll_max_retries = 10
poll_timeout = 5
[service:producer]
workers = 1
[service:mdns]
workers = 1
listen = $HOSTIP:5354
CONF
  cat >"$d/pools.yaml" <<YAML
- name: default
  description: fake backend; designate-mdns answers the worker's serial polls
  attributes: {}
  ns_records:
    - hostname: ns1.example.org.
      priority: 1
  nameservers:
    - host: $HOSTIP
      port: 5354
  targets:
    - type: fake
      description: fake backend (designate/backend/impl_fake.py)
      masters:
        - host: $HOSTIP
          port: 5354
      options:
        host: $HOSTIP
        port: 5354
YAML
  printf '[DEFAULT]\nrpc_response_timeout = 5\n' >"$d/manage-rpc.conf"
  local C=(--config-file "$d/designate.conf")
  freshdb designate-manage designate
  once designate-manage designate-manage "${C[@]}" database sync
  launch designate-central designate-central "${C[@]}" --log-file "$S/log/designate-central.log"
  wait_until 90 "designate pool update" designate-manage "${C[@]}" --config-file "$d/manage-rpc.conf" \
    pool update --file "$d/pools.yaml"
  local s
  for s in worker producer mdns api; do
    launch designate-$s designate-$s "${C[@]}" --log-file "$S/log/designate-$s.log"
  done
  wait_http http://$HOSTIP:9001/ 120 "$S/log/designate-api.log" "$S/designate-api.pid"
}
