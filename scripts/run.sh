#!/usr/bin/env bash
# The embedded default on one machine, no setup: installs what is missing, builds, migrates,
# loads the demo catalog and customers, prints development tokens, serves on 127.0.0.1:8000.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh release
oms=build/release/oms
data="${OMS_DATA_DIR:-$root/data}"
mkdir -p "$data"
"$oms" migrate --data-dir "$data"
"$oms" seed --data-dir "$data"
echo
echo "Development tokens (valid 12 hours):"
for who in "SALES_MANAGER sm-1 Sam_Seller" "SALES_MANAGER sm-2 Sue_Second" "ADMIN admin-1 Ada_Admin" \
           "SOLUTION_ARCHITECT sa-1 Sol_Architect" "SERVICE matching-service Matching_Service"; do
  set -- $who
  name="${3//_/ }"
  printf '  %-18s %s\n  export OMS_TOKEN_%s=%s\n' "$1" "($2)" "$(echo "$2" | tr 'a-z-' 'A-Z_')" \
    "$("$oms" token --data-dir "$data" --role "$1" --sub "$2" --name "$name" --email "$2@example.com" --ttl 43200)"
done
echo
echo "Open http://127.0.0.1:8000/ (sign in as a demo user) and http://127.0.0.1:8000/docs (the API reference)."
echo "Try: curl -H \"Authorization: Bearer \$OMS_TOKEN_SM_1\" http://127.0.0.1:8000/api/v1/skills"
exec "$oms" serve --data-dir "$data"
