#!/usr/bin/env bash
# End-to-end test of `jcm article6 authorisation …` (docs/cli.md, "Article 6") on a real SQLite
# registry: an authorisation recorded with the nomenclature's values (spaces and all), a retry
# answered with the first record, a malformed value refused with its check (exit 3) and nothing
# journaled, a second version superseding the first, list/show in JSON and text, and the audit
# still green over the article6.* entries.
# Usage: article6_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries JP,MN >/dev/null
# One authorisation of Japan; VERSION, DATE, CAP and FT change its values (a flag is given once).
add() {
  "$jcm" article6 authorisation add --db "$db" --party JPN --id "JP-MN 2026-1" \
    --version "${VERSION:-1}" --date "${DATE:-2026-03-01}" --cooperative-approach CA0004 \
    --sector "Energy generation" --activity-type Solar --activity-type "C02 usage" \
    --purposes "NDC and OIMP" --first-transfer "${FT:-Use or Cancellation}" \
    --quantity-cap "${CAP:-1000}" --timeframe "2021 - 2030" --entity "Sharp Energy Solutions" "$@"
}
journal_size() { "$jcm" audit verify --db "$db" --json | field '["entries"]'; }

expect_rejection 0 - add
[ "$(echo "$out" | field '["version"]')" = 1 ] && [ "$(echo "$out" | field '["replayed"]')" = False ] ||
  fail "add: $out"
[ "$(echo "$out" | field '["purposes"]')" = "NDC and OIMP" ] || fail "purposes: $out"
[ "$(echo "$out" | field '["first_transfer"]')" = "Use or Cancellation" ] || fail "ft: $out"
[ "$(echo "$out" | field '["activity_types"][1]')" = "C02 usage" ] || fail "types: $out"
seq1=$(echo "$out" | field '["recorded_seq"]')

# A retry is the first record; other content for version 1 is 613.
expect_rejection 0 - add
[ "$(echo "$out" | field '["replayed"]')" = True ] &&
  [ "$(echo "$out" | field '["recorded_seq"]')" = "$seq1" ] || fail "retry: $out"
size=$(journal_size)
CAP=2000 expect_rejection 3 authorisation_version_exists add
VERSION=3 expect_rejection 3 authorisation_version_not_next add
FT=Authorization expect_rejection 3 first_transfer_definition_unknown add
expect_rejection 3 activity_type_unknown add --activity-type "CO2 usage"
expect_rejection 3 cooperative_approach_malformed "$jcm" article6 authorisation add --db "$db" \
  --party JPN --id X --date 2026-03-01 --cooperative-approach CA04 --sector Agriculture --purposes NDC
expect_rejection 3 first_transfer_definition_missing "$jcm" article6 authorisation add --db "$db" \
  --party MNG --id X --date 2026-03-01 --cooperative-approach CA0004 --sector Agriculture --purposes OIMP
expect_rejection 3 party_malformed "$jcm" article6 authorisation add --db "$db" \
  --party Mongolia --id X --date 2026-03-01 --cooperative-approach CA0004 --sector Agriculture \
  --purposes NDC
# A usage error: a date that is no date (exit 2).
DATE=2026-02-30 expect_rejection 2 - add
[ "$(journal_size)" = "$size" ] || fail "a rejection journaled something"

# Version 2 supersedes version 1: list shows it, show shows both.
VERSION=2 DATE=2026-02-01 expect_rejection 3 authorisation_date_before_superseded add
VERSION=2 DATE=2026-04-01 CAP=2000 expect_rejection 0 - add
"$jcm" article6 authorisation add --db "$db" --party MNG --id "MN-7" --date 2026-05-01 \
  --cooperative-approach CA0004 --sector "Waste management" --purposes NDC --json >/dev/null
expect_rejection 0 - "$jcm" article6 authorisation list --db "$db"
[ "$(echo "$out" | field '["authorisations"].__len__()')" = 2 ] || fail "list: $out"
[ "$(echo "$out" | field '["authorisations"][0]["version"]')" = 2 ] || fail "list: $out"
[ "$(echo "$out" | field '["authorisations"][1]["quantity_cap"]')" = None ] || fail "list: $out"
expect_rejection 0 - "$jcm" article6 authorisation list --db "$db" --party MNG
[ "$(echo "$out" | field '["authorisations"][0]["id"]')" = MN-7 ] || fail "list MNG: $out"
expect_rejection 0 - "$jcm" article6 authorisation show --db "$db" --party JPN --id "JP-MN 2026-1"
[ "$(echo "$out" | field '.get("authorisations") and [x["quantity_cap"] for x in d["authorisations"]]')" = "[1000, 2000]" ] ||
  fail "show: $out"
expect_rejection 1 - "$jcm" article6 authorisation show --db "$db" --party JPN --id nope
text=$("$jcm" article6 authorisation show --db "$db" --party JPN --id "JP-MN 2026-1")
echo "$text" | grep -q "JPN JP-MN 2026-1 version 2 of 2026-04-01: CA0004, NDC and OIMP, GHG, up to 2000 tCO2e" ||
  fail "text: $text"
echo "$text" | grep -q "first transfer for OIMP: Use or Cancellation" || fail "text: $text"

# Units cite an authorisation at issuance (MN issues a JC decision of the imported public data)
# and afterwards; the block's flag follows the purposes; unknown authorisations are 617.
here=$(cd "$(dirname "$0")" && pwd)
"$jcm" import jcm-data --db "$db" --dir "$here/../../data/jcm" >/dev/null 2>&1
acct=$("$jcm" account open --db "$db" --registry MN --type holding --holder-name "Sharp Energy" \
  --json | field '["account"]["id"]')
decision="MN006:2019-07-06..2020-12-31@2026-01-24"
expect_rejection 0 - "$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:100" \
  --authorisation "JPN/JP-MN 2026-1"
[ "$(echo "$out" | field '["transaction"]["blocks"][0]["article6_authorisation"]')" = "JPN/JP-MN 2026-1" ] &&
  [ "$(echo "$out" | field '["transaction"]["blocks"][0]["authorization"]')" = "ndc+oimp" ] ||
  fail "issue citing: $out"
expect_rejection 3 authorisation_unknown "$jcm" issue --db "$db" --registry MN --decision "$decision" \
  --to "$acct:1" --authorisation "JPN/nope"
expect_rejection 2 - "$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:1" \
  --authorisation "MNG/MN-7" --authorization ndc
# 100 more without one, then 40 of them authorised by serials: the block splits in place.
expect_rejection 0 - "$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:100"
[ "$(echo "$out" | field '["transaction"]["blocks"][0]["article6_authorisation"]')" = None ] ||
  fail "plain issue: $out"
first=$(echo "$out" | field '["transaction"]["blocks"][0]["serial_first"]')
range="$((first + 10))..$((first + 49))"
expect_rejection 0 - "$jcm" article6 authorise --db "$db" --account "$acct" --quantity 40 \
  --serials "$range" --authorisation "MNG/MN-7" --key a1
[ "$(echo "$out" | field '["transaction"]["type"]')" = article6_authorisation ] || fail "authorise: $out"
expect_rejection 0 - "$jcm" article6 authorise --db "$db" --account "$acct" --quantity 40 \
  --serials "$range" --authorisation "MNG/MN-7" --key a1
[ "$(echo "$out" | field '["transaction"]["replayed"]')" = True ] || fail "retry: $out"
expect_rejection 3 units_already_authorised "$jcm" article6 authorise --db "$db" --account "$acct" \
  --quantity 5 --serials "$((first + 45))..$((first + 49))" --authorisation "MNG/MN-7"
expect_rejection 3 authorisation_unknown "$jcm" article6 authorise --db "$db" --account "$acct" \
  --quantity 5 --authorisation "MNG/none"
expect_rejection 0 - "$jcm" holdings --db "$db" --account "$acct"
cited=$(echo "$out" | field '.get("blocks") and [[b["quantity"], b["article6_authorisation"], b["authorization"]] for b in d["blocks"]]')
[ "$cited" = "[[100, 'JPN/JP-MN 2026-1', 'ndc+oimp'], [10, None, 'none'], [40, 'MNG/MN-7', 'ndc'], [50, None, 'none']]" ] ||
  fail "holdings: $cited"
# The cap of the version in force (2000 since version 2): 100 cite it, 1,901 more is 620.
expect_rejection 3 authorisation_cap_exceeded "$jcm" issue --db "$db" --registry MN \
  --decision "$decision" --to "$acct:1901" --authorisation "JPN/JP-MN 2026-1"
expect_rejection 0 - "$jcm" issue --db "$db" --registry MN --decision "$decision" --to "$acct:1900" \
  --authorisation "JPN/JP-MN 2026-1"

# ITMO identifiers: units citing an authorisation carry the approach, MNG01 and ITMO IDs as
# many as their serials; the others none.
expect_rejection 0 - "$jcm" holdings --db "$db" --account "$acct"
itmo=$(echo "$out" | field '.get("blocks") and sorted(set((b["itmo"]["party_itmo_registry_id"], b["itmo"]["cooperative_approach"], b["itmo"]["last_id"] - b["itmo"]["first_id"] == b["serial_last"] - b["serial_first"]) if b["itmo"] else None for b in d["blocks"]), key=str)')
[ "$itmo" = "[('MNG01', 'CA0004', True), None]" ] || fail "itmo: $itmo"

# Use toward the NDC records its year (not before the units' vintage: 624). The JPN
# authorisation covers NDC use and its units are in another Party's registry (MN): they were
# first transferred, by JPN, when issued citing it, and stay so. A cancellation's purpose is
# omge, voluntary or other (626).
expect_rejection 3 use_year_invalid "$jcm" retire --db "$db" --from "$acct" --quantity 1 \
  --use-year 2018
expect_rejection 0 - "$jcm" retire --db "$db" --from "$acct" --quantity 1 --use-year 2030
[ "$(echo "$out" | field '["transaction"]["blocks"][0]["itmo"]["first_transferring_party"]')" = JPN ] &&
  [ "$(echo "$out" | field '["transaction"]["blocks"][0]["first_transferred"]')" = True ] ||
  fail "retire: $out"
expect_rejection 3 cancellation_purpose_invalid "$jcm" cancel --db "$db" --from "$acct" \
  --quantity 1 --reason "test" --purpose bogus
expect_rejection 0 - "$jcm" cancel --db "$db" --from "$acct" --quantity 1 --reason "test" \
  --purpose omge

# The journal stays a valid chain and the audit is green.
"$jcm" audit verify --db "$db" >/dev/null || fail "audit verify"
echo "article6 CLI test passed"
