#!/usr/bin/env bash
# The transparency log's signed tree heads across the SQLite and PostgreSQL stores and across
# restarts (issue 16; INV-25, INV-26), with the real binary:
#   log_heads_test.sh JCM        (JCM_TEST_DB: the URI of an empty PostgreSQL database)
#   1. an SQLite registry publishes a head (`jcm log sth`); `jcm migrate` copies the registry into
#      PostgreSQL, where `jcm log sth` gives the same head (size, root, time, key, signature), and
#      that root is the RFC 9162 root of the journal's leaves, recomputed here from `jcm journal`
#      of either side;
#   2. the journal grows on PostgreSQL: the next head's tree extends the copied one (its
#      consistency proof checked by the RFC verifier of tests/server/translog_test.py);
#   3. restarts: `jcm serve` on PostgreSQL serves that head before and after it is killed and
#      started again, and after the server dropped every connection to the database; a write
#      after that gives a head consistent with it.
set -euo pipefail
jcm=$1
db=${JCM_TEST_DB:?set by tests/postgres/on_fresh_database.sh}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
file=$work/registry.db
key=$work/log-key.pem
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
# check.py root DB_HEAD_FILE JOURNAL_FILE | consistent OLD_HEAD NEW_HEAD PROOF_FILE
cat >"$work/check.py" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from translog_test import mth, sha, verify_consistency
load = lambda path: json.load(open(path))
if sys.argv[2] == "root":
    head, journal = load(sys.argv[3]), load(sys.argv[4])["entries"]
    leaves = [sha(b"\x00" + bytes.fromhex(e["hash"])) for e in journal[: head["tree_size"]]]
    assert len(leaves) == head["tree_size"], (len(leaves), head)
    assert mth(leaves).hex() == head["root_hash"], head
else:
    old, new, proof = load(sys.argv[3]), load(sys.argv[4]), load(sys.argv[5])["proof"]
    assert verify_consistency(old["tree_size"], new["tree_size"], bytes.fromhex(old["root_hash"]),
                              bytes.fromhex(new["root_hash"]), [bytes.fromhex(p) for p in proof])
PY
check() { python3 "$work/check.py" "$root/tests/server" "$@" || fail "check $*"; }
same_head() {
  python3 -c "import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:3]); \
ks=('tree_size','root_hash','timestamp','public_key','signature'); \
assert all(a[k]==b[k] for k in ks), (a,b)" "$1" "$2" || fail "heads differ: $1 $2"
}

# 1. An SQLite registry with a head, copied into PostgreSQL.
"$jcm" init --db "$file" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$file" --dir "$root/data/jcm" >/dev/null 2>&1
alice=$("$jcm" account open --db "$file" --registry MN --holder-name "Alice LLC" --json |
  field '["account"]["id"]')
bob=$("$jcm" account open --db "$file" --registry MN --holder-name "Bob Solar" --json |
  field '["account"]["id"]')
"$jcm" issue --db "$file" --registry MN --decision "MN006:2019-07-06..2020-12-31@2026-01-24" \
  --to "$alice:5963" --to "$bob:100" >/dev/null
"$jcm" transfer --db "$file" --from "$alice" --to "$bob" --quantity 25 >/dev/null
"$jcm" log keygen --db "$file" --log-key "$key" >/dev/null
"$jcm" log sth --db "$file" --log-key "$key" --json >"$work/sqlite-head"
out=$("$jcm" migrate --from "$file" --to "$db" --json) || fail "migrate exited $?: $out"
"$jcm" log sth --db "$db" --log-key "$key" --json >"$work/pg-head"
same_head "$work/sqlite-head" "$work/pg-head"
"$jcm" journal --db "$file" --limit 1000 --json >"$work/sqlite-journal"
"$jcm" journal --db "$db" --limit 1000 --json >"$work/pg-journal"
check root "$work/sqlite-head" "$work/sqlite-journal"
check root "$work/pg-head" "$work/pg-journal"
"$jcm" audit verify --db "$db" --json >/dev/null || fail "audit of the copy"

# 2. The journal grows on PostgreSQL: the next head extends the copied one.
size=$(field '["tree_size"]' <"$work/pg-head")
"$jcm" transfer --db "$db" --from "$bob" --to "$alice" --quantity 5 >/dev/null
"$jcm" log sth --db "$db" --log-key "$key" --json >"$work/pg-head2"
[ "$(field '["tree_size"]' <"$work/pg-head2")" = $((size + 1)) ] || fail "grown: $(cat "$work/pg-head2")"
"$jcm" log consistency --db "$db" --from "$size" --to $((size + 1)) --json >"$work/proof"
check consistent "$work/pg-head" "$work/pg-head2" "$work/proof"

# 3. Restarts: the served head is the stored one, whatever process or connection serves it.
serve() {
  "$jcm" serve --db "$db" --log-key "$key" --listen 127.0.0.1:0 --json >"$work/serve.out" \
    2>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/serve.out" ] && break
    sleep 0.1
  done
  port=$(field '["listening"]["port"]' <"$work/serve.out") || fail "serve: $(cat "$work/serve.err")"
}
get_head() {
  python3 -c "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1]).read().decode())" \
    "http://127.0.0.1:$port/api/v1/log/sth" >"$1" || fail "GET /api/v1/log/sth"
}
serve
get_head "$work/served1"
same_head "$work/pg-head2" "$work/served1"
kill -9 $server_pid
wait $server_pid 2>/dev/null || true
: >"$work/serve.out"
serve
get_head "$work/served2"
same_head "$work/pg-head2" "$work/served2"
# The server drops every connection to the database (as a restart of PostgreSQL does).
psql -q -v ON_ERROR_STOP=1 "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
  WHERE datname = current_database() AND pid <> pg_backend_pid()" >/dev/null
get_head "$work/served3"
same_head "$work/pg-head2" "$work/served3"
"$jcm" transfer --db "$db" --from "$alice" --to "$bob" --quantity 1 >/dev/null
get_head "$work/served4"
[ "$(field '["tree_size"]' <"$work/served4")" = $((size + 2)) ] || fail "served: $(cat "$work/served4")"
"$jcm" log consistency --db "$db" --from "$size" --to $((size + 2)) --json >"$work/proof2"
check consistent "$work/pg-head" "$work/served4" "$work/proof2"
"$jcm" journal --db "$db" --limit 1000 --json >"$work/pg-journal2"
check root "$work/served4" "$work/pg-journal2"
echo "ok: the head of size $size is the same on SQLite and PostgreSQL and across restarts"
