#!/usr/bin/env bash
# Runs Vigil's benchmarks: installs what is missing, builds an optimised tree
# (build-bench/), generates England-scale data (S, M, L) outside the source
# tree, and prints a table of rates and ratios against baselines measured in
# the same run. Not part of the test suite.
#
# Usage: bench/run.sh [--sizes S,M,L] [benchmark flags]
#   VIGIL_BENCH_DATA: where the data goes (default ${TMPDIR:-/tmp}/vigil-bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${VIGIL_BENCH_DATA:-${TMPDIR:-/tmp}/vigil-bench}"
sizes="S,M,L"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" build-bench -DCMAKE_BUILD_TYPE=Release -DVIGIL_BUILD_TESTS=OFF >/dev/null
case "$data" in "$root"/*) echo "VIGIL_BENCH_DATA must be outside the source tree" >&2; exit 2 ;; esac

for size in ${sizes//,/ }; do
  # The generator is deterministic and fast (seconds at L): always regenerate,
  # so the data matches this checkout.
  "$root/build-bench/vigil_england_generator" "$size" "$data/$size"
  sed "s|@RULES@|$root/rules|" "$root/bench/england.toml.in" > "$data/$size/england.toml"
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p')"
"$root/build-bench/vigil_bench" --data "$data" --sizes "$sizes" ${args[@]+"${args[@]}"}
