#!/usr/bin/env bash
# End-to-end test of MRV recomputation from stored evidence (docs/mrv.md, "Recomputation from
# stored evidence"; INV-30, INV-31) on a real SQLite registry through the real `jcm` binary: a
# monitoring report submitted with --mrv-params/--mrv-data stores its files, the methodology
# definition and the report; `jcm mrv recompute` re-derives the report byte for byte from them
# alone (even once the installed methodology has changed); `jcm audit verify --with-mrv` runs it
# for every report; an altered evidence file (check 230) or recorded report (check 231) is named
# with exit 4, a missing one is an error naming it (exit 1).
# Usage: mrv_recompute_cli_test.sh PATH_TO_JCM SOURCE_DIR
set -euo pipefail
jcm="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
status_of() { set +e; "$@" --json >"$work/out" 2>"$work/err"; echo $?; set -e; }
step() { "$jcm" "$@" --db "$db" --today 2026-11-01 >/dev/null || fail "jcm $*"; }

# A private copy of the installed methodologies: the test changes it after the submission.
cp -r "$src/methodologies" "$work/methodologies"
echo "a document" >"$work/doc.txt"
doc="$work/doc.txt"
"$jcm" init --db "$db" --registries "" >/dev/null
step party register --partner MN --name Mongolia
step jc establish --partner MN --secretariat S --date 2013-03-01
step org register --id pp --name PP --country MN
step org register --id tpe --name TPE --country JP
step tpe designate --partner MN --org tpe --scope 1 --function validation --date 2014-01-01
step methodology propose --code MN_PM005 --partner MN --title PV --proponent pp --scope 1 \
  --document "$doc" --date 2016-01-04
step methodology check --code MN_PM005 --complete --date 2016-01-05
step methodology decide --code MN_PM005 --approve --approved-code MN_AM003 --version 2.0 \
  --date 2016-02-01
step pin submit --id MN_PIN001 --partner MN --title PV --host pp --focal-point pp \
  --methodology MN_AM003 --methodology-version 2.0 --scope 1 --funding private \
  --document "$doc" --date 2016-03-01 --by pp
step pin decide --project MN_PIN001 --no-objection --date 2016-03-02
step pdd submit --project MN_PIN001 --document "$doc" --date 2016-04-01 --by pp
step validation submit --project MN_PIN001 --tpe tpe --report "$doc" --date 2016-06-01
step registration request --project MN_PIN001 --share JP:government:50 --share MN:pp:50 \
  --document "$doc" --date 2016-06-02 --by pp
step registration decide --project MN_PIN001 --approve --date 2016-07-01
period=2017-01-01..2017-07-31
step monitoring period --project MN001 --period "$period" --date 2017-01-01 --by pp

# The report with its evidence: the figure is the one `jcm mrv calc` gives on the same files.
params="$src/src/mrv/testdata/pv_params.txt"
data="$src/src/mrv/testdata/pv_long.csv"
figure=$("$jcm" mrv calc --methodologies "$work/methodologies" --params "$params" --data "$data" \
  --period "$period" --json | field '["emission_reductions_tco2e"]')
"$jcm" monitoring report --db "$db" --today 2026-11-01 --project MN001 --period "$period" \
  --document "$doc" --date 2017-09-01 --by pp --mrv-params "$params" --mrv-data "$data" \
  --methodologies "$work/methodologies" --json >"$work/report.json" || fail "monitoring report"
seq=$(field '["event"]["seq"]' <"$work/report.json")
[ "$(field '["event"]["fields"]["reported_tco2e"]' <"$work/report.json")" = "$figure" ] ||
  fail "reported figure: $(cat "$work/report.json")"
[ "$(field '["event"]["fields"]["mrv_methodology"]' <"$work/report.json")" = "MN_AM003@2.0" ] ||
  fail "methodology not journaled: $(cat "$work/report.json")"
methodology_sha=$(sha256sum "$work/methodologies/MN_AM003/v2.0.jcmm" | cut -d' ' -f1)
[ "$(field '["event"]["fields"]["mrv_methodology_sha256"]' <"$work/report.json")" = "$methodology_sha" ] ||
  fail "methodology SHA-256"
data_sha=$(sha256sum "$data" | cut -d' ' -f1)
[ "$(field '["event"]["fields"]["mrv_data_sha256"]' <"$work/report.json")" = "$data_sha" ] ||
  fail "data SHA-256: $(cat "$work/report.json")"
recorded=$(field '["event"]["fields"]["mrv_calculation_sha256"]' <"$work/report.json")

# INV-31: the installed definition changes (another version of the file, same name) and the
# recomputation still reads the stored one: identical, exit 0.
echo "# edited after the report was submitted" >>"$work/methodologies/MN_AM003/v2.0.jcmm"
[ "$(JCM_METHODOLOGIES="$work/none" status_of "$jcm" mrv recompute --db "$db" --report "$seq")" = 0 ] ||
  fail "recompute: $(cat "$work/out" "$work/err")"
[ "$(field '["identical"]' <"$work/out")" = True ] || fail "not identical: $(cat "$work/out")"
[ "$(field '["recomputed_sha256"]' <"$work/out")" = "$recorded" ] || fail "recomputed SHA-256"
[ "$(field '["recorded_sha256"]' <"$work/out")" = "$recorded" ] || fail "recorded SHA-256"
[ "$(field '["files"][0]["name"]' <"$work/out")" = "MN_AM003/v2.0.jcmm" ] || fail "files"
"$jcm" mrv recompute --db "$db" --report "$seq" | grep -q "^identical: monitoring report $seq" ||
  fail "text output"
[ "$(status_of "$jcm" audit verify --db "$db" --with-mrv)" = 0 ] || fail "audit: $(cat "$work/out")"
[ "$(field '["mrv"]["reports_recomputed"]' <"$work/out")" = 1 ] || fail "audit recomputed none"
# An entry that is not a monitoring report: a clear error.
[ "$(status_of "$jcm" mrv recompute --db "$db" --report 1)" = 1 ] || fail "entry 1"
grep -q "is not a monitoring report" "$work/out" || fail "entry 1: $(cat "$work/out")"

# An altered monitoring file: check 230 names it, exit 4; the audit reports INV-30 at the entry.
cp "$db" "$work/pristine.db"
sqlite3 "$db" "UPDATE documents SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), '1000.5', '9000.5') \
  AS BLOB) WHERE sha256 = '$data_sha'"
[ "$(status_of "$jcm" mrv recompute --db "$db" --report "$seq")" = 4 ] ||
  fail "altered data: $(cat "$work/out" "$work/err")"
[ "$(field '["difference"]["check"]' <"$work/out")" = 230 ] || fail "check: $(cat "$work/out")"
[ "$(field '["difference"]["name"]' <"$work/out")" = mrv_evidence_altered ] || fail "name"
grep -q "data-1" "$work/out" || fail "the altered file is not named: $(cat "$work/out")"
[ "$(status_of "$jcm" audit verify --db "$db" --with-mrv)" = 4 ] || fail "audit of altered data"
python3 -c "import json,sys; v=json.load(open(sys.argv[1]))['violations']; \
  assert any(x['invariant']=='INV-30' and x['entry']==$seq for x in v), v" "$work/out" ||
  fail "no INV-30 violation"

# The recorded report altered: check 231.
cp "$work/pristine.db" "$db"
sqlite3 "$db" "UPDATE documents SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), '\"eligible\":true', \
  '\"eligible\":false') AS BLOB) WHERE sha256 = '$recorded'"
[ "$(status_of "$jcm" mrv recompute --db "$db" --report "$seq")" = 4 ] || fail "altered report"
[ "$(field '["difference"]["check"]' <"$work/out")" = 231 ] || fail "check: $(cat "$work/out")"
grep -q "report.json" "$work/out" || fail "the report is not named: $(cat "$work/out")"

# A stored file missing: an error naming it (not_found, exit 1).
cp "$work/pristine.db" "$db"
sqlite3 "$db" "DELETE FROM documents WHERE sha256 = '$methodology_sha'"
[ "$(status_of "$jcm" mrv recompute --db "$db" --report "$seq")" = 1 ] || fail "missing file"
grep -q "not_found" "$work/out" || fail "code: $(cat "$work/out")"
grep -q "MN_AM003/v2.0.jcmm" "$work/out" || fail "the missing file is not named: $(cat "$work/out")"
echo "ok"
