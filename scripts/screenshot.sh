#!/usr/bin/env bash
# Screenshots a report page with headless Chromium (Debian package chromium):
#   scripts/screenshot.sh out/demo/reports/latest/report.html report.png [width] [height]
# The flags keep Chromium from reaching the network: the page needs none.
set -euo pipefail
page="$(realpath "$1")"
png="$(realpath -m "$2")"
width="${3:-1280}"
height="${4:-2400}"
chromium="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$chromium" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$width,$height" --screenshot="$png" "file://$page" \
  > /dev/null 2>&1
test -s "$png"
echo "$png"
