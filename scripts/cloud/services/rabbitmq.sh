# RabbitMQ: the RPC bus of every service with more than one daemon. Run as
# root from its real start script (/usr/sbin/rabbitmq-server su's to user
# rabbitmq and cds to /var/lib/rabbitmq), everything under $S, its own epmd
# on loopback (otherwise erl starts one on all addresses with no PID of
# ours); guest/guest may log in from loopback. /etc/rabbitmq is ignored.
PROCS="epmd rabbitmq"
up() {
  mkdir -p "$S/rabbit/home" "$S/rabbit/mnesia"
  if (exec 3<>/dev/tcp/$HOSTIP/5672) 2>/dev/null; then die "port 5672 on $HOSTIP is taken by another process"; fi
  export HOME=$S/rabbit/home ERL_EPMD_ADDRESS=$HOSTIP
  launch epmd epmd -address $HOSTIP -port 4369
  printf 'listeners.tcp.default = %s:5672\nloopback_users.guest = true\ndisk_free_limit.absolute = 50MB\nvm_memory_high_watermark.relative = 0.2\n' \
    $HOSTIP >"$S/rabbit/rabbitmq.conf"
  echo '[].' >"$S/rabbit/enabled_plugins"
  export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$HOSTIP RABBITMQ_NODE_PORT=5672 \
    RABBITMQ_DIST_PORT=25672 RABBITMQ_MNESIA_BASE=$S/rabbit/mnesia RABBITMQ_LOG_BASE=$S/log/rabbit \
    RABBITMQ_CONFIG_FILE=$S/rabbit/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$S/rabbit/enabled_plugins \
    RABBITMQ_PID_FILE=$S/rabbit/beam.pid RABBITMQ_CONF_ENV_FILE=/dev/null \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  launch rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
  # returns when the broker application runs (~5 s)
  timeout 90 /usr/lib/rabbitmq/bin/rabbitmqctl --timeout 60 wait "$S/rabbit/beam.pid" >"$S/log/rabbitmqctl-wait.log" 2>&1 ||
    die "rabbitmq did not start; see $S/log/rabbit and $S/log/rabbitmq.out"
}
