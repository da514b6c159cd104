#!/usr/bin/env bash
# Prints the admin connection URL the test suites use, after making sure a PostgreSQL server is up.
# MEDIABIT_TEST_PG_URL wins. Otherwise postgres@127.0.0.1 is tried without a password (trust auth, as on CI
# images); where TCP needs a password (a stock Debian install), a `mediabit_test` role that may create
# databases is made through the local socket as the postgres OS user, with a password kept in
# .data/test-pg-password. Port: PGPORT or 5432.
set -euo pipefail
cd "$(dirname "$0")/.."

can_connect() { PGCONNECT_TIMEOUT=5 psql -w -Atq -d "$1" -c 'SELECT 1' >/dev/null 2>&1; }

if [[ -n "${MEDIABIT_TEST_PG_URL:-}" ]]; then
  can_connect "$MEDIABIT_TEST_PG_URL" || { echo "PostgreSQL is not reachable at MEDIABIT_TEST_PG_URL" >&2; exit 1; }
  echo "$MEDIABIT_TEST_PG_URL"
  exit 0
fi

port="${PGPORT:-5432}"
trusted="postgresql://postgres@127.0.0.1:$port/postgres"
if ! pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  echo "[mediabit] starting PostgreSQL" >&2
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  done
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p "$port" || { echo "PostgreSQL is not listening on 127.0.0.1:$port" >&2; exit 1; }
fi
if can_connect "$trusted"; then
  echo "$trusted"
  exit 0
fi

# Password auth on TCP: make (or refresh) a test role through the socket, where the postgres OS user is trusted (peer).
password_file=.data/test-pg-password
mkdir -p .data
if [[ ! -s "$password_file" ]]; then
  (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$password_file")
fi
password="$(cat "$password_file")"
as_postgres=(runuser -u postgres --)
[[ $(id -u) -eq 0 ]] || as_postgres=(sudo -u postgres)
echo "[mediabit] creating the PostgreSQL role mediabit_test for the tests (TCP needs a password here)" >&2
(cd / && "${as_postgres[@]}" psql -q -p "$port" -d postgres -v ON_ERROR_STOP=1 -v password="$password" >/dev/null) <<'SQL'
SELECT 'CREATE ROLE mediabit_test LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mediabit_test') \gexec
ALTER ROLE mediabit_test WITH LOGIN CREATEDB PASSWORD :'password';
SQL
url="postgresql://mediabit_test:$password@127.0.0.1:$port/postgres"
can_connect "$url" || { echo "PostgreSQL refused the mediabit_test role on 127.0.0.1:$port (check pg_hba.conf)" >&2; exit 1; }
echo "$url"
