# Swift (object-store): proxy + account, container and object servers on a
# plain directory (mount_check = false, no fallocate), one ring each with
# one device, keystone auth in the proxy. No replicator/updater/auditor:
# nothing to replicate with one copy. Every server needs swift_dir (else
# /etc/swift/swift.conf with its "changeme" hash is read) and user = root.
# operator_roles include member: Rally's user has that role. No memcached:
# authtoken caches in process.
PROCS="swift-account swift-container swift-object swift-proxy"
REGISTER=("swift:swiftpass:object-store:http://$HOSTIP:8080/v1/AUTH_%(project_id)s")
TYPES="object-store"
up() {
  local d=$S/swift x r p
  mkdir -p "$d/node/d1" "$d/cache"
  printf '[swift-hash]\nswift_hash_path_suffix = loopbacksuffix\nswift_hash_path_prefix = loopbackprefix\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' >"$d/swift.conf"
  for x in account:6202 container:6201 object:6200; do
    IFS=: read -r r p <<<"$x"
    cat >"$d/$r-server.conf" <<CONF
[DEFAULT]
swift_dir = $d
devices = $d/node
mount_check = false
disable_fallocate = true
bind_ip = $HOSTIP
bind_port = $p
workers = 0
user = root
log_name = $r
recon_cache_path = $d/cache
[pipeline:main]
pipeline = $r-server
[app:$r-server]
use = egg:swift#$r
CONF
    if [ ! -s "$d/$r.ring.gz" ]; then
      (cd "$d" && swift-ring-builder $r.builder create 10 1 1 &&
        swift-ring-builder $r.builder add --region 1 --zone 1 --ip $HOSTIP --port $p --device d1 --weight 100 &&
        swift-ring-builder $r.builder rebalance) >"$S/log/swift-ring-$r.log" 2>&1 ||
        die "swift-ring-builder $r failed; see $S/log/swift-ring-$r.log"
    fi
  done
  cat >"$d/proxy-server.conf" <<CONF
[DEFAULT]
swift_dir = $d
bind_ip = $HOSTIP
bind_port = 8080
workers = 0
user = root
log_name = proxy
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats authtoken keystoneauth copy dlo slo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
$(ksat swift swiftpass)
delay_auth_decision = true
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_prefix = AUTH_
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:dlo]
use = egg:swift#dlo
[filter:slo]
use = egg:swift#slo
CONF
  for r in account container object; do
    launch swift-$r swift-$r-server "$d/$r-server.conf" --verbose
  done
  launch swift-proxy swift-proxy-server "$d/proxy-server.conf" --verbose
  wait_http http://$HOSTIP:8080/healthcheck 90 "$S/log/swift-proxy.out" "$S/swift-proxy.pid"
  for x in account:6202 container:6201 object:6200; do
    IFS=: read -r r p <<<"$x"
    wait_http http://$HOSTIP:$p/ 60 "$S/log/swift-$r.out" "$S/swift-$r.pid"
  done
}
