# InfluxDB 1.x: cloudkitty's v2 storage (cloudkitty serves its v2 API, all
# that its api-ref documents, only on v2 storage; DevStack's cloudkitty
# plugin uses InfluxDB too). Data, WAL and meta in the state folder, HTTP
# and the RPC port bound to 127.0.0.1, no usage reporting.
PROCS="influxd"
up() {
  local d=$S/influxdb
  mkdir -p "$d"
  cat >"$d/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "$HOSTIP:8088"
[meta]
  dir = "$d/meta"
[data]
  dir = "$d/data"
  wal-dir = "$d/wal"
  query-log-enabled = false
[http]
  bind-address = "$HOSTIP:8086"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
  launch influxd influxd -config "$d/influxdb.conf"
  wait_http http://$HOSTIP:8086/ping 60 "$S/log/influxd.out" "$S/influxd.pid"
}
