#!/usr/bin/env bash
# Makes the Debian package with cpack (into a temporary folder), checks what
# it holds and the dependencies it declares, unpacks it with dpkg-deb -x into
# a temporary root and runs the demo job from there: the packaged CLI finds
# the packaged plugins, rule packs and demo data, and nothing outside the root.
set -euo pipefail
build_dir="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$build_dir" && cpack -G DEB --config CPackConfig.cmake -B "$work/out") > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb="$(ls "$work"/out/vigil_*.deb)"
info="$(dpkg-deb --info "$deb")"
grep -E "^ (Package|Version|Depends):" <<< "$info"
for dependency in adduser libsqlite3-0 liblua5.4-0 libssl3 libspdlog libfmt libtomlplusplus; do
  grep -q "^ Depends:.*$dependency" <<< "$info" || { echo "the package does not depend on $dependency"; exit 1; }
done

dpkg-deb --contents "$deb" > "$work/contents"
for file in bin/vigil lib/vigil/plugins/libvigil_csv.so lib/vigil/plugins/libvigil_gias.so \
            share/vigil/rules/schools/pack.lua share/vigil/demo/demo.toml share/vigil/demo/data/kpis.csv \
            include/vigil/plugin.h include/vigil/fake_host.hpp lib/cmake/vigil/vigil-config.cmake \
            share/vigil/template/template_source.cc share/vigil/template/template_test.cc \
            lib/systemd/system/vigil-scheduler.service lib/systemd/system/vigil-demo.timer; do
  grep -q "/$file\$" "$work/contents" || { echo "the package lacks $file"; exit 1; }
done

dpkg-deb -x "$deb" "$work/root"
vigil="$(find "$work/root" -path '*/bin/vigil' -type f)"
prefix="$(dirname "$(dirname "$vigil")")"
# The units run the binary where the package puts it.
grep -q "^ExecStart=${prefix#"$work/root"}/bin/vigil run " "$prefix/lib/systemd/system/vigil-demo.service" ||
  { echo "vigil-demo.service does not run ${prefix#"$work/root"}/bin/vigil"; exit 1; }

listing="$(cd "$work" && env -u VIGIL_PLUGIN_PATH "$vigil" plugins)"
grep -q "^gias .* $prefix/lib/vigil/plugins/libvigil_gias.so\$" <<< "$listing" ||
  { echo "the packaged CLI did not find the packaged plugins:"; echo "$listing"; exit 1; }

run="$(cd "$work" && env -u VIGIL_PLUGIN_PATH "$vigil" run "$prefix/share/vigil/demo/demo.toml" \
        --store "$work/demo.sqlite" --out "$work/reports" 2>&1)" || { echo "$run"; exit 1; }
echo "$run"
grep -q "schools: 444 schools, 25 Intensive support" <<< "$run" || { echo "unexpected demo result"; exit 1; }
test -s "$work/reports/latest/report.html" || { echo "no report"; exit 1; }
echo "package test passed"
