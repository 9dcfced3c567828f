#!/usr/bin/env bash
# The test command: installs what is missing, starts its own PostgreSQL and PgBouncer on loopback,
# builds the release programs and runs on them what drives a program (API suites on both stores,
# browser stories, the topology drill) with the OpenAPI lint, clang-tidy and the infra tests;
# then builds with AddressSanitizer + UBSan and runs every GoogleTest suite (unit, integration on
# SQLite and PostgreSQL) and the API suites again, then the PostgreSQL ones once more through
# PgBouncer in transaction mode (migrations through a session-mode PgBouncer).
# With --no-asan the release build runs all of it, the GoogleTest suites included.
# Then each libFuzzer target for a short while (scripts/fuzz.sh; OMS_FUZZ_SECONDS, default 30).
# Exits non-zero on any failure; the summary gives each stage's time and how busy the cores were.
# Usage: scripts/test.sh [--no-asan] [--no-fuzz]
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

# Ports: the first at or above a base that a bind() succeeds on. The bases sit below the
# kernel's ephemeral range (32768..60999 on Debian): a port inside it can be held by any outbound
# connection, which a connect() probe does not see and which makes the server's bind fail (stop
# 17's CI: PostgreSQL on 55432, "Address already in use", right after npm ci). Each start is
# retried on the next free port should something take the port between the probe and the start.
free_port() {
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
while True:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            break
        except OSError:
            port += 1
print(port)
PY
}
# (Its locals are visible to COMMAND, bash scoping being dynamic: hence names no caller uses.)
start_on_free_port() {  # start_on_free_port BASE COMMAND...: runs COMMAND PORT, prints "PORT OUTPUT-LAST-LINE"
  local sofp_base=$1 sofp_attempt sofp_port sofp_out
  shift
  for sofp_attempt in 1 2 3 4 5; do
    sofp_port="$(free_port "$sofp_base")"
    if sofp_out="$("$@" "$sofp_port" 2>"$work/start.err" | tail -n 1)" && [ -n "$sofp_out" ]; then
      echo "$sofp_port $sofp_out"
      return 0
    fi
    echo "test: could not start on port $sofp_port (attempt $sofp_attempt): $(tail -n 3 "$work/start.err" | paste -sd ' ')" >&2
    sofp_base=$((sofp_port + 1))
  done
  cat "$work/start.err" >&2
  return 1
}
start_pg() {
  # Lock waits and statements slower than a second go to its log, which the summary quotes on failure.
  OMS_PG_SERVER_OPTIONS="-c log_lock_waits=on -c log_min_duration_statement=1000" \
    bash scripts/pg.sh start "$pg_dir" "$1"
}
read -r pg_port OMS_TEST_POSTGRES_URL < <(start_on_free_port 25432 start_pg)
[ -n "${OMS_TEST_POSTGRES_URL:-}" ] || { echo "test: PostgreSQL did not start" >&2; exit 1; }
export OMS_TEST_POSTGRES_URL
echo "test: PostgreSQL at $OMS_TEST_POSTGRES_URL"
# PgBouncer in front of it, as in production: a transaction pool for the service, a session
# pool for migrations.
start_bouncer() {  # start_bouncer MODE PORT: forwards to the PostgreSQL above
  bash scripts/pgbouncer.sh start "$work/pgbouncer-$1" "$2" "$pg_port" "$1"
}
read -r bouncer_port bouncer_url < <(start_on_free_port $((pg_port + 1)) start_bouncer transaction)
[ -n "${bouncer_url:-}" ] || { echo "test: PgBouncer (transaction) did not start" >&2; exit 1; }
read -r _ session_url < <(start_on_free_port $((bouncer_port + 1)) start_bouncer session)
[ -n "${session_url:-}" ] || { echo "test: PgBouncer (session) did not start" >&2; exit 1; }
# Through each pool once, so a pooler that cannot reach the server fails here, not as 120 s
# login timeouts in every test behind it.
for url in "$bouncer_url" "$session_url"; do
  /usr/lib/postgresql/15/bin/psql -X -q -At -c 'SELECT 1' "$url" >/dev/null \
    || { echo "test: no answer from PostgreSQL through PgBouncer at $url" >&2; exit 1; }
done
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
    # pytest's, GoogleTest's and node:test's (TAP) verdict lines and the assertion lines under
    # them. A log with none of them must not end this script (set -e, pipefail): later stages
    # still run and the summary still prints.
    failure_lines+="$(grep -E '^(FAILED |ERROR |E  |oms error: |\[  FAILED  \] |not ok |  location: |    [a-zA-Z].*(Timeout|Error|expected))' \
      "$build_dir/Testing/Temporary/LastTest.log" | cut -c1-400 | head -n 30 || true)"$'\n'
  else
    failed_stages+=("$stage")
  fi
}

# How long each stage took and how busy the machine was meanwhile (all cores, /proc/stat), for
# the summary: what to cut next is read from there.
stage_times=()
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }
stage_begin() { stage_name=$1; stage_t0=$SECONDS; read -r stage_busy0 stage_idle0 < <(cpu_ticks); echo "== $1 =="; }
stage_end() {
  local busy idle
  read -r busy idle < <(cpu_ticks)
  busy=$((busy - stage_busy0)); idle=$((idle - stage_idle0))
  stage_times+=("$(printf '%-60s %5d s, cores %3d %% busy' "$stage_name" $((SECONDS - stage_t0)) \
    $((100 * busy / (busy + idle > 0 ? busy + idle : 1))))")
}

# Runs a command with the test PostgreSQL reached as production reaches it: PgBouncer in
# transaction mode, migrations through its session-mode pool, no named prepared statements.
through_pgbouncer() {
  OMS_TEST_POSTGRES_URL="$bouncer_url" OMS_TEST_POSTGRES_MIGRATE_URL="$session_url" OMS_TEST_POSTGRES_POOLED=1 \
    OMS_DATABASE_PREPARED=false "$@"
}
# Three PostgreSQL cases are about direct connections only (they run in the release stage): the
# named-statement cache, a replica stand-in made of a search_path in the startup packet, which
# PgBouncer 1.18 refuses, and a stopped server backend (behind PgBouncer the next transaction may
# use another one). The API suite goes through PgBouncer in the sanitizer stage (or here when
# that stage is off): once each way, not twice through PgBouncer.
direct_only='PreparedModeCachesOneStatementPerSqlText|ReadOnlySessionsGoToTheReplica|AServerThatNeverAnswers'
# A build with a ctest test per GoogleTest case (release) picks the cases by name (ctest's names of
# parameterized cases end in "  # GetParam() = ...", hence no $ after /postgres); one with a test
# per suite executable (asan: OMS_TEST_PER_CASE=OFF) runs the integration executables with
# GoogleTest's own filter, which a per-case test's --gtest_filter overrides.
# A selection that silently ran no case fails here, and the log says how many ran (counted from
# GoogleTest's summary lines in ctest's log: one per process, per case or per executable).
pgbouncer_suites() {  # pgbouncer_suites BUILD-DIR: its PostgreSQL integration and API suites
  local ran status=0
  through_pgbouncer env GTEST_FILTER="*/postgres-*${direct_only//|/*:*}*" \
    ctest --test-dir "$1" --output-on-failure -j 2 -R '^(integration\..*/postgres|integration\.[a-z]+$|api\.postgres$)' \
    -E "$direct_only" || status=$?
  ran="$(grep -h -o '^\[  PASSED  \] [0-9]* test' "$1/Testing/Temporary/LastTest.log" 2>/dev/null |
    awk '{n += $4} END {print n + 0}' || true)"
  echo "test: $ran PostgreSQL integration cases passed through PgBouncer"
  [ "$ran" -gt 0 ] || { echo "test: no PostgreSQL integration case ran through PgBouncer" >&2; status=1; }
  return "$status"
}

# With the sanitizer stage on, the GoogleTest suites are built and run there only: compiled in
# release too they cost a third of the release build (366 of 1,135 s of compiler time) to run the
# same cases a second time, without the sanitizers' checks. Everything that starts a release
# program stays here: the API suites, the browser stories, the topology drill.
stage_begin "release build"
if [ "$asan" = 1 ]; then
  bash scripts/build.sh release oms_programs
else
  bash scripts/build.sh release
fi
stage_end
stage_begin "release tests"
if [ "$asan" = 1 ]; then
  # (An unbuilt suite registers a placeholder test named <suite>_NOT_BUILT.)
  ctest --test-dir build/release --output-on-failure -j 2 -E '^(unit|integration)\.|_NOT_BUILT$' ||
    stage_failed release build/release
else
  ctest --test-dir build/release --output-on-failure -j 2 || stage_failed release build/release
fi
stage_end

if [ "$asan" = 1 ]; then
  stage_begin "ASan + UBSan build"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  asan_built=1
  bash scripts/build.sh asan || { asan_built=0; stage_failed "asan build"; }
  stage_end

  if [ "$asan_built" = 1 ]; then
    # The fuzz targets' build (clang++-14) takes only what CPU the sanitizer suites leave idle.
    if [ "$fuzz" = 1 ]; then
      nice -n 19 bash scripts/fuzz.sh --build-only >"$work/fuzz-build.log" 2>&1 &
      fuzz_build_pid=$!
    fi
    # The browser stories and the topology drill drive the same server code that api.* runs here
    # under the sanitizers (test_web.py covers the page and sign-in routes); the drill's timings
    # (HAProxy checks, kill -9 recovery) are about the release binary, not sanitizer slowdowns.
    # The PostgreSQL API suite runs through PgBouncer only (the release stage ran it directly),
    # with the PostgreSQL integration suites a second time, after the rest: one ctest run at a
    # time owns the build tree's logs, which stage_failed reads.
    stage_begin "ASan + UBSan tests (the fuzz build beside them at nice 19)"
    ctest --test-dir build/asan --output-on-failure -j 2 -E '^(web|topology)\.|^api\.postgres$' ||
      stage_failed asan build/asan
    pgbouncer_suites build/asan || stage_failed "asan, through PgBouncer" build/asan
    stage_end
  fi
else
  stage_begin "PostgreSQL suites through PgBouncer (transaction pooling)"
  pgbouncer_suites build/release || stage_failed pgbouncer build/release
  stage_end
fi

if [ "$fuzz" = 1 ]; then
  stage_begin "libFuzzer targets (clang++-14, ASan + UBSan)"
  if [ -n "${fuzz_build_pid:-}" ] && ! wait "$fuzz_build_pid"; then
    tail -n 40 "$work/fuzz-build.log"
    stage_failed "fuzz build"
  else
    bash scripts/fuzz.sh "${OMS_FUZZ_SECONDS:-30}" || stage_failed fuzz
  fi
  stage_end
fi
echo "== summary =="
printf 'test: %s\n' "${stage_times[@]}"
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
