#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks, under a directory of the
# caller's choosing, on a free loopback port. Never touches the system's own clusters.
#
#   scripts/pg-cluster.sh start DIR   # initdb if needed, start; prints the connection URL
#   scripts/pg-cluster.sh stop DIR    # fast shutdown (keeps DIR)
#   scripts/pg-cluster.sh restart DIR # stop + start on the same port (outage tests)
#   scripts/pg-cluster.sh url DIR     # prints the URL of a started cluster
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user
# (created by Debian's package). Installs postgresql-15 with apt-get when it is missing.
set -euo pipefail

cmd=${1:?usage: pg-cluster.sh start|stop|restart|url DIR}
dir=${2:?usage: pg-cluster.sh start|stop|restart|url DIR}
PGBIN=/usr/lib/postgresql/15/bin

if [[ ! -x $PGBIN/initdb ]]; then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "pg-cluster: installing postgresql-15" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/pgdata

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

url() { echo "postgresql://actlog@127.0.0.1:$(cat "$dir/port")/actlog"; }

start() {
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; fi
  if [[ ! -f $data/PG_VERSION ]]; then
    as_owner "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1
    # Settings for a test machine: small, local, and durable (fsync stays on: the tests
    # and benchmarks measure durable commits).
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 512MB
synchronous_commit = on
fsync = on
logging_collector = off
EOF
    free_port >"$dir/port"
  fi
  as_owner "$PGBIN/pg_ctl" -D "$data" -o "-p $(cat "$dir/port")" -l "$dir/server.log" -w \
    -t 60 start >/dev/null
  if [[ ! -f $dir/created ]]; then
    as_owner "$PGBIN/psql" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres -d postgres -q \
      -c "CREATE ROLE actlog LOGIN SUPERUSER" -c "CREATE DATABASE actlog OWNER actlog" >/dev/null
    touch "$dir/created"
  fi
  url
}

stop() {
  [[ -f $data/postmaster.pid ]] || return 0
  as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  url) url ;;
  *) echo "pg-cluster: unknown command $cmd" >&2; exit 2 ;;
esac
