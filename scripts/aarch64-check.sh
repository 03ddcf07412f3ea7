#!/usr/bin/env bash
# Builds odoolink and its test suite for 64-bit ARM (aarch64) on a Debian
# x86-64 machine and runs ctest under qemu-user.
#
#   scripts/aarch64-check.sh            install what is missing, build, test
#   scripts/aarch64-check.sh --no-test  build only
#
# Installs, only when missing: the cross compiler (g++-aarch64-linux-gnu),
# qemu-user, and the library's -dev packages for arm64 (after
# `dpkg --add-architecture arm64`). Two of them cannot be installed next to
# their amd64 twin, which the native build needs: libsimdjson-dev and
# libpq-dev are not "Multi-Arch: same" in Debian 12. Their arm64 .debs are
# downloaded (apt-get download) and unpacked into build/aarch64-deps, which
# the build finds through CMAKE_PREFIX_PATH; where the archive marks them
# co-installable they are installed like the others.
#
# Build: build/aarch64 (Release, cmake/aarch64-linux-gnu.cmake). JOBS sets the
# build and test parallelism (default 2). Tests that need a PostgreSQL server
# or a live Odoo skip without their ODOOLINK_TEST_* variables, as natively.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

run_tests=1
for arg in "$@"; do
  case "$arg" in
    --no-test) run_tests=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "aarch64-check: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
jobs="${JOBS:-2}"
build=build/aarch64
deps="$PWD/build/aarch64-deps"
started=$SECONDS

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "aarch64-check: needs a Debian-based system (dpkg, apt-get)" >&2
  exit 1
fi
as_root=(env DEBIAN_FRONTEND=noninteractive)
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo "${as_root[@]}")
fi
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Host tools, and the -dev packages of the target that install beside the
# host's own (Multi-Arch: same; doctest is header-only, for any arch).
host_tools=(g++-aarch64-linux-gnu qemu-user cmake ninja-build pkg-config doctest-dev)
# libc6 and libstdc++6 give qemu the arm64 loader and C++ runtime at their
# multiarch paths (see cmake/aarch64-linux-gnu.cmake).
target_libs=(libc6 libstdc++6 libboost-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev libexpat1-dev)
# Maybe not co-installable: installed when the archive allows it, else unpacked.
target_unpacked=(libsimdjson-dev libpq-dev)

updated=0
apt_update() {
  if [ "$updated" = 0 ]; then "${as_root[@]}" apt-get update; updated=1; fi
}
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "aarch64-check: adding the arm64 architecture to dpkg"
  "${as_root[@]}" dpkg --add-architecture arm64
  apt_update
fi

coinstallable() { apt-cache show "$1:arm64" 2>/dev/null | grep -qx 'Multi-Arch: same'; }
missing=()
for p in "${host_tools[@]}"; do installed "$p" || missing+=("$p"); done
for p in "${target_libs[@]}"; do installed "$p:arm64" || missing+=("$p:arm64"); done
unpack=()
for p in "${target_unpacked[@]}"; do
  if installed "$p:arm64"; then continue; fi
  [ "$updated" = 1 ] || apt-cache show "$p:arm64" >/dev/null 2>&1 || apt_update
  if coinstallable "$p" || ! installed "$p"; then
    missing+=("$p:arm64")
  else
    unpack+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "aarch64-check: installing ${missing[*]}"
  apt_update
  # --no-remove: never trade a host package for its arm64 twin.
  "${as_root[@]}" apt-get install -y --no-remove "${missing[@]}"
fi

# The unpacked ones: the -dev package and the runtime library it links to,
# at the version apt would install.
prefix_path=()
if [ "${#unpack[@]}" -gt 0 ]; then
  debs=()
  for p in "${unpack[@]}"; do
    debs+=("$p:arm64")
    # The runtime library: the -dev package's exact-version dependency.
    lib="$(apt-cache depends "$p:arm64" | sed -n 's/^ *Depends: \(lib[^ :]*\).*/\1/p' | grep -v -- '-dev$' | head -n 1)"
    [ -n "$lib" ] && debs+=("$lib:arm64")
  done
  mkdir -p "$deps/debs"
  stamp="$deps/unpacked.txt"
  wanted="$(for d in "${debs[@]}"; do apt-cache policy "$d" | sed -n "s/^ *Candidate: /$d /p"; done)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "aarch64-check: unpacking ${debs[*]} into $deps (not co-installable with the amd64 packages)"
    rm -rf "$deps/usr" "$deps/debs"/*.deb
    (cd "$deps/debs" && apt-get download "${debs[@]}")
    for f in "$deps/debs"/*.deb; do dpkg-deb -x "$f" "$deps"; done
    printf '%s' "$wanted" >"$stamp"
  fi
  prefix_path=(-DCMAKE_PREFIX_PATH="$deps/usr")
fi

printf '\n==> aarch64: configure (Release, cmake/aarch64-linux-gnu.cmake)\n'
cmake -S . -B "$build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE=Release \
  -DODOOLINK_BUILD_TESTS=ON -DODOOLINK_BUILD_EXAMPLES=ON -DODOOLINK_WITH_POSTGRES=ON \
  "${prefix_path[@]}"
printf '\n==> aarch64: build\n'
t=$SECONDS
cmake --build "$build" -j "$jobs"
build_time=$((SECONDS - t))

test_time=0
if [ "$run_tests" = 1 ]; then
  printf '\n==> aarch64: test (qemu-aarch64)\n'
  t=$SECONDS
  # Programs run some ten times slower under qemu: tests scale their
  # wall-clock waits and deadlines, and the bounds on them, by this factor
  # (tests/support/time_scale.hpp).
  ODOOLINK_TEST_TIME_SCALE="${ODOOLINK_TEST_TIME_SCALE:-10}" \
    ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 300 -E '^packaging: conan$'
  test_time=$((SECONDS - t))
fi
printf '\n==> aarch64: passed in %ds (build %ds, test %ds)\n' $((SECONDS - started)) "$build_time" "$test_time"
