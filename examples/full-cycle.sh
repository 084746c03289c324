#!/usr/bin/env bash
# A new solar project in Mongolia, from its Project Idea Note to a retirement for NDC use on the
# Japanese side, through the jcm command line only; ends with `jcm audit verify`.
#
#   examples/full-cycle.sh [PATH_TO_JCM] [DATABASE]
#
# Without DATABASE a temporary one is used and removed. Every step prints what it journaled; the
# script stops at the first failure (set -e) and checks the figures it can derive itself.
set -euo pipefail

JCM=${1:-jcm}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB=${2:-$WORK/full-cycle.db}
TODAY=2026-11-01
PERIOD=2025-07-01..2025-12-31

jcm() { "$JCM" "$@" --db "$DB"; }
cycle() { "$JCM" "$@" --db "$DB" --today "$TODAY"; }
# Prints a Python expression of the JSON document on stdin, named v.
json_get() { python3 -c "import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
step() { printf '\n== %s\n' "$*"; }
# Runs a setup command that may already have been done (e.g. in a database seeded with the
# public JCM data): only a rejection by check 116 (already_exists) is tolerated.
once() {
  local out code=0
  out=$("$@" --json) || code=$?
  if [ "$code" -eq 0 ]; then echo "$out"; return 0; fi
  if [ "$code" -eq 3 ] && grep -q '"name":"already_exists"' <<<"$out"; then
    echo "already present: $*"
    return 0
  fi
  echo "$out" >&2
  return "$code"
}

for doc in proposed-methodology pin pdd pdd-public validation-report registration-request \
           monitoring-report verification-report issuance-request; do
  printf '%s of the example project, written %s\n' "$doc" "$TODAY" > "$WORK/$doc.txt"
done

step "Registries and the Japan–Mongolia Joint Committee"
jcm init --registries JP,MN
BEFORE=$(cycle registry summary --registry JP --json)
ISSUED_JP_BEFORE=$(echo "$BEFORE" | json_get 'v["issued_tco2e"]')
RETIRED_JP_BEFORE=$(echo "$BEFORE" | json_get 'v["retired_tco2e"]')
once cycle party register --partner MN --name Mongolia --bilateral-date 2013-01-08
once cycle jc establish --partner MN --secretariat "JC secretariat (Ulaanbaatar)" \
  --member "MOFA Japan" --member "MOEJ" --member "Ministry of Environment and Tourism" \
  --date 2013-03-01
once cycle jc form --partner MN --form JCM_MN_F_PIN --version 06.0 --effective 2024-01-01
once cycle org register --id gobi-solar --name "Gobi Solar LLC" --country MN
once cycle org register --id nihon-solar --name "Nihon Solar K.K." --country JP
once cycle org register --id tpe-a --name "Example Validation and Verification Body" --country JP
once cycle org register --id consult --name "Example Consulting" --country JP
once cycle tpe designate --partner MN --org tpe-a --scope 1 --function validation --date 2014-01-01
once cycle tpe designate --partner MN --org tpe-a --scope 1 --function verification --date 2014-01-01

step "Methodology: proposed, complete, public input (15 days), approved by the JC"
cycle methodology propose --code MN_PM010 --partner MN --title "Solar PV with battery storage" \
  --proponent consult --scope 1 --document "$WORK/proposed-methodology.txt" --date 2025-01-06
cycle methodology check --code MN_PM010 --complete --date 2025-01-08
cycle methodology decide --code MN_PM010 --approve --approved-code MN_AM010 --version 1.0 \
  --date 2025-02-15

step "PIN, no objection, PDD (confidential + public copy), validation"
cycle pin submit --id MN_PIN010 --partner MN --title "8 MW solar PV in Zavkhan" \
  --host gobi-solar --japanese nihon-solar --focal-point nihon-solar \
  --methodology MN_AM010 --methodology-version 1.0 --scope 1 --funding moej_subsidy \
  --document "$WORK/pin.txt" --date 2025-03-01 --by nihon-solar
cycle pin decide --project MN_PIN010 --no-objection --date 2025-03-20
cycle pdd submit --project MN_PIN010 --document "$WORK/pdd.txt" --confidential \
  --public-copy "$WORK/pdd-public.txt" --date 2025-04-01 --by nihon-solar
cycle validation submit --project MN_PIN010 --tpe tpe-a --positive \
  --report "$WORK/validation-report.txt" --date 2025-05-15

step "Registration: allocation 50 % GoJ, 30 % Japanese participant, 10 % + 10 % Mongolian side"
cycle registration request --project MN_PIN010 \
  --share JP:government:50 --share JP:nihon-solar:30 \
  --share MN:government:10 --share MN:gobi-solar:10 \
  --document "$WORK/registration-request.txt" --date 2025-06-01 --by nihon-solar
REF=$(cycle registration decide --project MN_PIN010 --approve --date 2025-07-01 --json |
      json_get 'v["event"]["fields"]["reference"]')
echo "registered as $REF"

step "Monitoring, verification, issuance request, JC issuance decision"
cycle monitoring period --project "$REF" --period $PERIOD --date 2025-07-02 --by gobi-solar
cycle monitoring report --project "$REF" --period $PERIOD --reported 4321 \
  --document "$WORK/monitoring-report.txt" --date 2026-01-20 --by gobi-solar
cycle verification submit --project "$REF" --period $PERIOD --verified 4300 --tpe tpe-a \
  --report "$WORK/verification-report.txt" --date 2026-02-15
cycle issuance request --project "$REF" --period $PERIOD --quantity 4300 \
  --document "$WORK/issuance-request.txt" --date 2026-02-20 --by nihon-solar
cycle issuance decide --project "$REF" --period $PERIOD --total 4300 --date 2026-03-10

step "Each side's registry manager executes the decision in its own registry"
JP_ACCOUNT=$(jcm account open --registry JP --holder-name "Nihon Solar K.K." \
             --holder-name-ja "日本ソーラー株式会社" --json | json_get 'v["account"]["id"]')
MN_ACCOUNT=$(jcm account open --registry MN --holder-name "Gobi Solar LLC" --json |
             json_get 'v["account"]["id"]')
cycle issuance execute --project "$REF" --period $PERIOD --registry JP --authorization ndc \
  --to "nihon-solar=$JP_ACCOUNT" --date 2026-03-20
cycle issuance execute --project "$REF" --period $PERIOD --registry MN --authorization ndc \
  --to "gobi-solar=$MN_ACCOUNT" --date 2026-03-25
cycle due

step "The Government of Japan retires 1000 of its credits for Japan's NDC"
GOJ=$(jcm account list --registry JP --json |
      json_get '[a for a in v if a["type"] == "government_holding"][0]["id"]')
# Name the serials: in a seeded database the account also holds older, unauthorised units.
FIRST=$(jcm holdings --account "$GOJ" --json |
        json_get '[b for b in v["blocks"] if b["project"] == "'"$REF"'" and b["authorization"] == "ndc"][0]["serial_first"]')
jcm retire --from "$GOJ" --quantity 1000 --serials "$FIRST..$((FIRST + 999))" \
  --beneficiary "Japan NDC (FY2030 target)"

step "Checks: the JP registry holds what the JC notified to JP; 1000 retired"
SUMMARY=$(cycle registry summary --registry JP --json)
echo "$SUMMARY"
NOTIFIED_JP=$(cycle project show "$REF" --json |
  json_get '[s for s in v["monitoring_periods"][0]["sides"] if s["registry"] == "JP"][0]["notified_tco2e"]')
ISSUED_JP=$(echo "$SUMMARY" | json_get 'v["issued_tco2e"]')
RETIRED_JP=$(echo "$SUMMARY" | json_get 'v["retired_tco2e"]')
[ "$((ISSUED_JP - ISSUED_JP_BEFORE))" = "$NOTIFIED_JP" ] ||
  { echo "JP issued $ISSUED_JP (before: $ISSUED_JP_BEFORE), notified $NOTIFIED_JP" >&2; exit 1; }
[ "$((RETIRED_JP - RETIRED_JP_BEFORE))" = "1000" ] ||
  { echo "JP retired $RETIRED_JP (before: $RETIRED_JP_BEFORE), expected 1000 more" >&2; exit 1; }

step "The confidential PDD is kept in the registry, content-addressed by its SHA-256"
PDD_SHA=$(sha256sum "$WORK/pdd.txt" | cut -d' ' -f1)
jcm document get --sha256 "$PDD_SHA" --out "$WORK/pdd-from-registry.txt"
cmp "$WORK/pdd.txt" "$WORK/pdd-from-registry.txt"
echo "PDD $PDD_SHA retrieved intact"

step "Audit: the journal chain and every invariant, recomputed from the stored data"
jcm audit verify
cycle cycle verify  # every cycle event re-decided; every execution matches its ledger issuance
echo "full cycle OK: $REF"
