#!/usr/bin/env bash
# A throwaway PgBouncer (Debian's 1.18) in front of a local PostgreSQL, for tests.
#   scripts/pgbouncer.sh start DIR PORT UPSTREAM_PORT MODE   MODE: transaction | session; prints the URL last
#   scripts/pgbouncer.sh stop DIR
# Listens on 127.0.0.1:PORT, forwards every database name to 127.0.0.1:UPSTREAM_PORT (trust
# authentication, as scripts/pg.sh's server), user oms. The pool sizes are the seed's (20 server
# connections per pool, 50 clients). PgBouncer refuses to run as root: then it runs as `postgres`.
set -euo pipefail
usage() { echo "usage: $0 start DIR PORT UPSTREAM_PORT transaction|session | stop DIR" >&2; exit 2; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    [ $# -eq 5 ] || usage
    dir=$2 port=$3 upstream=$4 mode=$5
    case "$mode" in transaction | session) ;; *) usage ;; esac
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    d="$dir"
    while [ "$d" != / ]; do [ "$(id -u)" -eq 0 ] && chmod o+x "$d"; d="$(dirname "$d")"; done
    printf '"oms" ""\n"postgres" ""\n' >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$upstream
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = $mode
default_pool_size = 20
max_client_conn = 400
server_reset_query = DISCARD ALL
server_login_retry = 1
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
    rm -f "$dir/pgbouncer.pid"
    as_pg pgbouncer -d -q "$dir/pgbouncer.ini" || { cat "$dir/pgbouncer.log" >&2; exit 1; }
    for _ in $(seq 100); do [ -s "$dir/pgbouncer.pid" ] && break; sleep 0.05; done
    [ -s "$dir/pgbouncer.pid" ] || { cat "$dir/pgbouncer.log" >&2; exit 1; }
    echo "postgresql://oms@127.0.0.1:$port/oms"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    dir=$2
    if [ -s "$dir/pgbouncer.pid" ]; then
      pid="$(cat "$dir/pgbouncer.pid")"
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      rm -f "$dir/pgbouncer.pid"
    fi
    ;;
  *) usage ;;
esac
