#!/usr/bin/env bash
# End-to-end test of `jcm article6 ndc …` (docs/cli.md, "Article 6") on a real SQLite registry:
# a Party's NDC declaration recorded, a retry answered with the first record, a contradictory
# type and method refused with check 642 (exit 3) and nothing journaled, a second version
# superseding the first, list in JSON and text, and the audit still green.
# Usage: article6_ndc_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries JP,MN >/dev/null
declare_ndc() {
  "$jcm" article6 ndc declare --db "$db" --party JPN --version "${VERSION:-1}" --date 2026-04-01 \
    --ndc-type "${TYPE:-single-year}" --method "${METHOD:-averaging}" --first-year 2021 \
    --last-year 2030 "$@"
}
journal_size() { "$jcm" audit verify --db "$db" --json | field '["entries"]'; }

expect_rejection 0 - declare_ndc
[ "$(echo "$out" | field '["method"]')" = averaging ] &&
  [ "$(echo "$out" | field '["replayed"]')" = False ] || fail "declare: $out"
expect_rejection 0 - declare_ndc
[ "$(echo "$out" | field '["replayed"]')" = True ] || fail "retry: $out"
size=$(journal_size)
VERSION=2 METHOD=multi-year expect_rejection 3 ca_method_contradicts_ndc_type declare_ndc
VERSION=2 TYPE=multi-year expect_rejection 3 ca_method_contradicts_ndc_type declare_ndc
VERSION=2 TYPE=annual expect_rejection 3 ndc_type_unknown declare_ndc
METHOD=trajectory expect_rejection 3 ndc_version_exists declare_ndc
VERSION=3 expect_rejection 3 ndc_version_not_next declare_ndc
[ "$(journal_size)" = "$size" ] || fail "a rejection journaled something"

VERSION=2 METHOD=trajectory expect_rejection 0 - declare_ndc
expect_rejection 0 - "$jcm" article6 ndc list --db "$db" --party JPN
[ "$(echo "$out" | field '["declarations"].__len__()')" = 2 ] || fail "list: $out"
expect_rejection 0 - "$jcm" article6 ndc list --db "$db"
[ "$(echo "$out" | field '["declarations"][0]["method"]')" = trajectory ] || fail "latest: $out"
expect_rejection 1 - "$jcm" article6 ndc list --db "$db" --party MNG
text=$("$jcm" article6 ndc list --db "$db" --party JPN)
echo "$text" | grep -q "JPN NDC declaration version 2 of 2026-04-01: single-year NDC 2021-2030, method trajectory" ||
  fail "text: $text"
# The ledger under the declaration in force: every year of 2021-2030, nothing moved here yet.
expect_rejection 0 - "$jcm" article6 ca --db "$db" --party JPN
[ "$(echo "$out" | field '["years"].__len__()')" = 10 ] &&
  [ "$(echo "$out" | field '["ndc"]["method"]')" = trajectory ] &&
  [ "$(echo "$out" | field '["years"][9]["applied_tco2e"]["decimal"]')" = 0.000 ] || fail "ca: $out"
expect_rejection 1 - "$jcm" article6 ca --db "$db" --party MNG
"$jcm" article6 ca --db "$db" --party JPN | grep -q "^2030  0  0  0  0  0.000" || fail "ca text"
"$jcm" audit verify --db "$db" >/dev/null || fail "audit"
echo "article6_ndc_cli_test: ok"
