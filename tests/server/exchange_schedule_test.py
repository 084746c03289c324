#!/usr/bin/env python3
"""The daily reconciliation of `jcm serve` between two real servers (docs/exchange.md, "On a
schedule", "Between two servers"), its --reconcile-at set so that it is due at once:

- after external transfers both ways, each side's scheduled round fetches the other's snapshot
  (GET /api/v1/exchange/snapshot, signed with its key) and journals a reconciliation with no
  difference;
- JP is then restored from a backup taken before a third transfer reached it: its next scheduled
  round finds the difference (MN completed the transfer, JP has no record of it), freezes the
  exchange with MN (JP's transfer to MN is refused with 845), and `jcm exchange resolve`
  unfreezes it (the same transfer then completes);
- with a second peer down, the round counts it unreachable, asks it once (not every round), and
  the deliveries to the peer that is up go on.

Usage: exchange_schedule_test.py PATH_TO_JCM SOURCE_DIR
"""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exchange_harness as xh  # noqa: E402

COMPLETED = "exchange.reconciliation_completed"
INCONSISTENT = "exchange.reconciliation_inconsistent"


def utc_in(seconds):
    """HH:MM:SS (UTC) `seconds` from now: a --reconcile-at due that soon."""
    return time.strftime("%H:%M:%S", time.gmtime(time.time() + seconds))


def rounds(registry):
    """The exchange.round lines of the registry's access log."""
    with open(registry.log_path) as f:
        return [json.loads(line) for line in f if '"exchange.round"' in line]


def copy_files(db, to_dir):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            shutil.copy2(db + suffix, os.path.join(to_dir, os.path.basename(db) + suffix))


def restore_files(from_dir, db):
    for suffix in ("", "-wal", "-shm"):
        saved = os.path.join(from_dir, os.path.basename(db) + suffix)
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
        if os.path.exists(saved):
            shutil.copy2(saved, db + suffix)


class ExchangeScheduleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-xsched-")
        cls.seed_mn, cls.seed_jp = xh.seeded_registries(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.running = []

    def tearDown(self):
        for registry in self.running:
            registry.kill()

    def pair(self, name):
        work = os.path.join(self.work, name)
        os.mkdir(work)
        return self.seed_mn.copy_to(work), self.seed_jp.copy_to(work), work

    def start(self, registry, reconcile_at):
        registry.extra = ["--reconcile-at", reconcile_at]
        registry.start()
        if registry not in self.running:
            self.running.append(registry)

    def wait_final(self, registries, count, timeout_s=60):
        self.assertTrue(xh.wait_until(lambda: xh.all_final(registries, count), timeout_s),
                        [r.transfers() for r in registries])

    def wait_journaled(self, registry, kind, count, timeout_s=30):
        self.assertTrue(xh.wait_until(lambda: len(xh.journal(registry.db, kind)) >= count,
                                      timeout_s), (kind, rounds(registry)))
        return xh.journal(registry.db, kind)

    def test_a_restored_backup_is_found_frozen_and_resolved(self):
        mn, jp, work = self.pair("daily")
        self.start(mn, "off")
        self.start(jp, "off")
        mn.add_peer(jp, f"http://127.0.0.1:{jp.port}")
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        there, back = xh.transfer_both_ways(mn, jp, 40, 15,
                                            lambda count: self.wait_final([mn, jp], count))
        # Each side restarted with its reconciliation due (00:00 has passed), one at a time so
        # the other is up to answer: each journals a reconciliation with no difference.
        for registry in (mn, jp):
            self.assertEqual(registry.stop(), 0)
            self.start(registry, "00:00")
            (_, event), = self.wait_journaled(registry, COMPLETED, 1)
            self.assertEqual(event["itl_status"], ["COMPLETED"], event)
            self.assertEqual(event["transactions"], ["2"], event)
            self.assertNotIn("difference", event)
            self.assertEqual(event["by"], ["schedule"])
            self.assertEqual(xh.journal(registry.db, INCONSISTENT), [])
        # Done for today: a later round does not reconcile again.
        time.sleep(1)
        self.assertEqual(len(xh.journal(mn.db, COMPLETED)), 1)
        # A backup of JP, then a third transfer MN -> JP, then JP restored from the backup.
        self.assertEqual(jp.stop(), 0)
        backup = os.path.join(work, "backup")
        os.mkdir(backup)
        copy_files(jp.db, backup)
        self.start(jp, "00:00")
        third = mn.transfer(jp.holding, 10, 3600)
        self.wait_final([mn, jp], 3)
        self.assertEqual(jp.stop(), 0)
        restore_files(backup, jp.db)
        self.start(jp, utc_in(2))
        (_, found), = self.wait_journaled(jp, INCONSISTENT, 1)
        differences = found["difference"]
        self.assertTrue(any(third["transaction"] in d and "completed at MN, unknown at JP" in d
                            for d in differences), differences)
        self.assertNotIn(there["transaction"], " ".join(differences))
        self.assertNotIn(back["transaction"], " ".join(differences))
        # Frozen: JP's transfer to MN is refused with 845 until an operator resolves it.
        refused = xh.run_cli("exchange", "transfer", "--db", jp.db, "--from", jp.source, "--to",
                             mn.holding, "--quantity", "5", expect=3)
        self.assertEqual(refused["rejected"]["check"], 845, refused)
        xh.run_cli("exchange", "resolve", "--db", jp.db, "--peer", "MN", "--reason",
                   "JP restored from a backup; MN's third transfer re-entered by hand")
        after = jp.transfer(mn.holding, 5, 3600)
        self.wait_final([mn], 4)
        self.wait_final([jp], 3)  # the third transfer is not in JP's restored records
        for registry in (mn, jp):
            states = {t["transaction"]: t["state"] for t in registry.transfers()}
            self.assertEqual(states[after["transaction"]], "completed")

    def test_a_peer_that_is_down_is_unreachable_and_the_others_go_on(self):
        mn, jp, work = self.pair("down")
        th = xh.Registry("TH", work)
        th.init()  # its key, for JP's peer list; never started
        self.start(mn, "off")
        jp.port = xh.free_port()
        mn.add_peer(jp, f"http://127.0.0.1:{jp.port}")
        jp.add_peer(mn, f"http://127.0.0.1:{mn.port}")
        jp.add_peer(th, f"http://127.0.0.1:{xh.free_port()}")
        self.start(jp, "00:00")
        (_, event), = self.wait_journaled(jp, COMPLETED, 1)
        self.assertEqual(event["peer"], ["MN"])
        there, back = xh.transfer_both_ways(mn, jp, 20, 5,
                                            lambda count: self.wait_final([mn, jp], count))
        for registry in (mn, jp):
            states = {t["transaction"]: t["state"] for t in registry.transfers()}
            self.assertEqual(states, {there["transaction"]: "completed",
                                      back["transaction"]: "completed"})
        # TH was asked once (the round that reconciled MN), not at every round since.
        asked = [r for r in rounds(jp) if "reconcile_unreachable" in r]
        self.assertEqual(len(asked), 1, rounds(jp))
        self.assertEqual((asked[0]["reconciled"], asked[0]["reconcile_unreachable"]), (1, 1))
        self.assertTrue(any(r.get("delivered", 0) > 0 for r in rounds(jp)), rounds(jp))
        self.assertEqual(len(xh.journal(jp.db, COMPLETED)), 1)  # MN's; none for TH

    def test_reconcile_at_is_checked(self):
        mn, _, _ = self.pair("flag")
        for bad in ("24:00", "7:30", "07:60", "07:30:60", "noon"):
            out = xh.run_cli("serve", "--db", mn.db, "--listen", "127.0.0.1:0",
                             "--reconcile-at", bad, expect=2)
            self.assertIn("--reconcile-at", json.dumps(out), bad)


if __name__ == "__main__":
    xh.JCM = sys.argv[1]
    xh.SOURCE_DIR[0] = sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
