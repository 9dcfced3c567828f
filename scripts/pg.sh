#!/usr/bin/env bash
# A throwaway local PostgreSQL 15 cluster for tests and development.
#   scripts/pg.sh start DIR PORT         init (if needed) and start; prints the URL last
#   scripts/pg.sh stop DIR               stop (fast shutdown)
#   scripts/pg.sh createdb DIR PORT NAME create a fresh database NAME owned by oms
#   scripts/pg.sh replica DIR PORT PRIMARY_PORT [DELAY]
#                                        a streaming replica of the server on PRIMARY_PORT
#                                        (pg_basebackup -R), replay delayed by DELAY (e.g. 3s:
#                                        recovery_min_apply_delay); prints its URL last
# Listens on 127.0.0.1:PORT and a unix socket in DIR, trust authentication (local only),
# fsync off; OMS_PG_SERVER_OPTIONS adds server options ("-c name=value ..."). PostgreSQL refuses
# to run as root, so when we are root the server runs as the `postgres` OS user and DIR is handed
# to it.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
usage() { echo "usage: $0 start DIR PORT | stop DIR | createdb DIR PORT NAME | replica DIR PORT PRIMARY_PORT [DELAY]" >&2; exit 2; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The server user must be able to reach DIR: give ancestors that deny it the search bit
# (mktemp -d makes 0700 directories).
make_reachable() {
  local d
  d="$(dirname "$1")"
  while [ "$d" != "/" ]; do
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$d"; then chmod o+x "$d"; fi
    d="$(dirname "$d")"
  done
}

psql_admin() {  # psql_admin DIR PORT SQL...
  local dir=$1 port=$2
  shift 2
  as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -d postgres "$@"
}

cmd=${1:-}
case "$cmd" in
  start)
    [ $# -eq 3 ] || usage
    dir=$2 port=$3
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    make_reachable "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${OMS_PG_SERVER_OPTIONS:-}" \
        start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    fi
    psql_admin "$dir" "$port" <<'SQL'
SELECT 'CREATE ROLE oms SUPERUSER LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'oms')\gexec
SELECT 'CREATE DATABASE oms OWNER oms' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'oms')\gexec
SQL
    echo "postgresql://oms@127.0.0.1:$port/oms"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    dir=$2
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  createdb)
    [ $# -eq 4 ] || usage
    dir="$(cd "$2" && pwd)" port=$3 name=$4
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "pg.sh: invalid database name '$name'" >&2; exit 2; }
    psql_admin "$dir" "$port" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name OWNER oms"
    echo "postgresql://oms@127.0.0.1:$port/$name"
    ;;
  replica)
    [ $# -eq 4 ] || [ $# -eq 5 ] || usage
    dir=$2 port=$3 primary=$4 delay=${5:-0}
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    make_reachable "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast \
        >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c fsync=off \
          -c max_connections=200 -c hot_standby=on -c recovery_min_apply_delay=$delay" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://oms@127.0.0.1:$port/oms"
    ;;
  *) usage ;;
esac
