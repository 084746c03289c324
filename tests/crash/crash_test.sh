#!/usr/bin/env bash
# The crash test (docs/testing.md, "Crash test"):
#   crash_test.sh JCM CRASH_LOADER
# Runs JCM_CRASH_CYCLES cycles (default 50) against one database: start crash_loader, SIGKILL it
# after a random 20-200 ms (JCM_CRASH_DELAY_MIN_MS, JCM_CRASH_DELAY_SPAN_MS), then check that
#   - `jcm audit verify --json` passes (exit 0, "ok":true) on the database as the crash left it,
#   - SQLite's own `PRAGMA integrity_check` is ok,
#   - every acknowledged transaction in the loader's log is in the journal with the same hash.
# The database and log accumulate over the cycles, so later cycles recover larger files.
# With JCM_TEST_DB set to the URI of an empty PostgreSQL database (tests/postgres) the loader
# writes that database; PostgreSQL has no integrity_check to run, psql reads the journal.
set -euo pipefail

jcm=$1
loader=$2
cycles=${JCM_CRASH_CYCLES:-50}
# The kill comes JCM_CRASH_DELAY_MIN_MS plus up to JCM_CRASH_DELAY_SPAN_MS after the start.
delay_min_ms=${JCM_CRASH_DELAY_MIN_MS:-20}
delay_span_ms=${JCM_CRASH_DELAY_SPAN_MS:-181}
work=$(mktemp -d "${TMPDIR:-/tmp}/jcm-crash.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=${JCM_TEST_DB:-$work/registry.db}
log=$work/acknowledged.log
journal=$work/journal.txt
: >"$log"
# Only jcm init creates a registry file: a loader killed before its first commit must leave a
# registry the audit recognises, not an empty file.
"$jcm" init --db "$db" --registries "" >/dev/null

fail() {
  echo "crash test: cycle $cycle: $*" >&2
  exit 1
}

for ((cycle = 1; cycle <= cycles; cycle++)); do
  "$loader" "$db" "$log" 4 2>"$work/loader.err" &
  pid=$!
  delay_ms=$((delay_min_ms + RANDOM % delay_span_ms))
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  if ! kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" || true
    fail "the loader exited before it was killed: $(cat "$work/loader.err")"
  fi
  wait "$pid" 2>/dev/null || true

  audit=$("$jcm" audit verify --db "$db" --json) || fail "audit verify failed: $audit"
  [[ $audit == *'"ok":true'* ]] || fail "audit verify: $audit"
  if [[ $db == postgresql://* ]]; then
    psql -At "$db" -c "SELECT seq || ' ' || hash FROM journal" | sort >"$journal"
  else
    integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
    [[ $integrity == ok ]] || fail "integrity_check: $integrity"
    sqlite3 "$db" "SELECT seq || ' ' || hash FROM journal" | sort >"$journal"
  fi
  missing=$(sort "$log" | comm -23 - "$journal")
  [[ -z $missing ]] || fail "acknowledged but not in the journal (seq hash): $missing"
done

acknowledged=$(wc -l <"$log")
entries=$(wc -l <"$journal")
if ((acknowledged == 0)); then
  echo "crash test: no transaction was acknowledged in $cycles cycles" >&2
  exit 1
fi
echo "crash test: $cycles SIGKILL cycles, $acknowledged acknowledged transactions all in the" \
  "journal ($entries entries), audit verify (and SQLite's integrity_check) ok after every cycle"
