#!/usr/bin/env bash
# Installs odoolink through vcpkg from this checkout and builds a consumer
# with vcpkg's toolchain file, the way a vcpkg user gets the library.
#
#   VCPKG_ROOT=<vcpkg ports tree with a built vcpkg binary> scripts/vcpkg-check.sh
#
# Needs VCPKG_ROOT: a clone of the vcpkg ports tree (scripts/, triplets/,
# ports/) whose `vcpkg` executable has been built or bootstrapped. Without it
# the script says why and exits 0: nothing is downloaded or built.
#
# Steps, in a scratch folder (VCPKG_CHECK_DIR, default build/vcpkg-check):
#  1. vcpkg install "odoolink[curl,xmlrpc,postgres]" in classic mode, with
#     ports/odoolink as an overlay port building this checkout
#     (ODOOLINK_SOURCE_DIR). Its dependencies come from ports/system, overlay
#     ports that install nothing and defer to the system's packages
#     (scripts/install-deps.sh), unless VCPKG_CHECK_DEPS=vcpkg asks for
#     vcpkg's own ports (which download their sources). vcpkg-cmake and
#     vcpkg-cmake-config come from the ports tree.
#  2. The installed package config must report the requested features.
#  3. tests/packaging/consumer is configured with
#     -DCMAKE_TOOLCHAIN_FILE=$VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake,
#     built, and its two programs run (a JSON round trip, and one call through
#     the client to the fake Odoo of odoolink::testing).
#
# The triplet is <arch>-linux-release (release builds only; VCPKG_CHECK_TRIPLET
# overrides it). vcpkg runs with the system's cmake and ninja
# (VCPKG_FORCE_SYSTEM_BINARIES), no metrics, and no binary cache, so the
# package is always built from the checkout. JOBS sets the parallelism
# (default 2). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"

if [ -z "${VCPKG_ROOT:-}" ]; then
  echo "vcpkg-check: SKIPPED: VCPKG_ROOT is not set (point it at a vcpkg ports tree with a built vcpkg binary)"
  exit 0
fi
vcpkg="$VCPKG_ROOT/vcpkg"
if [ ! -x "$vcpkg" ]; then
  echo "vcpkg-check: SKIPPED: $vcpkg does not exist or is not executable (build or bootstrap the vcpkg tool first)"
  exit 0
fi
toolchain="$VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake"
if [ ! -f "$toolchain" ]; then
  echo "vcpkg-check: $VCPKG_ROOT is not a vcpkg ports tree (no scripts/buildsystems/vcpkg.cmake)" >&2
  exit 1
fi

# With VCPKG_FORCE_SYSTEM_BINARIES vcpkg takes these from PATH; a missing one
# it would try to download. patchelf: vcpkg's Linux post-build step reads
# every installed file's RPATH with it.
missing=""
for tool in cmake ninja patchelf pkg-config; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "vcpkg-check: missing tools:$missing (Debian: apt-get install cmake ninja-build patchelf pkg-config)" >&2
  exit 1
fi

jobs="${JOBS:-2}"
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "vcpkg-check: no vcpkg triplet known for $(uname -m); set VCPKG_CHECK_TRIPLET" >&2; arch="" ;;
esac
triplet="${VCPKG_CHECK_TRIPLET:-${arch:+$arch-linux-release}}"
[ -n "$triplet" ] || exit 1
features="curl,xmlrpc,postgres"

overlays=(--overlay-ports="$repo/ports/odoolink")
case "${VCPKG_CHECK_DEPS:-system}" in
  system) overlays+=(--overlay-ports="$repo/ports/system") ;;
  vcpkg) ;;
  *) echo "vcpkg-check: VCPKG_CHECK_DEPS must be 'system' or 'vcpkg'" >&2; exit 2 ;;
esac

work="${VCPKG_CHECK_DIR:-$repo/build/vcpkg-check}"
rm -rf "$work"
mkdir -p "$work"
installed="$work/installed"

export VCPKG_FORCE_SYSTEM_BINARIES=1 VCPKG_DISABLE_METRICS=1 VCPKG_BINARY_SOURCES=clear
export VCPKG_MAX_CONCURRENCY="$jobs"
export ODOOLINK_SOURCE_DIR="$repo"
export VCPKG_KEEP_ENV_VARS="ODOOLINK_SOURCE_DIR${VCPKG_KEEP_ENV_VARS:+;$VCPKG_KEEP_ENV_VARS}"

echo "vcpkg-check: $("$vcpkg" version | head -n 1)"
echo "vcpkg-check: ports tree $VCPKG_ROOT ($(git -C "$VCPKG_ROOT" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"
echo "vcpkg-check: installing odoolink[$features] for $triplet into $installed"
# From the scratch folder: the manifest at the top of this checkout would
# otherwise switch vcpkg to manifest mode.
(cd "$work" && "$vcpkg" install "odoolink[$features]" --classic \
  --triplet="$triplet" --host-triplet="$triplet" "${overlays[@]}" \
  --x-install-root="$installed" --x-buildtrees-root="$work/buildtrees" \
  --x-packages-root="$work/packages" --downloads-root="$work/downloads")
(cd "$work" && "$vcpkg" list --classic --x-install-root="$installed" "${overlays[@]}")

config="$installed/$triplet/share/odoolink/odoolinkConfig.cmake"
for option in CURL XMLRPC POSTGRES; do
  if ! grep -Eq "^set\(odoolink_WITH_$option (ON|TRUE|1)\)" "$config"; then
    echo "vcpkg-check: FAILED: $config does not report odoolink_WITH_$option" >&2
    exit 1
  fi
done
echo "vcpkg-check: the installed package reports curl, xmlrpc and postgres"

echo "vcpkg-check: building tests/packaging/consumer with the vcpkg toolchain"
cmake -S "$repo/tests/packaging/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DVCPKG_TARGET_TRIPLET="$triplet" \
  -DVCPKG_INSTALLED_DIR="$installed" \
  -DVCPKG_MANIFEST_MODE=OFF
cmake --build "$work/consumer" -j "$jobs"
"$work/consumer/consumer"
"$work/consumer/fake_server"
echo "vcpkg-check: OK: odoolink[$features] installed by vcpkg ($triplet), consumer built with the vcpkg toolchain and run"
