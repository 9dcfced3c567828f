#!/usr/bin/env bash
# The one place that installs. Idempotent: installs only what is missing.
# Debian 12 packages for the service and its tests; npm packages for infra/ and tooling
# come from lockfiles (npm ci) in their own folders.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang-14 libclang-rt-14-dev clang-format clang-tidy-14
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libhiredis-dev libsqlite3-dev libssl-dev libfmt-dev libspdlog-dev libmimalloc-dev
  libgtest-dev libgmock-dev
  postgresql postgresql-contrib redis-server pgbouncer
  python3 python3-pytest python3-requests python3-jsonschema python3-yaml python3-jwt python3-cryptography
  python3-boto3 awscli python3-pyflakes
  curl procps wrk
  haproxy bubblewrap openssl
  chromium
)
# bench/ only, not the build of oms nor its tests (so not in the Dockerfile): the limit beside
# oms, the micro-benchmarks (-DOMS_BENCH=ON), profiling.
packages+=(nginx libbenchmark-dev linux-perf valgrind)
# Node.js: the machine image may ship its own (which conflicts with Debian's npm); take Debian's only if none.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq -o DPkg::Lock::Timeout=600
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# npm dependencies, from lockfiles, for every folder that has one.
root="$(cd "$(dirname "$0")/.." && pwd)"
for dir in "$root/tools/web" "$root/infra" "$root/tests/web" "$root/tests/s3rver"; do
  if [ -f "$dir/package-lock.json" ]; then
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "setup: npm ci in ${dir#$root/}"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done
