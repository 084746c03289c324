#!/usr/bin/env bash
# jcm migrate and jcm serve on PostgreSQL (docs/cli.md "jcm migrate"), with the real binary:
#   migrate_serve_test.sh JCM        (JCM_TEST_DB: the URI of an empty PostgreSQL database)
#   1. an SQLite registry (the public data set: cycle events, documents; holders, transfers, a
#      keyed transfer, a user with a password and roles) is copied into PostgreSQL: exit 0, and
#      `jcm audit verify` gives the same head hash, entry and block counts on both sides;
#   2. the copy is the registry: holdings agree, the user signs in with the same secret, a
#      retry of the keyed transfer replays, a new transfer extends the same hash chain;
#   3. migrating into a database that holds a registry is refused (exit 1, nothing changed);
#   4. `jcm serve --db postgresql://…` serves the public API from it.
set -euo pipefail
jcm=$1
db=${JCM_TEST_DB:?set by tests/postgres/on_fresh_database.sh}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
file=$work/registry.db
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# 1. An SQLite registry with a bit of everything.
"$jcm" init --db "$file" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$file" --dir "$root/data/jcm" >/dev/null 2>&1
alice=$("$jcm" account open --db "$file" --registry MN --holder-name "Alice LLC" --json |
  field '["account"]["id"]')
bob=$("$jcm" account open --db "$file" --registry MN --holder-name "Bob Solar" --json |
  field '["account"]["id"]')
"$jcm" issue --db "$file" --registry MN --decision "MN006:2019-07-06..2020-12-31@2026-01-24" \
  --to "$alice:300" --to "$bob:100" >/dev/null
"$jcm" transfer --db "$file" --from "$alice" --to "$bob" --quantity 25 --key k-1 >/dev/null
"$jcm" user add --db "$file" --name carol >/dev/null
echo "a long enough passphrase 1" | "$jcm" user password --db "$file" --name carol >/dev/null
# A stored document (as a cycle step's --pdd FILE stores one), put behind the CLI's back.
document="a project design document"
sha=$(printf '%s' "$document" | sha256sum | cut -d' ' -f1)
sqlite3 "$file" "INSERT INTO documents VALUES ('$sha', CAST('$document' AS BLOB), ${#document})"

out=$("$jcm" migrate --from "$file" --to "$db" --json) || fail "migrate exited $?: $out"
[ "$(echo "$out" | field '["ok"]')" = True ] || fail "migrate: $out"
before=$("$jcm" audit verify --db "$file" --json)
after=$("$jcm" audit verify --db "$db" --json) || fail "audit of the copy: $after"
for key in head_hash entries blocks; do
  [ "$(echo "$before" | field "[\"$key\"]")" = "$(echo "$after" | field "[\"$key\"]")" ] ||
    fail "$key differs: $before vs $after"
done
[ "$(echo "$out" | field '["users"]')" = 1 ] || fail "users copied: $out"
[ "$(echo "$out" | field '["documents"]')" = 1 ] || fail "documents copied: $out"
"$jcm" document get --db "$db" --sha256 "$sha" --out "$work/document" >/dev/null
[ "$(cat "$work/document")" = "$document" ] || fail "the copied document: $(cat "$work/document")"

# 2. The copy is the registry.
for account in "$alice" "$bob"; do
  [ "$("$jcm" holdings --db "$file" --account "$account" --json)" = \
    "$("$jcm" holdings --db "$db" --account "$account" --json)" ] || fail "holdings of $account"
done
replay=$("$jcm" transfer --db "$db" --from "$alice" --to "$bob" --quantity 25 --key k-1 --json)
[ "$(echo "$replay" | field '["transaction"]["replayed"]')" = True ] || fail "the keyed retry: $replay"
"$jcm" transfer --db "$db" --from "$bob" --to "$alice" --quantity 5 >/dev/null
extended=$("$jcm" audit verify --db "$db" --json) || fail "audit after a new transfer: $extended"
[ "$(echo "$extended" | field '["entries"]')" = $(($(echo "$before" | field '["entries"]') + 1)) ] ||
  fail "the new transfer did not extend the chain: $extended"

# 3. A target that already holds a registry is refused.
status=0
refused=$("$jcm" migrate --from "$file" --to "$db" --json 2>&1) || status=$?
[ $status = 1 ] || fail "migrate into a registry exited $status: $refused"
[ "$(echo "$refused" | field '["error"]["code"]')" = failed_precondition ] || fail "$refused"
[ "$("$jcm" audit verify --db "$db" --json | field '["head_hash"]')" = \
  "$(echo "$extended" | field '["head_hash"]')" ] || fail "the refused migrate changed the target"

# 4. jcm serve on PostgreSQL.
"$jcm" serve --db "$db" --listen 127.0.0.1:0 --json >"$work/serve.out" 2>"$work/serve.err" &
for _ in $(seq 1 100); do
  [ -s "$work/serve.out" ] && break
  sleep 0.1
done
port=$(field '["listening"]["port"]' <"$work/serve.out") || fail "serve: $(cat "$work/serve.err")"
registries=$(python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" \
  "http://127.0.0.1:$port/api/v1/registries")
[[ $registries == *'"MN"'* ]] || fail "GET /api/v1/registries: $registries"
journal=$(python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" \
  "http://127.0.0.1:$port/api/v1/journal?since=1&limit=2")
[[ $journal == *'"hash"'* ]] || fail "GET /api/v1/journal: $journal"
echo "ok: $(echo "$after" | field '["entries"]') entries copied into PostgreSQL, heads agree, served"
