# Shared by deploy/local/* (sourced after lib.sh): how each part of the topology is started and
# stopped, so `up`, the failure drills and the disaster-recovery drill start them the same way.

# --- the container contract: read-only root, writable /tmp only, uid 10001 ---------------------
# Decided once by detect_sandbox: "setpriv" (we are root: bubblewrap's mount namespace, then
# setpriv drops to the real uid/gid 10001), "userns" (an unprivileged user namespace maps us to
# uid 10001 inside; outside it is still the caller), or "none" (bubblewrap cannot run here).
detect_sandbox() {
  local probe=(bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp)
  if [ "$(id -u)" -eq 0 ] && "${probe[@]}" setpriv --reuid 10001 --regid 10001 --clear-groups true 2>/dev/null; then
    echo setpriv
  elif "${probe[@]}" --unshare-user --uid 10001 --gid 10001 true 2>/dev/null; then
    echo userns
  else
    echo none
  fi
}

# sandboxed NAME COMMAND...: starts COMMAND in the background the way the container runs it;
# stdout/stderr to logs/NAME.log; the pid of the process itself (not bubblewrap's) in pids/NAME.
sandboxed() {
  local name=$1
  shift
  local mode
  mode="$(cat "$state/sandbox")"
  # /tmp is the process's own tmpfs; of the state directory it sees only the public key (JWKS)
  # and the CA certificate, read-only.
  local box=(bwrap --ro-bind / / --dev /dev --proc /proc --perms 1777 --tmpfs /tmp)
  local prefix part made=" "
  # A state directory (or the oms binary: a checkout under /tmp) under /tmp needs its path made
  # inside the new /tmp.
  for path in "$state" "$(dirname "$oms")"; do
    prefix=""
    IFS=/ read -ra parts <<<"${path#/}"
    for part in "${parts[@]}"; do
      prefix="$prefix/$part"
      case "$prefix" in
        /tmp/*)
          if [[ "$made" != *" $prefix "* ]]; then
            box+=(--perms 0755 --dir "$prefix")
            made+="$prefix "
          fi
          ;;
      esac
    done
  done
  case "$oms" in /tmp/*) box+=(--ro-bind "$oms" "$oms") ;; esac
  box+=(--ro-bind "$state/identity" "$state/identity" --ro-bind "$state/tls" "$state/tls" --chdir /tmp --info-fd 3)
  local cmd=()
  case "$mode" in
    setpriv) cmd=("${box[@]}" setpriv --reuid 10001 --regid 10001 --clear-groups "$@") ;;
    userns) cmd=("${box[@]}" --unshare-user --uid 10001 --gid 10001 "$@") ;;
    none) cmd=("$@") ;;
  esac
  rm -f "$state/pids/$name.info"
  if [ "$mode" = none ]; then
    setsid "${cmd[@]}" >>"$state/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$state/pids/$name"
  else
    setsid "${cmd[@]}" >>"$state/logs/$name.log" 2>&1 </dev/null 3>"$state/pids/$name.info" &
    local end=$((SECONDS + 10))
    until grep -q child-pid "$state/pids/$name.info" 2>/dev/null; do
      [ $SECONDS -lt $end ] || die "bubblewrap did not start $name"
      sleep 0.05
    done
    # setpriv execs the service, so bubblewrap's child is the service's pid.
    sed -n 's/.*"child-pid": *\([0-9]*\).*/\1/p' "$state/pids/$name.info" >"$state/pids/$name"
  fi
}

# stop_pidfile NAME [SIGNAL] [SECONDS]: signals the process recorded in pids/NAME and waits.
stop_pidfile() {
  local name=$1 sig=${2:-TERM} seconds=${3:-30}
  local file="$state/pids/$name"
  [ -f "$file" ] || return 0
  local pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    local end=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# --- PostgreSQL ------------------------------------------------------------------------------
pg_start() {  # pg_start DIR PORT
  local dir=$1 port=$2
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; die "PostgreSQL in $dir did not start"; }
}
pg_stop() {  # pg_stop DIR [MODE]
  local dir=$1 mode=${2:-fast}
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null 2>&1 || true
}
pg_running() { as_pg "$pgbin/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }
psql_admin() {  # psql_admin PORT SQL... (as postgres over loopback)
  local port=$1
  shift
  as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

# --- PgBouncer (Debian's 1.18) ------------------------------------------------------------------
bouncer_start() {  # bouncer_start NAME PORT UPSTREAM_PORT MODE
  local name=$1 port=$2 upstream=$3 mode=$4
  local dir="$state/$name"
  mkdir -p "$dir"
  printf '"oms" "%s"\n' "$(cat "$db_password_file")" >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<INI
[databases]
oms = host=127.0.0.1 port=$upstream dbname=oms
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = $mode
; the seed: 20 server connections per pool, 50 client connections per sidecar
default_pool_size = 20
max_client_conn = 50
server_reset_query = DISCARD ALL
; reconnect quickly after the server restarts (default 15 s)
server_login_retry = 1
server_connect_timeout = 3
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
  chmod 600 "$dir/userlist.txt"
  as_pg pgbouncer -d -q "$dir/pgbouncer.ini" || die "PgBouncer $name did not start ($dir/pgbouncer.log)"
  wait_for 10 "PgBouncer $name" test -s "$dir/pgbouncer.pid"
  cp "$dir/pgbouncer.pid" "$state/pids/$name"
}
bouncer_stop() { stop_pidfile "$1" INT 10; }

# --- Redis cluster node (TLS, AUTH) ---------------------------------------------------------------
redis_start() {  # redis_start INDEX
  local i=$1
  local port=${port_redis[$i]} dir="$state/redis$i"
  mkdir -p "$dir"
  local pass
  pass="$(cat "$redis_password_file")"
  # The password goes in a config file (not on the command line, where ps shows it).
  printf 'requirepass %s\nmasterauth %s\n' "$pass" "$pass" >"$dir/auth.conf"
  chmod 600 "$dir/auth.conf"
  cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port 0
tls-port $port
tls-cert-file $state/tls/server.crt
tls-key-file $state/tls/server.key
tls-ca-cert-file $state/tls/ca.crt
tls-auth-clients no
tls-replication yes
tls-cluster yes
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 2000
save ""
appendonly no
maxmemory 64mb
maxmemory-policy volatile-lru
daemonize yes
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
include $dir/auth.conf
CONF
  rm -f "$dir/redis.pid"
  redis-server "$dir/redis.conf" >/dev/null || die "redis node $i did not start"
  wait_for 10 "redis node $i" test -s "$dir/redis.pid"
  cp "$dir/redis.pid" "$state/pids/redis$i"
  wait_for 10 "redis node $i" redis_cli "$port" PING
}
redis_stop() { stop_pidfile "redis$1" TERM 10; }

# --- oms ------------------------------------------------------------------------------------
oms_common_args() {
  local cache_port=${port_redis[0]}
  printf '%s\n' --profile production --environment local --io-threads 1 \
    --database-url "$db_url_primary" --database-prepared false --database-pool-size 8 \
    --cache-url "rediss://127.0.0.1:$cache_port?ca_file=$state/tls/ca.crt" \
    --jwks-url "file://$state/identity/jwks.json" --jwt-issuer oms-local --jwt-client-id oms \
    --log-level info
}
oms_env() {
  printf '%s\n' "OMS_DATABASE_PASSWORD=$(cat "$db_password_file")" "OMS_CACHE_AUTH_TOKEN=$(cat "$redis_password_file")"
}
api_start() {  # api_start INDEX (0..2)
  local i=$1 args env
  mapfile -t args < <(oms_common_args)
  mapfile -t env < <(oms_env)
  sandboxed "api$i" env "${env[@]}" "$oms" serve "${args[@]}" --address 127.0.0.1 --port "${port_api[$i]}" \
    --metrics-port "${port_api_metrics[$i]}" --database-replica-url "$db_url_replica" --worker-in-serve false \
    --shutdown-grace-seconds 10 --rate-limit-per-second 0
}
api_ready() { pid_alive "$state/pids/api$1" || return 99; curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${port_api[$1]}/health/ready"; }
worker_start() {  # worker_start INDEX (0..1)
  local i=$1 args env
  mapfile -t args < <(oms_common_args)
  mapfile -t env < <(oms_env)
  sandboxed "worker$i" env "${env[@]}" "$oms" worker "${args[@]}" --address 127.0.0.1 \
    --worker-port "${port_worker[$i]}" --shutdown-grace-seconds 10
}
worker_ready() { pid_alive "$state/pids/worker$1" || return 99; curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${port_worker[$1]}/health/ready"; }

# --- HAProxy ----------------------------------------------------------------------------------
haproxy_start() {
  local dir="$state/haproxy"
  mkdir -p "$dir"
  {
    cat <<CFG
global
  maxconn 1000
  stats socket $dir/admin.sock mode 600 level admin
defaults
  mode http
  log stdout format raw local0 err
  timeout connect 2s
  timeout client 75s
  timeout server 30s
  timeout http-request 10s
  # a request that found its server dead (refused, reset before any answer) is sent again to
  # another one; creates carry Idempotency-Key, so a repeated POST does not create twice
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response
frontend api
  bind 127.0.0.1:$port_haproxy
  default_backend oms
frontend stats
  bind 127.0.0.1:$port_haproxy_stats
  stats enable
  stats uri /stats
backend oms
  balance roundrobin
  # active health checks: SIGTERM makes /health/ready fail, so a stopping server is drained
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 500ms fastinter 250ms fall 2 rise 2
CFG
    for i in 0 1 2; do printf '  server api%d 127.0.0.1:%d check\n' "$i" "${port_api[$i]}"; done
  } >"$dir/haproxy.cfg"
  haproxy -c -q -f "$dir/haproxy.cfg" || die "haproxy.cfg is invalid"
  haproxy -D -p "$state/pids/haproxy" -f "$dir/haproxy.cfg" >>"$state/logs/haproxy.log" 2>&1 \
    || die "HAProxy did not start"
}
