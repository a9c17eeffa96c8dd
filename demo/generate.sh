#!/bin/sh
# Rebuilds the demo data generator on its own (standard library only) and regenerates
# demo/data/. The output is deterministic: running it twice gives the same bytes.
# Usage: demo/generate.sh [BUILD_DIR]   (default: build-demo at the repository root)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-"$root/build-demo"}
cmake -S "$here/generator" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 >/dev/null
"$build/vigil_demo_generator" "$here/data"
