#!/usr/bin/env bash
# End-to-end test of `jcm programme …` (docs/cli.md, "Programme"; docs/programme.md) on the
# imported public data set: funding records and their checks (700 above the ½ and ⅔ caps, 702 an
# incomplete consortium, 703 an unknown project, 704 a second record; a retry answers the first),
# a malformed value (exit 2), a contribution and the project that comes from it (705, 706), the
# GoJ's share (MN005 gave its 1 t to Mongolia: shortfall 1), and the report's pipeline forecast
# and cost-effectiveness for a funded project, computed by hand below.
# Usage: programme_cli_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
source "$(dirname "$0")/lib.sh"

"$jcm" init --db "$db" --registries JP,MN >/dev/null
"$jcm" import jcm-data --db "$db" --dir "$root/data/jcm" >/dev/null 2>&1

fund() {  # PROJECT CHANNEL COST SUBSIDY [more flags]
  local project=$1 channel=$2 cost=$3 subsidy=$4; shift 4
  "$jcm" programme funding add --db "$db" --project "$project" --channel "$channel" \
    --fiscal-year 2016 --cost-yen "$cost" --subsidy-yen "$subsidy" \
    --japanese-member "Japanese Co." --partner-member "Partner LLC" \
    --expected-annual-tco2e 1000 --crediting-period 2026-04-01..2030-03-31 "$@"
}

expect_rejection 3 subsidy_rate_above_cap fund MN005 moej_subsidy 1000001 500001
expect_rejection 3 subsidy_rate_above_cap fund MN005 hydrogen_subsidy 3 3
expect_rejection 3 funding_project_unknown fund ZZ999 private 10 0
expect_rejection 2 - fund MN005 moej_subsidy 0 0
expect_rejection 2 - fund MN005 grant 10 0
set +e
out=$("$jcm" programme funding add --db "$db" --project MN005 --channel moej_subsidy \
  --fiscal-year 2016 --cost-yen 10 --subsidy-yen 5 --japanese-member "Japanese Co." \
  --expected-annual-tco2e 1 --crediting-period 2018-01-01..2030-12-31 --json)
status=$?
set -e
[ "$status" -eq 3 ] || fail "a consortium without a partner member exited $status: $out"
[ "$(echo "$out" | field '["rejected"]["check"]')" = 702 ] || fail "$out"

# MN005 (moej, ¥365,000,000 on ¥730,000,000 — exactly ½): recorded once; a retry answers it.
first=$(fund MN005 moej_subsidy 730000000 365000000 --key fund-mn005 --json)
[ "$(echo "$first" | field '["project"]')" = MN005 ] || fail "$first"
[ "$(echo "$first" | field '["subsidy_rate"]["denominator"]')" = 2 ] || fail "$first"
again=$(fund MN005 moej_subsidy 730000000 365000000 --key fund-mn005 --json)
[ "$(echo "$again" | field '["recorded_seq"]')" = "$(echo "$first" | field '["recorded_seq"]')" ] ||
  fail "a retry recorded again: $again"
expect_rejection 3 funding_exists fund MN005 moej_subsidy 730000000 300000000
[ "$("$jcm" programme funding list --db "$db" --json | field '["funding"].__len__()')" = 1 ] ||
  fail "one funding record"

# ADB FY2022 and MN003 funded through it.
"$jcm" programme funding add --db "$db" --project MN003 --channel adb_jfjcm --fiscal-year 2022 \
  --cost-yen 1000 --subsidy-yen 400 --expected-annual-tco2e 1 \
  --crediting-period 2017-08-26..2030-12-31 >/dev/null
out=$("$jcm" programme contribution add --db "$db" --channel adb_jfjcm --fiscal-year 2022 \
  --amount-yen 1000000000 --note "JFJCM" --json)
[ "$(echo "$out" | field '["projects"]')" = "['MN003']" ] || fail "$out"
[ "$(echo "$out" | field '["credits_issued_tco2e"]')" -gt 0 ] || fail "$out"
expect_rejection 3 contribution_exists "$jcm" programme contribution add --db "$db" \
  --channel adb_jfjcm --fiscal-year 2022 --amount-yen 5
expect_rejection 3 contribution_channel_invalid "$jcm" programme contribution add --db "$db" \
  --channel nedo --fiscal-year 2022 --amount-yen 5

# MN005 issued 1 t, all to Mongolia: ceil(1/2) = 1 owed to the GoJ.
out=$("$jcm" programme delivery --db "$db" --json)
[ "$(echo "$out" | field '["projects"][0]["project"]')" = MN005 ] || fail "$out"
[ "$(echo "$out" | field '["projects"][0]["shortfall_tco2e"]')" = 1 ] || fail "$out"
[ "$(echo "$out" | field '["shortfall_tco2e"]')" = 1 ] || fail "$out"

# The report as of 2026-04-01. MN005 (registered, solar PV) expects 1,000 t/yr over
# 2026-04-01..2030-03-31 (1,461 days): 1,461,000 / 365 = 4,002 t to FY2030 (before scaling by
# a realisation ratio). Cost-effectiveness: ¥365,000,000 ÷ 4,002 t (lifetime floor(1,461,000 / 365)) = 91,204.4 →
# ¥91,204/t; ÷ 1 t issued = ¥365,000,000/t.
out=$("$jcm" programme report --db "$db" --today 2026-04-01 --json)
echo "$out" > "$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
mn005 = [g for g in r["by_project"] if g["key"] == "MN005"][0]
assert mn005["expected_lifetime_tco2e"] == 4002, mn005
assert mn005["yen_per_tco2e_expected"] == 91204, mn005
assert mn005["issued_funded_tco2e"] == 1, mn005
assert mn005["yen_per_tco2e_issued"] == 365000000, mn005
fy2030 = r["targets"][0]
assert fy2030["fiscal_year"] == 2030 and fy2030["target_tco2e"] == 100000000, fy2030
assert fy2030["pipeline_expected_tco2e"] >= 4002, fy2030
assert fy2030["issued_tco2e"] <= fy2030["forecast_low_tco2e"] <= fy2030["forecast_high_tco2e"]
assert r["partner_countries_target"] == 30
PY
"$jcm" programme report --db "$db" --today 2026-04-01 | grep -q "^FY2030 target 100000000 t" ||
  fail "the text report names the FY2030 target"
echo "programme_cli_test: ok"
