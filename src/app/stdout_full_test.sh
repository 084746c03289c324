#!/usr/bin/env bash
# Standard output that cannot be written (docs/cli.md, "Exit statuses"): every command flushes
# it at the end; a lost write turns a success into exit 1 with a message on stderr saying that
# what the command did stays committed, and a failure keeps its own status. /dev/full fails
# every write with ENOSPC.
# Usage: stdout_full_test.sh PATH_TO_JCM SOURCE_DIR
set -euo pipefail
jcm="$1"
root="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
# Runs jcm with stdout to /dev/full; the exit status in $status, stderr in $err.
to_full() {
  set +e
  "$jcm" "$@" >/dev/full 2>"$work/err"; status=$?
  set -e
  err=$(cat "$work/err")
}

"$jcm" init --db "$db" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null 2>&1
holder=$("$jcm" account open --db "$db" --registry MN --holder-name "Holder" --json |
  field '["account"]["id"]')
gov=$("$jcm" account list --db "$db" --registry MN --json |
  python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin) if a["type"]=="government_holding"][0])')
"$jcm" issue --db "$db" --registry MN --decision "MN001:2018-09-15..2020-12-31@2026-01-24" \
  --to "$holder:29" >/dev/null

# The reproduction of issue 8, item 13: the transfer commits, its transaction id is lost.
to_full transfer --db "$db" --from "$holder" --to "$gov" --quantity 5 --key t-1 --json
[ $status -eq 1 ] || fail "transfer to a full stdout exited $status: $err"
grep -q "could not write standard output (No space left on device)" <<<"$err" || fail "message: $err"
grep -q "stays committed" <<<"$err" || fail "message does not say the transfer stays committed: $err"
[ "$("$jcm" holdings --db "$db" --account "$holder" --json | field '["total"]')" = 24 ] ||
  fail "the transfer did not stay committed"
# The retry with the same key prints the committed transaction and applies nothing.
out=$("$jcm" transfer --db "$db" --from "$holder" --to "$gov" --quantity 5 --key t-1 --json)
[ "$(echo "$out" | field '["transaction"]["replayed"]')" = True ] || fail "retry: $out"
[ "$("$jcm" holdings --db "$db" --account "$holder" --json | field '["total"]')" = 24 ] ||
  fail "the retry applied again"

# Text output, a cycle step, a query and the help are flushed and checked the same way.
to_full account open --db "$db" --registry MN --holder-name "Second"
[ $status -eq 1 ] && grep -q "stays committed" <<<"$err" || fail "text account open: $status $err"
to_full org register --db "$db" --id org-x --name "Org X" --country MN --key org-x --json
[ $status -eq 1 ] || fail "cycle step to a full stdout exited $status: $err"
out=$("$jcm" org register --db "$db" --id org-x --name "Org X" --country MN --key org-x --json)
[ "$(echo "$out" | field '["event"]["replayed"]')" = True ] || fail "cycle step retry: $out"
to_full account list --db "$db" --json
[ $status -eq 1 ] || fail "query to a full stdout exited $status"
to_full help
[ $status -eq 1 ] || fail "help to a full stdout exited $status"

# A failure keeps its own status; the lost document is still reported.
to_full transfer --db "$db" --from "$holder" --to "$gov" --quantity 1000 --json
[ $status -eq 3 ] || fail "rejection to a full stdout exited $status"
grep -q "could not write standard output" <<<"$err" || fail "lost rejection not reported: $err"
to_full transfer --db "$db" --bogus --json
[ $status -eq 2 ] || fail "usage error to a full stdout exited $status"

"$jcm" audit verify --db "$db" >/dev/null || fail "audit after the lost writes"
echo "ok"
