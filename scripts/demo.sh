#!/usr/bin/env bash
# Installs what is missing, builds the `release` configuration into
# build/release and runs the demo program. Arguments are passed to the demo.
# JOBS sets the build parallelism (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

cmake --preset release
if ! cmake --build --preset release --target help | grep -q '^odoolink_demo:'; then
  echo "demo.sh: the release build has no odoolink_demo target (examples/demo.cpp)" >&2
  exit 1
fi
cmake --build --preset release --target odoolink_demo -j "${JOBS:-2}"

demo=build/release/examples/odoolink_demo
if [ ! -x "$demo" ]; then
  echo "demo.sh: $demo was not built" >&2
  exit 1
fi
exec "$demo" "$@"
