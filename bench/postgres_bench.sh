#!/usr/bin/env bash
# `make bench`'s PostgreSQL part (issue 13 §4; docs/formats/store.md, "Measurements"):
#   bench/postgres_bench.sh JCM [RUNS] [BENCH_ARG…]
# Starts a private PostgreSQL 15 server (tests/postgres/postgres_server.sh: loopback, fsync and
# synchronous_commit on), runs `jcm bench ledger --db URI --json` RUNS times (default 3) — each
# run measures pgbench's TPC-B at 1 and 32 clients on the same server beside the ledger's
# transfers — and prints each run's ratios and their medians as one JSON document:
#   transfers_per_s_32 / pgbench_tps_32 (target >= 2), transfers_per_s_1 / pgbench_tps_1
#   (>= 0.5), transfer_us_at_1e6_blocks / transfer_us_at_1e3_blocks (<= 1.5).
# Also the WAL bytes per transfer (32 submitters) and per pgbench transaction (32 clients), and
# the server's settings, which both sides share. Ratios are taken within one run (the machine's
# load moves both sides alike); the medians are over runs. Stops the server afterwards.
set -euo pipefail
jcm=$1
runs=${2:-3}
shift $(($# >= 2 ? 2 : 1))
here=$(cd "$(dirname "$0")" && pwd)
state=$(mktemp -d "${TMPDIR:-/tmp}/jcm-pgbench.XXXXXX")
trap '"$here/../tests/postgres/postgres_server.sh" stop "$state" >/dev/null; rm -rf "$state"' EXIT
"$here/../tests/postgres/postgres_server.sh" start "$state" >&2
uri=$(cat "$state/uri")
# The settings both sides ran with (one server, the same for pgbench and the ledger).
"${JCM_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}/psql" "$uri" -Atc "SELECT name || '=' || setting
  FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes',
  'wal_compression', 'wal_buffers', 'checkpoint_timeout', 'max_wal_size', 'shared_buffers',
  'wal_sync_method') ORDER BY name" >"$state/settings"
for ((run = 1; run <= runs; run++)); do
  "$jcm" bench ledger --db "$uri" --json "$@" >"$state/run.$run.json"
done
python3 - "$state" "$runs" <<'PY'
import json, statistics, sys
state, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{state}/run.{i}.json")) for i in range(1, runs + 1)]
fields = ["transfers_per_s_1", "transfers_per_s_32", "pgbench_tps_1", "pgbench_tps_32",
          "transfer_us_at_1e3_blocks", "transfer_us_at_1e6_blocks",
          "wal_bytes_per_transfer_32", "pgbench_wal_bytes_per_tx_32"]
ratios = {
    "transfers_per_s_32 / pgbench_tps_32": (">= 2", lambda r: r["transfers_per_s_32"] / r["pgbench_tps_32"]),
    "transfers_per_s_1 / pgbench_tps_1": (">= 0.5", lambda r: r["transfers_per_s_1"] / r["pgbench_tps_1"]),
    "transfer_us_at_1e6_blocks / transfer_us_at_1e3_blocks": ("<= 1.5", lambda r: r["transfer_us_at_1e6_blocks"] / r["transfer_us_at_1e3_blocks"]),
}
out = {"benchmark": "ledger on postgresql beside pgbench",
       "server_settings": open(f"{state}/settings").read().split(),
       "runs": [], "median": {}}
for r in reports:
    run = {f: round(r[f], 3) for f in fields}
    run.update({name: round(f(r), 3) for name, (_, f) in ratios.items()})
    out["runs"].append(run)
for name, (target, f) in ratios.items():
    median = statistics.median(f(r) for r in reports)
    out["median"][name] = {"ratio": round(median, 3), "target": target,
                           "met": eval(f"{median} {target}")}
for field in fields:
    out["median"][field] = round(statistics.median(r[field] for r in reports), 3)
print(json.dumps(out, indent=1))
PY
