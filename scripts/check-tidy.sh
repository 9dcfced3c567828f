#!/usr/bin/env bash
# Runs clang-tidy-14 with the checked-in .clang-tidy over every source file under src/, tests/
# and bench/micro (the same profile: test code needed no exception), and fails on any finding. Needs
# only a configured build tree (compile_commands.json), not a build: it configures build/tidy with
# clang++-14 itself. Usage: scripts/check-tidy.sh [file regex]
# tests/fuzz is left out: its targets are only configured with OMS_FUZZ (sanitizer and libFuzzer
# instrumentation, a build of its own), so they are not in this compile database.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="$root/build/tidy"
CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOMS_BUILD_TESTS=ON -DOMS_BENCH=ON -DOMS_TOOLING_TESTS=OFF >/dev/null
# Generated sources (embedded migrations and OpenAPI) live in the build tree and are not ours to lint.
filter="${1:-^$root/(src/|tests/(?!fuzz/)|bench/micro/).*\.cpp\$}"
log="$build/clang-tidy.log"
if ! run-clang-tidy-14 -p "$build" -quiet -j "${OMS_BUILD_JOBS:-$(nproc)}" "$filter" >"$log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E 'warning:|error:' -A3 | grep -v '^--$' | head -n 200
  echo "check-tidy: clang-tidy found problems (full log: $log)" >&2
  exit 1
fi
echo "check-tidy: clean under .clang-tidy: $filter"
