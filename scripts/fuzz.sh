#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++-14 with ASan + UBSan, into build/fuzz) and runs each one
# on its seed corpus (tests/fuzz/corpus/<target>/, plus tests/fuzz/<target>.dict when present)
# for N seconds, as many at once as there are cores (OMS_FUZZ_JOBS). Fails when any target
# reports a crash, a sanitizer finding, a leak, a timeout or a failed check; the input is kept in
# build/fuzz/artifacts/.
# Usage: scripts/fuzz.sh [seconds per target, default 30] [target ...]
#        scripts/fuzz.sh --build-only   (scripts/test.sh builds them beside the sanitizer suites)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build_only=0
[ "${1:-}" = --build-only ] && { build_only=1; shift; }
seconds="${1:-30}"
shift || true
build="$root/build/fuzz"

args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only"
      -DOMS_FUZZ=ON -DOMS_BUILD_TESTS=OFF -DCMAKE_UNITY_BUILD=ON)  # unity batches: see build.sh
if command -v ccache >/dev/null 2>&1; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR=1
fi
CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja "${args[@]}" >/dev/null
ninja -C "$build" -j "${OMS_BUILD_JOBS:-$(nproc)}" oms_fuzz_targets
[ "$build_only" = 1 ] && exit 0

# Longest input per target: bodies and tokens are the big ones; a cursor is at most 2 KiB.
max_len() {
  case "$1" in
    cursor_fuzz) echo 2200 ;;
    router_fuzz) echo 1024 ;;
    *) echo 8192 ;;
  esac
}

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for src in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi

# The pipeline and router targets keep their SQLite store in a temporary directory; a crash
# leaves it behind, so it lives in the build tree and is emptied on every run.
export TMPDIR="$build/tmp"
rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One target's run; what it prints goes to $build/<target>.out, shown once it is over.
fuzz_one() {
  local t=$1
  local seeds="tests/fuzz/corpus/$t"
  local work="$build/corpus/$t"          # what this run learns stays out of the repository
  local artifacts="$build/artifacts/$t/"
  mkdir -p "$seeds" "$work" "$artifacts"
  local opts=(-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2560
              -print_final_stats=1 -artifact_prefix="$artifacts")
  [ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
  echo "== fuzz: $t for ${seconds}s =="
  if ! "$build/tests/fuzz/$t" "${opts[@]}" "$work" "$seeds" 2>"$build/$t.log"; then
    tail -n 60 "$build/$t.log"
    echo "fuzz: $t FAILED; inputs kept in $artifacts"
    return 1
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/$t.log" | tr '\n' ' '
  echo
}

# Targets run side by side, one a core (OMS_FUZZ_JOBS): each is a single process, and each gets
# its full time either way.
status=0
running=()
finish_oldest() {
  local t=${running[0]}
  running=("${running[@]:1}")
  wait "${pids[$t]}" || status=1
  cat "$build/$t.out"
}
declare -A pids
for t in "${targets[@]}"; do
  fuzz_one "$t" >"$build/$t.out" 2>&1 &
  pids[$t]=$!
  running+=("$t")
  [ "${#running[@]}" -ge "${OMS_FUZZ_JOBS:-$(nproc)}" ] && finish_oldest
done
while [ "${#running[@]}" -gt 0 ]; do finish_oldest; done
exit "$status"
