#!/usr/bin/env python3
"""Account and user administration over a real socket (docs/api.md, "Administration"): a real
`jcm serve` on a database whose users are created through the CLI, each calling with an API
token. Every response is validated against docs/api/openapi.json. Covers: the registry
administrator of MN opens an MN account (201, a retry answers the first, the same key with
another body is check 1), suspends and reopens it (the ledger's own check refuses an invalid
change, 422), may not open one in JP (403) nor change a JP account (404, like a missing one);
the user list shows MN's administrator only the users holding an MN role, the system
administrator everyone, an authorised representative nothing (403); the MN administrator grants
and revokes a representative's role on an MN account (201/200; granting it twice is check 343)
but not a JC secretariat's (403), which the system administrator may; the public gets 401;
bodies are strict (400). Account applications: a representative applies (201; a second pending
one for the holder is check 460), MN's administrator approves — the account opens and the
applicant reads it — or rejects with a reason (463 without), and answers 404 for JP's.

Usage: admin_http_test.py PATH_TO_JCM SOURCE_DIR
"""
import json
import os
import sys
import tempfile
import unittest
import urllib.parse

import contract_test
from contract_test import Contract, Server, exchange
from signin_test import PASSWORD, cli


class AdminHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-admin-")
        cls.db = os.path.join(cls.work, "registry.db")
        cli("init", "--db", cls.db, "--registries", "JP,MN")
        cls.jp_account = cli("account", "open", "--db", cls.db, "--registry", "JP", "--type",
                             "holding", "--holder-name", "Tokyo Trading")["account"]["id"]
        cls.tokens = {}
        for user, role in (("mnadmin", "registry_administrator:MN"),
                           ("sysadmin", "system_administrator"),
                           ("rep", f"authorised_representative:{cls.jp_account}:initiate")):
            cli("user", "add", "--db", cls.db, "--name", user)
            cli("user", "password", "--db", cls.db, "--name", user, stdin=PASSWORD + "\n")
            cli("user", "grant", "--db", cls.db, "--name", user, "--role", role)
            cls.tokens[user] = {"Authorization": "Bearer " + cli(
                "user", "token-issue", "--db", cls.db, "--name", user, "--lifetime",
                "3600")["token"]}
        cls.contract = Contract(os.path.join(contract_test.SOURCE, "docs/api/openapi.json"))
        cls.server = Server(cls.db, cls.work)
        cls.keys = 0

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    def request(self, method, target, template, expect, body=None, user=None, key=True):
        headers = dict(self.tokens[user]) if user else {}
        if method == "POST" and key is not False:
            AdminHttpTest.keys += 1
            headers["Idempotency-Key"] = key if isinstance(key, str) else f"k{self.keys}"
        status, content_type, raw = exchange(self.server.port, method, target, body, headers)
        self.assertEqual(status, expect, raw)
        self.contract.validate(template, status, content_type, raw, method.lower())
        return json.loads(raw) if raw else None

    def open_account(self, expect, body, user="mnadmin", key=True):
        return self.request("POST", "/api/v1/accounts", "/api/v1/accounts", expect, body, user,
                            key)

    def set_state(self, account, expect, state, user="mnadmin"):
        return self.request("POST", f"/api/v1/accounts/{account}/state",
                            "/api/v1/accounts/{number}/state", expect, {"state": state}, user)

    def test_accounts_are_opened_and_suspended_by_their_registrys_administrator(self):
        body = {"registry": "MN", "holder_name": "Gobi Solar LLC", "holder_name_ja": "ゴビ"}
        opened = self.open_account(201, body, key="open-gobi")
        number = opened["account"]["id"]
        self.assertTrue(number.startswith("MN-"), opened)
        self.assertEqual(self.open_account(201, body, key="open-gobi")["account"]["id"], number)
        reused = self.open_account(422, {**body, "holder_name": "Other"}, key="open-gobi")
        self.assertEqual((reused["check"], reused["name"]), (1, "idempotency_key_reused"))
        self.assertEqual(self.set_state(number, 200, "suspended")["transaction"]["type"],
                         "account.state")
        states = {a["id"]: a["state"] for a in cli("account", "list", "--db", self.db)}
        self.assertEqual(states[number], "suspended")
        self.set_state(number, 200, "open")
        self.open_account(403, {"registry": "JP", "holder_name": "Not mine"})
        self.set_state(self.jp_account, 404, "suspended")
        self.set_state(number, 404, "suspended", user="rep")
        self.open_account(401, body, user=None)
        for bad in (b"{", {"registry": "MN"}, {**body, "extra": "x"}, {**body, "type": 3}):
            self.open_account(400, bad)
        self.request("POST", f"/api/v1/accounts/{number}/state",
                     "/api/v1/accounts/{number}/state", 400, {"state": "frozen"}, "mnadmin")

    def test_users_and_roles_by_the_registry_they_concern(self):
        mn_account = self.open_account(201, {"registry": "MN", "holder_name": "Khan Energy"})[
            "account"]["id"]
        cli("user", "add", "--db", self.db, "--name", "newrep")
        role = f"authorised_representative:{mn_account}:approve"
        granted = self.request("POST", "/api/v1/users/newrep/roles", "/api/v1/users/{name}/roles",
                               201, {"role": role}, "mnadmin")
        self.assertEqual(granted["roles"], [role])
        twice = self.request("POST", "/api/v1/users/newrep/roles", "/api/v1/users/{name}/roles",
                             422, {"role": role}, "mnadmin")
        self.assertEqual(twice["name"], "role_already_granted")
        names = [u["name"] for u in self.request("GET", "/api/v1/users", "/api/v1/users", 200,
                                                 user="mnadmin")["items"]]
        self.assertEqual(names, ["mnadmin", "newrep"])
        everyone = self.request("GET", "/api/v1/users?limit=2", "/api/v1/users", 200,
                                user="sysadmin")
        self.assertEqual([u["name"] for u in everyone["items"]], ["mnadmin", "newrep"])
        self.assertIsNotNone(everyone["next"])
        self.request("GET", "/api/v1/users", "/api/v1/users", 403, user="rep")
        self.request("POST", "/api/v1/users/newrep/roles", "/api/v1/users/{name}/roles", 403,
                     {"role": "jc_secretariat:MN"}, "mnadmin")
        self.request("POST", "/api/v1/users/newrep/roles", "/api/v1/users/{name}/roles", 201,
                     {"role": "jc_secretariat:MN"}, "sysadmin")
        revoked = self.request("DELETE", "/api/v1/users/newrep/roles/" + urllib.parse.quote(role),
                               "/api/v1/users/{name}/roles/{role}", 200, user="mnadmin")
        self.assertEqual(revoked["roles"], ["jc_secretariat:MN"])
        self.request("POST", "/api/v1/users/newrep/roles", "/api/v1/users/{name}/roles", 400,
                     {"role": "emperor"}, "sysadmin")

    def test_zz_account_applications_decided_by_the_registrys_administrator(self):
        # Runs last (tests run in name order): the approval gives "rep" a role in MN, which the
        # user list checked by test_users_… would then show to MN's administrator.
        app = "/api/v1/account-applications"
        approve, reject = app + "/{id}/approve", app + "/{id}/reject"
        body = {"registry": "MN", "holder_name": "Steppe Wind LLC", "contact": "ops@steppe.mn"}
        first = self.request("POST", app, app, 201, body, "rep")
        self.assertEqual((first["state"], first["applicant"], first["account"]),
                         ("pending", "rep", ""))
        again = self.request("POST", app, app, 422, body, "rep")
        self.assertEqual((again["check"], again["name"]), (460, "application_pending_exists"))
        self.assertEqual([a["id"] for a in self.request("GET", app, app, 200, user="rep")["items"]],
                         [first["id"]])
        queue = self.request("GET", app + "?state=pending&registry=MN", app, 200, user="mnadmin")
        self.assertEqual([a["id"] for a in queue["items"]], [first["id"]])
        self.request("POST", approve.format(id=first["id"]), approve, 404, {}, "rep")
        done = self.request("POST", approve.format(id=first["id"]), approve, 200,
                            {"right": "initiate"}, "mnadmin")
        self.assertEqual((done["state"], done["decided_by"], done["right"]),
                         ("approved", "mnadmin", "initiate"))
        listed = {a["id"]: a for a in cli("account", "list", "--db", self.db)}
        self.assertEqual(listed[done["account"]]["holder_name"], "Steppe Wind LLC")
        self.request("GET", "/api/v1/accounts/" + done["account"], "/api/v1/accounts/{number}",
                     200, user="rep")
        twice = self.request("POST", approve.format(id=first["id"]), approve, 422, {}, "mnadmin")
        self.assertEqual(twice["name"], "application_decided")

        second = self.request("POST", app, app, 201, {**body, "holder_name": "Steppe Sun"}, "rep")
        bare = self.request("POST", reject.format(id=second["id"]), reject, 422, {}, "mnadmin")
        self.assertEqual(bare["name"], "rejection_without_reason")
        refused = self.request("POST", reject.format(id=second["id"]), reject, 200,
                               {"reason": "no proof of identity"}, "mnadmin")
        self.assertEqual((refused["state"], refused["reason"], refused["account"]),
                         ("rejected", "no proof of identity", ""))
        japan = self.request("POST", app, app, 201, {"registry": "JP", "holder_name": "Edo"}, "rep")
        self.request("POST", approve.format(id=japan["id"]), approve, 404, {}, "mnadmin")
        self.request("POST", approve.format(id="999999"), approve, 404, {}, "mnadmin")
        self.request("GET", app + "?state=lost", app, 400, user="rep")
        self.request("POST", app, app, 401, body)
        self.assertTrue(cli("audit", "verify", "--db", self.db)["ok"])


if __name__ == "__main__":
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
