#!/usr/bin/env bash
# Concurrency test of the command line on one SQLite file (issue 8, "Done when"):
#   1. eight processes run `jcm init` on one new file at once: all succeed, no INTERNAL error;
#   2. several processes write (transfers both ways, organisation registrations, account opens,
#      and the executions of the data set's pending JC decisions) while `jcm audit verify` runs
#      in a loop on the same file: no audit reports a violation (the audit reads one snapshot),
#      every execution succeeds once, and the final audit passes;
#   3. `registry summary` then counts no unit both as issued and as pending.
# Usage: concurrent_audit_test.sh PATH_TO_JCM      (JCM_CONCURRENT_ROUNDS: writes per writer, 20)
# With JCM_TEST_DB set to the URI of an empty PostgreSQL database (tests/postgres), the same
# processes write that database instead of a new SQLite file.
set -euo pipefail
jcm="$1"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${JCM_CONCURRENT_ROUNDS:-20}
work=$(mktemp -d)
# On any exit the writers still running are stopped (by their job ids) before the file goes.
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
db=${JCM_TEST_DB:-$work/registry.db}
source "$(dirname "$0")/lib.sh"

# 1. Racing creations of one new registry.
for i in 1 2 3 4 5 6 7 8; do
  ("$jcm" init --db "$db" --registries JP,MN >"$work/init.$i" 2>&1; echo $? >"$work/init.$i.rc") &
done
wait
for i in 1 2 3 4 5 6 7 8; do
  [ "$(cat "$work/init.$i.rc")" = 0 ] || fail "init $i exited $(cat "$work/init.$i.rc"): $(cat "$work/init.$i")"
done
[ "$("$jcm" init --db "$db" --registries JP,MN --json | field '["initialised"]')" = "[]" ] ||
  fail "the racing inits left a registry uninitialised"
out=$("$jcm" audit verify --db "$db" --json) || fail "audit after the racing inits: $out"

# 2. A registry with units and pending JC decisions (the public data set leaves three on MN's
# side: MN001, MN002 and MN006), then writers and an auditor at once.
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null 2>&1
alice=$("$jcm" account open --db "$db" --registry MN --holder-name "Alice LLC" --json |
  field '["account"]["id"]')
bob=$("$jcm" account open --db "$db" --registry MN --holder-name "Bob Solar" --json |
  field '["account"]["id"]')
"$jcm" issue --db "$db" --registry MN --decision "MN006:2019-07-06..2020-12-31@2026-01-24" \
  --to "$alice:3000" --to "$bob:3000" --json >/dev/null
pending_before=$("$jcm" registry summary --db "$db" --registry MN --json |
  field '["pending_issuance_tco2e"]')
[ "$pending_before" = $((29 + 66 + 63)) ] || fail "pending before: $pending_before"

writer() {  # writer NAME COMMAND…: runs COMMAND with {} replaced by the round; logs failures
  local name="$1" i out
  shift
  for ((i = 1; i <= rounds; i++)); do
    out=$("${@//\{\}/$i}" --json 2>&1) || echo "$name $i: $out" >>"$work/failures"
  done
}
: >"$work/failures"
writer alice-to-bob "$jcm" transfer --db "$db" --from "$alice" --to "$bob" --quantity 3 &
w1=$!
writer bob-to-alice "$jcm" transfer --db "$db" --from "$bob" --to "$alice" --quantity 2 &
w2=$!
writer orgs "$jcm" org register --db "$db" --id "org-{}" --name "Organisation {}" --country JP &
w3=$!
(
  for project in MN001 MN002; do
    out=$("$jcm" issuance execute --db "$db" --project "$project" --period 2018-09-15..2020-12-31 \
      --registry MN --date 2026-11-01 --json 2>&1) ||
      echo "execute $project: $out" >>"$work/failures"
  done
  writer accounts "$jcm" account open --db "$db" --registry MN --holder-name "Holder {}"
) &
w4=$!

audits=0
writers_running() { kill -0 "$w1" 2>/dev/null || kill -0 "$w2" 2>/dev/null ||
  kill -0 "$w3" 2>/dev/null || kill -0 "$w4" 2>/dev/null; }
while writers_running; do
  status=0
  out=$("$jcm" audit verify --db "$db" --json 2>&1) || status=$?
  [ $status -eq 0 ] || fail "audit run $((audits + 1)) during the writes exited $status: $out"
  audits=$((audits + 1))
done
for job in "$w1" "$w2" "$w3" "$w4"; do wait "$job"; done
[ ! -s "$work/failures" ] || fail "writes failed: $(cat "$work/failures")"
[ "$audits" -ge 3 ] || fail "only $audits audits ran during the writes"

out=$("$jcm" audit verify --db "$db" --json) || fail "final audit: $out"
[ "$(echo "$out" | field '["ok"]')" = True ] || fail "final audit: $out"

# 3. The executed decisions are issued and no longer pending; only MN006's rest is.
summary=$("$jcm" registry summary --db "$db" --registry MN --json)
[ "$(echo "$summary" | field '["pending_issuance_tco2e"]')" = 63 ] || fail "summary: $summary"
echo "ok: $audits audits during $((4 * rounds + 2)) concurrent writes, none reported a violation"
