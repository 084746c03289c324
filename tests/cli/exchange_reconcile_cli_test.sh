#!/usr/bin/env bash
# End-to-end test of `jcm exchange snapshot|reconcile|resolve` (docs/cli.md, "Transfers between
# registries"; docs/exchange.md, "Reconciliation") on two real SQLite registries, JP and MN, each
# with its own Ed25519 exchange key beside its database and the other configured as its peer:
# consistent at first (from MN's snapshot file and from MN's database); a tampered snapshot, one
# for another registry and one from a registry that is no peer are refused (846, 800) and journal
# nothing; a snapshot signed by MN's key that says MN sent JP 25 units JP never received is an
# inconsistency the report names (totals and trail, exit 4, journaled) that freezes transfers with
# MN until `resolve` (847 when none is open); then consistent again. Both audits pass.
# Usage: exchange_reconcile_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
jp="$work/jp.db"
mn="$work/mn.db"

"$jcm" init --db "$jp" --registries JP >/dev/null
"$jcm" init --db "$mn" --registries MN >/dev/null
public_hex() { openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n'; }
for db in "$jp" "$mn"; do openssl genpkey -algorithm ed25519 -out "$db.exchange-key.pem" 2>/dev/null; done
"$jcm" exchange peer add --db "$jp" --code MN --url http://127.0.0.1:1/mn \
  --public-key "$(public_hex "$mn.exchange-key.pem")" >/dev/null
"$jcm" exchange peer add --db "$mn" --code JP --url http://127.0.0.1:1/jp \
  --public-key "$(public_hex "$jp.exchange-key.pem")" >/dev/null
journal_size() { "$jcm" audit verify --db "$jp" --json | field '["entries"]'; }

# Consistent at first, from a snapshot file and from the peer's database.
expect_rejection 0 - "$jcm" exchange snapshot --db "$mn" --peer JP --out "$work/mn.snap"
[ "$(echo "$out" | field '["registry"]')" = MN ] && [ "$(echo "$out" | field '["peer"]')" = JP ] ||
  fail "snapshot: $out"
head -1 "$work/mn.snap" | grep -qx "protocol=jcm-reconcile/1" || fail "snapshot file"
tail -1 "$work/mn.snap" | grep -q "^signature=" || fail "snapshot unsigned"
expect_rejection 0 - "$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/mn.snap"
[ "$(echo "$out" | field '["status"]')" = consistent ] &&
  [ "$(echo "$out" | field '["itl_status"]')" = COMPLETED ] || fail "reconcile: $out"
expect_rejection 0 - "$jcm" exchange reconcile --db "$jp" --peer-db "$mn"
[ "$(echo "$out" | field '["status"]')" = consistent ] || fail "reconcile --peer-db: $out"
"$jcm" exchange reconcile --db "$jp" --peer-db "$mn" | grep -q "consistent (COMPLETED)" || fail "text"
expect_rejection 2 - "$jcm" exchange reconcile --db "$jp"

# Refused snapshots change nothing.
size=$(journal_size)
sed 's/^taken_at=2/taken_at=3/' "$work/mn.snap" >"$work/tampered.snap"
expect_rejection 3 snapshot_invalid "$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/tampered.snap"
echo "$out" | grep -q "signature" || fail "tampered: $out"
"$jcm" init --db "$work/vn.db" --registries VN >/dev/null
"$jcm" exchange snapshot --db "$mn" --peer VN --out "$work/for-vn.snap" >/dev/null
expect_rejection 3 snapshot_invalid "$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/for-vn.snap"
"$jcm" exchange snapshot --db "$work/vn.db" --peer JP --exchange-key "$mn.exchange-key.pem" \
  --out "$work/vn.snap" >/dev/null
expect_rejection 3 peer_unknown "$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/vn.snap"
expect_rejection 3 reconciliation_not_open "$jcm" exchange resolve --db "$jp" --peer MN --reason x
[ "$(journal_size)" = "$size" ] || fail "a refusal journaled something"

# MN's registry (its key) says it completed MN:4, 25 MN units to JP, which JP never received.
grep -v '^signature=' "$work/mn.snap" |
  sed 's/^total=MN|0|0|0|0$/total=MN|25|0|0|0/' >"$work/says.body"
echo 'trail=MN:4|completed|25|0' >>"$work/says.body"
printf 'jcm-reconcile/1\n%s' "$(sha256sum "$work/says.body" | cut -d' ' -f1)" >"$work/says.msg"
signature=$(openssl pkeyutl -sign -inkey "$mn.exchange-key.pem" -rawin -in "$work/says.msg" |
  od -An -tx1 | tr -d ' \n')
{ cat "$work/says.body"; echo "signature=$signature"; } >"$work/says.snap"
expect_rejection 4 - "$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/says.snap"
[ "$(echo "$out" | field '["status"]')" = inconsistent ] &&
  [ "$(echo "$out" | field '["itl_status"]')" = TOTAL_INCON ] &&
  [ "$(echo "$out" | field '["frozen"]')" = True ] || fail "inconsistent: $out"
[ "$(echo "$out" | field '["differences"][0]["text"]')" = \
  "totals of MN-origin units from MN to JP: MN says 25 sent, JP says 0 received" ] &&
  [ "$(echo "$out" | field '["differences"][1]["text"]')" = "MN:4 completed at MN, unknown at JP" ] &&
  [ "$(echo "$out" | field '["differences"][1]["phase"]')" = trail ] || fail "differences: $out"
[ "$(journal_size)" = $((size + 1)) ] || fail "the inconsistency is not journaled"
set +e
"$jcm" exchange reconcile --db "$jp" --peer-snapshot "$work/says.snap" >"$work/report.txt"
status=$?
set -e
[ "$status" -eq 4 ] || fail "text mode exit $status"
grep -q "trail: MN:4 completed at MN, unknown at JP" "$work/report.txt" || fail "report text"
grep -q "transfers with MN are frozen until resolved" "$work/report.txt" || fail "frozen text"

# A clean reconciliation alone does not lift the freeze; the operator's resolution does.
expect_rejection 0 - "$jcm" exchange reconcile --db "$jp" --peer-db "$mn"
[ "$(echo "$out" | field '["frozen"]')" = True ] || fail "still frozen: $out"
expect_rejection 2 - "$jcm" exchange resolve --db "$jp" --peer MN --reason ""
expect_rejection 0 - "$jcm" exchange resolve --db "$jp" --peer MN --reason "MN's report was wrong"
expect_rejection 3 reconciliation_not_open "$jcm" exchange resolve --db "$jp" --peer MN --reason x
expect_rejection 0 - "$jcm" exchange reconcile --db "$jp" --peer-db "$mn"
[ "$(echo "$out" | field '["status"]')" = consistent ] &&
  [ "$(echo "$out" | field '["frozen"]')" = False ] || fail "consistent again: $out"
"$jcm" audit verify --db "$jp" >/dev/null || fail "audit jp"
"$jcm" audit verify --db "$mn" >/dev/null || fail "audit mn"
echo "exchange_reconcile_cli_test: ok"
