#!/usr/bin/env bash
# Builds the Conan 2 package from this tree and runs its test_package, with
# every dependency taken from the system (conan/profiles/system-deps):
#
#   scripts/conan-create.sh [--install] [conan create options...]
#
# Runs `conan create .` once per option set: the default options, then
# `-o odoolink/*:with_postgres=True` (extra arguments go to both). Conan's
# state lives in build/conan/home, apart from the user's ~/.conan2.
#
# Conan is taken from $CONAN, else build/conan/venv, else PATH. With
# --install it is installed when missing (`pip install conan` into the venv
# build/conan/venv, which needs python3's venv module: Debian's python3-venv).
# Without conan and without --install, it says so and exits 77 (skipped).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

install=0
extra=()
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) extra+=("$arg") ;;
  esac
done

venv=build/conan/venv
conan="${CONAN:-}"
if [ -z "$conan" ]; then
  if [ -x "$venv/bin/conan" ]; then
    conan="$venv/bin/conan"
  elif command -v conan >/dev/null 2>&1; then
    conan="$(command -v conan)"
  elif [ "$install" = 1 ]; then
    echo "conan-create: installing Conan 2 with pip into $venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "conan>=2.1,<3"
    conan="$venv/bin/conan"
  else
    echo "conan-create: SKIPPED: conan not found (set CONAN, put it on PATH, or run scripts/conan-create.sh --install;"
    echo "              scripts/test.sh --full does)"
    exit 77
  fi
fi
if ! "$conan" --version | grep -q '^Conan version 2\.'; then
  echo "conan-create: $conan is not Conan 2: $("$conan" --version)" >&2
  exit 1
fi

# The profile reads the installed versions; refuse clearly when one is missing.
missing=()
for module in simdjson openssl libcurl expat sqlite3 libpq; do
  pkg-config --exists "$module" || missing+=("$module")
done
printf '#include <boost/version.hpp>\n' | "${CXX:-c++}" -E -x c++ - >/dev/null 2>&1 || missing+=(boost)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "conan-create: system packages not found: ${missing[*]} (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

export CONAN_HOME="$PWD/build/conan/home"
mkdir -p "$CONAN_HOME"
"$conan" profile detect --exist-ok >/dev/null 2>&1
profiles=(-pr:a default -pr:a conan/profiles/system-deps)
echo "conan-create: $("$conan" --version); system packages:"
"$conan" profile show "${profiles[@]}" --context host 2>/dev/null | sed -n '/^\[platform_requires\]/,/^\[/p' | sed -n 's/^\([a-z].*\/.*\)$/  \1/p'

for options in "" "-o odoolink/*:with_postgres=True"; do
  # shellcheck disable=SC2086  # an option set is split on purpose
  set -- $options
  echo
  echo "==> conan create . ${options:-(default options)}"
  # Every dependency is a system package: nothing to download.
  # test_package builds under build/conan too, not in the source tree.
  "$conan" create . "${profiles[@]}" --no-remote --build=missing \
    -c "tools.cmake.cmake_layout:test_folder=$PWD/build/conan/test_package" "$@" "${extra[@]}"
  echo "conan-create: ok: conan create . ${options:-(default options)}"
done
