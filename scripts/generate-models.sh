#!/bin/sh
# Regenerates include/odoolink/models from the recorded fields_get dumps of
# each Odoo series (tests/fixtures/odoo<NN>/fields):
#   include/odoolink/models/v<NN>/<model>.hpp   models::v<NN>::<model>
#   include/odoolink/models/<model>.hpp         models::<model>, Odoo 18's (an inline namespace)
# Usage: scripts/generate-models.sh <path to the odoolink CLI>
set -eu
cli=${1:?usage: scripts/generate-models.sh <odoolink CLI>}
root=$(cd "$(dirname "$0")/.." && pwd)
default=18
for series in 16 17 18 19; do
  out="$root/include/odoolink/models/v$series"
  mkdir -p "$out"
  rm -f "$out"/*.hpp
  extra=""
  if [ "$series" = "$default" ]; then extra="--default-series"; fi
  "$cli" codegen --series "$series" $extra --out "$out" "$root/tests/fixtures/odoo$series/fields"/*.json
done
rm -f "$root/include/odoolink/models"/*.hpp
for header in "$root/include/odoolink/models/v$default"/*.hpp; do
  name=$(basename "$header")
  cat > "$root/include/odoolink/models/$name" <<HEADER
#pragma once
/// @file
/// \`models::${name%.hpp}\`: the Odoo $default model (\`models::v$default\` is an inline namespace).
/// Other series: odoolink/models/v<series>/$name.
#include "odoolink/models/v$default/$name"
HEADER
done
