#!/usr/bin/env bash
# Installs what is missing, builds the `release` configuration into
# build/release and runs the point-of-sale demo (examples/pos_offline_sync.cpp):
# against the fake Odoo, or the server ODOOLINK_URL names. Arguments are
# passed to the demo.
# JOBS sets the build parallelism (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

cmake --preset release
if ! cmake --build --preset release --target help | grep -q '^odoolink_pos_offline_sync:'; then
  echo "demo.sh: the release build has no odoolink_pos_offline_sync target (examples/pos_offline_sync.cpp)" >&2
  exit 1
fi
cmake --build --preset release --target odoolink_pos_offline_sync -j "${JOBS:-2}"

demo=build/release/examples/odoolink_pos_offline_sync
if [ ! -x "$demo" ]; then
  echo "demo.sh: $demo was not built" >&2
  exit 1
fi
exec "$demo" "$@"
