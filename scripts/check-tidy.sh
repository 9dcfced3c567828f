#!/usr/bin/env bash
# Runs clang-tidy-14 with the checked-in .clang-tidy over every source file under src/, tests/
# and bench/micro (the same profile: test code needed no exception), and fails on any finding. Needs
# only a configured build tree (compile_commands.json), not a build: it configures one with
# clang++-14 itself. Usage: scripts/check-tidy.sh [file regex]
# With no regex it lints unity batches (build/tidy-unity, CMAKE_UNITY_BUILD): each batch of a
# target's files is parsed once, Boost and all, where each file alone would parse it again; the
# findings in every file of a batch are reported as for the file alone (.clang-tidy's
# HeaderFilterRegex covers our .cpp files), and a batch shows the analyses more function bodies.
# Measurements in docs/toolchain.md. A regex lints the matching files one by one (build/tidy).
# tests/fuzz is left out: its targets are only configured with OMS_FUZZ (sanitizer and libFuzzer
# instrumentation, a build of its own), so they are not in this compile database.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOMS_BUILD_TESTS=ON -DOMS_BENCH=ON -DOMS_TOOLING_TESTS=OFF)
if [ $# -gt 0 ]; then
  build="$root/build/tidy"
  CXX=clang++-14 cmake -S "$root" -B "$build" "${common[@]}" -DCMAKE_UNITY_BUILD=OFF >/dev/null
  filter="$1"
else
  build="$root/build/tidy-unity"
  CXX=clang++-14 cmake -S "$root" -B "$build" "${common[@]}" -DCMAKE_UNITY_BUILD=ON \
    -DCMAKE_UNITY_BUILD_BATCH_SIZE="${OMS_TIDY_BATCH_SIZE:-16}" >/dev/null
  # Generated sources (embedded migrations and OpenAPI) are never in a batch, and not ours to lint.
  filter='/Unity/unity_[0-9]+_cxx\.cxx$'
fi
log="$build/clang-tidy.log"
if ! run-clang-tidy-14 -p "$build" -quiet -j "${OMS_BUILD_JOBS:-$(nproc)}" "$filter" >"$log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E 'warning:|error:' -A3 | grep -v '^--$' | head -n 200
  echo "check-tidy: clang-tidy found problems (full log: $log)" >&2
  exit 1
fi
echo "check-tidy: clean under .clang-tidy: $filter"
