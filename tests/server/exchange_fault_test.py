#!/usr/bin/env python3
"""External transfers between two real `jcm serve` processes under faults (issue 12 §4;
docs/exchange.md, "Fault tests"; INV-58).

Two registries, MN and JP, each its own SQLite database (fsync on) and server, each the other's
peer through a proxy of its own direction (exchange_harness.Proxy). Runs:

- network: both proxies drop requests, drop answers, delay, duplicate and replay old messages
  late (out of order) while transfers go MN -> JP and back JP -> MN;
- kill -9 of the sender or the receiver at each step of the protocol, before or after the
  message that step sends is forwarded (sending the proposal, after the proposal was received,
  after its delivery but before the sender journaled it, sending the answer, after the answer
  was received, sending the outcome, after the outcome was received; both at once), the killed
  process restarted on the same database and port;
- the receiver killed as the proposal reaches it and kept down past the transfer's time limit:
  the sender fails it and the restarted receiver terminates its pending transfer.

After every run, once every transfer is final: each transfer is completed or failed on both
sides and the two sides agree (completed with completed; failed with terminated, rejected or
never received), every unit of every serial is live exactly once across the two registries
(the sum of live units is what it was and no two live blocks share a serial), `jcm audit
verify` passes on both, and `jcm exchange reconcile` finds no difference from either side.

Usage: exchange_fault_test.py PATH_TO_JCM SOURCE_DIR
"""
import concurrent.futures
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exchange_harness as xh  # noqa: E402

TIME_LIMIT_S = 25  # a transfer not completed by then fails (the sender's time limit)
SETTLE_S = 150  # how long a run may take to make every transfer final


class KillAt:
    """A proxy hook: kill -9 `victims` when the first message of `kind` passes, before it is
    forwarded or once the receiver's answer to it came back (which a killed sender never
    reads)."""

    def __init__(self, kind, phase, victims):
        self.kind, self.phase, self.victims = kind, phase, victims
        self.fired = False

    def __call__(self, phase, fields):
        if self.fired or phase != self.phase or fields.get("kind") != self.kind:
            return False
        self.fired = True
        for victim in self.victims:
            if victim.alive():
                victim.proc.send_signal(signal.SIGKILL)
                victim.kills += 1
        return True


class Run:
    """One run: a fresh copy of the seeded registries, two proxies, servers started."""

    def __init__(self, name, seed_mn, seed_jp, root, seed=0):
        self.name = name
        work = os.path.join(root, name)
        os.mkdir(work)
        self.mn, self.jp = seed_mn.copy_to(work), seed_jp.copy_to(work)
        self.to_jp, self.to_mn = xh.Proxy(name + " MN->JP", seed), xh.Proxy(name + " JP->MN",
                                                                            seed + 1)
        self.mn.add_peer(self.jp, self.to_jp.url)
        self.jp.add_peer(self.mn, self.to_mn.url)
        self.mn.start()
        self.jp.start()
        self.to_jp.target_port, self.to_mn.target_port = self.jp.port, self.mn.port
        self.units_before = self.live_units()
        self.proposed = []  # (sender, transaction)
        self.down_until = 0.0  # time.monotonic() before which a killed process stays down

    def live_units(self):
        return sum(count for registry in (self.mn, self.jp)
                   for _, _, count in registry.live_blocks())

    def restart_the_dead(self):
        if time.monotonic() < self.down_until:
            return
        for registry in (self.mn, self.jp):
            if registry.proc is not None and registry.proc.poll() is not None:
                registry._close_pipes()
                registry.start()  # the same database, the same port

    def propose(self, sender, receiver, quantity, time_limit_s=TIME_LIMIT_S):
        proposed = sender.transfer(receiver.holding, quantity, time_limit_s)
        self.proposed.append((sender.code, proposed["transaction"]))
        return proposed

    def final_snapshot(self):
        """Every transfer's state on both sides, or None while any is not final. The two
        listings are read one after the other, not at one instant: a receiver read before a
        proposal reached it, and its sender read after completing it, look final together."""
        states = {}
        for registry in (self.mn, self.jp):
            for t in registry.transfers():
                if t["state"] not in xh.FINAL:
                    return None
                states[(t["transaction"], t["direction"])] = t["state"]
        for (transaction, direction), state in states.items():
            # A sender completes only what its receiver accepted: the receiver must know it.
            if direction == "outgoing" and state == "completed" and \
                    (transaction, "incoming") not in states:
                return None
        # Every outgoing transfer is known to its sender (the receiver may never have seen it).
        if not all((transaction, "outgoing") in states for _, transaction in self.proposed):
            return None
        return states

    def settle(self):
        """Waits until two snapshots in a row are final and equal (a failed transfer's
        proposal may still reach its receiver late, which then terminates it)."""
        deadline = time.monotonic() + SETTLE_S
        previous = None
        while time.monotonic() < deadline:
            self.restart_the_dead()
            snapshot = self.final_snapshot()
            if snapshot is not None and snapshot == previous:
                return True
            previous = snapshot
            time.sleep(0.5)
        return False

    def problems(self):
        """Every violated invariant, as text (empty: INV-58 holds)."""
        found = []
        if not self.settle():
            found.append(f"not final after {SETTLE_S} s: MN {self.mn.transfers()} "
                         f"JP {self.jp.transfers()}")
        states = {}
        for registry in (self.mn, self.jp):
            for t in registry.transfers():
                states.setdefault(t["transaction"], {})[t["direction"]] = t["state"]
        for transaction, sides in states.items():
            out, inc = sides.get("outgoing"), sides.get("incoming")
            if out is None:
                found.append(f"{transaction}: incoming {inc} with no outgoing transfer")
            elif out == "completed" and inc != "completed":
                found.append(f"{transaction}: completed by the sender, {inc} at the receiver")
            elif out == "failed" and inc not in (None, "terminated", "rejected"):
                found.append(f"{transaction}: failed by the sender, {inc} at the receiver")
        blocks = self.mn.live_blocks() + self.jp.live_blocks()
        units = sum(count for _, _, count in blocks)
        if units != self.units_before:
            found.append(f"live units {units}, were {self.units_before}")
        overlaps = xh.serial_overlaps(blocks)
        if overlaps:
            found.append(f"serials live twice: {overlaps[:5]}")
        for registry in (self.mn, self.jp):
            ok, report = registry.audit_ok()
            if not ok:
                found.append(f"{registry.code} audit: {report[:2000]}")
        # Issue 12 §4: reconciliation names no difference either way (totals, blocks, trail).
        for registry, peer in ((self.mn, self.jp), (self.jp, self.mn)):
            ok, report = registry.reconcile_ok(peer)
            if not ok:
                found.append(f"{registry.code} reconciled with {peer.code}: {report[:2000]}")
        return found

    def close(self):
        for proxy in (self.to_jp, self.to_mn):
            proxy.close()
        for registry in (self.mn, self.jp):
            registry.stop() if registry.alive() else registry.kill()


def network_run(run):
    """Drops, delays, duplicates and late copies both ways; transfers both ways."""
    for proxy in (run.to_jp, run.to_mn):
        proxy.faults = xh.Faults(drop_request=0.2, drop_response=0.2, duplicate=0.2,
                                 late_copy=0.2, delay_max_s=0.05)
    for quantity in (10, 20, 30, 40):
        run.propose(run.mn, run.jp, quantity)
    # Back to MN once some arrived: units JP holds only because MN sent them.
    held = lambda: sum(c for r, _, c in run.jp.live_blocks() if r == "MN")  # noqa: E731
    run.jp.source = run.jp.holding
    if xh.wait_until(lambda: held() >= 10, SETTLE_S / 2):
        run.propose(run.jp, run.mn, 4)
        run.propose(run.jp, run.mn, 6)
    return {"to_jp": run.to_jp.counts, "to_mn": run.to_mn.counts}


def kill_run(kind, phase, victims_of):
    def body(run):
        proxy = run.to_jp if kind in ("proposal", "outcome") else run.to_mn
        victims = victims_of(run)
        hook = KillAt(kind, phase, victims)
        proxy.hooks.append(hook)
        run.propose(run.mn, run.jp, 25)
        if not xh.wait_until(lambda: hook.fired, 30):
            return {"fired": False}
        return {"fired": True, "kills": [v.code for v in victims]}
    return body


def receiver_down_past_the_time_limit(run):
    """JP dies as the proposal reaches it and stays down past the 4 s time limit: MN fails the
    transfer (its units come back) and JP, restarted, learns it and drops its pending units."""
    hook = KillAt("proposal", "after", [run.jp])
    run.to_jp.hooks.append(hook)
    run.down_until = time.monotonic() + 3600  # until the transfer failed at MN
    # JP's delivery loop is woken as soon as its answer is owed, so the answer can leave in the
    # moment between JP's reply to the proposal and the kill; the run is about an answer that
    # never arrives, so nothing from JP reaches MN while JP is down.
    run.to_mn.faults.drop_request = 1.0
    run.propose(run.mn, run.jp, 25, time_limit_s=4)
    failed = xh.wait_until(lambda: [t["state"] for t in run.mn.transfers()] == ["failed"], 60)
    run.to_mn.faults.drop_request = 0.0
    run.down_until = 0.0
    return {"fired": hook.fired, "failed_while_down": failed}


SENDER = lambda run: [run.mn]  # noqa: E731
RECEIVER = lambda run: [run.jp]  # noqa: E731
BOTH = lambda run: [run.mn, run.jp]  # noqa: E731

RUNS = {
    "network": network_run,
    "kill_sender_sending_proposal": kill_run("proposal", "before", SENDER),
    "kill_receiver_after_proposal": kill_run("proposal", "after", RECEIVER),
    "kill_sender_before_delivery_journaled": kill_run("proposal", "after", SENDER),
    "kill_receiver_sending_answer": kill_run("answer", "before", RECEIVER),
    "kill_sender_after_answer": kill_run("answer", "after", SENDER),
    "kill_sender_sending_outcome": kill_run("outcome", "before", SENDER),
    "kill_receiver_after_outcome": kill_run("outcome", "after", RECEIVER),
    "kill_both_after_answer": kill_run("answer", "after", BOTH),
    "kill_receiver_past_the_time_limit": receiver_down_past_the_time_limit,
}


class ExchangeFaultTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-xfault-")
        cls.seed_mn, cls.seed_jp = xh.seeded_registries(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def one(self, index, name, body):
        run = Run(name, self.seed_mn, self.seed_jp, self.work, seed=index * 7)
        try:
            info = body(run)
            found = run.problems()
            kills = run.mn.kills + run.jp.kills
            outcomes = sorted(t["state"] for t in run.mn.transfers() + run.jp.transfers()
                              if t["direction"] == "outgoing")
            if name == "kill_receiver_past_the_time_limit":
                if outcomes != ["failed"] or not info.get("failed_while_down"):
                    found.append(f"the time limit did not fail the transfer: {outcomes}")
            elif "completed" not in outcomes:
                # Failing every transfer would keep every unit; a recovered run completes.
                found.append(f"nothing completed: {outcomes}")
            return name, dict(info or {}, outcomes=outcomes), kills, found
        except Exception:  # noqa: BLE001  (reported as the run's failure)
            return name, None, 0, [traceback.format_exc()]
        finally:
            run.close()

    def test_the_checks_see_a_doubled_serial(self):
        self.assertEqual(xh.serial_overlaps([("MN", 1, 10), ("MN", 11, 5), ("JP", 1, 10)]), [])
        self.assertEqual(xh.serial_overlaps([("MN", 1, 10), ("MN", 10, 5)]),
                         [("MN", (1, 10), (10, 14))])

    def test_every_run_ends_final_with_no_unit_lost_or_doubled(self):
        started = time.monotonic()
        # The runs wait on time limits and retries, not on the CPU: several at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
            results = list(pool.map(lambda item: self.one(item[0], *item[1]),
                                    enumerate(RUNS.items())))
        failures = []
        for name, info, kills, found in results:
            print(f"{name}: {info} kills={kills} problems={len(found)}", file=sys.stderr)
            if name.startswith("kill") and not (info and info.get("fired")):
                failures.append(f"{name}: the kill never happened ({info})")
            failures += [f"{name}: {problem}" for problem in found]
        print(f"{len(results)} runs in {time.monotonic() - started:.1f} s", file=sys.stderr)
        self.assertEqual(failures, [])


if __name__ == "__main__":
    xh.JCM = sys.argv[1]
    xh.SOURCE_DIR[0] = sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
