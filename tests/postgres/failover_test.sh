#!/usr/bin/env bash
# The failover test (issue 13 §3; docs/testing.md, "PostgreSQL"):
#   failover_test.sh JCM
# Starts its own two PostgreSQL 15 servers on free loopback ports with fsync on: a primary and
# a streaming-replication standby the primary waits for (synchronous_standby_names = '*',
# synchronous_commit = on), so a commit the primary acknowledges is on the standby too. Two
# writer processes then loop `jcm transfer --key K` (one each way between two accounts) through
# the multi-host URI postgresql://…:PRIMARY,…:STANDBY/…?target_session_attrs=read-write; a
# command that fails (exit 1, the server unreachable) is run again with the same key until it
# is acknowledged, and every acknowledged transaction (key, seq, hash) is recorded. Meanwhile
# the primary is killed with SIGKILL and the standby promoted (pg_ctl promote); the writers
# reconnect through the same URI. Afterwards, on the promoted server:
#   - every acknowledged transaction is in the journal with its seq and hash;
#   - each key is in exactly one journal entry, and there is no transfer entry with a key no
#     writer was acknowledged for: nothing was applied twice;
#   - the two accounts' balances are what the acknowledged transfers make them;
#   - `jcm audit verify` passes.
# Servers run as the `postgres` user when the test runs as root (as postgres_server.sh does).
# JCM_FAILOVER_ROUNDS (6): transfers acknowledged before the kill; twice as many follow it.
set -euo pipefail

jcm=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${JCM_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
rounds=${JCM_FAILOVER_ROUNDS:-6}
jcm="$jcm"
source "$root/tests/cli/lib.sh"

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

work=$(mktemp -d "${TMPDIR:-/tmp}/jcm-failover.XXXXXX")
chmod 755 "$work"
[ "$(id -u)" -ne 0 ] || chown postgres: "$work"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  for data in "$work/primary" "$work/standby"; do
    if [ -f "$data/postmaster.pid" ]; then
      as_server_user "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The primary: fsync on, replication slots for the standby, commits wait for the standby.
primary_port=$(free_port)
as_server_user "$bin/initdb" -D "$work/primary" -U postgres --auth=trust --locale=C.UTF-8 \
  --encoding=UTF8 --no-sync >"$work/initdb.log" 2>&1 || fail "initdb: $(cat "$work/initdb.log")"
cat >>"$work/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$work'
fsync = on
synchronous_commit = on
synchronous_standby_names = '*'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 100
EOF
as_server_user "$bin/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w -t 60 start \
  >/dev/null || fail "primary did not start: $(cat "$work/primary.log")"

# The standby: a base backup of the primary with -R (standby.signal and primary_conninfo),
# application_name standby1, on its own port; a hot standby (it answers reads).
standby_port=$(free_port)
as_server_user "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
  -D "$work/standby" -R -X stream -c fast >"$work/basebackup.log" 2>&1 ||
  fail "pg_basebackup: $(cat "$work/basebackup.log")"
# Once promoted it has no standby of its own: it must not wait for one (as Patroni's
# non-strict synchronous mode does, docs/deploy.md), so the copied setting is cleared here.
printf "port = %s\nsynchronous_standby_names = ''\n" "$standby_port" >>"$work/standby/postgresql.conf"
echo "primary_conninfo = 'host=127.0.0.1 port=$primary_port user=postgres application_name=standby1'" \
  >>"$work/standby/postgresql.auto.conf"
as_server_user "$bin/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w -t 60 start \
  >/dev/null || fail "standby did not start: $(cat "$work/standby.log")"

primary=postgresql://postgres@127.0.0.1:$primary_port/postgres
both="postgresql://postgres@127.0.0.1:$primary_port,127.0.0.1:$standby_port/postgres"
db="$both?target_session_attrs=read-write&connect_timeout=5"
for _ in $(seq 50); do
  state=$(psql -At "$primary" -c "SELECT sync_state FROM pg_stat_replication" 2>/dev/null || true)
  [ "$state" = sync ] && break
  sleep 0.1
done
[ "$state" = sync ] || fail "the standby is not a synchronous standby (sync_state '$state')"

# A registry with two accounts holding 3,000 units each (MN006's decision, as in the
# concurrent audit test).
"$jcm" init --db "$db" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null 2>&1
alice=$("$jcm" account open --db "$db" --registry MN --holder-name "Alice LLC" --json |
  field '["account"]["id"]')
bob=$("$jcm" account open --db "$db" --registry MN --holder-name "Bob Solar" --json |
  field '["account"]["id"]')
"$jcm" issue --db "$db" --registry MN --decision "MN006:2019-07-06..2020-12-31@2026-01-24" \
  --to "$alice:3000" --to "$bob:3000" --json >/dev/null

# jcm serve --read-db (docs/api.md, "Public reads from a standby"): the public's GETs come from
# the standby, writes and signed-in reads from the primary. With the standby's replay paused
# (its WAL still flushed, so the primary's commits do not wait), a transfer committed on the
# primary is in the journal an auditor reads, not in the one the public reads; once replay
# resumes the public sees it too. GET /api/v1/log/sth stores the head it signs (a write): it
# is served from the primary, at the primary's tree size.
standby=postgresql://postgres@127.0.0.1:$standby_port/postgres
"$jcm" user add --db "$db" --name auditor1 >/dev/null
"$jcm" user grant --db "$db" --name auditor1 --role auditor >/dev/null
token=$("$jcm" user token-issue --db "$db" --name auditor1 --json | field '["token"]')
"$jcm" log keygen --db "$db" --log-key "$work/log-key.pem" >/dev/null
"$jcm" serve --db "$db" --read-db "$standby" --log-key "$work/log-key.pem" --listen 127.0.0.1:0 \
  --json >"$work/serve.out" 2>"$work/serve.err" &
serve=$!
for _ in $(seq 100); do
  [ -s "$work/serve.out" ] && break
  sleep 0.1
done
port=$(field '["listening"]["port"]' <"$work/serve.out") || fail "serve: $(cat "$work/serve.err")"
get() {  # get PATH [TOKEN]: the body of GET PATH (fails the test on a status other than 200)
  python3 - "http://127.0.0.1:$port$1" "${2:-}" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    request.add_header("Authorization", "Bearer " + sys.argv[2])
print(urllib.request.urlopen(request).read().decode())
PY
}
psql -q "$standby" -c "SELECT pg_wal_replay_pause()" >/dev/null
out=$("$jcm" transfer --db "$db" --from "$alice" --to "$bob" --quantity 7 --key read-db-1 --json)
seq=$(echo "$out" | field '["transaction"]["id"]')
echo "read-db-1 $seq $(echo "$out" | field '["transaction"]["hash"]')" >"$work/setup.acked"
since="/api/v1/journal?since=$((seq - 1))"
[ "$(get "$since" "$token" | field '["entries"][0]["seq"]' 2>/dev/null)" = "$seq" ] ||
  fail "the auditor's GET $since (primary) lacks entry $seq: $(get "$since" "$token")"
[ "$(get "$since" | field '["entries"]')" = "[]" ] ||
  fail "the public GET $since came from the primary, not the paused standby: $(get "$since")"
[ "$(get /api/v1/log/sth | field '["tree_size"]')" = "$seq" ] ||
  fail "GET /api/v1/log/sth did not sign the primary's head: $(get /api/v1/log/sth)"
psql -q "$standby" -c "SELECT pg_wal_replay_resume()" >/dev/null
for _ in $(seq 100); do
  [ "$(get "$since" | field '["entries"]')" != "[]" ] && break
  sleep 0.1
done
[ "$(get "$since" | field '["entries"][0]["hash"]')" = \
  "$(get "$since" "$token" | field '["entries"][0]["hash"]')" ] ||
  fail "the standby's entry $seq differs after replay: $(get "$since")"
kill -TERM "$serve"
wait "$serve" || fail "jcm serve --read-db exited $?: $(cat "$work/serve.err")"

# writer NAME FROM TO: transfers 1 unit per key NAME-1, NAME-2, … until $work/stop exists;
# retries a key until it is acknowledged; logs "key seq hash" to $work/NAME.acked and each
# failed attempt to $work/NAME.retries; the key's first attempt's start and its acknowledgement's
# times follow on the acked line. A rejection (exit 3) or a bad request (2) is a failure.
writer() {
  local name=$1 from=$2 to=$3 i=0 key out status started
  : >"$work/$name.acked"
  : >"$work/$name.retries"
  while [ ! -e "$work/stop" ]; do
    i=$((i + 1))
    key=$name-$i
    started=$(date +%s.%N)
    for attempt in $(seq 200); do
      status=0
      out=$("$jcm" transfer --db "$db" --from "$from" --to "$to" --quantity 1 --key "$key" \
        --json 2>&1) || status=$?
      [ "$status" -eq 0 ] && break
      [ "$status" -eq 1 ] || { echo "$key exited $status: $out" >"$work/$name.failed"; return 1; }
      echo "$key: $out" >>"$work/$name.retries"
      sleep 0.1
    done
    [ "$status" -eq 0 ] || { echo "$key never acknowledged: $out" >"$work/$name.failed"; return 1; }
    echo "$key $(echo "$out" | field '["transaction"]["id"]') $(echo "$out" |
      field '["transaction"]["hash"]') $started $(date +%s.%N)" >>"$work/$name.acked"
  done
}
acked() { cat "$work/w1.acked" "$work/w2.acked" | wc -l; }
wait_for_acked() {  # wait_for_acked N: until the writers have N acknowledged in all (60 s)
  for _ in $(seq 600); do
    [ "$(acked)" -ge "$1" ] && return 0
    [ ! -s "$work/w1.failed" ] && [ ! -s "$work/w2.failed" ] ||
      fail "$(cat "$work"/w*.failed)"
    sleep 0.1
  done
  fail "only $(acked) of $1 transfers acknowledged"
}

writer w1 "$alice" "$bob" &
w1=$!
writer w2 "$bob" "$alice" &
w2=$!
wait_for_acked "$rounds"
before_kill=$(acked)

# SIGKILL of the primary's postmaster (its backends exit with it), then promotion.
kill -KILL "$(head -1 "$work/primary/postmaster.pid")"
killed_at=$(date +%s.%N)
as_server_user "$bin/pg_ctl" -D "$work/standby" -w -t 60 promote >/dev/null ||
  fail "promote: $(cat "$work/standby.log")"
promoted_at=$(date +%s.%N)
wait_for_acked $((before_kill + 2 * rounds))
touch "$work/stop"
wait "$w1" || fail "writer w1: $(cat "$work/w1.failed")"
wait "$w2" || fail "writer w2: $(cat "$work/w2.failed")"
[ "$(head -1 "$work/standby/postmaster.pid")" ] || fail "the promoted server stopped"

# Every acknowledged transaction is in the new primary's journal with its seq and hash.
promoted=postgresql://postgres@127.0.0.1:$standby_port/postgres
cat "$work"/*.acked | awk '{print $2 " " $3}' | sort >"$work/acked.seq"
psql -At "$promoted" -c "SELECT seq || ' ' || hash FROM journal" | sort >"$work/journal.seq"
missing=$(comm -23 "$work/acked.seq" "$work/journal.seq")
[ -z "$missing" ] || fail "acknowledged but not in the journal (seq hash): $missing"

# Each key is in exactly one entry; no transfer entry carries a key that was not acknowledged.
cat "$work"/*.acked | awk '{print $1}' | sort >"$work/acked.keys"
psql -At "$promoted" -c "SELECT substring(body FROM '(?:^|\n)key=([^\n]*)') FROM journal
  WHERE kind = 'transaction' AND body ~ '(^|\n)type=transfer(\n|$)'" | sort >"$work/journal.keys"
twice=$(uniq -d "$work/journal.keys")
[ -z "$twice" ] || fail "applied twice: $twice"
cmp -s "$work/acked.keys" "$work/journal.keys" ||
  fail "transfer keys in the journal differ from those acknowledged: $(diff "$work/acked.keys" "$work/journal.keys" | head)"

# The balances are those the acknowledged transfers make.
n1=$(wc -l <"$work/w1.acked")
n2=$(wc -l <"$work/w2.acked")
total() { "$jcm" holdings --db "$db" --account "$1" --json | field '["total"]'; }
[ "$(total "$alice")" = $((2993 - n1 + n2)) ] || fail "alice holds $(total "$alice"), not $((2993 - n1 + n2))"
[ "$(total "$bob")" = $((3007 - n2 + n1)) ] || fail "bob holds $(total "$bob"), not $((3007 - n2 + n1))"

out=$("$jcm" audit verify --db "$db" --json) || fail "audit verify after the failover: $out"
[ "$(echo "$out" | field '["ok"]')" = True ] || fail "audit verify: $out"

# The failover happened under the writers: some key was asked for before the kill and
# acknowledged after it (by the store's reconnect or by a retry with its key).
spanning=$(cat "$work/w1.acked" "$work/w2.acked" | awk -v k="$killed_at" '$4 < k && $5 > k' | wc -l)
[ "$spanning" -ge 1 ] || fail "no transfer was in flight across the kill"
retries=$(cat "$work/w1.retries" "$work/w2.retries" | wc -l)
echo "ok: $((n1 + n2)) acknowledged transfers ($before_kill before the kill) all in the promoted" \
  "server's journal, none applied twice, audit ok; $spanning in flight across the kill," \
  "$retries attempts retried;" \
  "promotion took $(python3 -c "print(round($promoted_at - $killed_at, 2))") s"
