#!/usr/bin/env bash
# The cost of auditing admin reads of personal data (app/read_audit.hpp): req/s and latency of
# GET /api/v1/users?limit=20 (20 audit entries a request) and GET /api/v1/opportunities/{id} of
# another user's opportunity (1 entry), as an admin, with --audit-reads true and false,
# alternated (false, true, false, true) so drift in the machine's load hits both. Everything on
# 127.0.0.1, started and stopped here. A benchmark, not a test: figures depend on the machine.
#   bench/read_audit.sh    (BENCH_STORE=sqlite|postgres BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_THREADS=2 IO_THREADS=2)
# OMS_BASELINE=/path/to/an/older/oms compares a change side by side in one run: audit off, the
# baseline with audit on, this build with audit on, alternated twice (the database is migrated
# by this build; an older binary ignores what later migrations added).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
oms="$root/build/release/oms"
[ -x "$oms" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
store="${BENCH_STORE:-sqlite}"
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-16}"
threads="${BENCH_THREADS:-2}"
io_threads="${IO_THREADS:-2}"
work="$(mktemp -d /tmp/oms-bench-read-audit.XXXXXX)"

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

oms_pid=""
cleanup() {
  [ -n "$oms_pid" ] && kill "$oms_pid" 2>/dev/null && wait "$oms_pid" 2>/dev/null || true
  [ "$store" = postgres ] && bash "$root/scripts/pg.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

common=(--data-dir "$work/data")
db_url=""
if [ "$store" = postgres ]; then
  db_url="$(bash "$root/scripts/pg.sh" start "$work/pg" "$(free_port)" | tail -1)"
  common+=(--database-url "$db_url")
fi
"$oms" migrate "${common[@]}" >/dev/null
"$oms" seed "${common[@]}" >/dev/null
tok() { "$oms" token "${common[@]}" --role "$1" --sub "$2" --name "Bench $2" --email "$2@example.com" --ttl 3600; }
admin="Authorization: Bearer $(tok ADMIN admin-1)"

start_server() {  # $1 = true|false: audit admin reads; $2 = the binary (default: this build)
  port="$(free_port)"
  "${2:-$oms}" serve --profile embedded "${common[@]}" --address 127.0.0.1 --port "$port" --io-threads "$io_threads" \
    --audit-reads "$1" --rate-limit-per-second 1000000 --rate-limit-burst 1000000 --log-level warn \
    >>"$work/oms.log" 2>&1 &
  oms_pid=$!
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "oms serve did not start:" >&2
  tail -20 "$work/oms.log" >&2
  exit 1
}
stop_server() { kill "$oms_pid"; wait "$oms_pid" 2>/dev/null || true; oms_pid=""; }
audit_rows() {
  if [ "$store" = postgres ]; then
    psql "$db_url" -XAtqc "SELECT COUNT(*) FROM audit_log"
  else
    /usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM audit_log').fetchone()[0])" "$work/data/oms.db"
  fi
}

# 30 users (each recorded by one request) and one opportunity of a sales manager's.
start_server false
base="http://127.0.0.1:$port/api/v1"
for i in $(seq 1 30); do curl -fs -H "Authorization: Bearer $(tok SALES_MANAGER "sm-$i")" "$base/me" >/dev/null; done
curl -fs -H "$admin" "$base/me" >/dev/null
sm="Authorization: Bearer $(tok SALES_MANAGER sm-1)"
customer="$(curl -fs -H "$sm" "$base/customers?limit=1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
body="{\"title\":\"Bench\",\"description\":\"Read audit benchmark\",\"customer_id\":\"$customer\",\"priority\":\"HIGH\",\"annual_recurring_revenue\":\"1000.00\",\"currency\":\"USD\",\"geographic_requirements\":{\"region\":\"EMEA\",\"requires_physical_presence\":false,\"allows_remote_work\":true}}"
id="$(curl -fs -H "$sm" -H 'Content-Type: application/json' -d "$body" "$base/opportunities" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
stop_server

echo "store $store, $connections connections, $threads wrk threads, $io_threads I/O threads, ${seconds} s a run; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %-12s %10s %10s %10s %14s\n' "route (as admin)" "audit reads" "req/s" "p50" "p99" "audit entries"
settings=(false true false true)
[ -n "${OMS_BASELINE:-}" ] && settings=(false before after false before after)
for path in "/users?limit=20" "/opportunities/$id"; do
  for audit in "${settings[@]}"; do
    case "$audit" in
      before) start_server true "$OMS_BASELINE" ;;
      after) start_server true ;;
      *) start_server "$audit" ;;
    esac
    url="http://127.0.0.1:$port/api/v1$path"
    curl -fs -H "$admin" "$url" >/dev/null  # warm up
    before="$(audit_rows)"
    out="$(wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -H "$admin" "$url")"
    stop_server  # flushes what is queued
    rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
    p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
    bad="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
    [ -n "$bad" ] && echo "non-2xx answers: $bad" >&2
    printf '%-34s %-12s %10s %10s %10s %14s\n' "GET ${path%%\?*}" "$audit" "$rps" "$p50" "$p99" "$(($(audit_rows) - before))"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
