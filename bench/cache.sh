#!/usr/bin/env bash
# Req/s and cache hit ratio of GET /api/v1/opportunities/{id} on PostgreSQL with no cache,
# memory://, a standalone redis:// and a 2-shard Redis cluster (one replica each, assembled by
# hand as in tests/integration/cache/redis_cluster_test.cpp) — every server, database and Redis
# on 127.0.0.1, started and stopped here. A benchmark, not a test: figures depend on the machine.
#   bench/cache.sh                 (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_THREADS=2 IO_THREADS=2)
# Per cache: req/s at BENCH_CONNECTIONS, then the median latency of one connection alone (what a
# request's round trips cost), then the hit ratio. BENCH_OMS names another binary (before/after).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oms="${BENCH_OMS:-$root/build/release/oms}"
[ -x "$oms" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
io_threads="${IO_THREADS:-2}"
work="$(mktemp -d /tmp/oms-bench-cache.XXXXXX)"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# A cluster node's port: below 55535 and free, with its bus port (+10000) free too.
free_cluster_port() {
  /usr/bin/python3 -c '
import random, socket
def free(p):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p))
            return True
        except OSError:
            return False
while True:
    p = random.randrange(20000, 55535)
    if free(p) and free(p + 10000):
        print(p)
        break'
}

oms_pid=""
redis_pids=()
cleanup() {
  [ -n "$oms_pid" ] && kill "$oms_pid" 2>/dev/null && wait "$oms_pid" 2>/dev/null || true
  for p in "${redis_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  bash "$root/scripts/pg.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

db_url="$(bash "$root/scripts/pg.sh" start "$work/pg" "$(free_port)" | tail -1)"
start_redis() {  # $1 = port, $2 = name, more arguments for redis-server
  local port="$1" name="$2"
  shift 2
  mkdir -p "$work/$name"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$work/$name/redis.pid" --logfile "$work/$name/redis.log" --dir "$work/$name" "$@" >/dev/null
  for _ in $(seq 100); do [ -s "$work/$name/redis.pid" ] && break; sleep 0.05; done
  redis_pids+=("$(cat "$work/$name/redis.pid")")
}
redis_port="$(free_port)"
start_redis "$redis_port" standalone

cluster_ports=()
for i in 0 1 2 3; do
  cluster_ports+=("$(free_cluster_port)")
  start_redis "${cluster_ports[$i]}" "node$i" --cluster-enabled yes --cluster-config-file nodes.conf
done
rc() { redis-cli -p "$1" "${@:2}"; }
rc "${cluster_ports[0]}" CLUSTER ADDSLOTSRANGE 0 8191 >/dev/null
rc "${cluster_ports[1]}" CLUSTER ADDSLOTSRANGE 8192 16383 >/dev/null
for i in 1 2 3; do rc "${cluster_ports[0]}" CLUSTER MEET 127.0.0.1 "${cluster_ports[$i]}" >/dev/null; done
for _ in $(seq 100); do
  [ "$(rc "${cluster_ports[3]}" CLUSTER INFO | tr -d '\r' | awk -F: '/cluster_known_nodes/ {print $2}')" = 4 ] && break
  sleep 0.1
done
rc "${cluster_ports[2]}" CLUSTER REPLICATE "$(rc "${cluster_ports[0]}" CLUSTER MYID)" >/dev/null
rc "${cluster_ports[3]}" CLUSTER REPLICATE "$(rc "${cluster_ports[1]}" CLUSTER MYID)" >/dev/null
for _ in $(seq 300); do
  ok=1
  for p in "${cluster_ports[@]}"; do
    rc "$p" CLUSTER INFO | grep -q 'cluster_state:ok' || ok=0
  done
  [ "$ok" = 1 ] && break
  sleep 0.1
done
[ "$ok" = 1 ] || { echo "the cluster did not form" >&2; exit 1; }

common=(--data-dir "$work/data" --database-url "$db_url")
"$oms" migrate "${common[@]}" >/dev/null
"$oms" seed "${common[@]}" >/dev/null
token="$("$oms" token "${common[@]}" --role SALES_MANAGER --sub sm-1 --name "Sam Seller" --email sm-1@example.com --ttl 3600)"
auth="Authorization: Bearer $token"

start_server() {  # $1 = cache url, $2 = in-process tier in front of Redis, MiB (0: off)
  port="$(free_port)"
  "$oms" serve --profile embedded "${common[@]}" --address 127.0.0.1 --port "$port" --io-threads "$io_threads" \
    --cache-url "$1" --cache-local-tier-mb "${2:-0}" --rate-limit-per-second 1000000 --rate-limit-burst 1000000 --log-level warn \
    >>"$work/oms.log" 2>&1 &
  oms_pid=$!
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "oms serve did not start:" >&2
  tail -20 "$work/oms.log" >&2
  exit 1
}
stop_server() { kill "$oms_pid"; wait "$oms_pid" 2>/dev/null || true; oms_pid=""; }

# One opportunity to read, created through the API.
start_server none
base="http://127.0.0.1:$port/api/v1"
customer="$(curl -fs -H "$auth" "$base/customers?limit=1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
body="{\"title\":\"Bench\",\"description\":\"Cache benchmark\",\"customer_id\":\"$customer\",\"priority\":\"HIGH\",\"annual_recurring_revenue\":\"1000.00\",\"currency\":\"USD\",\"geographic_requirements\":{\"region\":\"EMEA\",\"requires_physical_presence\":false,\"allows_remote_work\":true}}"
id="$(curl -fs -H "$auth" -H 'Content-Type: application/json' -d "$body" "$base/opportunities" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
stop_server

# Redis standalone twice: alone, and with the default in-process tier in front (pub/sub
# invalidation); the cluster runs without a tier (src/cache/tiered_cache.hpp says why).
printf '%-44s %12s %10s %14s %10s\n' "cache (last: the cluster)" "req/s" "non-2xx" "p50 1 conn ms" "hit ratio"
for case in "none 0" "memory:// 0" "redis://127.0.0.1:$redis_port 0" "redis://127.0.0.1:$redis_port 16" \
  "redis://127.0.0.1:${cluster_ports[0]} 0"; do
  cache="${case% *}"
  tier="${case##* }"
  redis-cli -p "$redis_port" FLUSHALL >/dev/null
  start_server "$cache" "$tier"
  url="http://127.0.0.1:$port/api/v1/opportunities/$id"
  curl -fs -H "$auth" "$url" >/dev/null  # warm up: the user and the aggregate are cached
  out="$(wrk -t "$threads" -c "$connections" -d "${seconds}s" -H "$auth" "$url")"
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  bad="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  one="$(wrk -t 1 -c 1 -d "$(((seconds + 1) / 2))s" --latency -H "$auth" "$url")"
  p50="$(echo "$one" | awk '$1 == "50%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.3f", v}')"
  ratio="$(curl -fs "http://127.0.0.1:$port/metrics" | /usr/bin/python3 -c '
import re, sys
c = {}
for line in sys.stdin:
    m = re.match(r"cache_requests_total\{family=\"(\w+)\",result=\"(\w+)\"\} (\d+)", line)
    if m: c[(m[1], m[2])] = int(m[3])
    m = re.match(r"cache_local_hits_total (\d+)", line)
    if m: c[("local", "local")] = int(m[1])
# The in-process tier answers in front of the metered Redis lookups: its hits are lookups too.
local = c.pop(("local", "local"), 0)
hits = sum(v for (f, r), v in c.items() if r == "hit") + local
total = sum(c.values()) + local
print((f"{hits / total:.4f}" + (f" ({local / total:.2f} local)" if local else "")) if total else "-")')"
  label="$cache"
  [ "$tier" != 0 ] && label="$cache + ${tier} MiB in-process tier"
  printf '%-44s %12s %10s %14s %10s\n' "$label" "$rps" "${bad:-0}" "${p50:--}" "$ratio"
  stop_server
done
