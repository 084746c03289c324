#!/bin/sh
# Patroni callback (`postgresql.callbacks.on_role_change` and `on_start` in patroni.yml.in):
# restarts this node's PgBouncer whenever Patroni changes the node's role or starts its
# PostgreSQL in a role (a node rejoining as a standby gets on_start), so that a PgBouncer never outlives the
# role it cached (docs/deploy.md, "PgBouncer"). Its clients are disconnected and reconnect; a
# client asking for target_session_attrs=read-write then finds the current primary, and a
# former primary rejoining as a standby is not announced as read-write with stale parameters.
#
# Usage (Patroni appends the last three): on_role_change.sh PGBOUNCER_INI ACTION ROLE SCOPE
# Runs as the user Patroni runs as, who also runs the node's PgBouncer. Before the node's
# PgBouncer is configured (a cluster's bootstrap), it does nothing.
set -eu
ini=$1
action=${2:-}
role=${3:-}
case "$action" in on_role_change | on_start) ;; *) exit 0 ;; esac
[ -f "$ini" ] || exit 0
pidfile=$(sed -n 's/^[[:space:]]*pidfile[[:space:]]*=[[:space:]]*//p' "$ini" | head -n 1)
if [ -n "$pidfile" ] && [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  # SIGTERM: PgBouncer's immediate shutdown, dropping its clients (they reconnect).
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
fi
echo "on_role_change: the node is now $role; restarting PgBouncer ($ini)" >&2
exec pgbouncer -d "$ini"
