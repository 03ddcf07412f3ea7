#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages odoolink needs, only those missing.
# apt-get runs (and `apt-get update` before it) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libsimdjson-dev libboost-dev libcurl4-openssl-dev libssl-dev libexpat1-dev
  doctest-dev libbenchmark-dev nlohmann-json3-dev
  clang libclang-rt-14-dev  # the fuzz preset: libFuzzer and the sanitizer runtimes
  libsqlite3-dev libpq-dev postgresql
  python3-venv  # scripts/conan-create.sh installs Conan 2 into a venv
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: not a Debian-based system; install the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
as_root=(env DEBIAN_FRONTEND=noninteractive)
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  as_root=(sudo "${as_root[@]}")
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
