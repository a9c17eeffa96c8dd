#!/usr/bin/env bash
# Installs Vigil into a temporary prefix, builds the installed template plugin
# out of tree against the installed SDK (find_package(vigil)), runs its unit
# tests (the SDK's fake host under GoogleTest), and checks that the installed
# CLI finds both its own plugins and the template on VIGIL_PLUGIN_PATH.
set -euo pipefail
build_dir="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
test -x "$work/prefix/bin/vigil" || { echo "no installed CLI"; exit 1; }
test -f "$work/prefix/include/vigil/plugin.h" || { echo "no installed SDK header"; exit 1; }
test -f "$work/prefix/share/vigil/rules/schools/pack.lua" || { echo "no installed rule pack"; exit 1; }

test -f "$work/prefix/include/vigil/fake_host.hpp" || { echo "no installed SDK test harness"; exit 1; }
test -f "$work/prefix/share/vigil/template/template_test.cc" || { echo "no installed template plugin"; exit 1; }

# As the README says: copy the installed template, build it, run its tests.
cp -r "$work/prefix/share/vigil/template" "$work/my_plugin"
cmake -S "$work/my_plugin" -B "$work/my_plugin/build" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/my_plugin/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
test -x "$work/my_plugin/build/vigil_template_test" || { echo "the template's test was not built"; exit 1; }
ctest --test-dir "$work/my_plugin/build" --output-on-failure > "$work/ctest.log" 2>&1 ||
  { cat "$work/ctest.log"; exit 1; }
grep -q "100% tests passed" "$work/ctest.log" || { cat "$work/ctest.log"; exit 1; }

listing="$(VIGIL_PLUGIN_PATH="$work/my_plugin/build" "$work/prefix/bin/vigil" plugins)"
echo "$listing"
grep -q "^template " <<< "$listing" || { echo "the template plugin was not found"; exit 1; }
grep -q "^csv " <<< "$listing" || { echo "the installed csv plugin was not found"; exit 1; }
"$work/prefix/bin/vigil" rules check "$work/prefix/share/vigil/rules/schools" > /dev/null
echo "install test passed"
