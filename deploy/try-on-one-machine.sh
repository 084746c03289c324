#!/usr/bin/env bash
# Brings the production layout of docs/deploy.md up on this one machine, for trying it:
#   deploy/try-on-one-machine.sh up [JCM]   install the packages (apt-get, as root), start one
#                                           etcd member, two Patroni-managed PostgreSQL 15 nodes
#                                           (a primary and a synchronous standby), a PgBouncer in
#                                           front of each, create the jcm role and database,
#                                           `jcm init` through PgBouncer and print the URIs
#   deploy/try-on-one-machine.sh failover   kill -9 the leader's Patroni, postmaster and
#                                           PgBouncer (the node lost) and wait until Patroni
#                                           has promoted the other node
#   deploy/try-on-one-machine.sh rejoin     start the lost node's Patroni again: it rejoins as a
#                                           standby and its on_start callback starts its
#                                           PgBouncer
#   deploy/try-on-one-machine.sh status     patronictl list
#   deploy/try-on-one-machine.sh down       stop everything and remove the state directory
# State (data, configs, logs, passwords) lives in $JCM_DEPLOY_STATE (default
# /var/tmp/jcm-deploy), owned by the postgres user. Everything listens on 127.0.0.1 only:
# etcd 23790, Patroni REST 8018/8019, PostgreSQL 5442/5443, PgBouncer 6442/6443.
# The packages are NOT in scripts/bootstrap: `make test` does not need them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
state=${JCM_DEPLOY_STATE:-/var/tmp/jcm-deploy}
action=${1:-up}
jcm=${2:-jcm}
host=127.0.0.1
etcd_client_port=23790
etcd_peer_port=23800
nodes=(node1 node2)
declare -A pg_port=([node1]=5442 [node2]=5443) rest_port=([node1]=8018 [node2]=8019)
declare -A bouncer_port=([node1]=6442 [node2]=6443)

as_postgres() { runuser -u postgres -- "$@"; }
secret() { [ -s "$state/$1" ] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$state/$1"; cat "$state/$1"; }

fill() {  # fill TEMPLATE NODE > FILE: the @…@ fields of a deploy/ template for NODE
  sed -e "s|@NODE@|$2|g; s|@HOST@|$host|g; s|@CLIENT_NET@|127.0.0.1/32|g" \
    -e "s|@REST_PORT@|${rest_port[$2]:-}|g; s|@PG_PORT@|${pg_port[$2]:-}|g; s|@PG_HOST@|$host|g" \
    -e "s|@PGBOUNCER_PORT@|${bouncer_port[$2]:-}|g; s|@DATABASE@|jcm|g" \
    -e "s|@ETCD_HOSTS@|$host:$etcd_client_port|g; s|@ETCD_NAME@|etcd1|g" \
    -e "s|@ETCD_CLIENT_PORT@|$etcd_client_port|g; s|@ETCD_PEER_PORT@|$etcd_peer_port|g" \
    -e "s|@DATA_DIR@|$state/$2/data|g; s|@STATE_DIR@|$state/$2|g" \
    -e "s|@REPLICATION_USER@|replicator|g" \
    -e "s|@ROLE_CHANGE_CALLBACK@|$here/patroni/on_role_change.sh|g" \
    -e "s|@SUPERUSER_PASSWORD@|$(secret superuser.password)|g" \
    -e "s|@REPLICATION_PASSWORD@|$(secret replication.password)|g" "$1"
}

install_packages() {
  local missing=()
  for package in postgresql-15 postgresql-client-15 patroni etcd-server etcd-client pgbouncer; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The packages start their own default services; this layout runs its own instances.
  for service in etcd pgbouncer; do systemctl disable --now "$service" >/dev/null 2>&1 || true; done
}

leader() {  # the node whose Patroni says it is the primary (GET /primary answers 200)
  for node in "${nodes[@]}"; do
    if curl -sf -o /dev/null "http://$host:${rest_port[$node]}/primary"; then echo "$node"; return 0; fi
  done
  return 1
}

wait_for() {  # wait_for SECONDS WHAT COMMAND…
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "try-on-one-machine: $what did not happen within $seconds s" >&2
  return 1
}

up() {
  [ "$(id -u)" -eq 0 ] || { echo "run as root (it installs packages and runs as postgres)" >&2; exit 1; }
  install_packages
  mkdir -p "$state"
  chown postgres: "$state"
  chmod 700 "$state"
  # etcd: one member.
  fill "$here/etcd/etcd.env.in" node1 >"$state/etcd.env"
  mkdir -p "$state/node1" "$state/node2"
  chown postgres: "$state"/node1 "$state"/node2 "$state"/*.password "$state/etcd.env"
  # Each daemon writes its own process id (exec keeps it), for `failover` and `down`.
  as_postgres setsid env $(grep -v '^#' "$state/etcd.env") \
    sh -c 'echo $$ >"$0"; exec etcd' "$state/etcd.pid" >"$state/etcd.log" 2>&1 &
  wait_for 30 "etcd" curl -sf "http://$host:$etcd_client_port/health"
  # Patroni: node1 bootstraps the cluster, node2 clones it and becomes the synchronous standby.
  for node in "${nodes[@]}"; do
    fill "$here/patroni/patroni.yml.in" "$node" >"$state/$node/patroni.yml"
    chown postgres: "$state/$node/patroni.yml"
    chmod 600 "$state/$node/patroni.yml"
    as_postgres setsid sh -c 'echo $$ >"$0"; exec patroni "$1"' "$state/$node/patroni.pid" \
      "$state/$node/patroni.yml" >"$state/$node/patroni.log" 2>&1 &
    [ "$node" = node1 ] && wait_for 90 "node1 becoming the primary" \
      curl -sf "http://$host:${rest_port[node1]}/primary"
  done
  wait_for 120 "node2 becoming the synchronous standby" \
    curl -sf "http://$host:${rest_port[node2]}/synchronous"
  # The application's role and database, on the primary.
  local password
  password=$(secret jcm.password)
  PGPASSWORD=$(secret superuser.password) psql -q -h $host -p "${pg_port[node1]}" -U postgres \
    -d postgres -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jcm') THEN
    CREATE ROLE jcm LOGIN PASSWORD '$password';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE jcm OWNER jcm' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'jcm')
\gexec
SQL
  # PgBouncer in front of each node (session pooling, deploy/pgbouncer/pgbouncer.ini.in).
  for node in "${nodes[@]}"; do
    fill "$here/pgbouncer/pgbouncer.ini.in" "$node" >"$state/$node/pgbouncer.ini"
    echo "\"jcm\" \"$password\"" >"$state/$node/userlist.txt"
    chown postgres: "$state/$node/pgbouncer.ini" "$state/$node/userlist.txt"
    chmod 600 "$state/$node/userlist.txt"
    as_postgres pgbouncer -d "$state/$node/pgbouncer.ini"
  done
  local uri="postgresql://jcm:$password@$host:${bouncer_port[node1]},$host:${bouncer_port[node2]}/jcm"
  echo "$uri?target_session_attrs=read-write&connect_timeout=3" >"$state/write.uri"
  echo "$uri?target_session_attrs=prefer-standby&connect_timeout=3" >"$state/read.uri"
  chmod 600 "$state/write.uri" "$state/read.uri"
  if command -v "$jcm" >/dev/null 2>&1; then
    "$jcm" init --db "$(cat "$state/write.uri")" --registries JP,MN
  fi
  echo "writes:       jcm … --db \"\$(cat $state/write.uri)\""
  echo "public reads: jcm serve --db \"\$(cat $state/write.uri)\" --read-db \"\$(cat $state/read.uri)\" --log-key KEY"
  status
}

failover() {
  local old new
  old=$(leader) || { echo "no primary now" >&2; exit 1; }
  # The loss of the node: its Patroni, its PostgreSQL and its PgBouncer at once. (Killing
  # PostgreSQL alone is no failover: the node's Patroni, still holding the leader key, restarts
  # it in place. A PgBouncer left running in front of a lost PostgreSQL holds clients until
  # query_wait_timeout: docs/deploy.md, "PgBouncer".)
  kill -KILL "$(cat "$state/$old/patroni.pid")" "$(head -1 "$state/$old/data/postmaster.pid")" \
    "$(cat "$state/$old/pgbouncer.pid")"
  echo "killed $old (Patroni, PostgreSQL, PgBouncer); waiting for its leader key to expire" \
    "(ttl 30 s) and Patroni to promote the other node"
  local other bouncer_before
  other=$( [ "$old" = node1 ] && echo node2 || echo node1 )
  bouncer_before=$(cat "$state/$other/pgbouncer.pid")
  for _ in $(seq 180); do
    new=$(leader || true)
    if [ -n "$new" ] && [ "$new" != "$old" ]; then
      echo "primary now: $new"
      # Patroni's on_role_change callback restarts the promoted node's PgBouncer.
      wait_for 20 "$new's PgBouncer restarted by on_role_change" \
        sh -c '[ "$(cat "$0")" != "$1" ] && kill -0 "$(cat "$0")"' \
        "$state/$new/pgbouncer.pid" "$bouncer_before"
      echo "$new's PgBouncer restarted by on_role_change (pid $bouncer_before -> $(cat "$state/$new/pgbouncer.pid"))"
      status
      return 0
    fi
    sleep 0.5
  done
  echo "no promotion within 90 s" >&2
  exit 1
}

rejoin() {  # start the lost node's Patroni again: it rejoins as a standby, and its on_start callback
  # starts its PgBouncer (killed with the node) for the node's new role.
  local node
  for node in "${nodes[@]}"; do
    kill -0 "$(cat "$state/$node/patroni.pid")" 2>/dev/null && continue
    rm -f "$state/$node/pgbouncer.pid"
    as_postgres setsid sh -c 'echo $$ >"$0"; exec patroni "$1"' "$state/$node/patroni.pid" \
      "$state/$node/patroni.yml" >>"$state/$node/patroni.log" 2>&1 &
    wait_for 120 "$node rejoining as a standby" curl -sf "http://$host:${rest_port[$node]}/replica"
    wait_for 20 "$node's PgBouncer started by the on_start callback" \
      sh -c 'kill -0 "$(cat "$0")"' "$state/$node/pgbouncer.pid"
    echo "$node rejoined as a standby; its PgBouncer runs again (pid $(cat "$state/$node/pgbouncer.pid"))"
  done
  status
}

status() { as_postgres patronictl -c "$state/node1/patroni.yml" list; }

down() {
  for node in "${nodes[@]}"; do
    [ -f "$state/$node/pgbouncer.pid" ] && kill "$(cat "$state/$node/pgbouncer.pid")" 2>/dev/null || true
  done
  # By the process ids the daemons recorded; Patroni stops its PostgreSQL when it gets SIGTERM
  # (a node killed by `failover` left its PostgreSQL behind: stopped here by its own pid file).
  for pid_file in "$state"/node*/patroni.pid "$state/etcd.pid"; do
    [ -f "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  done
  for node in "${nodes[@]}"; do
    [ -f "$state/$node/data/postmaster.pid" ] &&
      kill -TERM "$(head -1 "$state/$node/data/postmaster.pid")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$state"
}

case $action in
  up) up ;;
  failover) failover ;;
  rejoin) rejoin ;;
  status) status ;;
  down) down ;;
  *) echo "usage: try-on-one-machine.sh up [JCM]|failover|rejoin|status|down" >&2; exit 2 ;;
esac
