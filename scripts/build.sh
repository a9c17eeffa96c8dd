#!/usr/bin/env bash
# Configures and builds Vigil into a folder (default build/). Extra
# arguments go to CMake, e.g. scripts/build.sh build-asan -DVIGIL_SANITIZE=ON
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-build}"
shift || true
cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > "$root/$dir.configure.log" 2>&1 ||
  { cat "$root/$dir.configure.log"; exit 1; }
cmake --build "$root/$dir" -j "$(nproc)"
