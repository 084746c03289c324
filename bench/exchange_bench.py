#!/usr/bin/env python3
"""External transfers between two `jcm serve` processes on loopback (issue 12 §5; docs/exchange.md,
"Measurements"): MN and JP, each its own SQLite database (synchronous = FULL: every commit
fsyncs), each the other's peer over plain HTTP, the delivery loops at --interval-ms.

- exchange_transfers_per_s: N transfers MN -> JP proposed while MN's server is down (so the
  proposals, one `jcm exchange transfer` process each, are not what is timed), then both servers
  started: N / the time until JP journaled the last completion;
- proposal_to_completion_ms p50/p99: one transfer at a time with both servers up, from the
  proposal committed (its command returned) to the receiver's exchange.incoming_completed
  (polled every 2 ms in JP's database);
- transfers_per_s_1, the in-process baseline of the same run: `jcm bench ledger --quick`'s
  durable transfers through store::Submit with one submitter, on the same disk.

Usage: exchange_bench.py PATH_TO_JCM SOURCE_DIR [--transfers N[,N...]] [--samples M]
                         [--interval-ms MS] [--before PATH_TO_OTHER_JCM] [--keep]
With several N, each is its own run on fresh databases; with --before, each N is measured with
that binary (e.g. a build of the previous commit) first, then with PATH_TO_JCM, back to back, and
the baseline after both. Prints one JSON object per run, with the ratio to the baseline of its N.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "server"))
import exchange_harness as xh  # noqa: E402


def journal_count(db, kind):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM journal WHERE kind = ?", (kind,)).fetchone()[0]
    finally:
        conn.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(jcm, transfers, samples, interval_ms, keep):
    """One run of `jcm` on fresh databases: the burst of `transfers`, then `samples` latencies."""
    xh.JCM = jcm
    work = tempfile.mkdtemp(prefix="jcm-xbench-")
    mn, jp = xh.Registry("MN", work), xh.Registry("JP", work)
    try:
        mn.init(seed_units=True)
        jp.init()
        mn.port, jp.port = xh.free_port(), xh.free_port()
        mn.add_peer(jp, f"http://127.0.0.1:{jp.port}")  # each the other's peer, directly
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        jp.start(interval_ms)
        for _ in range(transfers):  # MN's server is not running yet
            mn.transfer(jp.holding, 1, 3600)
        mn.start(interval_ms)
        started = time.monotonic()
        while journal_count(jp.db, "exchange.incoming_completed") < transfers:
            time.sleep(0.005)
        burst_s = time.monotonic() - started
        latencies_ms = []
        for _ in range(samples):
            before = journal_count(jp.db, "exchange.incoming_completed")
            mn.transfer(jp.holding, 1, 3600)
            proposed = time.monotonic()
            while journal_count(jp.db, "exchange.incoming_completed") == before:
                time.sleep(0.002)
            latencies_ms.append((time.monotonic() - proposed) * 1000)
        mn.stop()
        jp.stop()
        return {
            "jcm": jcm,
            "transfers": transfers,
            "interval_ms": interval_ms,
            "exchange_transfers_per_s": round(transfers / burst_s, 1),
            "proposal_to_completion_ms_p50": round(percentile(latencies_ms, 0.5), 1),
            "proposal_to_completion_ms_p99": round(percentile(latencies_ms, 0.99), 1),
            "samples": samples,
        }
    finally:
        for registry in (mn, jp):
            registry.kill()
        if keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def ledger_baseline(jcm):
    """`jcm bench ledger --quick`'s transfers_per_s_1: durable in-process transfers."""
    work = tempfile.mkdtemp(prefix="jcm-xbench-ledger-")
    try:
        out = subprocess.run([jcm, "bench", "ledger", "--quick", "--dir", work, "--json"],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out).get("transfers_per_s_1")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jcm")
    parser.add_argument("source")
    parser.add_argument("--transfers", default="200", help="N, or N,N,... for several runs")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--interval-ms", type=int, default=1000)
    parser.add_argument("--before", help="another jcm binary, measured first for each N")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    args = parser.parse_args()
    xh.SOURCE_DIR[0] = args.source
    for transfers in (int(n) for n in args.transfers.split(",")):
        runs = [measure(jcm, transfers, args.samples, args.interval_ms, args.keep)
                for jcm in ([args.before] if args.before else []) + [args.jcm]]
        baseline = ledger_baseline(args.jcm)
        for run in runs:
            run["transfers_per_s_1"] = baseline
            if baseline:
                run["ratio_to_transfers_per_s_1"] = round(
                    run["exchange_transfers_per_s"] / baseline, 3)
            print(json.dumps(run), flush=True)


if __name__ == "__main__":
    main()
