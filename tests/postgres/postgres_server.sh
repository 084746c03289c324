#!/usr/bin/env bash
# A private, throwaway PostgreSQL 15 server for the tests (docs/testing.md, "PostgreSQL"):
#   postgres_server.sh start STATE_DIR   initdb + pg_ctl start on a free loopback port with fsync
#                                        on; writes STATE_DIR/uri (a superuser connection URI)
#   postgres_server.sh stop STATE_DIR    stops it (immediate) and removes its data directory
# PostgreSQL refuses to run as root: as root (CI runs `make test` as root) the server runs as
# the `postgres` user that Debian's postgresql package creates, in a data directory owned by it
# under TMPDIR; as any other user it runs as that user. CTest runs `start` as the setup and
# `stop` as the cleanup of the fixture `postgres` (tests/postgres/CMakeLists.txt).
set -euo pipefail

action=$1
state=$2
bin=${JCM_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  [ -f "$state/data_dir" ] || return 0
  data=$(cat "$state/data_dir")
  if [ -f "$data/postmaster.pid" ]; then
    as_server_user "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$(dirname "$data")"
  rm -f "$state/data_dir" "$state/uri"
}

case $action in
  start)
    mkdir -p "$state"
    stop  # a server left behind by an interrupted run
    [ -x "$bin/initdb" ] || { echo "postgres_server: no $bin/initdb (scripts/bootstrap installs postgresql-15)" >&2; exit 1; }
    root=$(mktemp -d "${TMPDIR:-/tmp}/jcm-postgres.XXXXXX")
    chmod 755 "$root"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root"; fi
    data=$root/data
    echo "$data" >"$state/data_dir"
    # initdb's own fsync of the template files is skipped (a throwaway cluster); the server
    # itself runs with fsync and synchronous_commit on, as in production.
    as_server_user "$bin/initdb" -D "$data" -U postgres --auth=trust --locale=C.UTF-8 \
      --encoding=UTF8 --no-sync >"$state/initdb.log" 2>&1 ||
      { cat "$state/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_server_user "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
      -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200" \
      start >/dev/null || { cat "$root/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/uri"
    echo "postgres_server: PostgreSQL on 127.0.0.1:$port ($data)"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: postgres_server.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
