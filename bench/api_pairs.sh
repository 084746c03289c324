#!/usr/bin/env bash
# Alternates `jcm bench api` between two builds, run by run, so each pair shares the machine's
# load (a shared 2-core VM moves a single figure by a third between runs), and prints each run
# and the medians of both: HTTP transfers/s, in-process transfers/s, their ratio, the CPU one
# transfer costs the server and the in-process path (docs/api.md, "CPU per operation"), and the
# p99 latency of each path.
#
# Usage: api_pairs.sh BEFORE_JCM AFTER_JCM DB [PAIRS] [EXTRA BENCH OPTIONS...]
#   e.g. bench/api_pairs.sh /tmp/jcm-before build/release/src/app/jcm demo.db 5
# Each run: `--seconds 1 --approvals 16 --http-transfers ${HTTP_TRANSFERS:-8192}`, then the
# extra options (any other `jcm bench api` option, each given once).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 BEFORE_JCM AFTER_JCM DB [PAIRS] [EXTRA BENCH OPTIONS...]" >&2
  exit 2
fi
before="$1" after="$2" db="$3" pairs="${4:-5}"
shift $(($# < 4 ? $# : 4))
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for pair in $(seq 1 "$pairs"); do
  for side in before after; do
    jcm=$before
    [[ $side == after ]] && jcm=$after
    "$jcm" bench api --db "$db" --seconds 1 --approvals 16 \
      --http-transfers "${HTTP_TRANSFERS:-8192}" "$@" --json \
      2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sys.argv[1], sys.argv[2], round(d["transfers_per_s_http"]), round(d["transfers_per_s_32"]),
      round(d["transfers_http_ratio_to_32"], 3),
      round(d["transfers_http"]["server_cpu_us_per_transfer"]),
      round(d["transfers_32"]["cpu_us_per_transfer"]),
      round(d["transfers_http"]["p99_ms"], 1), round(d["transfers_32"]["p99_ms"], 1))' \
      "$pair" "$side" | tee -a "$results"
  done
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = ["http/s", "in-process/s", "ratio", "server us CPU/transfer", "in-process us CPU/transfer",
         "http p99 ms", "in-process p99 ms"]
for side in ("before", "after"):
    values = [[float(r[i]) for r in rows if r[1] == side] for i in range(2, 9)]
    print(f"median {side}: " + ", ".join(f"{n} {statistics.median(v):g}"
                                         for n, v in zip(names, values)))
EOF
