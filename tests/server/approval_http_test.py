#!/usr/bin/env python3
"""Four-eyes transactions over a real socket (docs/api.md, "Transactions"): a real `jcm serve`
on a database whose representatives are created through the CLI; the approver signs in with
its TOTP code (a session cookie and its CSRF token) and signs the approval with a later code,
computed here (RFC 6238, independently of jcm); the initiator uses an API token. Every response
is validated against docs/api/openapi.json. Covers: the initiator never approves (403 check
403), a wrong code (422 check 313) changes nothing, a delayed transfer and its cancellation, a
trusted account's transfer completing on approval, a transfer to a trusted account executing
with its proposal under the registry administrator's waiver of the second approval, concurrent approvals (each transfer
executed exactly once, the same transaction approved twice at once executed once), Idempotency-Key retries (the first answer)
and reuse with another body (422 check 400), another account's representative (403), keyset
pagination, strict bodies and the public (401).

Usage: approval_http_test.py PATH_TO_JCM SOURCE_DIR
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

import contract_test
from contract_test import Contract, Server, exchange
from signin_test import PASSWORD, cli, totp


class ApprovalHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-approval-")
        cls.db = os.path.join(cls.work, "registry.db")
        cli("init", "--db", cls.db, "--registries", "MN")
        subprocess.run([contract_test.JCM, "import", "jcm-data", "--db", cls.db, "--dir",
                        os.path.join(contract_test.SOURCE, "data/jcm")], check=True,
                       capture_output=True)
        cls.src = cli("account", "open", "--db", cls.db, "--registry", "MN", "--type", "holding",
                      "--holder-name", "Sharp Energy")["account"]["id"]
        cls.dst = cli("account", "open", "--db", cls.db, "--registry", "MN", "--type", "holding",
                      "--holder-name", "Buyer LLC")["account"]["id"]
        cli("issue", "--db", cls.db, "--registry", "MN", "--decision",
            "MN006:2019-07-06..2020-12-31@2026-01-24", "--to", cls.src + ":6063",
            "--authorization", "ndc")
        cls.secrets = {}
        for user, account, right in (("alice", cls.src, "initiate"), ("bob", cls.src, "approve"),
                                     ("olga", cls.dst, "initiate_and_approve")):
            cli("user", "add", "--db", cls.db, "--name", user)
            cli("user", "password", "--db", cls.db, "--name", user, stdin=PASSWORD + "\n")
            cli("user", "grant", "--db", cls.db, "--name", user, "--role",
                f"authorised_representative:{account}:{right}")
            cls.secrets[user] = cli("user", "totp", "--db", cls.db, "--name",
                                    user)["totp"]["secret_base32"]
        # A second destination and six more approvers of the source, for the concurrent
        # approvals (a TOTP step signs once per user, INV-16: one approver per approval).
        cls.dst2 = cli("account", "open", "--db", cls.db, "--registry", "MN", "--type",
                       "holding", "--holder-name", "Second Buyer LLC")["account"]["id"]
        cls.approvers = []
        for n in range(6):
            name = f"ann{n}"
            cli("user", "add", "--db", cls.db, "--name", name)
            cli("user", "grant", "--db", cls.db, "--name", name, "--role",
                f"authorised_representative:{cls.src}:approve")
            secret = cli("user", "totp", "--db", cls.db, "--name", name)["totp"]["secret_base32"]
            token = cli("user", "token-issue", "--db", cls.db, "--name", name, "--lifetime",
                        "3600")["token"]
            cls.approvers.append(({"Authorization": "Bearer " + token}, secret))
        cls.alice = {"Authorization": "Bearer " + cli(
            "user", "token-issue", "--db", cls.db, "--name", "alice", "--lifetime", "3600")["token"]}
        cls.olga = {"Authorization": "Bearer " + cli(
            "user", "token-issue", "--db", cls.db, "--name", "olga", "--lifetime", "3600")["token"]}
        # A third destination and the registry administrator, for the transaction rules.
        cls.dst3 = cli("account", "open", "--db", cls.db, "--registry", "MN", "--type",
                       "holding", "--holder-name", "Third Buyer LLC")["account"]["id"]
        cli("user", "add", "--db", cls.db, "--name", "reg")
        cli("user", "grant", "--db", cls.db, "--name", "reg", "--role",
            "registry_administrator:MN")
        cli("user", "totp", "--db", cls.db, "--name", "reg")
        cls.reg = {"Authorization": "Bearer " + cli(
            "user", "token-issue", "--db", cls.db, "--name", "reg", "--lifetime", "3600")["token"]}
        cls.contract = Contract(os.path.join(contract_test.SOURCE, "docs/api/openapi.json"))
        # Trusted entries count at once here; transfers to others wait the default 26 h.
        cls.server = Server(cls.db, cls.work, "--trusted-delay", "0")
        cls.bob = cls.session("bob")
        cls.keys = 0

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    @classmethod
    def session(cls, user):
        """Signs in with the previous step's code, so the current one still signs approvals."""
        conn = http.client.HTTPConnection("127.0.0.1", cls.server.port, timeout=10)
        conn.request("POST", "/api/v1/session", body=json.dumps(
            {"user": user, "password": PASSWORD, "totp": totp(cls.secrets[user], -30)}),
            headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        body = json.loads(response.read())
        conn.close()
        assert response.status == 201, body
        return {"Cookie": response.getheader("Set-Cookie").split(";")[0],
                "X-CSRF-Token": body["csrf_token"]}

    def request(self, method, target, template, expect, body=None, headers=None, key=True):
        """One request, validated against the contract; a POST gets a fresh Idempotency-Key
        unless `key` is a string (that key) or False (none)."""
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if method == "POST" and key is not False:
            ApprovalHttpTest.keys += 1
            all_headers["Idempotency-Key"] = key if isinstance(key, str) else f"k{self.keys}"
        status, content_type, raw = exchange(self.server.port, method, target, body, all_headers)
        self.assertEqual(status, expect, raw)
        self.contract.validate(template, status, content_type, raw, method.lower())
        is_json = "json" in content_type
        return json.loads(raw) if raw and is_json else raw

    def propose(self, quantity, to=None, key=True):
        return self.request("POST", "/api/v1/transactions", "/api/v1/transactions", 201,
                            {"type": "transfer", "from": self.src, "to": to or self.dst,
                             "quantity": quantity}, self.alice, key)

    def approve(self, proposal_id, code, expect=200):
        return self.request("POST", f"/api/v1/transactions/{proposal_id}/approve",
                            "/api/v1/transactions/{id}/approve", expect, {"totp": code},
                            self.bob)

    def assert_check(self, body, status, check, name):
        self.assertEqual((body["status"], body["check"], body["name"]), (status, check, name),
                         body)

    # -- the tests -------------------------------------------------------------------------

    def test_1_four_eyes_signed_approval_then_delay_and_cancel(self):
        proposal = self.propose(100)
        self.assertEqual((proposal["status"], proposal["initiator"]), ("awaiting_approval", "alice"))
        pid = proposal["id"]
        # The initiator has no approve right; a wrong code is refused and changes nothing.
        body = self.request("POST", f"/api/v1/transactions/{pid}/approve",
                            "/api/v1/transactions/{id}/approve", 403, {"totp": "123456"},
                            self.alice)
        self.assert_check(body, 403, 403, "right_missing")
        wrong = "000000" if totp(self.secrets["bob"]) != "000000" else "111111"
        self.assert_check(self.approve(pid, wrong, 422), 422, 313, "totp_invalid")
        got = self.request("GET", f"/api/v1/transactions/{pid}", "/api/v1/transactions/{id}", 200,
                           headers=self.bob)
        self.assertEqual(got["status"], "awaiting_approval")
        approved = self.approve(pid, totp(self.secrets["bob"]))
        self.assertEqual((approved["status"], approved["approver"]), ("delayed", "bob"))
        self.assertEqual(approved["execute_at"] - approved["approved_at"], 26 * 3600)
        cancelled = self.request("POST", f"/api/v1/transactions/{pid}/cancel",
                                 "/api/v1/transactions/{id}/cancel", 200,
                                 {"comment": "not trusted"}, self.bob)
        self.assertEqual((cancelled["status"], cancelled["ended_by"]), ("cancelled", "bob"))

    def test_2_trusted_account_takes_the_transfer_on_approval(self):
        entry = self.request("POST", f"/api/v1/accounts/{self.src}/trusted",
                             "/api/v1/accounts/{number}/trusted", 201, {"trusted": self.dst},
                             self.alice)
        self.assertTrue(entry["effective"])
        listed = self.request("GET", f"/api/v1/accounts/{self.src}/trusted",
                              "/api/v1/accounts/{number}/trusted", 200, headers=self.bob)
        self.assertEqual([e["trusted"] for e in listed["items"]], [self.dst])
        pid = self.propose(40)["id"]
        # Another step than test 1's approval: a TOTP step signs once (INV-16).
        done = self.approve(pid, totp(self.secrets["bob"], 30))
        self.assertEqual((done["status"], done["to_trusted"]), ("completed", True))
        self.assertIsInstance(done["ledger_transaction"], int)
        template = "/api/v1/accounts/{number}/trusted/{entry}"
        target = f"/api/v1/accounts/{self.src}/trusted/{entry['id']}"
        self.assertTrue(self.request("DELETE", target, template, 200, headers=self.alice)["removed"])
        self.assert_check(self.request("DELETE", target, template, 404, headers=self.alice), 404,
                          411, "trusted_entry_unknown")

    def approve_all_at_once(self, approvals):
        """Sends each (proposal id, approver) approval on its own connection, all released at
        once; returns the (status, body) answers in order."""
        barrier = threading.Barrier(len(approvals))
        answers = [None] * len(approvals)

        def send(i, pid, approver):
            headers, secret = approver
            body = json.dumps({"totp": totp(secret)})
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
            conn.connect()
            barrier.wait()
            conn.request("POST", f"/api/v1/transactions/{pid}/approve", body=body, headers={
                **headers, "Content-Type": "application/json", "Idempotency-Key": f"c{pid}-{i}"})
            response = conn.getresponse()
            answers[i] = (response.status, json.loads(response.read()))
            conn.close()

        threads = [threading.Thread(target=send, args=(i, pid, approver))
                   for i, (pid, approver) in enumerate(approvals)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    def test_3_concurrent_approvals_execute_each_transfer_exactly_once(self):
        """Approvals of distinct transactions sent at once are decided side by side on the
        server's write workers, their events locked only on their own proposal (INV-60): all
        complete and each transfer executes exactly once. The same transaction approved by two
        approvers at once executes once: the other approval is refused (check 405). The audit
        passes afterwards."""
        self.request("POST", f"/api/v1/accounts/{self.src}/trusted",
                     "/api/v1/accounts/{number}/trusted", 201, {"trusted": self.dst2}, self.alice)
        holdings = lambda: cli("holdings", "--db", self.db, "--account", self.dst2)["total"]
        before = holdings()
        quantities = [1, 2, 3, 4]
        pids = [self.propose(q, to=self.dst2)["id"] for q in quantities]
        answers = self.approve_all_at_once(list(zip(pids, self.approvers[:4])))
        for pid, (status, body) in zip(pids, answers):
            self.assertEqual(status, 200, body)
            self.assertEqual((body["id"], body["status"], body["to_trusted"]),
                             (pid, "completed", True), body)
        transactions = {body["ledger_transaction"] for _, body in answers}
        self.assertEqual(len(transactions), len(pids))  # one ledger transaction each
        self.assertEqual(holdings(), before + sum(quantities))

        twice = self.propose(100, to=self.dst2)["id"]
        answers = self.approve_all_at_once([(twice, self.approvers[4]),
                                            (twice, self.approvers[5])])
        statuses = sorted(status for status, _ in answers)
        self.assertEqual(statuses, [200, 422], answers)
        done = next(body for status, body in answers if status == 200)
        refused = next(body for status, body in answers if status == 422)
        self.assertEqual(done["status"], "completed")
        self.assert_check(refused, 422, 405, "proposal_not_pending")
        got = self.request("GET", f"/api/v1/transactions/{twice}", "/api/v1/transactions/{id}",
                           200, headers=self.bob)
        self.assertEqual((got["status"], got["ledger_transaction"]),
                         ("completed", done["ledger_transaction"]))
        self.assertEqual(holdings(), before + sum(quantities) + 100)
        audit = subprocess.run([contract_test.JCM, "audit", "verify", "--db", self.db, "--json"],
                               capture_output=True, text=True)
        self.assertEqual(audit.returncode, 0, audit.stdout + audit.stderr)
        self.assertTrue(json.loads(audit.stdout)["ok"])

    def test_4_a_waiver_lets_a_trusted_transfer_execute_with_its_proposal(self):
        rules = f"/api/v1/accounts/{self.src}/transaction-rules"
        template = "/api/v1/accounts/{number}/transaction-rules"
        got = self.request("GET", rules, template, 200, headers=self.alice)
        self.assertEqual((got["second_approval_to_trusted"], got["waived"]), ("required", False))
        body = self.request("POST", rules, template, 403,
                            {"second_approval_to_trusted": "not_required"}, self.alice)
        self.assert_check(body, 403, 403, "right_missing")
        self.request("POST", rules, template, 400, {"second_approval_to_trusted": "no"}, self.reg)
        # The server's trusted-entry delay is 0: the waiver and the entry count at once.
        waived = self.request("POST", rules, template, 200,
                              {"second_approval_to_trusted": "not_required"}, self.reg)
        self.assertEqual((waived["waived"], waived["set_by"]), (True, "reg"))
        self.request("POST", f"/api/v1/accounts/{self.src}/trusted",
                     "/api/v1/accounts/{number}/trusted", 201, {"trusted": self.dst3}, self.alice)
        done = self.propose(7, to=self.dst3)
        self.assertEqual((done["status"], done["without_second_approval"], done["approver"]),
                         ("completed", True, None))
        self.assertEqual(done["ledger_transaction"], done["id"] - 1)
        # Not to an untrusted account, and not once the rule is required again.
        self.assertEqual(self.propose(1)["status"], "awaiting_approval")
        required = self.request("POST", rules, template, 200,
                                {"second_approval_to_trusted": "required"}, self.reg)
        self.assertFalse(required["waived"])
        waiting = self.propose(1, to=self.dst3)
        self.assertEqual(waiting["status"], "awaiting_approval")
        self.request("POST", f"/api/v1/transactions/{waiting['id']}/cancel",
                     "/api/v1/transactions/{id}/cancel", 200, {"comment": "test"}, self.alice)

    def test_idempotency_key_returns_the_first_answer_and_refuses_another_body(self):
        first = self.propose(7, key="same-key")
        again = self.propose(7, key="same-key")
        self.assertEqual((again["id"], again["replayed"]), (first["id"], True))
        body = self.request("POST", "/api/v1/transactions", "/api/v1/transactions", 422,
                            {"type": "transfer", "from": self.src, "to": self.dst,
                             "quantity": 8}, self.alice, "same-key")
        self.assert_check(body, 422, 400, "approval_key_reused")
        body = self.request("POST", "/api/v1/transactions", None, 400,
                            {"type": "transfer", "from": self.src, "to": self.dst,
                             "quantity": 8}, self.alice, False)
        self.assertEqual(body["code"], "idempotency_key_invalid")

    def test_another_accounts_representative_sees_nothing(self):
        pid = self.propose(3)["id"]
        body = self.request("GET", f"/api/v1/transactions/{pid}", "/api/v1/transactions/{id}",
                            403, headers=self.olga)
        self.assert_check(body, 403, 403, "right_missing")
        self.request("GET", f"/api/v1/transactions?account={self.src}", "/api/v1/transactions",
                     403, headers=self.olga)
        self.request("GET", f"/api/v1/accounts/{self.src}/trusted",
                     "/api/v1/accounts/{number}/trusted", 403, headers=self.olga)
        body = self.request("GET", "/api/v1/transactions/999999", "/api/v1/transactions/{id}",
                            404, headers=self.bob)
        self.assert_check(body, 404, 401, "proposal_unknown")
        # The public is not signed in.
        self.request("GET", f"/api/v1/transactions/{pid}", "/api/v1/transactions/{id}", 401)

    def test_the_list_pages_by_id(self):
        for quantity in (1, 2):
            self.propose(quantity)
        ids, target = [], f"/api/v1/transactions?account={self.src}&limit=1"
        while target:
            page = self.request("GET", target, "/api/v1/transactions", 200, headers=self.bob)
            ids += [p["id"] for p in page["items"]]
            target = (f"/api/v1/transactions?account={self.src}&limit=1&cursor={page['next']}"
                      if page["next"] else None)
        self.assertEqual(ids, sorted(ids))
        self.assertGreaterEqual(len(ids), 2)
        self.request("GET", f"/api/v1/transactions?account={self.src}&format=csv",
                     "/api/v1/transactions", 200, headers=self.bob)

    def test_bodies_are_decoded_strictly(self):
        for body in (b"{", b"[]", {"type": "transfer", "from": self.src, "quantity": "5"},
                     {"type": "transfer", "from": self.src, "quantity": 5, "extra": 1},
                     {"type": "issuance", "from": self.src, "quantity": 5}):
            self.request("POST", "/api/v1/transactions", "/api/v1/transactions", 400, body,
                         self.alice)


if __name__ == "__main__":
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
