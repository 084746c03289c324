#!/usr/bin/env bash
# End-to-end test of `jcm exchange peer …` (docs/cli.md, "Transfers between registries") on a
# real SQLite registry: a peer added and listed, the same code or key refused (820), a registry
# of this database refused (821), malformed values refused (804) with nothing journaled, the
# removal (822 for one not configured) and adding it again with another key; the audit passes.
# Usage: exchange_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries JP >/dev/null
key_a=$(printf 'a%.0s' $(seq 64))
key_b=$(printf 'b%.0s' $(seq 64))
journal_size() { "$jcm" audit verify --db "$db" --json | field '["entries"]'; }

expect_rejection 0 - "$jcm" exchange peer add --db "$db" --code MN --url https://registry.mn/jcm \
  --public-key "$key_a"
[ "$(echo "$out" | field '["code"]')" = MN ] && [ "$(echo "$out" | field '["public_key"]')" = "$key_a" ] ||
  fail "add: $out"
size=$(journal_size)
expect_rejection 3 peer_exists "$jcm" exchange peer add --db "$db" --code MN --url https://x.mn \
  --public-key "$key_b"
expect_rejection 3 peer_exists "$jcm" exchange peer add --db "$db" --code VN --url https://x.vn \
  --public-key "$key_a"
expect_rejection 3 peer_is_local "$jcm" exchange peer add --db "$db" --code JP --url https://x.jp \
  --public-key "$key_b"
expect_rejection 3 message_malformed "$jcm" exchange peer add --db "$db" --code VN \
  --url ftp://x.vn --public-key "$key_b"
expect_rejection 3 message_malformed "$jcm" exchange peer add --db "$db" --code VN \
  --url https://x.vn --public-key abc
expect_rejection 3 peer_not_configured "$jcm" exchange peer remove --db "$db" --code VN \
  --reason "never added"
expect_rejection 2 - "$jcm" exchange peer remove --db "$db" --code MN --reason ""
[ "$(journal_size)" = "$size" ] || fail "a rejection journaled something"

expect_rejection 0 - "$jcm" exchange peer list --db "$db"
[ "$(echo "$out" | field '["peers"][0]["url"]')" = https://registry.mn/jcm ] || fail "list: $out"
expect_rejection 0 - "$jcm" exchange peer remove --db "$db" --code MN --reason "key rotated"
[ "$(echo "$out" | field '["public_key"]')" = "$key_a" ] &&
  [ "$(echo "$out" | field '["url"]')" = https://registry.mn/jcm ] || fail "removed: $out"
expect_rejection 0 - "$jcm" exchange peer add --db "$db" --code MN --url https://registry.mn/jcm \
  --public-key "$key_b"
expect_rejection 0 - "$jcm" exchange peer list --db "$db"
[ "$(echo "$out" | field '["peers"].__len__()')" = 1 ] &&
  [ "$(echo "$out" | field '["peers"][0]["public_key"]')" = "$key_b" ] || fail "rotated: $out"
"$jcm" exchange peer list --db "$db" | grep -q "peer MN at https://registry.mn/jcm" || fail "text"
"$jcm" audit verify --db "$db" >/dev/null || fail "audit"
echo "exchange_cli_test: ok"
