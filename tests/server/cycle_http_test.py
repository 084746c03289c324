#!/usr/bin/env python3
"""The project cycle, documents and MRV over a real socket (docs/api.md, "Project cycle"): runs
the real `jcm serve` over a database whose users are made with `jcm user …`, signs the JC
secretariat in with its password and TOTP (session cookie and CSRF token) and the TPE and the
registry administrators with API tokens, takes the whole cycle of examples/full-cycle.sh through
`POST /api/v1/cycle/steps/{step}` from the party to the execution in both registries, uploads
and reads documents (confidential ones included), calculates an MRV report from uploaded files,
and checks the per-route body limits. Every response is validated against docs/api/openapi.json.

Usage: cycle_http_test.py PATH_TO_JCM SOURCE_DIR
"""
import hashlib
import http.client
import json
import os
import sys
import tempfile
import unittest

import contract_test
from contract_test import Contract, Server
from signin_test import PASSWORD, cli, totp

STEP = "/api/v1/cycle/steps/{step}"
PERIOD = "2025-07-01..2025-12-31"


class CycleHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-cycle-http-")
        cls.db = os.path.join(cls.work, "registry.db")
        cli("init", "--db", cls.db, "--registries", "JP,MN")
        cls.jp_account = cli("account", "open", "--db", cls.db, "--registry", "JP",
                             "--holder-name", "Nihon Solar K.K.")["account"]["id"]
        cls.mn_account = cli("account", "open", "--db", cls.db, "--registry", "MN",
                             "--holder-name", "Gobi Solar LLC")["account"]["id"]
        cls.tokens = {}
        for name, role in (("sec", "jc_secretariat:MN"), ("sec-vn", "jc_secretariat:VN"),
                           ("tpe", "tpe:tpe-a"), ("jpadmin", "registry_administrator:JP"),
                           ("mnadmin", "registry_administrator:MN"), ("auditor", "auditor")):
            cli("user", "add", "--db", cls.db, "--name", name)
            cli("user", "password", "--db", cls.db, "--name", name, stdin=PASSWORD + "\n")
            cli("user", "grant", "--db", cls.db, "--name", name, "--role", role)
            cls.tokens[name] = cli("user", "token-issue", "--db", cls.db, "--name", name,
                                   "--lifetime", "3600")["token"]
        cls.sec_secret = cli("user", "totp", "--db", cls.db, "--name",
                             "sec")["totp"]["secret_base32"]
        cls.contract = Contract(os.path.join(contract_test.SOURCE, "docs/api/openapi.json"))
        cls.server = Server(cls.db, cls.work)
        cls.keys = 0

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0

    # -- helpers ---------------------------------------------------------------------------

    def request(self, method, target, template, expect, body=None, headers=None,
                content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn.request(method, target, body=data, headers={"Content-Type": content_type,
                                                         **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        self.assertEqual(response.status, expect, raw[:2000])
        self.contract.validate(template, response.status, response.getheader("Content-Type"),
                               raw, method.lower())
        ctype = response.getheader("Content-Type")
        return response, (raw if ctype == "application/octet-stream" else json.loads(raw))

    def key(self):
        type(self).keys += 1
        return "k-%d" % self.keys

    def as_user(self, name):
        return {"Authorization": "Bearer " + self.tokens[name], "Idempotency-Key": self.key()}

    def secretariat(self):
        """The JC secretariat signed in through the browser route: cookie and CSRF token."""
        if not hasattr(type(self), "session"):
            response, body = self.request("POST", "/api/v1/session", "/api/v1/session", 201,
                                          {"user": "sec", "password": PASSWORD,
                                           "totp": totp(self.sec_secret)})
            type(self).session = (response.getheader("Set-Cookie").split(";")[0],
                                  body["csrf_token"])
        cookie, csrf = type(self).session
        return {"Cookie": cookie, "X-CSRF-Token": csrf, "Idempotency-Key": self.key()}

    def step(self, name, body, headers=None, expect=201):
        _, answer = self.request("POST", "/api/v1/cycle/steps/" + name, STEP, expect, body,
                                 headers or self.secretariat())
        return answer

    def upload(self, data, name, confidential=False, headers=None, expect=201):
        target = "/api/v1/documents?name=%s&joint_committee=MN&confidential=%s" % (
            name, "true" if confidential else "false")
        _, answer = self.request("POST", target, "/api/v1/documents", expect, data,
                                 headers or self.secretariat(), "application/octet-stream")
        return answer["document"]["sha256"] if expect == 201 else answer

    # -- the tests (unittest runs them in name order: test_1… sets the cycle up) -----------

    def test_1_the_whole_cycle_over_http(self):
        self.step("party-register", {"partner": "MN", "name": "Mongolia",
                                     "bilateral_date": "2013-01-08"})
        self.step("jc-establish", {"partner": "MN", "secretariat": "JC secretariat",
                                   "member": ["MOFA Japan", "MOEJ"], "date": "2013-03-01"})
        self.step("jc-form", {"partner": "MN", "form": "JCM_MN_F_PIN", "version": "06.0",
                              "effective": "2024-01-01"})
        self.step("jc-decision", {"partner": "MN", "type": "rules_adopted",
                                  "subject": "Project cycle procedure", "date": "2013-04-01"})
        for org, country in (("gobi-solar", "MN"), ("nihon-solar", "JP"), ("tpe-a", "JP")):
            self.step("org-register", {"org_id": org, "name": org, "country": country})
        for function in ("validation", "verification"):
            self.step("tpe-designate", {"partner": "MN", "org_id": "tpe-a", "sectoral_scope": 1,
                                        "function": function, "date": "2014-01-01"})
        doc = self.upload(b"proposed methodology", "pm.txt")
        self.step("methodology-propose", {
            "proposal_code": "MN_PM010", "partner": "MN", "title": "Solar PV",
            "proponent": "nihon-solar", "sectoral_scope": 1, "document": {"sha256": doc},
            "date": "2025-01-06"})
        self.step("methodology-check", {"proposal_code": "MN_PM010", "date": "2025-01-08"})
        self.step("methodology-decide", {"proposal_code": "MN_PM010", "approved_code": "MN_AM010",
                                         "version": "1.0", "date": "2025-02-15"})
        self.step("pin-submit", {
            "pin_id": "MN_PIN010", "partner": "MN", "title": "8 MW solar PV in Zavkhan",
            "host_participant": ["gobi-solar"], "japanese_participant": ["nihon-solar"],
            "focal_point": "nihon-solar", "methodology": "MN_AM010",
            "methodology_version": "1.0", "sectoral_scope": 1, "funding": "moej_subsidy",
            "document": {"sha256": self.upload(b"PIN", "pin.txt")}, "date": "2025-03-01",
            "by": "nihon-solar"})
        self.step("pin-decide", {"project": "MN_PIN010", "no_objection": True,
                                 "date": "2025-03-20"})
        pdd = self.upload(b"PDD with the plant's confidential costs", "pdd.txt", True)
        public_pdd = self.upload(b"PDD with the costs blacked out", "pdd-public.txt")
        type(self).pdd = pdd
        self.step("pdd-submit", {"project": "MN_PIN010",
                                 "document": {"sha256": pdd, "confidential": True},
                                 "public_copy": {"sha256": public_pdd}, "date": "2025-04-01",
                                 "by": "nihon-solar"})
        report = self.upload(b"validation report", "validation.txt", headers=self.as_user("tpe"))
        self.step("validation-submit", {"project": "MN_PIN010", "positive": True,
                                        "report": {"sha256": report}, "date": "2025-05-15",
                                        "by": "tpe-a"}, self.as_user("tpe"))
        self.step("registration-request", {
            "project": "MN_PIN010",
            "share": [{"side": "JP", "holder": "government", "bp": 5000},
                      {"side": "JP", "holder": "nihon-solar", "bp": 3000},
                      {"side": "MN", "holder": "government", "bp": 1000},
                      {"side": "MN", "holder": "gobi-solar", "bp": 1000}],
            "document": {"sha256": self.upload(b"registration request", "rr.txt")},
            "date": "2025-06-01", "by": "nihon-solar"})
        event = self.step("registration-decide", {"project": "MN_PIN010", "date": "2025-07-01"})
        ref = type(self).ref = event["event"]["fields"]["reference"]
        self.step("project-change", {"project": ref, "description": "inverter replaced",
                                     "document": {"sha256": self.upload(b"change", "c.txt")},
                                     "date": "2025-07-02"})
        self.step("monitoring-period", {"project": ref, "period": PERIOD, "date": "2025-07-02",
                                        "by": "gobi-solar"})
        self.step("monitoring-report", {
            "project": ref, "period": PERIOD, "reported_tco2e": 4321,
            "document": {"sha256": self.upload(b"monitoring report", "mr.txt")},
            "date": "2026-01-20", "by": "gobi-solar"})
        self.step("verification-submit", {
            "project": ref, "period": PERIOD, "verified_tco2e": 4300,
            "report": {"sha256": self.upload(b"verification", "vr.txt",
                                             headers=self.as_user("tpe"))},
            "date": "2026-02-15", "by": "tpe-a"}, self.as_user("tpe"))
        self.step("issuance-request", {
            "project": ref, "period": PERIOD, "requested_tco2e": 4300,
            "document": {"sha256": self.upload(b"issuance request", "ir.txt")},
            "date": "2026-02-20", "by": "nihon-solar"})
        self.step("issuance-decide", {"project": ref, "period": PERIOD, "total_tco2e": 4300,
                                      "date": "2026-03-10"})
        execute = {"project": ref, "period": PERIOD, "registry": "JP", "date": "2026-03-20",
                   "authorization": "ndc", "to": {"nihon-solar": self.jp_account}}
        _, refused = self.request("POST", "/api/v1/cycle/steps/issuance-execute", STEP, 403,
                                  execute, self.as_user("mnadmin"))
        self.assertEqual(refused["code"], "forbidden")
        jp = self.step("issuance-execute", execute, self.as_user("jpadmin"))
        self.assertEqual(jp["transaction"]["quantity"], 3440)  # 80 % of 4300
        mn = self.step("issuance-execute", {**execute, "registry": "MN", "date": "2026-03-25",
                                            "to": {"gobi-solar": self.mn_account}},
                       self.as_user("mnadmin"))
        self.assertEqual(mn["transaction"]["quantity"], 860)
        self.step("project-renew", {"project": ref, "until": "2040-12-31", "date": "2026-04-01"})
        # The public reads what the cycle made.
        _, project = self.request("GET", "/api/v1/projects/" + ref, "/api/v1/projects/{id}", 200)
        self.assertEqual(project["status"], "registered")

    def test_2_retry_reuse_and_refusals(self):
        headers = {**self.secretariat(), "Idempotency-Key": "same-key"}
        body = {"partner": "MN", "type": "other", "subject": "A", "date": "2020-01-01"}
        _, first = self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 201, body,
                                headers)
        _, retry = self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 201, body,
                                headers)
        self.assertEqual(first["event"]["seq"], retry["event"]["seq"])
        self.assertTrue(retry["event"]["replayed"])
        _, reused = self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 422,
                                 {**body, "subject": "B"}, headers)
        self.assertEqual((reused["check"], reused["name"]), (1, "idempotency_key_reused"))
        # The public, another committee's secretariat, a bad body, a cycle check.
        self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 401, body,
                     {"Idempotency-Key": "x"})
        self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 403, body,
                     self.as_user("sec-vn"))
        for bad in ({**body, "colour": "red"}, {**body, "date": 20200101}):
            self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 400, bad,
                         self.secretariat())
        self.request("POST", "/api/v1/cycle/steps/jc-decision", STEP, 400,
                     b'{"partner": "M\xffN"}', self.secretariat())
        rejected = self.step("pin-decide", {"project": "MN_PIN010", "date": "2025-03-20"},
                             expect=422)
        self.assertTrue(100 <= rejected["check"] < 200, rejected)

    def test_3_confidential_documents(self):
        pdd = self.pdd
        for headers, status in (({}, 401), ({"Authorization": "Bearer " + self.tokens["sec-vn"]},
                                            403),
                                ({"Authorization": "Bearer " + self.tokens["jpadmin"]}, 403)):
            self.request("GET", "/api/v1/documents/" + pdd, "/api/v1/documents/{sha256}", status,
                         headers=headers)
        for reader in ("sec", "tpe", "auditor"):
            _, data = self.request("GET", "/api/v1/documents/" + pdd,
                                   "/api/v1/documents/{sha256}", 200,
                                   headers={"Authorization": "Bearer " + self.tokens[reader]})
            self.assertEqual(hashlib.sha256(data).hexdigest(), pdd)
        for name in ("..", "..%2Fregistry.db", "a%5Cb", "%2Fetc%2Fpasswd"):
            self.upload(b"x", name, expect=400)

    def test_4_body_limits(self):
        big = os.urandom(2 * 1024 * 1024)
        sha = self.upload(big, "big.bin")  # 2 MiB: a document may exceed the JSON limit
        self.assertEqual(sha, hashlib.sha256(big).hexdigest())
        self.request("POST", "/api/v1/cycle/steps/jc-decision", None, 413,
                     b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}', self.secretariat())
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        conn.putrequest("POST", "/api/v1/documents?name=huge&joint_committee=MN")
        for name, value in self.as_user("sec").items():
            conn.putheader(name, value)
        conn.putheader("Content-Length", str(64 * 1024 * 1024 + 1))
        conn.endheaders()
        try:
            conn.send(b"\0" * (1024 * 1024))  # the server answers before the rest is sent
        except OSError:
            pass
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        self.assertEqual(response.status, 413, raw)
        self.contract.validate(None, 413, response.getheader("Content-Type"), raw)

    def test_5_mrv_calculation_from_uploaded_files(self):
        def read(name):
            with open(os.path.join(contract_test.SOURCE, "src/mrv/testdata", name), "rb") as f:
                return f.read()
        params = self.upload(read("pv_params.txt"), "pv_params.txt")
        data = self.upload(read("pv_long.csv"), "pv_long.csv", confidential=True)
        body = {"params_sha256": params, "data_sha256": [data]}
        _, report = self.request("POST", "/api/v1/mrv/calculations", "/api/v1/mrv/calculations",
                                 200, body, self.secretariat())
        self.assertEqual(report["methodology"]["ref"], "MN_AM003@2.0")
        self.assertIn(data, [i["sha256"] for i in report["inputs"]])
        period = report["periods"][0]  # 2017-01-01..2017-07-31: one calendar year
        self.assertEqual([y["year"] for y in period["calendar_years"]], [2017])
        self.assertEqual(period["calendar_years"][0]["emission_reductions_tco2e"],
                         period["emission_reductions_tco2e"])
        self.request("POST", "/api/v1/mrv/calculations", "/api/v1/mrv/calculations", 403, body,
                     self.as_user("sec-vn"))
        self.request("POST", "/api/v1/mrv/calculations", "/api/v1/mrv/calculations", 404,
                     {"params_sha256": params, "data_sha256": ["0" * 64]}, self.secretariat())

    def test_5b_deadlines_as_jcm_due_shows_them(self):
        self.step("methodology-propose", {
            "proposal_code": "MN_PM011", "partner": "MN", "title": "Chillers",
            "proponent": "nihon-solar", "sectoral_scope": 3,
            "document": {"sha256": self.upload(b"chillers", "pm11.txt")}, "date": "2025-01-06"})
        due = "/api/v1/cycle/due"

        def check(today):
            _, answer = self.request("GET", due + "?today=" + today, due, 200, None,
                                     self.as_user("tpe"))
            self.assertEqual(answer["today"], today)
            self.assertEqual(answer, cli("due", "--db", self.db, "--today", today))
            return next(i for i in answer["items"] if i["subject"] == "MN_PM011")

        item = check("2025-01-10")
        self.assertEqual((item["what"], item["who"], item["due"], item["overdue"]),
                         ("completeness_check", "secretariat", "2025-01-13", False))
        self.assertTrue(check("2025-01-14")["overdue"])
        _, now = self.request("GET", due, due, 200, None, self.as_user("sec"))
        self.assertTrue(next(i for i in now["items"] if i["subject"] == "MN_PM011")["overdue"])
        self.request("GET", due, due, 401, None, {})
        self.request("GET", due + "?today=2025-13-01", due, 400, None, self.as_user("sec"))
        self.request("GET", due + "?when=2025-01-01", due, 400, None, self.as_user("sec"))

    def test_5c_the_tpe_work_list(self):
        work = "/api/v1/cycle/tpe-work"
        _, mine = self.request("GET", work, work, 200, None, self.as_user("tpe"))
        self.assertEqual(mine["org"], "tpe-a")
        self.assertEqual(mine, cli("tpe", "work", "--db", self.db, "--org", "tpe-a", "--today",
                                   mine["today"]))
        done = {(i["project"], i["function"], i["period"]) for i in mine["items"] if i["done"]}
        self.assertIn((self.ref, "validation", None), done)
        self.assertIn((self.ref, "verification", PERIOD), done)
        self.request("GET", work, work, 400, None, self.as_user("sec"))  # no TPE role, no org
        _, named = self.request("GET", work + "?org=tpe-a", work, 200, None, self.as_user("sec"))
        self.assertEqual(named["items"], mine["items"])
        self.request("GET", work + "?org=nobody", work, 400, None, self.as_user("sec"))
        self.request("GET", work, work, 401, None, {})

    def test_6_the_audit_accepts_what_the_api_journaled(self):
        # Idempotency rows of the HTTP keys (INV-13), uploaded documents intact (INV-14).
        report = cli("audit", "verify", "--db", self.db)
        self.assertTrue(report["ok"], report)


if __name__ == "__main__":
    contract_test.JCM, contract_test.SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
