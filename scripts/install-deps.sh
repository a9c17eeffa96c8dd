#!/usr/bin/env bash
# Installs the Debian 12 packages Vigil needs, only those missing; safe to
# run again. Uses sudo when not root. Set VIGIL_EXTRA_PACKAGES to add more.
set -euo pipefail

packages=(
  g++ cmake make pkg-config          # the toolchain
  liblua5.4-dev                      # the rule language (C++ build: lua5.4-c++)
  libsqlite3-dev                     # the store
  libboost-dev                       # Boost.DLL (header-only) for loading plugins
  libspdlog-dev libfmt-dev           # logging and formatting
  libtomlplusplus-dev                # job files
  libcli11-dev                       # the command line
  nlohmann-json3-dev                 # JSON reports and stored attributes
  libssl-dev                         # SHA-256 of inputs, rules and outputs
  libzip-dev libexpat1-dev           # .xlsx workbooks (the csv plugin): the zip archive and its XML
  libgtest-dev                       # the test suite
  libbenchmark-dev                   # the benchmarks (bench/)
)
# shellcheck disable=SC2206
packages+=(${VIGIL_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
