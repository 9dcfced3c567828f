#!/usr/bin/env bash
# Req/s and cache hit ratio of GET /api/v1/opportunities/{id} on PostgreSQL with no cache,
# memory:// and a standalone redis:// — every server, database and Redis on 127.0.0.1, started
# and stopped here. A benchmark, not a test: figures depend on the machine.
#   bench/cache.sh                 (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_THREADS=2 IO_THREADS=2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oms="$root/build/release/oms"
[ -x "$oms" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
io_threads="${IO_THREADS:-2}"
work="$(mktemp -d /tmp/oms-bench-cache.XXXXXX)"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

oms_pid=""
redis_pid=""
cleanup() {
  [ -n "$oms_pid" ] && kill "$oms_pid" 2>/dev/null && wait "$oms_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  bash "$root/scripts/pg.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

db_url="$(bash "$root/scripts/pg.sh" start "$work/pg" "$(free_port)" | tail -1)"
redis_port="$(free_port)"
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work" >/dev/null
for _ in $(seq 100); do [ -s "$work/redis.pid" ] && break; sleep 0.05; done
redis_pid="$(cat "$work/redis.pid")"

common=(--data-dir "$work/data" --database-url "$db_url")
"$oms" migrate "${common[@]}" >/dev/null
"$oms" seed "${common[@]}" >/dev/null
token="$("$oms" token "${common[@]}" --role SALES_MANAGER --sub sm-1 --name "Sam Seller" --email sm-1@example.com --ttl 3600)"
auth="Authorization: Bearer $token"

start_server() {  # $1 = cache url
  port="$(free_port)"
  "$oms" serve --profile embedded "${common[@]}" --address 127.0.0.1 --port "$port" --io-threads "$io_threads" \
    --cache-url "$1" --rate-limit-per-second 1000000 --rate-limit-burst 1000000 --log-level warn \
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

printf '%-34s %12s %10s %10s\n' "cache" "req/s" "non-2xx" "hit ratio"
for cache in none memory:// "redis://127.0.0.1:$redis_port"; do
  redis-cli -p "$redis_port" FLUSHALL >/dev/null
  start_server "$cache"
  url="http://127.0.0.1:$port/api/v1/opportunities/$id"
  curl -fs -H "$auth" "$url" >/dev/null  # warm up: the user and the aggregate are cached
  out="$(wrk -t "$threads" -c "$connections" -d "${seconds}s" -H "$auth" "$url")"
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  bad="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  ratio="$(curl -fs "http://127.0.0.1:$port/metrics" | /usr/bin/python3 -c '
import re, sys
c = {}
for line in sys.stdin:
    m = re.match(r"cache_requests_total\{family=\"(\w+)\",result=\"(\w+)\"\} (\d+)", line)
    if m: c[(m[1], m[2])] = int(m[3])
hits = sum(v for (f, r), v in c.items() if r == "hit")
total = sum(c.values())
print(f"{hits / total:.4f}" if total else "-")')"
  printf '%-34s %12s %10s %10s\n' "$cache" "$rps" "${bad:-0}" "$ratio"
  stop_server
done
