#!/usr/bin/env bash
# Fails when a tracked C++ file differs from the checked-in .clang-format style.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' | xargs clang-format --dry-run -Werror
echo "check-format: all files follow .clang-format"
