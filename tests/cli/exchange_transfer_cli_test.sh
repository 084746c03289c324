#!/usr/bin/env bash
# End-to-end test of external transfers between two registries (docs/cli.md, "Transfers between
# registries"; docs/exchange.md): JP and MN, each its own SQLite database holding only its own
# registry (its side of the public data set's issuances) and its own exchange key, each
# configured as the other's peer, messages carried by `jcm exchange deliver`. A transfer JP→MN
# completes and part of it comes back MN→JP; one to a closed MN account is rejected (check 13,
# visible in both sides' status) and its units return; one past its time limit is failed by
# `tick` (units back, MN's side terminated); a delivery repeated from a copy of the sender taken
# before it (as after a crash between sending and journaling) is refused by MN's gate (803,
# journaled) and changes nothing. At the end no unit is lost or doubled across the two
# registries (their summaries) and both audits pass.
# Usage: exchange_transfer_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
source "$here/lib.sh"
jp="$work/jp.db"
mn="$work/mn.db"

# A registry of its own: the public data set with only its side's issued records.
registry() {  # CODE COUNTRY DB
  mkdir -p "$work/$1"
  cp "$root"/data/jcm/*.csv "$root/data/jcm/README.md" "$work/$1/"
  python3 - "$root/data/jcm/issuance_records.csv" "$2" "$work/$1/issuance_records.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[3], "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(r for r in rows if r["country"] == sys.argv[2] and r["issued_amount"])
PY
  "$jcm" init --db "$3" --registries "$1" >/dev/null
  "$jcm" import jcm-data --db "$3" --dir "$work/$1" >/dev/null 2>&1
}
registry JP Japan "$jp"
registry MN Mongolia "$mn"
held() { "$jcm" registry summary --db "$1" --registry "$2" --json | field '["held_tco2e"]'; }
units_before=$(($(held "$jp" JP) + $(held "$mn" MN)))
[ "$units_before" -gt 1000 ] || fail "no units to transfer: $units_before"

jp_key=$("$jcm" exchange keygen --db "$jp" --json | field '["public_key"]')
mn_key=$("$jcm" exchange keygen --db "$mn" --json | field '["public_key"]')
[ "$(stat -c %a "$jp.exchange-key.pem")" = 600 ] || fail "key file mode"
expect_rejection 1 - "$jcm" exchange keygen --db "$jp"  # a registry keeps its key
"$jcm" exchange peer add --db "$jp" --code MN --url https://registry.mn/jcm --public-key "$mn_key" >/dev/null
"$jcm" exchange peer add --db "$mn" --code JP --url https://registry.jp/jcm --public-key "$jp_key" >/dev/null

account() {
  "$jcm" account list --db "$1" --json |
    python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin) if a["type"] == sys.argv[1]][0])' "$2"
}
open_holding() {
  "$jcm" account open --db "$1" --registry "$2" --type holding --holder-name "$3" --json |
    field '["account"]["id"]'
}
jp_gov=$(account "$jp" government_holding)
jp_buyer=$(open_holding "$jp" JP "JP Buyer")
mn_buyer=$(open_holding "$mn" MN "MN Buyer")
holds() { "$jcm" holdings --db "$1" --account "$2" --json | field '["total"]'; }
state() {  # DB TRANSACTION [FIELD]
  "$jcm" exchange status --db "$1" --json |
    python3 -c 'import json,sys; print([t for t in json.load(sys.stdin)["transfers"] if t["transaction"] == sys.argv[1]][0].get(sys.argv[2], ""))' "$2" "${3:-state}"
}
deliver() { "$jcm" exchange deliver --db "$jp" --to-db "$mn" --json; }

# A transfer JP → MN: reserved, proposed, accepted, completed on both sides.
expect_rejection 0 - "$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$mn_buyer" \
  --quantity 300 --key first
[ "$(echo "$out" | field '["transaction"]')" = JP:1 ] || fail "transfer: $out"
expect_rejection 0 - "$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$mn_buyer" \
  --quantity 300 --key first
[ "$(echo "$out" | field '["replayed"]')" = True ] || fail "replayed: $out"
[ "$(state "$jp" JP:1)" = proposed ] || fail "JP:1 not proposed"
out=$(deliver)
[ "$(echo "$out" | field '["sent"]["owed"]')" = 0 ] || fail "deliver: $out"
[ "$(state "$jp" JP:1)" = completed ] && [ "$(state "$mn" JP:1)" = completed ] || fail "JP:1"
[ "$(holds "$mn" "$mn_buyer")" = 300 ] || fail "MN buyer holds $(holds "$mn" "$mn_buyer")"

# 100 of them back MN → JP.
expect_rejection 0 - "$jcm" exchange transfer --db "$mn" --from "$mn_buyer" --to "$jp_buyer" \
  --quantity 100
[ "$(echo "$out" | field '["transaction"]')" = MN:1 ] || fail "transfer back: $out"
deliver >/dev/null
[ "$(state "$mn" MN:1)" = completed ] && [ "$(state "$jp" MN:1)" = completed ] || fail "MN:1"
[ "$(holds "$jp" "$jp_buyer")" = 100 ] && [ "$(holds "$mn" "$mn_buyer")" = 200 ] || fail "back"

# To a closed account: MN answers rejected (13); JP releases the units.
closed=$(open_holding "$mn" MN "Closed Buyer")
"$jcm" account close --db "$mn" --account "$closed" --reason "test" >/dev/null
gov_before=$(holds "$jp" "$jp_gov")
"$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$closed" --quantity 40 >/dev/null
[ "$(holds "$jp" "$jp_gov")" = $((gov_before - 40)) ] || fail "not reserved"
deliver >/dev/null
[ "$(state "$jp" JP:2)" = failed ] && [ "$(state "$jp" JP:2 check)" = 13 ] &&
  [ "$(state "$jp" JP:2 check_name)" = destination_account_not_open ] || fail "JP:2 on JP"
[ "$(state "$mn" JP:2)" = rejected ] && [ "$(state "$mn" JP:2 check)" = 13 ] || fail "JP:2 on MN"
"$jcm" exchange status --db "$jp" | grep -q "JP:2 outgoing to MN: failed.*check 13" || fail "text"
[ "$(holds "$jp" "$jp_gov")" = "$gov_before" ] || fail "units not back"

# Past its time limit (2 s): tick fails it and the units come back; MN follows.
"$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$mn_buyer" --quantity 50 \
  --time-limit-hours 0.0005 >/dev/null
[ "$("$jcm" exchange tick --db "$jp" --json | field '["failed"]')" = 0 ] || fail "tick early"
sleep 3
[ "$("$jcm" exchange tick --db "$jp" --json | field '["failed"]')" = 1 ] || fail "tick"
[ "$(state "$jp" JP:3)" = failed ] && [ "$(holds "$jp" "$jp_gov")" = "$gov_before" ] ||
  fail "JP:3 not failed"
deliver >/dev/null
[ "$(state "$mn" JP:3)" = terminated ] && [ "$(holds "$mn" "$mn_buyer")" = 200 ] || fail "JP:3 on MN"
expect_rejection 2 - "$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$mn_buyer" \
  --quantity 1 --time-limit-hours -1

# A delivery repeated: JP as it was before delivering JP:4 (a crash after sending, before
# journaling the delivery) delivers its outbox again; MN refuses it as a replay and journals so.
"$jcm" exchange transfer --db "$jp" --from "$jp_gov" --to "$mn_buyer" --quantity 10 >/dev/null
cp "$jp" "$work/jp-copy.db"
cp "$jp.exchange-key.pem" "$work/jp-copy.db.exchange-key.pem"
deliver >/dev/null
[ "$(state "$mn" JP:4)" = completed ] && [ "$(holds "$mn" "$mn_buyer")" = 210 ] || fail "JP:4"
mn_size=$("$jcm" audit verify --db "$mn" --json | field '["entries"]')
out=$("$jcm" exchange deliver --db "$work/jp-copy.db" --to-db "$mn" --json)
[ "$(echo "$out" | field '["sent"]["refused"]')" = 1 ] || fail "replay: $out"
"$jcm" journal --db "$mn" --since "$mn_size" --json |
  python3 -c 'import json,sys; e=json.load(sys.stdin)["entries"]; sys.exit(0 if [(x["kind"], dict(x["fields"])["check"]) for x in e] == [("exchange.message_refused", "803")] else 1)' ||
  fail "the replay was not journaled as 803 alone"
[ "$(holds "$mn" "$mn_buyer")" = 210 ] || fail "the replay changed MN"

# No unit lost or doubled; both audits pass.
[ $(($(held "$jp" JP) + $(held "$mn" MN))) = "$units_before" ] ||
  fail "units: $(held "$jp" JP) + $(held "$mn" MN) != $units_before"
"$jcm" audit verify --db "$jp" >"$work/audit" || fail "JP audit: $(head -c 1500 "$work/audit")"
"$jcm" audit verify --db "$mn" >/dev/null || fail "MN audit"
echo "exchange_transfer_cli_test: ok"
