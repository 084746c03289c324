#!/usr/bin/env bash
# End-to-end test of `jcm tx …` and `jcm trusted …` (docs/cli.md, "Transaction proposals"):
# representatives created with `jcm user`, TOTP codes computed here (RFC 6238, independently of
# jcm), four eyes (the initiator cannot approve, check 404), a wrong code (313) changes nothing,
# a transfer to an untrusted account waits (delayed, not executed by run-due) and is cancelled,
# a trusted account (with --trusted-delay 0) takes the transfer at once, the registry
# administrator's waiver lets a transfer to it execute when proposed, --key retries answer the
# first result and refuse another request (400), and the journal replays the state in a new
# process. The real system clock runs: no test here waits for a delay (the service test moves a
# fixed clock for that).
# Usage: approval_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries MN >/dev/null
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null 2>&1
src=$("$jcm" account open --db "$db" --registry MN --type holding --holder-name "Sharp Energy" \
  --json | field '["account"]["id"]')
dst=$("$jcm" account open --db "$db" --registry MN --type holding --holder-name "Buyer LLC" \
  --json | field '["account"]["id"]')
"$jcm" issue --db "$db" --registry MN --decision "MN006:2019-07-06..2020-12-31@2026-01-24" \
  --to "$src:6063" --authorization ndc >/dev/null

declare -A secret
for spec in alice:initiate bob:approve carol:approve; do
  user=${spec%%:*}
  "$jcm" user add --db "$db" --name "$user" >/dev/null
  "$jcm" user grant --db "$db" --name "$user" \
    --role "authorised_representative:$src:${spec#*:}" >/dev/null
  secret[$user]=$("$jcm" user totp --db "$db" --name "$user" --json |
    field '["totp"]["secret_base32"]')
done

# A proposal; the initiator has no approve right, and an unknown user is check 342.
expect_rejection 0 - "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" --quantity 100 \
  --key p1
id=$(echo "$out" | field '["id"]')
[ "$(echo "$out" | field '["status"]')" = awaiting_approval ] || fail "propose: $out"
expect_rejection 3 right_missing "$jcm" tx approve --db "$db" --as alice --id "$id" --totp 123456
expect_rejection 3 user_unknown "$jcm" tx approve --db "$db" --as mallory --id "$id" --totp 123456
expect_rejection 3 right_missing "$jcm" tx propose --db "$db" --as bob --from "$src" --to "$dst" --quantity 1
# The key: the same request answers the first proposal, another request is check 400.
expect_rejection 0 - "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" --quantity 100 \
  --key p1
[ "$(echo "$out" | field '["id"]')" = "$id" ] && [ "$(echo "$out" | field '["replayed"]')" = True ] ||
  fail "retry: $out"
expect_rejection 3 approval_key_reused "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" \
  --quantity 101 --key p1

# A wrong TOTP code is refused and changes nothing.
wrong=000000; [ "$(totp "${secret[bob]}")" = 000000 ] && wrong=111111
expect_rejection 3 totp_invalid "$jcm" tx approve --db "$db" --as bob --id "$id" --totp "$wrong"
expect_rejection 0 - "$jcm" tx show --db "$db" --as carol --id "$id"
[ "$(echo "$out" | field '["status"]')" = awaiting_approval ] || fail "after a wrong code: $out"

# Approved by bob: not trusted, so delayed 26 h; run-due leaves it; carol cannot cancel it, the
# approver can.
expect_rejection 0 - "$jcm" tx approve --db "$db" --as bob --id "$id" --totp "$(totp "${secret[bob]}")"
[ "$(echo "$out" | field '["status"]')" = delayed ] || fail "approve: $out"
[ $(( $(echo "$out" | field '["execute_at"]') - $(echo "$out" | field '["approved_at"]') )) = 93600 ] ||
  fail "delay: $out"
expect_rejection 0 - "$jcm" tx run-due --db "$db"
[ "$(echo "$out" | field '["completed"]')" = "[]" ] || fail "run-due: $out"
expect_rejection 3 cancel_not_allowed "$jcm" tx cancel --db "$db" --as carol --id "$id"
expect_rejection 0 - "$jcm" tx cancel --db "$db" --as bob --id "$id" --comment "not trusted yet"
[ "$(echo "$out" | field '["status"]')" = cancelled ] || fail "cancel: $out"

# A trusted account (no delay here) takes an approved transfer at once; the initiator is never
# the approver: alice cannot approve, carol (a different user) does.
expect_rejection 0 - "$jcm" trusted add --db "$db" --as alice --account "$src" --trusted "$dst" \
  --trusted-delay 0
entry=$(echo "$out" | field '["id"]')
[ "$(echo "$out" | field '["effective"]')" = True ] || fail "trusted add: $out"
expect_rejection 3 trusted_exists "$jcm" trusted add --db "$db" --as alice --account "$src" --trusted "$dst"
expect_rejection 0 - "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" --quantity 40
id2=$(echo "$out" | field '["id"]')
expect_rejection 0 - "$jcm" tx approve --db "$db" --as carol --id "$id2" --totp "$(totp "${secret[carol]}")"
[ "$(echo "$out" | field '["status"]')" = completed ] || fail "trusted transfer: $out"
held=$("$jcm" holdings --db "$db" --account "$dst" --json | field '["total"]')
[ "$held" = 40 ] || fail "destination holds $held"

# Lists, in a new process: the state is the journal's.
expect_rejection 0 - "$jcm" tx list --db "$db" --as bob --account "$src"
[ "$(echo "$out" | python3 -c 'import json,sys; print([p["status"] for p in json.load(sys.stdin)["proposals"]])')" = \
  "['cancelled', 'completed']" ] || fail "list: $out"
expect_rejection 0 - "$jcm" trusted list --db "$db" --as bob --account "$src"
[ "$(echo "$out" | field '["trusted"][0]["trusted"]')" = "$dst" ] || fail "trusted list: $out"
expect_rejection 0 - "$jcm" trusted remove --db "$db" --as alice --account "$src" --entry "$entry"
expect_rejection 3 trusted_entry_unknown "$jcm" trusted remove --db "$db" --as alice --account "$src" \
  --entry "$entry"

# Transaction rules (INV-69): only the registry administrator waives the second approval; with
# the waiver and a trusted entry in effect (no delay here), a transfer to the trusted account
# executes when proposed; back to required, it awaits approval again.
"$jcm" user add --db "$db" --name reg >/dev/null
"$jcm" user grant --db "$db" --name reg --role registry_administrator:MN >/dev/null
expect_rejection 3 right_missing "$jcm" trusted rules --db "$db" --as alice --account "$src" \
  --second-approval not_required
expect_rejection 0 - "$jcm" trusted rules --db "$db" --as reg --account "$src" \
  --second-approval not_required --trusted-delay 0
[ "$(echo "$out" | field '["waived"]')" = True ] || fail "rules: $out"
expect_rejection 0 - "$jcm" trusted add --db "$db" --as alice --account "$src" --trusted "$dst" \
  --trusted-delay 0
expect_rejection 0 - "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" --quantity 5
[ "$(echo "$out" | field '["status"]')/$(echo "$out" | field '["without_second_approval"]')" = \
  completed/True ] || fail "waived transfer: $out"
held=$("$jcm" holdings --db "$db" --account "$dst" --json | field '["total"]')
[ "$held" = 45 ] || fail "destination holds $held"
expect_rejection 0 - "$jcm" trusted rules --db "$db" --as reg --account "$src" --second-approval required
expect_rejection 0 - "$jcm" trusted rules --db "$db" --as bob --account "$src"
[ "$(echo "$out" | field '["second_approval_to_trusted"]')" = required ] || fail "rules: $out"
expect_rejection 0 - "$jcm" tx propose --db "$db" --as alice --from "$src" --to "$dst" --quantity 5
[ "$(echo "$out" | field '["status"]')" = awaiting_approval ] || fail "after the waiver: $out"
"$jcm" audit verify --db "$db" --json > "$work/audit.json" || { cat "$work/audit.json"; fail "audit after proposals"; }
echo "approval_cli_test: ok"
