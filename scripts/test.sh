#!/usr/bin/env bash
# The test command: installs what is missing, builds, starts its own PostgreSQL on loopback,
# runs every test (unit, integration on SQLite and PostgreSQL, API on both stores, the OpenAPI
# lint, the infra tests), the PostgreSQL integration and API suites once more through PgBouncer
# in transaction mode (migrations through a session-mode PgBouncer), then the whole suite again
# under AddressSanitizer + UBSan.
# Then each libFuzzer target for a short while (scripts/fuzz.sh; OMS_FUZZ_SECONDS, default 30).
# Exits non-zero on any failure. Usage: scripts/test.sh [--no-asan] [--no-fuzz]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
asan=1
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) asan=0 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "usage: scripts/test.sh [--no-asan] [--no-fuzz]" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh

work="$(mktemp -d /tmp/oms-test.XXXXXX)"
pg_dir="$work/pg"
cleanup() {
  bash scripts/pgbouncer.sh stop "$work/pgbouncer-transaction" >/dev/null 2>&1 || true
  bash scripts/pgbouncer.sh stop "$work/pgbouncer-session" >/dev/null 2>&1 || true
  bash scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=55432
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
# Lock waits and statements slower than a second go to its log, which the summary quotes on failure.
OMS_TEST_POSTGRES_URL="$(OMS_PG_SERVER_OPTIONS="-c log_lock_waits=on -c log_min_duration_statement=1000" \
  bash scripts/pg.sh start "$pg_dir" "$port" | tail -n 1)"
export OMS_TEST_POSTGRES_URL
echo "test: PostgreSQL at $OMS_TEST_POSTGRES_URL"
# PgBouncer in front of it, as in production: a transaction pool for the service, a session
# pool for migrations.
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
bouncer_port="$(free_port $((port + 1)))"
bouncer_url="$(bash scripts/pgbouncer.sh start "$work/pgbouncer-transaction" "$bouncer_port" "$port" transaction | tail -n 1)"
session_port="$(free_port $((bouncer_port + 1)))"
session_url="$(bash scripts/pgbouncer.sh start "$work/pgbouncer-session" "$session_port" "$port" session | tail -n 1)"
echo "test: PgBouncer at $bouncer_url (transaction), $session_url (session)"

status=0
failed_stages=()
failure_lines=""
# Records a failed stage and the tests ctest saw fail in it: CI shows only the tail of this
# script's output, so the summary at the end has to name what failed, and how.
stage_failed() {
  local stage=$1 build_dir=${2:-}
  status=1
  local failed_log="$build_dir/Testing/Temporary/LastTestsFailed.log"
  if [ -n "$build_dir" ] && [ -s "$failed_log" ]; then
    failed_stages+=("$stage: $(cut -d: -f2- "$failed_log" | paste -sd ' ')")
    # pytest's and GoogleTest's verdict lines and the assertion lines under them.
    failure_lines+="$(grep -E '^(FAILED |ERROR |E  |oms error: |\[  FAILED  \] )' \
      "$build_dir/Testing/Temporary/LastTest.log" | cut -c1-400 | head -n 30)"$'\n'
  else
    failed_stages+=("$stage")
  fi
}

echo "== release build =="
bash scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j 2 || stage_failed release build/release

echo "== PostgreSQL suites through PgBouncer (transaction pooling) =="
# Three cases are about direct connections only (they ran above): the named-statement cache, a
# replica stand-in made of a search_path in the startup packet, which PgBouncer 1.18 refuses, and
# a stopped server backend (behind PgBouncer the next transaction may use another one).
OMS_TEST_POSTGRES_URL="$bouncer_url" OMS_TEST_POSTGRES_MIGRATE_URL="$session_url" OMS_TEST_POSTGRES_POOLED=1 \
  OMS_DATABASE_PREPARED=false \
  ctest --test-dir build/release --output-on-failure -j 2 -R '^(integration\..*/postgres|api\.postgres)' \
  -E 'PreparedModeCachesOneStatementPerSqlText|ReadOnlySessionsGoToTheReplica|AServerThatNeverAnswers' ||
  stage_failed pgbouncer build/release

if [ "$asan" = 1 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build =="
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  bash scripts/build.sh asan
  # The browser stories and the topology drill drive the same server code that api.* runs here
  # under the sanitizers (test_web.py covers the page and sign-in routes); the drill's timings
  # (HAProxy checks, kill -9 recovery) are about the release binary, not sanitizer slowdowns.
  ctest --test-dir build/asan --output-on-failure -j 2 -E '^(web|topology)\.' ||
    stage_failed asan build/asan
fi

if [ "$fuzz" = 1 ]; then
  echo "== libFuzzer targets (clang++-14, ASan + UBSan) =="
  bash scripts/fuzz.sh "${OMS_FUZZ_SECONDS:-30}" || stage_failed fuzz
fi
echo "== summary =="
if [ "$status" = 0 ]; then
  echo "test: every stage passed"
else
  printf '%s' "$failure_lines"
  # What the test PostgreSQL saw wait or run long (CREATE and DROP DATABASE of the test fixtures
  # aside), with the line after each (its statement or detail).
  grep -A1 -E 'still waiting|deadlock|duration: ' "$pg_dir/server.log" 2>/dev/null |
    grep -v -E 'CREATE DATABASE|DROP DATABASE|checkpoint|^--$' | cut -c1-300 | tail -n 20 |
    sed 's/^/postgres: /' || true
  for line in "${failed_stages[@]}"; do echo "test: FAILED $line"; done
fi
exit "$status"
