#!/usr/bin/env bash
# Install (if needed) and start a PostgreSQL server on loopback for the test suite, and print the
# URL the tests read from TEST_POSTGRES_URL. Needs root (apt-get, and to act as the postgres user).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main" || pg_createcluster "$ver" main >&2
pg_ctlcluster "$ver" main start >&2 2>/dev/null || pg_ctlcluster "$ver" main status >&2
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cameo_test') THEN
    CREATE ROLE cameo_test LOGIN CREATEDB PASSWORD 'cameo_test';
  END IF;
END$$;
SQL
echo "postgresql+psycopg://cameo_test:cameo_test@127.0.0.1:5432/postgres"
