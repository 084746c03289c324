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
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
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
        # and the log tree and heads rebuilt (migration 11 backfills them).
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
                # As version 10 journaled blocks: without migration 13's ITMO parts and vintage.
                body = re.sub(r"\|(?:ca|itmo|ftp|v)=[^|\n]*", "", body)
                h = entry_hash(seq, time, kind, prev, body)
                db.execute("UPDATE journal SET time = ?, body = ?, prev_hash = ?, hash = ? "
                           "WHERE seq = ?", (time, body, prev, h, seq))
                prev = h
            db.execute("DROP TABLE log_nodes")
            db.execute("DROP TABLE log_heads")
            # Back to version 10 whole: the columns of migrations 12 and 13 go too.
            db.execute("DROP INDEX blocks_by_itmo")
            for column in ("cooperative_approach", "itmo_registry", "itmo_first",
                           "first_transferring_party", "vintage"):
                db.execute(f"ALTER TABLE blocks DROP COLUMN {column}")
            db.execute("DROP INDEX live_blocks_by_article6")
            db.execute("ALTER TABLE blocks DROP COLUMN article6_authorisation")
            db.execute("PRAGMA user_version = 10")
        # The chain and the tree pass; only the co-signatures kept from earlier witnesses now cite
        # heads this registry no longer holds, which the audit re-checks (INV-32, check 442).
        audit = run_cli("audit", "verify", "--db", rewritten, expect=4)
        self.assertTrue(audit["violations"], audit)
        self.assertEqual({(v["invariant"], v["message"].split(":")[0]) for v in audit["violations"]},
                         {("INV-32", "check 442 cosigned_head_unknown")}, audit)
        witness_state = os.path.join(self.work, "rewrite-witness-state.json")
        pem, _ = self.witness_key("rewrite-witness")
        self.cosign(pem, witness_state)
        liar = contract_test.Server(rewritten, self.work)
        try:
            caught = self.verify_public(liar.url, "--known-head", known, expect=4)
            self.assertIn("rewritten", caught["failure"])
            # A witness that co-signed the true log refuses the rewritten one's head (445).
            refused = self.cosign(pem, witness_state, url=liar.url, expect=3)
            self.assertEqual(refused["rejected"]["check"], 445)
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


    def test_a_retirement_certificate_carries_its_inclusion_proof_and_links_to_it(self):
        retirement = self.get("/api/v1/retirements?registry=MN&limit=1",
                              "/api/v1/retirements")["items"][0]
        seq = retirement["seq"]
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("GET", f"/api/v1/retirements/{seq}/certificate")
        response = conn.getresponse()
        pdf = response.read()
        conn.close()
        self.assertEqual(response.status, 200)
        path = os.path.join(self.work, "certificate.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                              check=True, text=True).stdout
        named = {}
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            named.setdefault(name, []).append(value)
        field = {name: values[0] for name, values in named.items()}
        # The proof, from the certificate's text alone, checked here from RFC 9162 and openssl.
        n, index = int(field["tree_size"]), int(field["leaf_index"])
        self.assertEqual(index, seq - 1)
        self.assertIn(retirement["hash"], text)
        leaf = sha(b"\x00" + bytes.fromhex(retirement["hash"]))
        audit_path = [bytes.fromhex(h) for h in named.get("path", [])]
        root = bytes.fromhex(field["root_hash"])
        self.assertTrue(verify_inclusion(index, n, leaf, audit_path, root))
        self.assertEqual(mth(self.journal_leaves()[:n]), root)
        message = ("jcm-tree-head-v1\ntree_size %d\nroot_hash %s\ntimestamp %s\n" % (
            n, field["root_hash"], field["timestamp"])).encode()
        self.assertEqual(field["public_key"], self.key["public_key"])
        self.assertTrue(openssl_verifies(field["public_key"], message, field["signature"],
                                         self.work))
        # The QR code links to the public proof of the same entry in the same head.
        subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", path,
                        path + "-page"], check=True)
        url = subprocess.run(["zbarimg", "--quiet", "--raw", path + "-page-1.png"],
                             capture_output=True, check=True, text=True).stdout.strip()
        self.assertEqual(url, f"{self.server.url}/api/v1/log/proof?seq={seq}&tree_size={n}")
        self.assertEqual(field["proof_url"], url)
        served = self.get(url[len(self.server.url):], "/api/v1/log/proof")
        self.assertEqual([bytes.fromhex(h) for h in served["audit_path"]], audit_path)
        self.assertEqual(bytes.fromhex(served["leaf_hash"]), leaf)

    def post_cosignature(self, cosignature, expect, check=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("POST", "/api/v1/log/cosignatures", body=json.dumps(cosignature),
                     headers={"Content-Type": "application/json",
                              "Idempotency-Key": f"cosign-{time.monotonic_ns()}"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        self.assertEqual(response.status, expect, body)
        self.contract.validate("/api/v1/log/cosignatures", response.status,
                               response.getheader("Content-Type"), body, method="post")
        answer = json.loads(body)
        if check is not None:
            self.assertEqual(answer["check"], check, answer)
        return answer

    def witness_key(self, name):
        pem = os.path.join(self.work, name + ".pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", pem], check=True)
        der = subprocess.run(["openssl", "pkey", "-in", pem, "-pubout", "-outform", "DER"],
                             capture_output=True, check=True).stdout
        return pem, der[-32:].hex()

    def cosign(self, pem, state, *extra, url=None, expect=0):
        return run_cli("log", "cosign", "--url", url or self.server.url, "--registry-key",
                       self.key["public_key"], "--witness-key", pem, "--state", state, *extra,
                       expect=expect)

    def test_a_witness_cosigns_heads_and_verify_public_requires_its_cosignature(self):
        pem, public = self.witness_key("witness")
        state = os.path.join(self.work, "witness-state.json")

        def verify(serial, key=public, expect=0):
            return run_cli("verify-public", "--url", self.server.url, "--serial", serial,
                           "--public-key", self.key["public_key"], "--witness-key", key,
                           expect=expect)

        unit = f"MN-{self.first_serial}"
        self.assertIn("co-signed", verify(unit, expect=4)["failure"])  # nothing co-signed yet
        # The witness refuses a head under another registry key (444).
        refused = run_cli("log", "cosign", "--url", self.server.url, "--registry-key", "11" * 32,
                          "--witness-key", pem, expect=3)
        self.assertEqual(refused["rejected"]["check"], 444)
        first = self.cosign(pem, state)
        message = bytes.fromhex(first["tree_head"]["signed_message"])
        self.assertTrue(openssl_verifies(public, message, first["cosignature"], self.work))
        self.post_cosignature(first, 422, check=441)  # no witness configured yet
        added = run_cli("log", "witness", "--db", self.db, "--name", "partner MN",
                        "--public-key", public)
        self.assertEqual(added["public_key"], public)
        again = run_cli("log", "witness", "--db", self.db, "--name", "partner MN",
                        "--public-key", "22" * 32, expect=3)
        self.assertEqual(again["rejected"]["check"], 440)
        forged = json.loads(json.dumps(first))
        forged["cosignature"] = ("0" if first["cosignature"][0] != "0" else "1") + \
            first["cosignature"][1:]
        self.post_cosignature(forged, 422, check=443)
        other_head = json.loads(json.dumps(first))
        other_head["tree_head"]["timestamp"] = "2000-01-01T00:00:00Z"
        self.post_cosignature(other_head, 422, check=442)
        accepted = self.post_cosignature(first, 201)
        self.assertEqual((accepted["witness"], accepted["replayed"]), ("partner MN", False))
        self.assertTrue(self.post_cosignature(first, 200)["replayed"])
        # The head served now carries the co-signed head beside it, and the journal holds both
        # log.* entries, publicly.
        sth = self.get("/api/v1/log/sth", "/api/v1/log/sth")
        self.assertEqual(sth["cosigned"]["tree_head"], first["tree_head"])
        self.assertEqual(sth["cosigned"]["cosignatures"][0]["cosignature"],
                         first["cosignature"])
        feed = self.get(f"/api/v1/journal?since={first['tree_head']['tree_size'] - 5}",
                        "/api/v1/journal")
        kinds = [e["kind"] for e in feed["entries"]]
        self.assertIn("log.witness_added", kinds)
        self.assertEqual(kinds.count("log.cosigned"), 1)
        ok = verify(unit)
        self.assertTrue(ok["ok"], ok)
        self.assertEqual(ok["witnessed_size"], first["tree_head"]["tree_size"])
        _, stranger = self.witness_key("stranger")
        self.assertIn("no valid co-signature", verify(unit, key=stranger, expect=4)["failure"])
        # A step after the co-signed head waits for the witness's next co-signature, which
        # checks that the new head extends the one it co-signed (a consistency proof).
        late = self.first_serial + 400
        run_cli("retire", "--db", self.db, "--from", self.holder, "--quantity", "1",
                "--serials", f"{late}..{late}", "--beneficiary", "Late")
        self.assertIn("after the latest head the witness co-signed",
                      verify(f"MN-{late}", expect=4)["failure"])
        second = self.cosign(pem, state)
        self.assertGreater(second["tree_head"]["tree_size"], first["tree_head"]["tree_size"])
        self.post_cosignature(second, 201)
        self.assertTrue(verify(f"MN-{late}")["ok"])

    def test_verify_public_follows_a_transferred_unit_to_its_holder_and_its_retirement(self):
        # Transfers are in the public feed (decision 0002): a credit that moved verifies end to
        # end, from the public API alone.
        buyer = run_cli("account", "open", "--db", self.db, "--registry", "MN", "--type",
                        "holding", "--holder-name", "Buyer")["account"]["id"]
        first = self.first_serial + 200
        run_cli("transfer", "--db", self.db, "--from", self.holder, "--to", buyer, "--quantity",
                "20", "--serials", f"{first}..{first + 19}")
        run_cli("retire", "--db", self.db, "--from", buyer, "--quantity", "5", "--serials",
                f"{first}..{first + 4}", "--beneficiary", "Buyer's NDC")
        held = run_cli("verify-public", "--url", self.server.url, "--serial",
                       f"MN-{first + 10}", "--public-key", self.key["public_key"])
        self.assertTrue(held["ok"], held)
        self.assertEqual((held["status"], held["holder"]), ("held", buyer))
        self.assertIn(self.holder, [step["account"] for step in held["steps"]])
        self.assertEqual(held["steps"][-1]["account"], buyer)  # the transfer's block
        retired = run_cli("verify-public", "--url", self.server.url, "--serial", f"MN-{first}",
                          "--public-key", self.key["public_key"])
        self.assertTrue(retired["ok"], retired)
        self.assertEqual(retired["status"], "retired")
        accounts = [step["account"] for step in retired["steps"]]
        self.assertEqual(accounts[0], self.holder)  # the issuance
        self.assertEqual(accounts[-2:], [buyer, retired["holder"]])  # transfer, retirement
        # Each step is the public feed's entry, proven in the signed head.
        public, since, more = {}, 0, True
        while more:
            page = self.get(f"/api/v1/journal?since={since}&limit=1000", "/api/v1/journal")
            public.update({e["seq"]: e for e in page["entries"]})
            since, more = page["next_since"], page["more"]
        for step in retired["steps"]:
            self.assertEqual(public[step["seq"]]["hash"], step["hash"])


if __name__ == "__main__":
    JCM, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
