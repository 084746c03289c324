#!/usr/bin/env bash
# `jcm registry summary` on a registry of 10^6 live blocks in 100,000 holding accounts, against
# the cost of one SQL scan that sums those blocks per account type (what a summary computed from
# the blocks must at least pay), both measured in this run on the same file. The registry is
# built with SQL (accounts, blocks and the balances the store keeps), not through the ledger.
# Usage: bench/registry_summary.sh PATH_TO_JCM [RUNS]   Prints one JSON object. Any jcm since
# schema 3 runs it, so the figure of an older build is measured the same way.
set -euo pipefail
jcm="$1"
runs="${2:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/summary.db"
"$jcm" init --db "$db" --registries MN >/dev/null
sqlite3 "$db" <<'SQL'
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO accounts SELECT printf('MN-121-%07d-00', i + 10), 'MN', 121, 'open', 'Holder ' || i,
  '', '', '', '' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO blocks (id, registry, serial_first, unit_count, account, project, period,
  issuance_number, authorization, first_transferred, parent_id, created_seq, ended_seq)
SELECT i + 1, 'MN', 1 + i * 10, 10, printf('MN-121-%07d-00', (i % 100000) + 11), 'MN003',
  '2017-08-26..2018-05-31', 1, 'ndc', 0, 0, 1, 0 FROM n;
UPDATE registries SET next_serial = 10000001 WHERE code = 'MN';
COMMIT;
SQL
# The balances the store keeps (schema 4 on); a jcm from before them (to compare) has no table.
if [ -n "$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name = 'balances'")" ]; then
  sqlite3 "$db" "INSERT INTO balances SELECT account, SUM(unit_count) FROM blocks
    WHERE ended_seq = 0 GROUP BY account"
fi
# Median wall time in ms of running "$@" $runs times.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}
summary_ms=$(median_ms "$jcm" registry summary --db "$db" --registry MN --json)
scan_ms=$(median_ms sqlite3 "$db" "SELECT a.type, SUM(b.unit_count) FROM blocks b JOIN accounts a
  ON a.number = b.account WHERE b.ended_seq = 0 AND b.registry = 'MN' GROUP BY a.type")
held=$("$jcm" registry summary --db "$db" --registry MN --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["held_tco2e"])')
[ "$held" = 10000000 ] || { echo "summary counted $held units, not 10000000" >&2; exit 1; }
python3 -c 'import json,sys; s, b = int(sys.argv[1]), int(sys.argv[2]); print(json.dumps({
  "benchmark": "registry_summary", "live_blocks": 1000000, "accounts": 100003, "runs": int(sys.argv[3]),
  "summary_ms_median": s, "baseline_block_scan_ms_median": b,
  "ratio_summary_to_block_scan": round(s / max(b, 1), 3)}))' "$summary_ms" "$scan_ms" "$runs"
