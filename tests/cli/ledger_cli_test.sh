#!/usr/bin/env bash
# End-to-end test of the command-line contract (docs/cli.md): JSON shapes, exit statuses, one
# JSON document per --json run for ledger, cycle and MRV commands alike, idempotent retries
# (cycle steps included), and audit verify before and after a tampering. That the documented
# options are accepted is cli_docs_options_test (docs_options.py), a test of its own so ctest -j
# runs it beside this one.
# Usage: ledger_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries JP,MN >/dev/null
# init is idempotent: a second run initialises nothing new.
[ "$("$jcm" init --db "$db" --registries JP,MN --json | field '["initialised"]')" = "[]" ] ||
  fail "second init initialised again"

# Credits exist only by a Joint Committee decision (checks 24-26). The public data set records
# the JC decisions of its projects and imports their historical issuances (flagged imported);
# the decision on MN006's latest monitoring period is still pending on MN's side.
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null
decision="MN006:2019-07-06..2020-12-31@2026-01-24"
"$jcm" registry decisions --db "$db" --registry MN --json |
  python3 -c 'import json,sys; d={x["id"]: x for x in json.load(sys.stdin)["decisions"]}; sys.exit(0 if d[sys.argv[1]]["pending_tco2e"] == 6063 else 1)' \
    "$decision" || fail "decision $decision not pending"

sharp=$("$jcm" account open --db "$db" --registry MN --type holding --holder-name "Sharp Energy Solutions" \
  --holder-name-ja "シャープエネルギーソリューション" --json | field '["account"]["id"]')
gov=$("$jcm" account list --db "$db" --registry MN --json |
  python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin) if a["type"]=="government_holding"][0])')
[[ "$sharp" =~ ^MN-121-[0-9]{7}-[0-9]{2}$ ]] || fail "account number $sharp"

set +e
out=$("$jcm" issue --db "$db" --registry MN --project MN006 --period 2019-07-06..2020-12-31 \
  --to "$sharp:500" --json); status=$?
set -e
[ $status -eq 3 ] && [ "$(echo "$out" | field '["rejected"]["name"]')" = decision_unknown ] ||
  fail "issuance without a decision: $out"
out=$("$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$sharp:5963" --to "$gov:100" \
  --authorization ndc --json)
first=$(echo "$out" | field '["transaction"]["blocks"][0]["serial_first"]')
# One block per target and vintage: 6,063 over 2019-07-06..2020-12-31 by days are 1,991 of 2019
# (179 days) and 4,072 of 2020 (366); Sharp's 5,963 take the 1,991 and 3,972, the government 100.
[ "$(echo "$out" | field '["transaction"]["blocks"][2]["serial_last"]')" = $((first + 6062)) ] ||
  fail "issue: $out"
[ "$(echo "$out" | field '.get("transaction") and [[b["quantity"], b["vintage"]] for b in d["transaction"]["blocks"]]')" = \
  "[[1991, 2019], [3972, 2020], [100, 2020]]" ] || fail "issue: $out"
[ "$(echo "$out" | field '["transaction"]["blocks"][0]["project"]')" = MN006 ] || fail "issue: $out"
[ "$(echo "$out" | field '["transaction"]["blocks"][0]["imported"]')" = False ] || fail "issue: $out"
set +e
out=$("$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$sharp:1" --json); status=$?
set -e
[ $status -eq 3 ] && [ "$(echo "$out" | field '["rejected"]["name"]')" = decision_exceeded ] ||
  fail "issuance beyond the decision: $out"
summary=$("$jcm" registry summary --db "$db" --registry MN --json)
[ "$(echo "$summary" | field '["imported_tco2e"]')" = $((first - 1)) ] || fail "summary: $summary"

serials="$((first + 100))..$((first + 149))"
out=$("$jcm" transfer --db "$db" --from "$sharp" --to "$gov" --quantity 50 --serials "$serials" --key t-1 --json)
id=$(echo "$out" | field '["transaction"]["id"]')
again=$("$jcm" transfer --db "$db" --from "$sharp" --to "$gov" --quantity 50 --serials "$serials" --key t-1 --json)
[ "$(echo "$again" | field '["transaction"]["id"]')" = "$id" ] || fail "retry got a new transaction"
[ "$(echo "$again" | field '["transaction"]["replayed"]')" = True ] || fail "retry not marked replayed"

# A rejection exits 3 and names the check; nothing changes.
set +e
out=$("$jcm" retire --db "$db" --from "$sharp" --quantity 100000 --json); status=$?
set -e
[ $status -eq 3 ] || fail "rejection exit status $status"
[ "$(echo "$out" | field '["rejected"]["name"]')" = units_insufficient ] || fail "rejection: $out"
[ "$(echo "$out" | field '["rejected"]["check"]')" = 17 ] || fail "rejection: $out"
mistyped="${sharp:0:10}$(( (${sharp:10:1} + 1) % 10 ))${sharp:11}"
set +e
out=$("$jcm" transfer --db "$db" --from "$mistyped" --to "$gov" --quantity 1 --json); status=$?
set -e
[ $status -eq 3 ] && [ "$(echo "$out" | field '["rejected"]["name"]')" = source_account_number_invalid ] ||
  fail "mistyped account: $out"

retired=$("$jcm" retire --db "$db" --from "$sharp" --quantity 20 --beneficiary "Japan NDC FY2030" \
  --json | field '["transaction"]["id"]')
# The public list of retirements, and the retirement's certificate read back as text.
out=$("$jcm" retirements --db "$db" --registry MN --json)
[ "$(echo "$out" | field '["retirements"][-1]["seq"]')" = "$retired" ] || fail "retirements: $out"
[ "$(echo "$out" | field '["retirements"][-1]["beneficiary"]')" = "Japan NDC FY2030" ] ||
  fail "retirements: $out"
"$jcm" certificate --db "$db" --seq "$retired" --out "$work/cert.pdf" \
  --public-url https://jcm.example >/dev/null
text=$(pdftotext -enc UTF-8 "$work/cert.pdf" - 2>/dev/null)
for expected in "Japan NDC FY2030" "MN006" "償却証明書"; do
  [[ "$text" == *"$expected"* ]] || fail "certificate lacks '$expected': $text"
done
set +e
"$jcm" certificate --db "$db" --seq "$retired" --out "$work/cert.pdf" >/dev/null 2>&1; status=$?
"$jcm" certificate --db "$db" --seq 1 --out "$work/other.pdf" >/dev/null 2>&1; status_not=$?
set -e
[ $status -eq 2 ] || fail "certificate over an existing file: exit $status"
[ $status_not -eq 1 ] && [ ! -e "$work/other.pdf" ] || fail "certificate of a non-retirement"
out=$("$jcm" holdings --db "$db" --account "$sharp" --json)
[ "$(echo "$out" | field '["total"]')" = 5893 ] || fail "holdings: $out"
[ "$(echo "$out" | field '["blocks"][0]["authorization"]')" = ndc ] || fail "holdings: $out"
[ "$(echo "$out" | field '["blocks"][0]["project"]')" = MN006 ] || fail "holdings: $out"

# Usage errors exit 2.
set +e
"$jcm" transfer --db "$db" --form "$sharp" >/dev/null 2>&1; status=$?
set -e
[ $status -eq 2 ] || fail "unknown option exit status $status"

# Overflowing (>= 2^63) and non-integer quantities are usage errors, caught before any check.
for bad in 9223372036854775808 99999999999999999999 1.5 1e3 -- "" 12abc; do
  set +e
  "$jcm" transfer --db "$db" --from "$sharp" --to "$gov" --quantity "$bad" >/dev/null 2>&1; status=$?
  "$jcm" issue --db "$db" --registry JP --project MN003 --period 2017-08-26..2018-05-31 \
    --to "$sharp:$bad" >/dev/null 2>&1; status_issue=$?
  set -e
  [ $status -eq 2 ] || fail "quantity '$bad' exit status $status"
  [ $status_issue -eq 2 ] || fail "issue quantity '$bad' exit status $status_issue"
done
# A quantity that parses but exceeds the per-transaction limit is check 3.
set +e
out=$("$jcm" transfer --db "$db" --from "$sharp" --to "$gov" --quantity 9223372036854775807 --json)
status=$?
set -e
[ $status -eq 3 ] && [ "$(echo "$out" | field '["rejected"]["name"]')" = quantity_above_limit ] ||
  fail "int64 max quantity: $out"

# --help everywhere: every command prints its synopsis and exits 0.
for command in init account issue transfer retire cancel holdings audit document bench mrv import project \
               registry due party jc org tpe methodology pin pdd validation registration \
               monitoring verification issuance cycle; do
  text=$("$jcm" "$command" --help) || fail "$command --help exit status"
  [[ "$text" == *"jcm $command"* ]] || fail "$command --help: $text"
  "$jcm" help "$command" >/dev/null || fail "jcm help $command"
done
"$jcm" --help | grep -q "usage: jcm" || fail "jcm --help"

# --json: exactly one JSON document on stdout and nothing on stderr, whatever the outcome.
# expect STATUS KEY COMMAND…: runs COMMAND --json, checks the exit status and the document's
# top-level key (transaction, rejected, error, …); leaves the document in $doc.
expect() {
  local want="$1" key="$2" status=0
  shift 2
  doc=$("$jcm" "$@" --json 2>"$work/stderr") || status=$?
  [ "$status" -eq "$want" ] || fail "$* exited $status, not $want: $doc"
  [ ! -s "$work/stderr" ] || fail "$* wrote to stderr with --json: $(cat "$work/stderr")"
  python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if sys.argv[1] in d else 1)' \
    "$key" <<<"$doc" || fail "$*: not one JSON document with \"$key\": $doc"
}
# A ledger command: success, rejection, usage error, operating error.
expect 0 transaction transfer --db "$db" --from "$sharp" --to "$gov" --quantity 1
expect 3 rejected transfer --db "$db" --from "$sharp" --to "$gov" --quantity 100000
expect 2 error transfer --db "$db" --from "$sharp" --to "$gov" --quantity abc
[ "$(echo "$doc" | field '["error"]["code"]')" = invalid_argument ] || fail "usage error code: $doc"
expect 2 error transfer --db "$db" --form "$sharp"
expect 2 error frobnicate
expect 1 error holdings --db "$db" --account JP-121-9999999-99
[ "$(echo "$doc" | field '["error"]["code"]')" = not_found ] || fail "not found code: $doc"
expect 1 error holdings --db "$work/no/such/dir/x.db" --account "$sharp"
# The project cycle on a registry of its own (the public data set already registers MN).
cdb="$work/cycle.db"
"$jcm" init --db "$cdb" --registries "" >/dev/null  # only init creates a registry file
# A cycle command: success, --key replay, key reuse, rejection, usage and operating errors.
expect 0 event party register --db "$cdb" --partner MN --name Mongolia --key party-mn
seq=$(echo "$doc" | field '["event"]["seq"]')
expect 0 event party register --db "$cdb" --partner MN --name Mongolia --key party-mn
[ "$(echo "$doc" | field '["event"]["seq"]')" = "$seq" ] || fail "cycle retry got a new event: $doc"
[ "$(echo "$doc" | field '["event"]["replayed"]')" = True ] || fail "cycle retry not replayed: $doc"
expect 3 rejected party register --db "$cdb" --partner MN --name Mongolei --key party-mn
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 1 ] || fail "key reuse: $doc"
expect 3 rejected party register --db "$cdb" --partner MN --name Mongolia
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 116 ] || fail "repeat without key: $doc"
expect 2 error party register --db "$cdb" --partner MN --bogus x
expect 1 error project show --db "$cdb" MN999
# An MRV command: success, rejection (a period that is not issuable), usage and operating errors.
params="$root/src/mrv/testdata/pv_params.txt"
expect 0 methodology mrv calc --params "$params" --data "$root/src/mrv/testdata/pv_long.csv"
printf 'point,parameter,timestamp,value,unit\nPV01,EG,2017-01-01,100,MWh\nPV01,EG_aux,2017-01-01,200,MWh\n' \
  >"$work/negative.csv"
# (Auxiliary import far above generation: negative under the net variant; MN_AM003 itself has
# no project emissions.)
expect 3 rejected mrv calc --methodology MN_AM003_NETAUX@1.0 --params "$params" \
  --data "$work/negative.csv"
[ "$(echo "$doc" | field '["rejected"]["check"]')" = 202 ] || fail "not issuable: $doc"
echo "$doc" | field '["periods"][0]["issuable"]' | grep -q False || fail "rejection without report"
expect 2 error mrv calc --bogus
expect 1 error mrv calc --params "$work/no-such-params.txt" --data "$work/negative.csv"
# document get --json: a document stored by a cycle step, base64 in the JSON document.
printf 'a proposed methodology\n' >"$work/proposal.txt"
sha=$(sha256sum "$work/proposal.txt" | cut -d' ' -f1)
"$jcm" jc establish --db "$cdb" --partner MN --secretariat S --date 2013-03-01 >/dev/null
"$jcm" org register --db "$cdb" --id pp --name PP --country MN >/dev/null
expect 0 event methodology propose --db "$cdb" --code MN_PM099 --partner MN --title T \
  --proponent pp --scope 1 --document "$work/proposal.txt" --date 2016-01-04
expect 0 document document get --db "$cdb" --sha256 "$sha"
[ "$(echo "$doc" | python3 -c 'import base64,json,sys; print(base64.b64decode(json.load(sys.stdin)["document"]["base64"]).decode(), end="")')" = \
  "a proposed methodology" ] || fail "document get --json: $doc"
expect 1 error document get --db "$cdb" --sha256 "$(printf '0%.0s' {1..64})"

out=$("$jcm" audit verify --db "$db" --json)
echo "$out" | grep -q '"ok":true' || fail "audit of a sound registry: $out"
jp_imported=$("$jcm" registry summary --db "$db" --registry JP --json | field '["imported_tco2e"]')
[ "$(echo "$out" | field '["imported"]["units"]')" = $((first - 1 + jp_imported)) ] ||
  fail "audit imports: $out"
sqlite3 "$db" "UPDATE blocks SET unit_count = unit_count + 5 WHERE id = 1"
set +e
out=$("$jcm" audit verify --db "$db" --json); status=$?
set -e
[ $status -eq 4 ] || fail "audit after tampering exit status $status"
echo "$out" | grep -q '"invariant":"INV-4"' || fail "audit did not name INV-4: $out"
echo "CLI contract: ok"
