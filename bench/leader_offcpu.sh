#!/usr/bin/env bash
# Where the group commit's leader waits off the CPU during `jcm bench api`'s transfers, by the
# kernel path it slept in (docs/api.md, "Where the leader waits"). Records every context switch
# of one process for one second with its call stack (`perf record -e sched:sched_switch
# --call-graph dwarf`), keeps the switches made inside a write batch (a stack holding
# `WriteBatch::Run`), and prints, per kernel path, the leader's time off the CPU per second of
# wall time, the switches, and their mean — from switching out until switching back in, so the
# time waiting for a CPU after the wake-up is counted too.
#
# Usage: leader_offcpu.sh JCM DB http|in-process [EXTRA BENCH OPTIONS...]
#   http:       `jcm serve` during the approved-in-advance transfers over HTTP;
#   in-process: the bench itself during transfers_per_s_32 (its 32 submitters).
# The extra options go to `jcm bench api` (e.g. `--threads 32 --write-workers 0`). The load is
# HTTP_TRANSFERS (16384) transfers over HTTP and 80,000 in process; the recording starts
# DELAY_S (0.8) seconds into the phase.
# Needs perf (linux-perf) and a Release build with frame pointers (the default build type).
set -euo pipefail
if [[ $# -lt 3 || ($3 != http && $3 != in-process) ]]; then
  echo "usage: $0 JCM DB http|in-process [EXTRA BENCH OPTIONS...]" >&2
  exit 2
fi
jcm="$1" db="$2" phase="$3"
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jcm" bench api --db "$db" --seconds 1 --approvals 16 --http-transfers "${HTTP_TRANSFERS:-16384}" \
  --transfers 80000 "$@" --json >"$work/bench.json" 2>/dev/null &
bench=$!
target=
for _ in $(seq 1 1200); do
  if [[ $phase == http ]]; then
    target=$(pgrep -f "serve --db .*transfers-http.db" | head -1 || true)
  elif [[ -e /tmp/jcm-bench-api-$bench/transfers.db ]]; then
    target=$bench
  fi
  [[ -n $target ]] && break
  sleep 0.05
done
[[ -n $target ]] || { echo "the $phase phase did not start" >&2; exit 1; }
sleep "${DELAY_S:-0.8}"  # past the start: the load running, the seeding done
perf record -q -e sched:sched_switch --call-graph dwarf,32768 -p "$target" -o "$work/perf.data" \
  -- sleep 1 >/dev/null 2>&1
wait "$bench"
perf script -i "$work/perf.data" -F tid,time,event,trace,ip,sym 2>/dev/null >"$work/switches.txt"
python3 - "$work/switches.txt" "$work/bench.json" "$phase" <<'EOF'
import collections, json, re, sys

switches, current = [], None
for line in open(sys.argv[1]):
    if not line.startswith("\t") and line.strip():
        m = re.match(r"\s*(\d+)\s+(\d+\.\d+):\s+sched:sched_switch:\s*(.*)", line)
        current = [float(m.group(2)), m.group(3), []] if m else None
        if current:
            switches.append(current)
    elif current is not None and line.strip():
        current[2].append(line.strip().split(None, 1)[-1])
if not switches:
    sys.exit("no switches recorded")
# A kernel path: the first frames below the scheduler's own.
skip = ("__", "_raw", "schedule", "futex_", "do_syscall", "entry_SYSCALL", "x64_sys", "io_schedule")
away, waits = {}, collections.defaultdict(lambda: [0, 0.0])
for at, trace, stack in switches:
    m = re.search(r"prev_pid=(\d+) .*prev_state=(\S+) ==> .*next_pid=(\d+)", trace)
    prev, state, nxt = int(m.group(1)), m.group(2), int(m.group(3))
    if nxt in away:
        since, path = away.pop(nxt)
        waits[path][0] += 1
        waits[path][1] += at - since
    if any("WriteBatch::Run" in frame for frame in stack):
        frames = [f for f in stack if not f.startswith(skip)]
        away[prev] = (at, state + " " + " < ".join(frames[:4]))
span = switches[-1][0] - switches[0][0]
report = json.load(open(sys.argv[2]))
rate = report["transfers_per_s_http" if sys.argv[3] == "http" else "transfers_per_s_32"]
print(f"{sys.argv[3]}: {rate:.0f} transfers/s over the whole load (perf recording 1 s of it)")
print(f"{'ms/s':>7} {'switches':>8} {'mean us':>8}  the leader's kernel path off the CPU")
for path, (count, seconds) in sorted(waits.items(), key=lambda kv: -kv[1][1]):
    if seconds / span >= 0.002:
        print(f"{seconds / span * 1e3:7.1f} {count:8d} {seconds / count * 1e6:8.0f}  {path[:150]}")
EOF
