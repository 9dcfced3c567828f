# Shared by deploy/local/* (sourced, not run): where the local topology lives and its ports.
# Everything binds to 127.0.0.1. OMS_LOCAL_DIR (default /tmp/oms-local) holds every data
# directory, configuration, log and pid file; OMS_LOCAL_PORT (default 27000; 10050..32700) is the
# first port.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="${OMS_LOCAL_DIR:-/tmp/oms-local}"
base="${OMS_LOCAL_PORT:-27000}"
[ "$base" -ge 10050 ] && [ "$base" -le 32700 ] || { echo "OMS_LOCAL_PORT must be within 10050..32700" >&2; exit 2; }
oms="${OMS_BINARY:-$root/build/release/oms}"
pgbin=/usr/lib/postgresql/15/bin

port_haproxy=$base                 # the URL users get
port_haproxy_stats=$((base + 1))   # HAProxy's stats page (/stats)
port_api=($((base + 10)) $((base + 11)) $((base + 12)))      # oms serve
port_api_metrics=($((base + 20)) $((base + 21)) $((base + 22)))
port_worker=($((base + 30)) $((base + 31)))                  # oms worker health/metrics
port_pg_primary=$((base + 40))
port_pg_replica=$((base + 41))
port_bouncer_primary=$((base + 42))   # transaction pooling -> primary
port_bouncer_replica=$((base + 43))   # transaction pooling -> replica
port_bouncer_session=$((base + 44))   # session pooling -> primary (migrations)
# Redis cluster nodes (2 primaries, 2 replicas) 10000 below the rest, so their cluster bus
# ports (+10000) are base+50..53: both below the kernel's ephemeral range (32768-), where an
# outgoing connection could hold a bus port while a node restarts.
port_redis=($((base - 9950)) $((base - 9949)) $((base - 9948)) $((base - 9947)))

db_password_file="$state/secrets/db-password"
redis_password_file="$state/secrets/redis-password"

# PostgreSQL refuses to run as root: then its processes run as the `postgres` user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.1 s, bounded. COMMAND's status 99 means
# it can never succeed (the process exited): stop at once. Its stderr goes to logs/wait.log.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local end=$((SECONDS + seconds)) rc
  while :; do
    rc=0
    "$@" >/dev/null 2>>"$state/logs/wait.log" || rc=$?
    [ $rc = 0 ] && return 0
    [ $rc = 99 ] && die "$what: the process exited"
    [ $SECONDS -lt $end ] || die "$what not ready within ${seconds}s"
    sleep 0.1
  done
}

port_busy() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pid files under $state/pids: one per process `up` started that is not PostgreSQL (pg_ctl stops those).
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

redis_cli() {  # redis_cli PORT ARGS...
  local port=$1
  shift
  REDISCLI_AUTH="$(cat "$redis_password_file")" redis-cli --tls --cacert "$state/tls/ca.crt" -h 127.0.0.1 -p "$port" "$@"
}

# The URLs the services use (password from OMS_DATABASE_PASSWORD, not in the URL).
db_url_primary="postgresql://oms@127.0.0.1:$port_bouncer_primary/oms?sslmode=disable"
db_url_replica="postgresql://oms@127.0.0.1:$port_bouncer_replica/oms?sslmode=disable"
db_url_session="postgresql://oms@127.0.0.1:$port_bouncer_session/oms?sslmode=disable"
db_url_direct_primary="postgresql://oms@127.0.0.1:$port_pg_primary/oms?sslmode=disable"
