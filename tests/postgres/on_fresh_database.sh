#!/usr/bin/env bash
# Runs a test script against a new, empty database of the fixture's PostgreSQL server:
#   on_fresh_database.sh STATE_DIR NAME COMMAND [ARG…]
# drops and creates database NAME on the server whose URI STATE_DIR/uri holds
# (tests/postgres/postgres_server.sh) and runs COMMAND with JCM_TEST_DB set to its URI, the
# variable the shell tests read instead of making an SQLite file.
set -euo pipefail
state=$1
name=$2
shift 2
admin=$(cat "$state/uri")
psql -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
  -c "CREATE DATABASE $name" >/dev/null
JCM_TEST_DB="${admin%/*}/$name" exec "$@"
