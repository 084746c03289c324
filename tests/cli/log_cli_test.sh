#!/usr/bin/env bash
# End-to-end test of `jcm log …` and `jcm journal` (docs/cli.md, "Transparency log"): the key
# is made once, mode 0600, never overwritten and never in the database; a head is stored per
# tree size (the same head until the journal grows); proofs and their errors have the documented
# exit statuses; the journal pages by --since and --limit.
# Usage: log_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"
status_of() { set +e; "$@" --json >"$work/out" 2>"$work/err"; echo $?; set -e; }

"$jcm" init --db "$db" --registries "JP,MN" >/dev/null
for i in 1 2 3 4 5; do
  "$jcm" account open --db "$db" --registry MN --type holding --holder-name "Holder $i" >/dev/null
done
entries=$("$jcm" journal --db "$db" --limit 1000 --json | python3 -c \
  "import json,sys; print(len(json.load(sys.stdin)['entries']))")
[ "$entries" -ge 7 ] || fail "journal has $entries entries"

# No key yet: the head cannot be signed (failed_precondition, exit 1).
[ "$(status_of "$jcm" log sth --db "$db")" = 1 ] || fail "sth without a key"
grep -q "jcm log keygen" "$work/out" || fail "the error names jcm log keygen: $(cat "$work/out")"
public=$("$jcm" log keygen --db "$db" --json | field '["public_key"]')
[ "$(stat -c %a "$db.log-key.pem")" = 600 ] || fail "key file mode"
[ "$(status_of "$jcm" log keygen --db "$db")" = 1 ] || fail "keygen overwrote the key"
grep -q already_exists "$work/out" || fail "second keygen: $(cat "$work/out")"

"$jcm" log sth --db "$db" --json >"$work/sth1"
[ "$(field '["public_key"]' <"$work/sth1")" = "$public" ] || fail "head's key"
[ "$(field '["tree_size"]' <"$work/sth1")" = "$entries" ] || fail "head's size"
# The exact signed message, then the signature checked with openssl.
python3 - "$work" <<'PY'
import json, subprocess, sys
work = sys.argv[1]
head = json.load(open(f"{work}/sth1"))
message = bytes.fromhex(head["signed_message"])
want = "jcm-tree-head-v1\ntree_size %d\nroot_hash %s\ntimestamp %s\n" % (
    head["tree_size"], head["root_hash"], head["timestamp"])
assert message.decode() == want, message
open(f"{work}/msg", "wb").write(message)
open(f"{work}/sig", "wb").write(bytes.fromhex(head["signature"]))
open(f"{work}/pub.der", "wb").write(bytes.fromhex("302a300506032b6570032100" + head["public_key"]))
for path, ok in ((f"{work}/msg", True), (f"{work}/sig", False)):
    r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey",
                        f"{work}/pub.der", "-rawin", "-in", path, "-sigfile", f"{work}/sig"],
                       capture_output=True)
    assert (r.returncode == 0) == ok, (path, r)
PY
sleep 1
"$jcm" log sth --db "$db" --json >"$work/sth2"
cmp -s "$work/sth1" "$work/sth2" || fail "a tree size keeps its first head"
"$jcm" account open --db "$db" --registry MN --type holding --holder-name "Later" >/dev/null
grown=$("$jcm" log sth --db "$db" --json | field '["tree_size"]')
[ "$grown" = $((entries + 1)) ] || fail "the head follows the journal: $grown"

# Proofs and their errors.
"$jcm" log prove --db "$db" --seq 3 --tree-size "$entries" --json >"$work/proof"
[ "$(field '["leaf_index"]' <"$work/proof")" = 2 ] || fail "leaf index"
[ "$(status_of "$jcm" log prove --db "$db" --seq 0)" = 2 ] || fail "seq 0"
[ "$(status_of "$jcm" log prove --db "$db" --seq 1 --tree-size 999)" = 1 ] || fail "beyond"
grep -q not_found "$work/out" || fail "beyond: $(cat "$work/out")"
"$jcm" log consistency --db "$db" --from 3 --to "$grown" --json | field '["proof"]' >/dev/null
[ "$(status_of "$jcm" log consistency --db "$db" --from 4 --to 2)" = 2 ] || fail "from > to"

# The journal feed pages.
page=$("$jcm" journal --db "$db" --since 2 --limit 3 --json)
echo "$page" | python3 -c "
import json,sys; d=json.load(sys.stdin)
assert [e['seq'] for e in d['entries']] == [3, 4, 5], d
assert d['next_since'] == 5 and d['more'] is True
assert all(len(e['hash']) == 64 and e['kind'] and 'body' in e for e in d['entries'])"
[ "$(status_of "$jcm" journal --db "$db" --limit 0)" = 2 ] || fail "limit 0"

# INV-27: no line of the private key's PEM is in the database (the public key is).
body=$(sed -n 2p "$db.log-key.pem")
database=("$db")
for suffix in -wal -shm; do [ -e "$db$suffix" ] && database+=("$db$suffix"); done
if grep -qaF "$body" "${database[@]}"; then fail "the private key reached the database"; fi
grep -qa "$public" "${database[@]}" || fail "the head's public key is stored"
# The audit covers the tree and the stored head (INV-25, INV-26).
"$jcm" audit verify --db "$db" --json | field '["ok"]' | grep -qx True || fail "audit"
echo "log_cli_test: ok"
