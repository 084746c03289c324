#!/usr/bin/env python3
"""The transparency log through a real `jcm serve` (docs/formats/transparency-log.md): every
response validated against docs/api/openapi.json; the signed head checked with `openssl` and its
root recomputed here from the public journal feed; every inclusion proof and consistency proof
checked by an RFC 9162 §2.1.3.2/§2.1.4.2 verifier written in this file from the RFC; the CLI and
the API give the same head; `jcm verify-public` follows a retired unit from issuance to
retirement; and a journal rewritten in the database (hash chain and tree rebuilt, so the operator's
own audit passes) is caught by verify-public's known head and by the consistency proof.

Usage: translog_test.py PATH_TO_JCM SOURCE_DIR
"""
import hashlib
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_test  # noqa: E402  (Server, Contract)

JCM = SOURCE = None


def run_cli(*args, expect=0):
    out = subprocess.run([JCM, *args, "--json"], capture_output=True, text=True)
    assert out.returncode == expect, f"{args}: exit {out.returncode}: {out.stdout} {out.stderr}"
    return json.loads(out.stdout) if out.stdout.strip() else None


# -- RFC 9162 §2.1, read from the RFC ---------------------------------------------------------
def sha(data):
    return hashlib.sha256(data).digest()


def mth(leaves):
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def verify_inclusion(leaf_index, tree_size, leaf_hash, path, root):
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = sha(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = sha(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_hash, second_hash, path):
    if first == second:
        return not path and first_hash == second_hash
    if not path or first > second:
        return False
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = sha(b"\x01" + c + fr)
            sr = sha(b"\x01" + c + sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = sha(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def entry_hash(seq, time, kind, prev_hash, body):
    text = f"jcm-journal-v1\n{seq}\n{time}\n{kind}\n{prev_hash}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def openssl_verifies(public_key_hex, message, signature_hex, work):
    spki = bytes.fromhex("302a300506032b6570032100" + public_key_hex)
    paths = {name: os.path.join(work, name) for name in ("pub.der", "msg", "sig")}
    for name, data in (("pub.der", spki), ("msg", message), ("sig", bytes.fromhex(signature_hex))):
        with open(paths[name], "wb") as f:
            f.write(data)
    out = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey",
                          paths["pub.der"], "-rawin", "-in", paths["msg"], "-sigfile",
                          paths["sig"]], capture_output=True)
    return out.returncode == 0


class TransparencyLogTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-translog-")
        cls.db = os.path.join(cls.work, "registry.db")
        contract_test.JCM, contract_test.SOURCE = JCM, SOURCE
        contract_test.ContractTest.db = cls.db
        contract_test.ContractTest.seed.__func__(contract_test.ContractTest)
        cls.holder = contract_test.ContractTest.holder
        cls.first_serial = contract_test.ContractTest.first_serial
        cls.key = run_cli("log", "keygen", "--db", cls.db)
        cls.contract = contract_test.Contract(os.path.join(SOURCE, "docs/api/openapi.json"))
        cls.server = contract_test.Server(cls.db, cls.work)

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            assert cls.server.stop() == 0
        shutil.rmtree(cls.work, ignore_errors=True)

    def get(self, target, template, expect=200, server=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", (server or self.server).port, timeout=20)
        conn.request("GET", target, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        self.assertEqual(response.status, expect, body)
        self.contract.validate(template, response.status, response.getheader("Content-Type"),
                               body)
        return json.loads(body)

    def journal_leaves(self):
        leaves, since = [], 0
        while True:
            # The whole journal is the auditor's: the public view withholds identity and
            # account entries (INV-22), and the tree covers every entry.
            page = self.get(f"/api/v1/journal?since={since}&limit=1000", "/api/v1/journal",
                            headers=contract_test.ContractTest.tokens["auditor"])
            for e in page["entries"]:
                self.assertEqual(e["hash"], entry_hash(e["seq"], e["time"], e["kind"],
                                                       e["prev_hash"], e["body"]))
                leaves.append(sha(b"\x00" + bytes.fromhex(e["hash"])))
            since = page["next_since"]
            if not page["more"]:
                return leaves

    def test_head_signature_root_and_every_proof_verify_independently(self):
        head = self.get("/api/v1/log/sth", "/api/v1/log/sth")
        self.assertEqual(head["public_key"], self.key["public_key"])
        message = bytes.fromhex(head["signed_message"])
        self.assertEqual(message.decode(), "jcm-tree-head-v1\ntree_size %d\nroot_hash %s\n"
                         "timestamp %s\n" % (head["tree_size"], head["root_hash"],
                                             head["timestamp"]))
        self.assertTrue(openssl_verifies(head["public_key"], message, head["signature"],
                                         self.work))
        self.assertFalse(openssl_verifies(head["public_key"], message + b"x", head["signature"],
                                          self.work))
        leaves = self.journal_leaves()[:head["tree_size"]]
        self.assertEqual(len(leaves), head["tree_size"])
        root = bytes.fromhex(head["root_hash"])
        self.assertEqual(mth(leaves), root)
        n = head["tree_size"]
        for seq in range(1, n + 1):
            p = self.get(f"/api/v1/log/proof?seq={seq}&tree_size={n}", "/api/v1/log/proof")
            path = [bytes.fromhex(h) for h in p["audit_path"]]
            self.assertEqual(bytes.fromhex(p["leaf_hash"]), leaves[seq - 1])
            self.assertTrue(verify_inclusion(seq - 1, n, leaves[seq - 1], path, root), seq)
            if path:
                path[0] = sha(path[0])
                self.assertFalse(verify_inclusion(seq - 1, n, leaves[seq - 1], path, root))
        for first in sorted({1, 2, 3, 7, n // 2, n - 1, n}):
            c = self.get(f"/api/v1/log/consistency?from={first}&to={n}",
                         "/api/v1/log/consistency")
            proof = [bytes.fromhex(h) for h in c["proof"]]
            self.assertTrue(verify_consistency(first, n, mth(leaves[:first]), root, proof), first)
        # The CLI reads the same stored head.
        self.assertEqual(run_cli("log", "sth", "--db", self.db), head)

    def test_bad_requests_are_problems(self):
        self.get("/api/v1/log/proof", "/api/v1/log/proof", expect=400)
        self.get("/api/v1/log/proof?seq=0", "/api/v1/log/proof", expect=400)
        self.get("/api/v1/log/proof?seq=1&tree_size=999999", "/api/v1/log/proof", expect=404)
        self.get("/api/v1/log/consistency?from=5&to=2", "/api/v1/log/consistency", expect=400)
        self.get("/api/v1/log/consistency?from=1&to=999999", "/api/v1/log/consistency",
                 expect=404)

    def verify_public(self, url, *extra, expect=0):
        return run_cli("verify-public", "--url", url, "--serial", f"MN-{self.first_serial}",
                       *extra, expect=expect)

    def test_verify_public_follows_a_retired_unit_and_catches_a_rewritten_journal(self):
        known = os.path.join(self.work, "known-head.json")
        ok = self.verify_public(self.server.url, "--known-head", known,
                                "--public-key", self.key["public_key"])
        self.assertTrue(ok["ok"])
        self.assertEqual(ok["status"], "retired")
        self.assertGreaterEqual(len(ok["steps"]), 2)  # issuance, then the retirement
        self.assertEqual(ok["steps"][-1]["account"], ok["holder"])
        # Another key's head is refused.
        wrong = self.verify_public(self.server.url, "--public-key", "00" * 32, expect=4)
        self.assertIn("not the registry's key", wrong["failure"])
        # A later head extends the known one.
        run_cli("account", "open", "--db", self.db, "--registry", "MN", "--type", "holding",
                "--holder-name", "Later Holder")
        again = self.verify_public(self.server.url, "--known-head", known)
        self.assertEqual(again["known_head_size"], ok["tree_head"]["tree_size"])

        # The operator rewrites history: one early entry's time changes, the chain is rehashed
        # and the log tree and heads rebuilt (migration 11 backfills them), so the audit passes.
        rewritten = os.path.join(self.work, "rewritten.db")
        run_cli("log", "sth", "--db", self.db)
        with sqlite3.connect(self.db) as src, sqlite3.connect(rewritten) as dst:
            src.backup(dst)
        shutil.copy(self.db + ".log-key.pem", rewritten + ".log-key.pem")
        with sqlite3.connect(rewritten) as db:
            rows = db.execute("SELECT seq, time, kind, body FROM journal ORDER BY seq").fetchall()
            prev = "0" * 64
            for seq, time, kind, body in rows:
                if seq == 3:
                    time = "2020-01-01T00:00:00Z"
                h = entry_hash(seq, time, kind, prev, body)
                db.execute("UPDATE journal SET time = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                           (time, prev, h, seq))
                prev = h
            db.execute("DROP TABLE log_nodes")
            db.execute("DROP TABLE log_heads")
            db.execute("PRAGMA user_version = 10")
        audit = run_cli("audit", "verify", "--db", rewritten)
        self.assertTrue(audit["ok"], audit)
        liar = contract_test.Server(rewritten, self.work)
        try:
            caught = self.verify_public(liar.url, "--known-head", known, expect=4)
            self.assertIn("rewritten", caught["failure"])
            with open(known) as f:
                old = json.load(f)
            head = self.get("/api/v1/log/sth", "/api/v1/log/sth", server=liar)
            c = self.get(f"/api/v1/log/consistency?from={old['tree_size']}"
                         f"&to={head['tree_size']}", "/api/v1/log/consistency", server=liar)
            self.assertFalse(verify_consistency(
                old["tree_size"], head["tree_size"], bytes.fromhex(old["root_hash"]),
                bytes.fromhex(head["root_hash"]), [bytes.fromhex(h) for h in c["proof"]]))
        finally:
            self.assertEqual(liar.stop(), 0)


if __name__ == "__main__":
    JCM, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
