#!/usr/bin/env bash
# Starts a private PostgreSQL cluster on 127.0.0.1 for the tests (recipe: ../shared/design/ecosystem.md §5) and
# prints the URL to export as DANGJIAN_TEST_POSTGRES_URL. Usage: .ci/start-postgres.sh [port]
set -euo pipefail
PORT=${1:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGROOT="${PGROOT:-$PWD/.pg}"
PGDATA="$PGROOT/data"
if [ -f "$PGDATA/postmaster.pid" ]; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
fi
rm -rf "$PGROOT"; mkdir -p "$PGDATA"; chown -R postgres:postgres "$PGROOT"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off -c max_connections=600" start >/dev/null
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
