#!/usr/bin/env bash
# Checks that MariaDB, PostgreSQL and Redis answer on loopback and starts the ones that do not,
# with the commands this machine documents. Tests fail (not skip) on a missing service when CI is set.
set -uo pipefail

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { for _ in $(seq 1 30); do up "$1" && return 0; sleep 1; done; return 1; }

start() {
  local name=$1 port=$2; shift 2
  if up "$port"; then echo "services: $name is up on $port"; return; fi
  echo "services: starting $name"
  "$@" >/dev/null 2>&1 || true
  if wait_up "$port"; then echo "services: $name is up on $port"; else echo "services: $name did not start on $port"; fi
}

start MariaDB 3306 start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
start PostgreSQL 5432 bash -c 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'
start Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
exit 0
