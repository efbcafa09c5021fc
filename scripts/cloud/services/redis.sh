# Redis: Zaqar's message and management store (Debian 12 has no MongoDB;
# Zaqar's SQLAlchemy driver is management-only). No persistence.
PROCS="redis"
up() {
  mkdir -p "$S/redis"
  launch redis redis-server --bind $HOSTIP --port 6379 --dir "$S/redis" --save '' --appendonly no \
    --daemonize no --logfile "$S/log/redis.log"
  wait_until 30 redis redis-cli -h $HOSTIP -p 6379 ping
}
