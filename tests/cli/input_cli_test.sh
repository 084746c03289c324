#!/usr/bin/env bash
# End-to-end test of input handling (issue 8, items 4, 12, 15): every argument a command does not
# declare is a usage error naming it; document get never overwrites the registry or (without
# --force) any file; text is bounded UTF-8 and names hold no control characters; references,
# countries and scopes are validated; a rejected cycle step stores no document; unknown
# registries and filters are errors, not zeros.
# Usage: input_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

# expect STATUS KEY ARGS…: runs jcm ARGS… --json; the exit status is STATUS and stdout is one
# JSON document with KEY at its top; $doc holds it.
expect() {
  local want="$1" key="$2" status=0
  shift 2
  doc=$("$jcm" "$@" --json 2>"$work/stderr") || status=$?
  [ "$status" -eq "$want" ] || fail "$* exited $status, not $want: $doc"
  python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if sys.argv[1] in d else 1)' \
    "$key" <<<"$doc" || fail "$*: not one JSON document with \"$key\": $doc"
}
# message_has TEXT: the error message of $doc contains TEXT.
message_has() {
  echo "$doc" | field '["error"]["message"]' | grep -qF -- "$1" || fail "message lacks '$1': $doc"
}
rejected_by() {  # rejected_by NAME: $doc is a rejection by the check NAME
  [ "$(echo "$doc" | field '["rejected"]["name"]')" = "$1" ] || fail "not rejected by $1: $doc"
}

# ---- init validates every registry code before initialising any (item 15) ----
expect 3 rejected init --db "$db" --registries 'KH,XX'
rejected_by registry_unknown
expect 1 error registry summary --db "$db" --registry KH
message_has "not initialised"
expect 0 initialised init --db "$db" --registries 'JP, MN, KH'
[ "$(echo "$doc" | field '["initialised"]')" = "['JP', 'MN', 'KH']" ] || fail "init with spaces: $doc"

# ---- item 12: arguments a command does not declare ----
holder=$("$jcm" account open --db "$db" --registry MN --holder-name "Alice LLC" --json |
  field '["account"]["id"]')
expect 2 error account suspend --db "$db" --account "$holder" -key k1
message_has "unexpected argument '-key'"
expect 2 error holdings --db "$db" --account "$holder" stray
message_has "unexpected argument 'stray'"
expect 2 error retire --db "$db" --from "$holder" --quantity 1 --to "$holder"
message_has "unknown option --to"
expect 2 error account suspend --db "$db" --account "$holder" --key a --key b
message_has "--key is given more than once"
expect 2 error account list --db "$db" --json
message_has "--json is given more than once"
# Nothing of the refused commands ran: the account is still open.
"$jcm" account list --db "$db" --registry MN | grep -q "$holder  holding  open" ||
  fail "a refused command changed the account"
expect 2 error $'\xff\xfe' --db "$db"
message_has "unknown command (not UTF-8)"
# A declared positional argument is still taken, a second one is not.
expect 1 error project show --db "$db" MN999
expect 2 error project show --db "$db" MN998 MN999
message_has "unexpected argument 'MN999'"
# --help lists the options of each command of the noun.
"$jcm" transfer --help | grep -qF "jcm transfer --db V --from V --to V --quantity V --serials V --key V --json" ||
  fail "transfer --help does not list its options: $("$jcm" transfer --help)"
"$jcm" help issue | grep -qF -- "--to V…" || fail "help issue does not mark --to repeatable"

# ---- item 15: text fields ----
long=$(printf 'x%.0s' {1..1001})
expect 3 rejected account suspend --db "$db" --account "$holder" --reason "$long"
rejected_by details_invalid
expect 3 rejected account suspend --db "$db" --account "$holder" --key "$long"
rejected_by details_invalid
expect 3 rejected account open --db "$db" --registry MN --holder-name $'Mallory\nMN-121-0000001-00  holding  open  999999'
rejected_by details_invalid
expect 3 rejected account open --db "$db" --registry MN --holder-name $'Tab\tName'
rejected_by details_invalid
# Invalid UTF-8 is refused at input, and the error is still one JSON document.
expect 2 error account open --db "$db" --registry MN --holder-name $'Caf\xe9'
message_has "--holder-name is not valid UTF-8"
"$jcm" account list --db "$db" --registry MN --json | python3 -c 'import json,sys; json.load(sys.stdin)' ||
  fail "account list --json is not JSON"
# Project references are a partner's code and three digits.
for ref in XX003 JP001 MN0003 MN000; do
  expect 3 rejected issue --db "$db" --registry MN --project "$ref" --period 2019-01-01..2019-12-31 \
    --to "$holder:1"
  rejected_by details_invalid
done

# ---- item 15: project-cycle input ----
cdb="$work/cycle.db"
"$jcm" init --db "$cdb" --registries "" >/dev/null
"$jcm" party register --db "$cdb" --partner MN --name Mongolia >/dev/null
"$jcm" jc establish --db "$cdb" --partner MN --secretariat S --date 2013-03-01 >/dev/null
expect 3 rejected org register --db "$cdb" --id xx --name X --country XX
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 130 ] || fail "country XX: $doc"
expect 3 rejected org register --db "$cdb" --id pp --name "$long" --country MN
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 156 ] || fail "long name: $doc"
expect 3 rejected org register --db "$cdb" --id pp --name $'PP\nforged row' --country MN
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 156 ] || fail "newline in name: $doc"
"$jcm" org register --db "$cdb" --id pp --name PP --country MN >/dev/null
printf 'a proposed methodology\n' >"$work/proposal.txt"
sha=$(sha256sum "$work/proposal.txt" | cut -d' ' -f1)
for scope in 0 99; do
  expect 3 rejected methodology propose --db "$cdb" --code MN_PM099 --partner MN --title T \
    --proponent pp --scope "$scope" --document "$work/proposal.txt" --date 2016-01-04
  [ "$(echo "$doc" | field '["rejected"]["check"]')" = 130 ] || fail "scope $scope: $doc"
done
# The rejected steps stored no document.
expect 1 error document get --db "$cdb" --sha256 "$sha"
# A directory is not a document.
expect 2 error methodology propose --db "$cdb" --code MN_PM099 --partner MN --title T \
  --proponent pp --scope 1 --document "$work" --date 2016-01-04
message_has "not a readable regular file"
expect 0 event methodology propose --db "$cdb" --code MN_PM099 --partner MN --title T \
  --proponent pp --scope 1 --document "$work/proposal.txt" --date 2016-01-04
expect 0 document document get --db "$cdb" --sha256 "$sha"

# ---- item 15: unknown registries and filters are errors, not zeros ----
expect 2 error registry summary --db "$db" --registry XX
expect 1 error registry summary --db "$db" --registry VN
expect 2 error project list --db "$cdb" --status bogus
expect 2 error project list --db "$cdb" --country XX

# ---- item 4: document get --out never overwrites the registry, nor a file without --force ----
cp "$cdb" "$work/before.db"
for target in "$cdb" "$cdb-wal" "$cdb-shm" "$work/../$(basename "$work")/cycle.db"; do
  expect 2 error document get --db "$cdb" --sha256 "$sha" --out "$target"
  message_has "is the registry's own file"
done
ln -s "$cdb" "$work/link.db"
ln "$cdb" "$work/hard.db"
for target in "$work/link.db" "$work/hard.db"; do
  expect 2 error document get --db "$cdb" --sha256 "$sha" --out "$target"
done
expect 2 error document get --db "$cdb" --sha256 "$sha" --out "$work/hard.db" --force
cmp -s "$cdb" "$work/before.db" || fail "document get changed the registry database"
expect 0 ok audit verify --db "$cdb"
printf 'keep me\n' >"$work/existing.txt"
expect 2 error document get --db "$cdb" --sha256 "$sha" --out "$work/existing.txt"
message_has "exists; pass --force"
[ "$(cat "$work/existing.txt")" = "keep me" ] || fail "existing file overwritten without --force"
expect 0 document document get --db "$cdb" --sha256 "$sha" --out "$work/existing.txt" --force
cmp -s "$work/existing.txt" "$work/proposal.txt" || fail "--force did not write the document"
expect 0 document document get --db "$cdb" --sha256 "$sha" --out "$work/new.txt"
cmp -s "$work/new.txt" "$work/proposal.txt" || fail "--out did not write the document"
expect 2 error document get --db "$cdb" --sha256 "$sha" --out "$work"
echo "CLI input handling: ok"
