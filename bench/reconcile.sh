#!/usr/bin/env bash
# Reconciliation between two registries of 10^6 live blocks each (docs/exchange.md,
# "Reconciliation", issue 12 §5): `jcm exchange snapshot` of MN for JP (BuildSnapshot over the
# real SQLite store, signed, written to a file) and `jcm exchange reconcile` at JP from that file
# (decode, verify, JP's own snapshot of 10^6 blocks, the three phases, the journaled report),
# against the cost of reading the 10^6 live blocks with their account types in one SQL scan (what
# any snapshot must at least pay), measured in this run on the same files. The registries are
# built with SQL (accounts and blocks, as bench/registry_summary.sh), not through the ledger;
# serials leave a gap after each block so no two blocks coalesce into one run.
# Usage: bench/reconcile.sh PATH_TO_JCM [BLOCKS] [RUNS]   Prints one JSON object.
set -euo pipefail
jcm="$1"
blocks="${2:-1000000}"
runs="${3:-3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {  # build CODE: a registry of $blocks live blocks of its own serials in 1,000 accounts
  local db="$work/$1.db"
  "$jcm" init --db "$db" --registries "$1" >/dev/null
  sqlite3 "$db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO accounts SELECT printf('$1-121-%07d-00', i + 10), '$1', 121, 'open', 'Holder ' || i,
  '', '', '', '' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $blocks - 1)
INSERT INTO blocks (id, registry, serial_first, unit_count, account, project, period,
  issuance_number, authorization, first_transferred, parent_id, created_seq, ended_seq)
SELECT i + 1, '$1', 1 + i * 11, 10, printf('$1-121-%07d-00', (i % 1000) + 11), '$1003',
  '2017-08-26..2018-05-31', 1, 'ndc', 0, 0, 1, 0 FROM n;
UPDATE registries SET next_serial = 1 + $blocks * 11 WHERE code = '$1';
INSERT INTO balances SELECT account, SUM(unit_count) FROM blocks WHERE ended_seq = 0
  GROUP BY account;
COMMIT;
SQL
  openssl genpkey -algorithm ed25519 -out "$db.exchange-key.pem" 2>/dev/null
}
public_hex() { openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \n'; }
build JP
build MN
"$jcm" exchange peer add --db "$work/JP.db" --code MN --url http://127.0.0.1:1/mn \
  --public-key "$(public_hex "$work/MN.db.exchange-key.pem")" >/dev/null

median_ms() {  # median wall time in ms of running "$@" $runs times
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
snapshot_ms=$(median_ms "$jcm" exchange snapshot --db "$work/MN.db" --peer JP --out "$work/mn.snap")
bytes=$(stat -c %s "$work/mn.snap")
reconcile_ms=$(median_ms "$jcm" exchange reconcile --db "$work/JP.db" --peer-snapshot "$work/mn.snap")
scan_ms=$(median_ms sqlite3 "$work/MN.db" "SELECT b.registry, b.serial_first, b.unit_count, a.type
  FROM blocks b JOIN accounts a ON a.number = b.account WHERE b.ended_seq = 0")
status=$("$jcm" exchange reconcile --db "$work/JP.db" --peer-snapshot "$work/mn.snap" --json |
  python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["status"])')
[ "$status" = consistent ] || { echo "reconciliation found differences" >&2; exit 1; }
python3 -c 'import json,sys; a = [int(x) for x in sys.argv[1:]]; print(json.dumps({
  "benchmark": "reconcile", "live_blocks_per_registry": a[0], "runs": a[1],
  "snapshot_ms_median": a[2], "snapshot_bytes": a[3], "reconcile_ms_median": a[4],
  "baseline_block_scan_ms_median": a[5],
  "ratio_snapshot_to_block_scan": round(a[2] / max(a[5], 1), 2),
  "ratio_reconcile_to_block_scan": round(a[4] / max(a[5], 1), 2)}))' \
  "$blocks" "$runs" "$snapshot_ms" "$bytes" "$reconcile_ms" "$scan_ms"
