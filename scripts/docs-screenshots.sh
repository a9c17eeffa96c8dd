#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/report-main.png, docs/report-school.png):
# runs the demo job for three periods in a temporary folder (so the main page has a
# trend across periods and changes since the previous run), then screenshots the main
# page and the page of its first school in intensive support with headless Chromium.
#   scripts/docs-screenshots.sh [path/to/vigil]      (default: build/vigil)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vigil="$(realpath "${1:-$root/build/vigil}")"
[ -x "$vigil" ] || { echo "no vigil binary at $vigil: build first (scripts/build.sh build)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/demo" "$root/rules" "$work/"
cd "$work/demo"
for as_of in 2021-11-30 2022-11-30 2023-11-30; do
  "$vigil" -q run demo.toml --as-of "$as_of" > /dev/null
done
reports="$work/out/demo/reports/latest"
# results.csv: pack,kind,key,name,category,... most serious first.
school="$(awk -F, '$1 == "schools" && $5 == "intensive" { print $3; exit }' "$reports/results.csv")"
"$root/scripts/screenshot.sh" "$reports/report.html" "$root/docs/report-main.png" 1280 2000
"$root/scripts/screenshot.sh" "$reports/schools/$school.html" "$root/docs/report-school.png" 1280 2720
