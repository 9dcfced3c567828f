#!/usr/bin/env bash
# Configures and builds one flavour: scripts/build.sh release|asan  (into build/<flavour>).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:-release}"
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) args=(-DCMAKE_BUILD_TYPE=Debug -DOMS_SANITIZE=ON -DOMS_TOOLING_TESTS=OFF) ;;
  *) echo "usage: scripts/build.sh release|asan" >&2; exit 2 ;;
esac
jobs="${OMS_BUILD_JOBS:-$(nproc)}"
# ccache, when the machine has it, makes rebuilds of unchanged files (other checkouts too) free.
if command -v ccache >/dev/null 2>&1; then
  args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR=1
fi
cmake -S "$root" -B "$root/build/$flavour" -G Ninja "${args[@]}" >/dev/null
ninja -C "$root/build/$flavour" -j "$jobs"
