#!/usr/bin/env python3
"""Contract test of `jcm serve` (docs/api.md): starts the real binary on an ephemeral port over a
fresh database seeded through the CLI, validates every response it receives against the OpenAPI
document (docs/api/openapi.json) with jsonschema's Draft 2020-12 validator (OpenAPI 3.1 schemas
are JSON Schema 2020-12), and drives the transport with bad input: a malformed request line,
oversized header and body, a slow client, path traversal, keep-alive reuse, the connection limit,
TLS, and SIGTERM with a request in flight.

Usage: contract_test.py PATH_TO_JCM SOURCE_DIR
"""
import csv
import http.client
import io
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import jsonschema

JCM = SOURCE = None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def run_cli(*args):
    out = subprocess.run([JCM, *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


class Server:
    """A `jcm serve` process; `port` once it printed that it listens."""

    def __init__(self, db, workdir, *extra):
        self.log_path = os.path.join(workdir, f"access-{time.monotonic_ns()}.log")
        self.proc = subprocess.Popen(
            [JCM, "serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", self.log_path,
             "--json", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("jcm serve did not start: " + self.proc.stderr.read())
        self.url = json.loads(line)["listening"]["url"]
        self.port = json.loads(line)["listening"]["port"]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.wait()

    def wait(self):
        status = self.proc.wait(timeout=20)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return status


def exchange(port, method, target, body=None, headers=None):
    """One request over a fresh connection to 127.0.0.1:`port`: a JSON body unless `body` is
    bytes or None. Returns (status, content type, raw body); the caller validates."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    conn.request(method, target, body=data,
                 headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type"), raw


class Contract:
    """Response validation against the committed OpenAPI document."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.doc = json.loads(self.raw)

    def schema_at(self, pointer):
        # The whole document is the root, so the schemas' "#/components/…" references resolve;
        # OpenAPI's own keywords beside "$ref" are ignored by the validator.
        root = dict(self.doc)
        root["$ref"] = pointer
        return root

    @staticmethod
    def escape(token):
        return token.replace("~", "~0").replace("/", "~1")

    def validate(self, template, status, content_type, body, method="get"):
        """Validates a response of the operation at path `template` (None: no route matched,
        the body must be a problem document). A CSV or JSON-lines export is checked against
        the item schema its document names in `x-jcm-item-schema`."""
        content_type = content_type.split(";")[0].strip()
        if content_type in ("text/csv", "application/x-ndjson"):
            self.validate_export(template, status, content_type, body, method)
            return
        if content_type == "application/pdf":  # a document: its media type must be declared
            content = self.doc["paths"][template][method]["responses"][str(status)]["content"]
            assert content_type in content, f"{template} {status}: {content_type} undocumented"
            assert body.startswith(b"%PDF-"), body[:20]
            return
        if content_type == XLSX:  # a workbook (a zip): its media type must be declared
            content = self.doc["paths"][template][method]["responses"][str(status)]["content"]
            assert content_type in content, f"{template} {status}: {content_type} undocumented"
            assert body.startswith(b"PK\x03\x04"), body[:20]
            return
        if content_type == "text/plain":  # a peer's snapshot (Record lines): declared, and text
            content = self.doc["paths"][template][method]["responses"][str(status)]["content"]
            assert content_type in content, f"{template} {status}: {content_type} undocumented"
            body.decode("utf-8")
            return
        if content_type == "application/octet-stream":  # a document's bytes: no schema to check
            content = self.doc["paths"][template][method]["responses"][str(status)]["content"]
            assert content_type in content, f"{template} {status}: {content_type} undocumented"
            return
        if template is None:
            assert content_type == "application/problem+json", content_type
            pointer = "#/components/schemas/Problem"
        else:
            responses = self.doc["paths"][template][method]["responses"]
            assert str(status) in responses, f"{method} {template}: status {status} undocumented"
            content = responses[str(status)]["content"]
            assert content_type in content, f"{template} {status}: {content_type} undocumented"
            pointer = "#/paths/{}/{}/responses/{}/content/{}/schema".format(
                self.escape(template), method, status, self.escape(content_type))
        jsonschema.Draft202012Validator(self.schema_at(pointer)).validate(json.loads(body))

    def validate_export(self, template, status, content_type, body, method):
        content = self.doc["paths"][template][method]["responses"][str(status)]["content"]
        assert content_type in content, f"{template} {status}: {content_type} undocumented"
        pointer = "#/paths/{}/{}/responses/{}/content/{}/schema/x-jcm-item-schema".format(
            self.escape(template), method, status, self.escape(content_type))
        validator = jsonschema.Draft202012Validator(self.schema_at(pointer))
        text = body.decode("utf-8")
        if content_type == "application/x-ndjson":
            assert text == "" or text.endswith("\n"), "a JSON line without its newline"
            for line in text.splitlines():
                validator.validate(json.loads(line))
            return
        assert text.endswith("\r\n"), "RFC 4180 records end in CRLF"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, records = rows[0], rows[1:]
        item = self.resolve(self.resolve(pointer)["$ref"])
        for name in item.get("required", []):
            assert name in header or any(h.startswith(name + ".") for h in header), \
                f"{template}: CSV lacks the required field {name}"
        for record in records:
            assert len(record) == len(header), f"{template}: a CSV row of {len(record)} cells"
            for cell in record:
                assert not cell or cell[0] not in "=+@\t\r" or cell.startswith("'"), cell

    def resolve(self, pointer):
        node = self.doc
        for token in pointer.lstrip("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node


class ContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-contract-")
        cls.db = os.path.join(cls.work, "registry.db")
        cls.seed()
        cls.contract = Contract(os.path.join(SOURCE, "docs/api/openapi.json"))
        cls.server = Server(cls.db, cls.work, "--request-timeout-ms", "1000")

    @classmethod
    def tearDownClass(cls):
        status = cls.server.stop()
        assert status == 0, f"jcm serve exited {status}"

    @classmethod
    def seed(cls):
        run_cli("init", "--db", cls.db, "--registries", "JP,MN")
        run_cli("import", "jcm-data", "--db", cls.db, "--dir", os.path.join(SOURCE, "data/jcm"))
        run_cli("jc", "establish", "--db", cls.db, "--partner", "MN", "--secretariat",
                "JC secretariat", "--member", "MOEJ", "--date", "2013-03-01")
        decision = "MN006:2019-07-06..2020-12-31@2026-01-24"
        holder = run_cli("account", "open", "--db", cls.db, "--registry", "MN", "--type",
                         "holding", "--holder-name", "Contract Test Holder")["account"]["id"]
        issued = run_cli("issue", "--db", cls.db, "--registry", "MN", "--decision", decision,
                         "--to", f"{holder}:6063", "--authorization", "ndc")
        cls.first_serial = issued["transaction"]["blocks"][0]["serial_first"]
        run_cli("retire", "--db", cls.db, "--from", holder, "--quantity", "10", "--beneficiary",
                "Contract test")
        cls.holder = holder
        # Bearer tokens of an auditor (reads everything) and of the holder's representative.
        cls.tokens = {}
        for name, role in (("auditor", "auditor"),
                           ("holder-rep", f"authorised_representative:{holder}:read_only")):
            run_cli("user", "add", "--db", cls.db, "--name", name)
            run_cli("user", "grant", "--db", cls.db, "--name", name, "--role", role)
            cls.tokens[name] = {"Authorization": "Bearer " + run_cli(
                "user", "token-issue", "--db", cls.db, "--name", name, "--lifetime",
                "3600")["token"]}

    # -- helpers ---------------------------------------------------------------------------

    def get(self, target, template, expect=200, headers=None):
        """GET over a fresh connection; validates the response; returns (response, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", target, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        self.check(response, body, template, expect)
        return response, body

    def check(self, response, body, template, expect):
        self.assertEqual(response.status, expect, body)
        for name in SECURITY_HEADERS:
            self.assertIsNotNone(response.getheader(name), name)
        self.assertIsNotNone(response.getheader("X-Request-Id"))
        content_type = response.getheader("Content-Type")
        self.contract.validate(template, response.status, content_type, body)

    def raw(self, data, port=None, read_timeout=5):
        """Sends raw bytes and returns everything read until the server closes."""
        with socket.create_connection(("127.0.0.1", port or self.server.port), timeout=10) as s:
            s.sendall(data)
            s.settimeout(read_timeout)
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def raw_problem(self, data, status):
        reply = self.raw(data)
        head, _, body = reply.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 %d " % status), reply[:200])
        self.assertIn(b"application/problem+json", head)
        self.contract.validate(None, status, "application/problem+json", body)
        return json.loads(body)

    def paged(self, path, template, limit):
        items, target = [], f"{path}{'&' if '?' in path else '?'}limit={limit}"
        while True:
            _, body = self.get(target, template)
            page = json.loads(body)
            self.assertLessEqual(len(page["items"]), limit)
            items += page["items"]
            if page["next"] is None:
                return items
            target = f"{path}{'&' if '?' in path else '?'}limit={limit}&cursor={page['next']}"

    # -- the API ---------------------------------------------------------------------------

    def test_health_and_the_served_contract(self):
        self.get("/healthz", "/healthz")
        self.get("/readyz", "/readyz")
        _, body = self.get("/api/v1/openapi.json", "/api/v1/openapi.json")
        self.assertEqual(body, self.contract.raw, "served OpenAPI differs from docs/api/openapi.json")

    def test_registries_paged_one_by_one(self):
        items = self.paged("/api/v1/registries", "/api/v1/registries", 1)
        codes = [r["registry"] for r in items]
        self.assertEqual(codes, sorted(set(codes)))
        self.assertIn("MN", codes)
        _, body = self.get("/api/v1/registries/MN", "/api/v1/registries/{code}")
        summary = json.loads(body)
        cli = run_cli("registry", "summary", "--db", self.db, "--registry", "MN")
        self.assertEqual(summary, cli)
        self.get("/api/v1/registries/PH", "/api/v1/registries/{code}", 404)
        self.get("/api/v1/registries/xx", "/api/v1/registries/{code}", 400)

    def test_projects_match_the_cli(self):
        items = self.paged("/api/v1/projects", "/api/v1/projects", 40)
        cli = run_cli("project", "list", "--db", self.db)
        self.assertEqual(sorted(p["id"] for p in items), sorted(p["id"] for p in cli))
        self.assertEqual(len({p["id"] for p in items}), len(items), "a project on two pages")
        mn = self.paged("/api/v1/projects?country=MN", "/api/v1/projects", 1000)
        self.assertTrue(mn and all(p["country"] == "MN" for p in mn))
        _, body = self.get("/api/v1/projects/MN006", "/api/v1/projects/{id}")
        self.assertEqual(json.loads(body)["id"], "MN006")
        self.get("/api/v1/projects/NOPE999", "/api/v1/projects/{id}", 404)
        self.get("/api/v1/projects?status=bogus", "/api/v1/projects", 400)
        # By methodology: the code without its version, as the unfiltered list has it.
        expected = sorted(p["id"] for p in cli
                          if any(m.split(" ")[0] == "MN_AM003" for m in p["methodologies"]))
        self.assertTrue(expected)
        am003 = self.paged("/api/v1/projects?methodology=MN_AM003", "/api/v1/projects", 1000)
        self.assertEqual(sorted(p["id"] for p in am003), expected)
        self.assertEqual(sorted(p["id"] for p in run_cli("project", "list", "--db", self.db,
                                                         "--methodology", "MN_AM003")), expected)
        self.assertEqual(self.paged("/api/v1/projects?methodology=MN_AM00", "/api/v1/projects",
                                    1000), [], "a code is matched whole, not as a prefix")
        # By technology: the programme report's grouping of the same projects.
        groups = {g["key"]: g["projects"]
                  for g in run_cli("programme", "report", "--db", self.db)["report"]["by_technology"]}
        for technology, count in groups.items():
            items = self.paged("/api/v1/projects?technology=" + technology, "/api/v1/projects",
                               1000)
            self.assertEqual(len(items), count, technology)
        self.assertGreater(groups.get("solar_pv", 0), 0)
        self.get("/api/v1/projects?technology=wind", "/api/v1/projects", 400)

    def test_decisions(self):
        items = self.paged("/api/v1/decisions?registry=MN", "/api/v1/decisions", 3)
        cli = run_cli("registry", "decisions", "--db", self.db, "--registry", "MN")["decisions"]
        self.assertEqual(sorted(d["id"] for d in items), sorted(d["id"] for d in cli))
        executed = [d for d in items if d["id"] == "MN006:2019-07-06..2020-12-31@2026-01-24"]
        self.assertEqual(executed[0]["pending_tco2e"], 0)

    def test_decision_log(self):
        items = self.paged("/api/v1/decision-log", "/api/v1/decision-log", 25)
        self.assertTrue(items, "the imported data set has JC decisions")
        self.assertEqual([d["date"] for d in items if d["partner"] == "MN"],
                         [d["date"] for d in self.paged("/api/v1/decision-log?partner=MN",
                                                        "/api/v1/decision-log", 1000)])

    def test_retirements_and_their_certificate(self):
        items = self.paged("/api/v1/retirements?registry=MN", "/api/v1/retirements", 1)
        self.assertEqual([r["beneficiary"] for r in items], ["Contract test"])
        self.assertEqual(items, run_cli("retirements", "--db", self.db)["retirements"])
        self.get("/api/v1/retirements?format=csv", "/api/v1/retirements")
        seq = items[0]["seq"]
        response, pdf = self.get(f"/api/v1/retirements/{seq}/certificate",
                                 "/api/v1/retirements/{seq}/certificate")
        self.assertEqual(response.getheader("Content-Type"), "application/pdf")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True).stdout.decode()
        for expected in ("Contract test", f"MN-{self.first_serial} .. MN-{self.first_serial + 9}",
                         items[0]["hash"]):
            self.assertIn(expected, text)
        self.get(f"/api/v1/retirements/{seq - 1}/certificate",
                 "/api/v1/retirements/{seq}/certificate", 404)
        self.get("/api/v1/retirements/x/certificate", "/api/v1/retirements/{seq}/certificate", 400)

    def test_flows_committees_and_methodologies(self):
        _, body = self.get("/api/v1/flows?registry=MN", "/api/v1/flows")
        flows = json.loads(body)["items"]
        self.assertEqual([f["period"] for f in flows], sorted(f["period"] for f in flows))
        summary = run_cli("registry", "summary", "--db", self.db, "--registry", "MN")
        self.assertEqual(sum(f["issued_tco2e"] for f in flows), summary["issued_tco2e"])
        self.assertEqual(sum(f["retired_tco2e"] for f in flows), 10)
        self.get("/api/v1/flows?interval=month&format=csv", "/api/v1/flows")
        self.get("/api/v1/flows?interval=week", "/api/v1/flows", 400)
        _, body = self.get("/api/v1/joint-committees", "/api/v1/joint-committees")
        self.assertIn("MN", [c["partner"] for c in json.loads(body)["items"]])
        _, body = self.get("/api/v1/joint-committees/MN", "/api/v1/joint-committees/{partner}")
        committee = json.loads(body)
        self.assertEqual(len(committee["decisions"]), committee["decisions_count"])
        self.assertTrue(all("_MN_" in f["code"] for f in committee["forms"]))
        self.get("/api/v1/joint-committees/XX", "/api/v1/joint-committees/{partner}", 404)
        _, body = self.get("/api/v1/methodologies", "/api/v1/methodologies")
        solar = [m for m in json.loads(body)["items"] if m["approved_code"] == "MN_AM003"]
        self.assertEqual(solar[0]["definitions"], ["MN_AM003@2.0"])
        _, body = self.get("/api/v1/methodologies/MN_AM003@2.0", "/api/v1/methodologies/{ref}")
        self.assertIn("EG", [p["name"] for p in json.loads(body)["parameters"]])
        problem = self.get("/api/v1/methodologies/NOPE", "/api/v1/methodologies/{ref}", 404)[1]
        self.assertNotIn(b"/", json.loads(problem)["detail"].encode(), "no directory leaks")

    def test_programme_report(self):
        _, body = self.get("/api/v1/programme/report?today=2026-04-01", "/api/v1/programme/report")
        report = json.loads(body)["report"]
        cli = run_cli("programme", "report", "--db", self.db, "--today", "2026-04-01")["report"]
        self.assertEqual(report, cli, "the API and the CLI print the same document")
        self.assertEqual([t["fiscal_year"] for t in report["targets"]], [2030, 2040])
        self.assertEqual(report["issued_tco2e"],
                         sum(y["issued_tco2e"] for y in report["fiscal_years"]))
        self.get("/api/v1/programme/report", "/api/v1/programme/report")
        self.get("/api/v1/programme/report?today=2026-13-01", "/api/v1/programme/report", 400)

    def test_unit_lineage(self):
        _, body = self.get(f"/api/v1/units/MN-{self.first_serial}", "/api/v1/units/{serial}")
        unit = json.loads(body)
        self.assertEqual(unit["status"], "retired")
        self.assertEqual(unit["lineage"][-1]["parent_block_id"], 0)
        self.assertEqual(unit["lineage"][-1]["account"], self.holder)
        _, body = self.get(f"/api/v1/units/MN-{self.first_serial + 10}", "/api/v1/units/{serial}")
        self.assertEqual(json.loads(body)["holder"]["id"], self.holder)
        self.get("/api/v1/units/MN-999999999", "/api/v1/units/{serial}", 404)
        self.get("/api/v1/units/MN-abc", "/api/v1/units/{serial}", 400)

    def feed(self, headers=None):
        entries, since = [], 0
        while True:
            _, body = self.get(f"/api/v1/journal?since={since}&limit=50", "/api/v1/journal",
                               headers=headers)
            page = json.loads(body)
            entries += page["entries"]
            since = page["next_since"]
            if not page["more"]:
                return entries

    def test_journal_feed_chains(self):
        entries = self.feed(self.tokens["auditor"])  # the whole journal
        self.assertEqual([e["seq"] for e in entries], list(range(1, len(entries) + 1)))
        for before, after in zip(entries, entries[1:]):
            self.assertEqual(after["prev_hash"], before["hash"])
        kinds = {e["kind"] for e in entries}
        self.assertTrue({"identity.user_created", "identity.role_granted", "account.open"} <= kinds)
        # The public view: what the JCM publishes, in order, nothing of users or holders; every
        # ledger transaction, transfers included (decision 0002).
        public = self.feed()
        self.assertTrue(public and len(public) < len(entries))
        by_seq = {e["seq"]: e for e in entries}
        for entry in public:
            self.assertEqual(entry, by_seq[entry["seq"]])
            kind, fields = entry["kind"], dict(entry["fields"])
            self.assertTrue(kind.startswith(("registry.", "cycle.")) or (
                kind == "transaction" and fields["type"] in (
                    "issuance", "transfer", "retirement", "cancellation")), kind)
        shown = {e["seq"] for e in public}
        withheld = [e for e in entries if e["seq"] not in shown]
        self.assertTrue(withheld)
        for entry in withheld:
            self.assertTrue(entry["kind"].startswith(
                ("identity.", "account.", "approval.", "document.")), entry["kind"])
        transactions = [e for e in entries if e["kind"] == "transaction"]
        self.assertEqual(transactions, [e for e in public if e["kind"] == "transaction"])
        self.assertEqual(self.feed(self.tokens["holder-rep"]), public)
        self.get("/api/v1/journal?limit=1001", "/api/v1/journal", 400)
        self.get("/api/v1/journal?since=x", "/api/v1/journal", 400)

    def test_accounts_as_each_principal_may_read_them(self):
        self.get("/api/v1/accounts", "/api/v1/accounts", 401)
        self.get(f"/api/v1/accounts/{self.holder}", "/api/v1/accounts/{number}", 401)
        auditor, rep = self.tokens["auditor"], self.tokens["holder-rep"]
        every = self.paged_as("/api/v1/accounts?registry=MN", auditor)
        self.assertIn(self.holder, [a["id"] for a in every])
        self.assertGreater(len(every), 1)
        self.assertEqual([a["id"] for a in self.paged_as("/api/v1/accounts", rep)], [self.holder])
        _, body = self.get(f"/api/v1/accounts/{self.holder}", "/api/v1/accounts/{number}",
                           headers=rep)
        account = json.loads(body)
        self.assertEqual(account["total"], 6063 - 10)
        self.assertEqual(sum(b["quantity"] for b in account["blocks"]), account["total"])
        other = next(a["id"] for a in every if a["id"] != self.holder)
        self.get(f"/api/v1/accounts/{other}", "/api/v1/accounts/{number}", 404,
                           headers=rep)
        _, body = self.get(f"/api/v1/accounts/{self.holder}/history?limit=1",
                           "/api/v1/accounts/{number}/history", headers=auditor)
        page = json.loads(body)
        self.assertEqual(dict(page["items"][0]["fields"])["type"], "issuance")
        _, body = self.get(f"/api/v1/accounts/{self.holder}/history?cursor={page['next']}",
                           "/api/v1/accounts/{number}/history", headers=rep)
        self.assertEqual([dict(e["fields"])["type"] for e in json.loads(body)["items"]],
                         ["retirement"])
        for fmt in ("csv", "jsonl"):
            self.get(f"/api/v1/accounts?format={fmt}", "/api/v1/accounts", headers=auditor)
            self.get(f"/api/v1/accounts/{self.holder}/history?format={fmt}",
                     "/api/v1/accounts/{number}/history", headers=rep)

    def paged_as(self, path, headers):
        items, target = [], path
        while True:
            _, body = self.get(target, path.split("?")[0], headers=headers)
            page = json.loads(body)
            items += page["items"]
            if page["next"] is None:
                return items
            target = f"{path}{'&' if '?' in path else '?'}cursor={page['next']}"

    def test_exports_csv_and_json_lines(self):
        for path in ("/api/v1/registries", "/api/v1/projects", "/api/v1/decisions",
                     "/api/v1/decision-log", "/api/v1/journal"):
            json_items = self.paged(path, path, 1000) if path != "/api/v1/journal" else None
            response, body = self.get(path + "?format=csv&limit=1000", path)
            self.assertEqual(response.getheader("Content-Type"),
                             "text/csv; charset=utf-8; header=present")
            records = list(csv.DictReader(io.StringIO(body.decode(), newline="")))
            _, lines = self.get(path + "?limit=1000", path,
                                headers={"Accept": "application/x-ndjson"})
            lines = [json.loads(line) for line in lines.decode().splitlines()]
            self.assertEqual(len(records), len(lines), path)
            if json_items is not None:
                self.assertEqual(lines, json_items, path)
        # Paging a CSV export by its Link header reads every project once.
        target, ids = "/api/v1/projects?format=csv&limit=40", []
        while target:
            response, body = self.get(target, "/api/v1/projects")
            ids += [r["id"] for r in csv.DictReader(io.StringIO(body.decode(), newline=""))]
            link = response.getheader("Link")
            target = link[1:link.index(">")] if link else None
        self.assertEqual(sorted(ids), sorted(p["id"] for p in run_cli("project", "list",
                                                                          "--db", self.db)))
        _, body = self.get("/api/v1/projects?format=xml", "/api/v1/projects", 400)
        self.assertEqual(json.loads(body)["code"], "invalid_argument")

    def test_errors_are_problem_documents(self):
        _, body = self.get("/api/v1/projects?sort=name", "/api/v1/projects", 400)
        self.assertEqual(json.loads(body)["code"], "unknown_query_parameter")
        _, body = self.get("/api/v1/nothing", None, 404)
        self.assertEqual(json.loads(body)["code"], "unknown_route")
        problem = self.raw_problem(b"GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n"
                                   b"Connection: close\r\n\r\n", 400)
        self.assertEqual(problem["code"], "bad_target")
        problem = self.raw_problem(b"GET /api/v1/units/%2e%2e%2fetc HTTP/1.1\r\nHost: x\r\n"
                                   b"Connection: close\r\n\r\n", 400)
        self.assertEqual(problem["code"], "bad_target")

    def test_request_id_is_echoed(self):
        response, _ = self.get("/healthz", "/healthz", headers={"X-Request-Id": "trace-42"})
        self.assertEqual(response.getheader("X-Request-Id"), "trace-42")
        response, _ = self.get("/healthz", "/healthz", headers={"X-Request-Id": "a b\"} {"})
        self.assertRegex(response.getheader("X-Request-Id"), "^[0-9a-f]{32}$")

    def test_access_log_lines(self):
        self.get("/healthz", "/healthz", headers={"X-Request-Id": "log-line-check"})
        time.sleep(0.2)
        with open(self.server.log_path) as f:
            lines = [json.loads(line) for line in f]
        mine = [line for line in lines if line["request_id"] == "log-line-check"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(set(mine[0]), {"time", "request_id", "user", "method", "path", "status",
                                        "us"})
        self.assertEqual((mine[0]["user"], mine[0]["path"], mine[0]["status"]),
                         ("public", "/healthz", 200))

    # -- the transport ---------------------------------------------------------------------

    def test_malformed_request_line(self):
        self.raw_problem(b"THIS IS NOT HTTP\r\n\r\n", 400)

    def test_oversized_header_is_431(self):
        self.raw_problem(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 +
                         b"\r\n\r\n", 431)

    def test_oversized_body_is_413(self):
        body = b"{" + b" " * (1024 * 1024 + 1) + b"}"
        problem = self.raw_problem(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                   b"application/json\r\nContent-Length: %d\r\n\r\n" % len(body) +
                                   body, 413)
        self.assertEqual(problem["code"], "content_too_large")

    def test_slow_client_is_dropped(self):
        start = time.monotonic()
        reply = self.raw(b"GET /healthz HTTP/1.1\r\nHost:", read_timeout=5)
        self.assertEqual(reply, b"", "a slow client got an answer")
        self.assertLess(time.monotonic() - start, 4, "not dropped after the 1 s request timeout")
        self.get("/healthz", "/healthz")  # and the server serves others

    def test_keep_alive_reuses_the_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        sockets = []
        for target, template in (("/healthz", "/healthz"), ("/api/v1/registries", "/api/v1/registries"),
                                 ("/readyz", "/readyz")):
            conn.request("GET", target)
            response = conn.getresponse()
            self.check(response, response.read(), template, 200)
            sockets.append(conn.sock)
        self.assertIsNotNone(sockets[0])
        self.assertTrue(all(s is sockets[0] for s in sockets), "the connection was not reused")
        conn.close()

    def test_concurrent_clients(self):
        targets = [("/api/v1/registries/MN", "/api/v1/registries/{code}"),
                   ("/api/v1/projects?limit=5", "/api/v1/projects"),
                   ("/api/v1/decision-log?limit=5", "/api/v1/decision-log"),
                   (f"/api/v1/units/MN-{self.first_serial}", "/api/v1/units/{serial}"),
                   ("/api/v1/journal?limit=5", "/api/v1/journal")]
        failures = []

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
            try:
                for i in range(20):
                    target, template = targets[(n + i) % len(targets)]
                    conn.request("GET", target)
                    response = conn.getresponse()
                    body = response.read()
                    if response.status != 200:
                        failures.append((target, response.status, body[:200]))
                    else:
                        self.contract.validate(template, 200, response.getheader("Content-Type"),
                                               body)
            except Exception as e:  # reported below, with the others
                failures.append(repr(e))
            finally:
                conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])

    def test_connection_limit(self):
        server = Server(self.db, self.work, "--connections-max", "2")
        try:
            held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2)]
            time.sleep(0.2)
            reply = self.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", port=server.port)
            self.assertTrue(reply.startswith(b"HTTP/1.1 503 "), reply[:100])
            body = reply.partition(b"\r\n\r\n")[2]
            self.contract.validate(None, 503, "application/problem+json", body)
            for s in held:
                s.close()
        finally:
            self.assertEqual(server.stop(), 0)

    def test_tls(self):
        cert, key = os.path.join(self.work, "cert.pem"), os.path.join(self.work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
        server = Server(self.db, self.work, "--tls-cert", cert, "--tls-key", key)
        try:
            self.assertTrue(server.url.startswith("https://"))
            context = ssl.create_default_context(cafile=cert)
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=context,
                                               timeout=10)
            conn.request("GET", "/api/v1/registries/MN")
            response = conn.getresponse()
            self.check(response, response.read(), "/api/v1/registries/{code}", 200)
            self.assertIn("max-age=", response.getheader("Strict-Transport-Security") or "")
            self.assertIn(conn.sock.version(), ("TLSv1.2", "TLSv1.3"))
            conn.close()
            # Plain HTTP to the TLS port gets no HTTP answer.
            self.assertFalse(self.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                                      port=server.port).startswith(b"HTTP/1.1 200"))
        finally:
            self.assertEqual(server.stop(), 0)
        # Without TLS there is no HSTS.
        response, _ = self.get("/healthz", "/healthz")
        self.assertIsNone(response.getheader("Strict-Transport-Security"))

    def test_sigterm_finishes_the_request_in_flight(self):
        server = Server(self.db, self.work)
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        # The header is complete, the body not yet: the request is in flight.
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
        time.sleep(0.3)
        server.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        self.assertEqual(idle.recv(100), b"", "an idle connection stays open after SIGTERM")
        with self.assertRaises(OSError):  # no longer accepting
            socket.create_connection(("127.0.0.1", server.port), timeout=2).recv(1)
        s.sendall(b"hello")
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
        head, _, body = reply.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 "), reply[:200])
        self.assertIn(b"Connection: close", head)
        self.contract.validate("/healthz", 200, "application/json", body)
        self.assertEqual(server.wait(), 0)  # the one SIGTERM above stops it
        s.close()
        idle.close()


if __name__ == "__main__":
    JCM, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
