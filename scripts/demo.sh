#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the
# demo job (bundled data, SQLite store, default rule packs). Safe to repeat:
# each run is recorded and gets its own report folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" build -DVIGIL_BUILD_TESTS=OFF
"$root/build/vigil" run "$root/demo/demo.toml"
