#!/usr/bin/env bash
# What `jcm` does with the file --db names (issue 8 items 7 and 16, docs/formats/store.md
# "Opening a registry"): only `jcm init` creates a registry; a mistyped path, an empty file and
# another program's database are refused with a message naming the file (no SQL) and left as
# they were; in a read-only directory the read-only commands still work and a write says why not.
# Usage: registry_file_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"

# expect_refused STATUS CODE TEXT COMMAND…: the --json error document names TEXT and no SQL.
expect_refused() {
  local want="$1" code="$2" text="$3" status=0 out
  shift 3
  out=$("$jcm" "$@" --json 2>&1) || status=$?
  [ "$status" -eq "$want" ] || fail "$* exited $status, not $want: $out"
  [ "$(echo "$out" | field '["error"]["code"]')" = "$code" ] || fail "$*: $out"
  [[ "$out" == *"$text"* ]] || fail "$*: no '$text' in $out"
  ! grep -qiE 'select |pragma |insert |begin ' <<<"$out" || fail "$*: SQL in the message: $out"
}

# A mistyped path: nothing is created, by a write or by a read.
expect_refused 1 not_found "$work/mistyped.db: the file does not exist" \
  account open --db "$work/mistyped.db" --registry JP --holder-name X
expect_refused 1 not_found "does not exist" audit verify --db "$work/mistyped.db"
expect_refused 1 not_found "does not exist" org register --db "$work/mistyped.db" --id o \
  --name O --country JP
[ ! -e "$work/mistyped.db" ] || fail "a mistyped path became a file"

# A 0-byte file: not a registry (it used to audit "ok"); jcm init may make it one.
: >"$work/empty.db"
expect_refused 1 failed_precondition "empty.db is not a jcm registry" audit verify --db "$work/empty.db"
[ ! -s "$work/empty.db" ] || fail "the empty file was written"
"$jcm" init --db "$work/empty.db" --registries JP >/dev/null || fail "init of an empty file"

# Another program's SQLite file: refused by every command, jcm init included, and not altered.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE notes (t)"); c.commit()' \
  "$work/notes.db"
before=$(sha256sum <"$work/notes.db")
for command in "audit verify" "init" "account list"; do
  # shellcheck disable=SC2086
  expect_refused 1 failed_precondition "notes.db is not a jcm registry" $command --db "$work/notes.db"
done
[ "$(sha256sum <"$work/notes.db")" = "$before" ] || fail "another program's database was altered"
[ ! -e "$work/notes.db-wal" ] || fail "another program's database was switched to WAL"

# A registry in a read-only directory: reads work (no WAL switch, no -shm), a write says why not.
# Root ignores permissions, so the commands then run as nobody.
dir="$work/readonly"
mkdir "$dir"
"$jcm" init --db "$dir/registry.db" --registries JP >/dev/null
"$jcm" account open --db "$dir/registry.db" --registry JP --holder-name "Alice LLC" >/dev/null
chmod 755 "$work"
chmod 555 "$dir"
chmod 444 "$dir/registry.db"
as_user=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || { echo "skipped the read-only part: no setpriv"; exit 0; }
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
ro() { "${as_user[@]}" "$jcm" "$@"; }
out=$(ro account list --db "$dir/registry.db" --json) || fail "account list, read-only: $out"
[[ "$out" == *"Alice LLC"* ]] || fail "account list, read-only: $out"
out=$(ro audit verify --db "$dir/registry.db" --json) || fail "audit verify, read-only: $out"
[ "$(echo "$out" | field '["ok"]')" = True ] || fail "audit verify, read-only: $out"
ro registry summary --db "$dir/registry.db" --registry JP --json >/dev/null ||
  fail "registry summary, read-only"
status=0
out=$(ro account open --db "$dir/registry.db" --registry JP --holder-name Bob --json 2>&1) ||
  status=$?
[ $status -eq 1 ] && [[ "$out" == *"registry.db: the file or its directory is read-only"* ]] ||
  fail "a write in a read-only directory: $status $out"
# A registry the user may not read: the operating system's reason, not "unable to open".
chmod 000 "$dir/registry.db"
status=0
out=$(ro account list --db "$dir/registry.db" --json 2>&1) || status=$?
[ $status -eq 1 ] && [[ "$out" == *"cannot open registry"*"Permission denied"* ]] ||
  fail "an unreadable registry: $status $out"
echo "ok"
