#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build,
# run every test; then the same suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer. The last lines are ctest's summary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" build -DVIGIL_BUILD_TESTS=ON
(cd "$root/build" && ctest --output-on-failure -j "$(nproc)")
"$root/scripts/build.sh" build-asan -DVIGIL_BUILD_TESTS=ON -DVIGIL_SANITIZE=ON
cd "$root/build-asan"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$(nproc)"
