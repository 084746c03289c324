#!/usr/bin/env bash
# --today against the system clock (docs/cli.md, "Project cycle"): a date after the clock's UTC
# date is refused (exit 2) before anything is journaled, because the journal dates each event
# by the clock and `cycle verify` re-decides it with that date, so a later-dated event would
# fail check 150 on every audit. Today and earlier dates are accepted.
# Usage: today_test.sh PATH_TO_JCM
set -euo pipefail
jcm="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/registry.db"
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }

# Two days ahead, so that a UTC midnight between here and jcm's clock cannot make it "today".
later=$(date -u -d '+2 days' +%F)
today=$(date -u +%F)
"$jcm" init --db "$db" --registries JP >/dev/null
"$jcm" party register --db "$db" --partner MN --name Mongolia --today 2013-01-01 >/dev/null ||
  fail "an earlier --today was refused"

# Accepted, this establishment would be journaled today and fail check 150 on every audit.
set +e
out=$("$jcm" jc establish --db "$db" --partner MN --secretariat S --date "$later" --today "$later" \
  --json); status=$?
err=$("$jcm" party register --db "$db" --partner KH --name Cambodia --today "$later" 2>&1)
status_text=$?
"$jcm" due --db "$db" --today "$later" >/dev/null 2>&1; status_due=$?
set -e
[ $status -eq 2 ] || fail "--today $later exited $status: $out"
[ "$(echo "$out" | field '["error"]["code"]')" = invalid_argument ] || fail "error: $out"
echo "$out" | field '["error"]["message"]' | grep -q "after the clock's date" || fail "message: $out"
[ $status_text -eq 2 ] && grep -q -- "--today $later is after the clock's date" <<<"$err" ||
  fail "text: $status_text $err"
# A read-only command journals nothing, so it may look ahead: what will be overdue on that day.
[ $status_due -eq 0 ] || fail "due --today $later (read-only) exited $status_due"
[ "$("$jcm" cycle verify --db "$db" --json | field '["cycle_events"]')" = 1 ] ||
  fail "a refused command journaled an event"

# The clock's own date is accepted, and the registry audits clean.
"$jcm" jc establish --db "$db" --partner MN --secretariat S --date 2013-03-01 --today "$today" \
  >/dev/null || fail "--today $today (the clock's date) was refused"
"$jcm" due --db "$db" --today "$today" >/dev/null || fail "due --today $today"
"$jcm" cycle verify --db "$db" >/dev/null || fail "cycle verify"
"$jcm" audit verify --db "$db" >/dev/null || fail "audit verify"
echo "ok"
