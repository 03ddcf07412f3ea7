#!/usr/bin/env bash
# Makes sure a local PostgreSQL server runs and has the test role and
# database, then prints the libpq conninfo the tests use (ODOOLINK_TEST_PG).
# Uses the Debian cluster (pg_lsclusters / pg_ctlcluster): the packages
# come from scripts/install-deps.sh. Exits non-zero when it cannot.
set -euo pipefail

role=odoolink_test
database=odoolink_test
password=odoolink_test

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "start-postgres: pg_lsclusters not found (install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@";
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@";
  else sudo -u postgres "$@"; fi
}

read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${version:-}" ]; then
  major="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
  as_root=(); [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  "${as_root[@]}" pg_createcluster "$major" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$status" != online ]; then
  as_root=(); [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  "${as_root[@]}" pg_ctlcluster "$version" "$cluster" start >&2
fi
for _ in $(seq 1 30); do
  as_postgres psql -p "$port" -qAtc "SELECT 1" >/dev/null 2>&1 && break
  sleep 1
done

as_postgres psql -p "$port" -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$password';
  END IF;
END \$\$;
SQL
if [ -z "$(as_postgres psql -p "$port" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
  as_postgres createdb -p "$port" -O "$role" "$database"
fi
echo "host=127.0.0.1 port=$port dbname=$database user=$role password=$password"
