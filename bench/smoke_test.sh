#!/bin/sh
# The benchmark data stays what the benchmarks need: a small England-shaped set
# is byte-identical when generated twice, and goes through the real plugins and
# the schools pack with every row accepted.
# Usage: smoke_test.sh GENERATOR VIGIL SOURCE_ROOT
set -eu
generator=$1 vigil=$2 root=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$generator" 120 "$dir/a" >/dev/null
"$generator" 120 "$dir/b" >/dev/null
diff -r "$dir/a" "$dir/b"
sed "s|@RULES@|$root/rules|" "$root/bench/england.toml.in" > "$dir/a/england.toml"
output=$("$vigil" run "$dir/a/england.toml" 2>&1) || { echo "$output"; exit 1; }
echo "$output"
echo "$output" | grep -q "succeeded"
if echo "$output" | grep -q "rejected"; then exit 1; fi
