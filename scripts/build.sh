#!/usr/bin/env bash
# Configures and builds one flavour: scripts/build.sh release|asan [-DOPTION=VALUE ...] [TARGET ...]
# (into build/<flavour>; every target when none is named, e.g. bench/run: release -DOMS_BENCH=ON oms).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:-release}"
shift || true
extra=()
while [ $# -gt 0 ] && [[ "$1" == -D* ]]; do extra+=("$1"); shift; done
# release builds the Dockerfile's own build type (read from it, so the two cannot drift apart and
# an image build cannot break unseen); our scripts add warnings-as-errors, the Dockerfile does not.
docker_build_type="$(sed -n 's/.*-DCMAKE_BUILD_TYPE=\([A-Za-z]*\).*/\1/p' "$root/Dockerfile" | head -n 1)"
if [ -z "$docker_build_type" ]; then
  echo "build.sh: no -DCMAKE_BUILD_TYPE in the Dockerfile" >&2
  exit 2
fi
case "$flavour" in
  # asan builds in unity batches (half the compile time: the Boost headers are parsed once a
  # batch, not once a file); release compiles every file of the service alone, as the Dockerfile
  # and users do, so a file missing an include still fails there, and only its test suites in
  # batches.
  release) args=(-DCMAKE_BUILD_TYPE="$docker_build_type" -DOMS_WERROR=ON -DOMS_UNITY_TESTS=ON) ;;
  # -g1: line tables and function names, all a sanitizer report prints (-g's full debug info
  # made a batch take 11 % longer to compile).
  # One ctest test per suite executable, not per case: a sanitizer binary's start and exit cost
  # ~0.3 s of CPU each.
  asan) args=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DOMS_SANITIZE=ON -DOMS_WERROR=ON
              -DOMS_TOOLING_TESTS=OFF -DCMAKE_UNITY_BUILD=ON -DOMS_TEST_PER_CASE=OFF) ;;
  *) echo "usage: scripts/build.sh release|asan" >&2; exit 2 ;;
esac
jobs="${OMS_BUILD_JOBS:-$(nproc)}"
# ccache, when the machine has it, makes rebuilds of unchanged files (other checkouts too) free.
if command -v ccache >/dev/null 2>&1; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR=1
fi
cmake -S "$root" -B "$root/build/$flavour" -G Ninja "${args[@]}" "${extra[@]}" >/dev/null
ninja -C "$root/build/$flavour" -j "$jobs" "$@"
