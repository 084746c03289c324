#!/usr/bin/env bash
# End-to-end test of `jcm article6 aef` (docs/cli.md, "Article 6"; docs/article6.md, "The AEF")
# on a real SQLite registry holding the imported public JCM data: the AEF of Japan and of
# Mongolia from the historical credits (no authorisation yet: no rows, and a note says so), a
# year that is over frozen and submitted (1.0, then a replay), Mongolia's units authorised at
# issuance and afterwards in this year's tables, CSV and XLSX files, and the refusals 646, 647,
# 648 with nothing journaled. The year is the clock's (UTC), so the test holds in any year.
# Usage: article6_aef_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
year=$(date -u +%Y)
last=$((year - 1))

"$jcm" init --db "$db" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$db" --dir "$here/../../data/jcm" >/dev/null 2>&1
aef() { "$jcm" article6 aef --db "$db" "$@"; }
journal_size() { "$jcm" audit verify --db "$db" --json | field '["entries"]'; }

expect_rejection 3 aef_ndc_not_declared aef --party JPN --year "$year"
for party in JPN MNG; do
  "$jcm" article6 ndc declare --db "$db" --party "$party" --date 2026-01-01 \
    --ndc-type single-year --method averaging --first-year 2021 --last-year 2030 >/dev/null
done

# Real data: the historical credits cite no authorisation, so no Party has an ITMO row.
for party in JPN MNG; do
  expect_rejection 0 - aef --party "$party" --year "$year"
  rows=$(echo "$out" | field ' and [len(t["rows"]) for t in d["tables"]]')
  [ "$rows" = "[1, 0, 0, 0, 0]" ] || fail "$party rows: $rows"
  echo "$out" | field '["notes"][0]' | grep -q "cite no Article 6.2 authorisation" ||
    fail "$party note: $out"
  [ "$(echo "$out" | field '["tables"][0]["rows"][0]["NDC last year"]')" = 2030 ] || fail "T1: $out"
done

# Last year is over: its T4 is frozen by the first report, and a submission is 1.0, then a replay.
expect_rejection 0 - aef --party MNG --year "$last"
[ "$(echo "$out" | field '["year_over"]')" = True ] &&
  [ "$(echo "$out" | field '["holdings_frozen"]')" = True ] || fail "frozen: $out"
size=$(journal_size)
expect_rejection 0 - aef --party MNG --year "$last"
[ "$(journal_size)" = "$size" ] || fail "a second report froze T4 again"
expect_rejection 0 - aef --party MNG --year "$last" --submit
[ "$(echo "$out" | field '["version"]')" = 1.0 ] &&
  [ "$(echo "$out" | field '["submitted"]')" = True ] || fail "submit: $out"
expect_rejection 0 - aef --party MNG --year "$last" --submit
[ "$(echo "$out" | field '["replayed"]')" = True ] || fail "resubmit: $out"
size=$(journal_size)
expect_rejection 3 aef_year_not_over aef --party MNG --year "$year" --submit
[ "$(journal_size)" = "$size" ] || fail "a refused submission journaled something"

# Mongolia authorises units of this year: 100 at issuance, 40 of 100 afterwards.
"$jcm" article6 authorisation add --db "$db" --party MNG --id MN-7 --date 2026-05-01 \
  --cooperative-approach CA0004 --sector "Energy generation" --activity-type Solar --purposes NDC \
  --entity "Mongol Solar LLC; MNG; 9011223344" >/dev/null
acct=$("$jcm" account open --db "$db" --registry MN --type holding --holder-name "Mongol Solar" \
  --json | field '["account"]["id"]')
decision="MN006:2019-07-06..2020-12-31@2026-01-24"
"$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:100" \
  --authorisation "MNG/MN-7" >/dev/null
"$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:100" >/dev/null
"$jcm" article6 authorise --db "$db" --account "$acct" --quantity 40 --authorisation MNG/MN-7 \
  >/dev/null
expect_rejection 0 - aef --party MNG --year "$year" --csv "$work/csv" --xlsx "$work/aef.xlsx"
rows=$(echo "$out" | field ' and [len(t["rows"]) for t in d["tables"]]')
[ "$rows" = "[1, 1, 2, 2, 1]" ] || fail "MNG rows: $rows $out"
actions=$(echo "$out" | field ' and [(r["Action type"], r["Quantity (tCO2e)"]) for r in d["tables"][2]["rows"]]')
[ "$actions" = "[('Authorization', '100'), ('Authorization', '40')]" ] ||
  fail "T3: $actions"
[ "$(echo "$out" | field '["tables"][4]["rows"][0]["Identification number"]')" = 9011223344 ] ||
  fail "T5: $out"
[ "$(echo "$out" | field ' and [c["detail"] for c in d["consistency"]][0]')" = "140 = 0 + 140 + 0 + 0" ] ||
  fail "consistency: $out"
[ "$(echo "$out" | field ' and all(c["ok"] for c in d["consistency"])')" = True ] || fail "checks: $out"
[ "$(ls "$work/csv" | tr '\n' ' ')" = "T1_Submission.csv T2_Authorizations.csv T3_Actions.csv T4_Holdings.csv T5_Authorized_entities.csv " ] ||
  fail "csv files: $(ls "$work/csv")"
[ "$(wc -l <"$work/csv/T3_Actions.csv")" = 3 ] || fail "T3 csv: $(cat "$work/csv/T3_Actions.csv")"
head -1 "$work/csv/T4_Holdings.csv" | grep -q '^Cooperative approach ID,Authorization ID,First transferring Party ID,' ||
  fail "T4 header"
[ "$(head -c 2 "$work/aef.xlsx")" = PK ] || fail "xlsx"
aef --party MNG --year "$year" | grep -q "^ok   authorised = first transferred + held + used + cancelled \[MNG/MN-7\]: 140" ||
  fail "text: $(aef --party MNG --year "$year")"

# An authorised entity without country and number: 646 names the row and field.
"$jcm" article6 authorisation add --db "$db" --party MNG --id MN-8 --date 2026-05-01 \
  --cooperative-approach CA0004 --sector "Energy generation" --purposes NDC --entity Sharp >/dev/null
expect_rejection 3 aef_value_invalid aef --party MNG --year "$year"
echo "$out" | grep -q 'T5 Authorized entities row 2, field \\"Country of incorporation\\"' ||
  fail "646: $out"
expect_rejection 3 party_malformed aef --party MN --year "$year"
expect_rejection 2 - aef --party MNG --year 1800
"$jcm" audit verify --db "$db" >/dev/null || fail "audit"
echo "article6_aef_cli_test: ok"
