# MariaDB: the database of every service but Keystone, Placement and Glance.
# sqlite is not safe for Nova under concurrency (conductor and scheduler
# heartbeats collide: "database is locked") and Neutron's migrations ALTER
# constraints, which sqlite cannot (notes compute, gotchas 1 and 6).
# mariadb-server-core only: no galera, no postinst-initialised /var/lib/mysql.
# Durability is relaxed (throwaway cloud): Neutron's ~200 migrations take 4 s.
PROCS="mariadbd"
up() {
  mkdir -p "$S/mysql"
  if [ ! -d "$S/mysql/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$S/mysql/data" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$S/log/mariadb-install-db.log" 2>&1 ||
      die "mariadb-install-db failed; see $S/log/mariadb-install-db.log"
  fi
  if (exec 3<>/dev/tcp/$HOSTIP/3306) 2>/dev/null; then die "port 3306 on $HOSTIP is taken by another process"; fi
  launch mariadbd mariadbd --no-defaults --datadir="$S/mysql/data" --socket="$MYSQL_SOCK" \
    --pid-file="$S/mysql/mariadbd.pid" --bind-address=$HOSTIP --port=3306 --user=root \
    --skip-name-resolve --skip-log-bin --log-error="$S/log/mariadbd.err" \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=0 \
    --innodb-doublewrite=0 --max-connections=1000 --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci
  wait_until 60 mariadb mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e 'select 1'
  mariadb --no-defaults -S "$MYSQL_SOCK" -uroot -e \
    "CREATE USER IF NOT EXISTS 'os'@'$HOSTIP' IDENTIFIED BY 'ospass'; GRANT ALL PRIVILEGES ON *.* TO 'os'@'$HOSTIP';"
}
