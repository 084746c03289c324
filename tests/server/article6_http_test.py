#!/usr/bin/env python3
"""Article 6.2 over HTTP (docs/api.md, "Article 6") through the real `jcm` binary and a real
`jcm serve` over a registry holding the imported public JCM data and Mongolia's authorised
units. Every response is validated against docs/api/openapi.json. Checked here:

- the AEF's JSON from the API is the CLI's `--json` document (the same day, a year not over);
- its CSV holds the five tables with their nomenclature headers, its XLSX one sheet per table;
- a report of a year that is over from the API freezes nothing (the journal does not grow);
- the corresponding-adjustment ledger and the authorisations are the CLI's documents;
- refusals: a Party with no NDC (404 for the ledger, 422 with check 648 for the AEF), a
  malformed Party (422, check 600), a year out of range or format=jsonl (400).

Usage: article6_http_test.py PATH_TO_JCM SOURCE_DIR
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_test  # noqa: E402  (Server, Contract, exchange)

JCM = SOURCE = None


def run_cli(*args, expect=0):
    out = subprocess.run([JCM, *args, "--json"], capture_output=True, text=True)
    assert out.returncode == expect, f"{args}: exit {out.returncode}: {out.stdout} {out.stderr}"
    return json.loads(out.stdout) if out.stdout.strip() else None


class Article6HttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="jcm-article6-")
        cls.db = db = os.path.join(cls.work, "registry.db")
        contract_test.JCM, contract_test.SOURCE = JCM, SOURCE
        run_cli("init", "--db", db, "--registries", "JP,MN")
        subprocess.run([JCM, "import", "jcm-data", "--db", db, "--dir",
                        os.path.join(SOURCE, "data/jcm")], capture_output=True, check=True)
        run_cli("article6", "ndc", "declare", "--db", db, "--party", "MNG", "--date", "2026-01-01",
                "--ndc-type", "single-year", "--method", "averaging", "--first-year", "2021",
                "--last-year", "2030")
        run_cli("article6", "authorisation", "add", "--db", db, "--party", "MNG", "--id", "MN-7",
                "--date", "2026-05-01", "--cooperative-approach", "CA0004", "--sector",
                "Energy generation", "--purposes", "NDC", "--entity",
                "Mongol Solar LLC; MNG; 9011223344")
        account = run_cli("account", "open", "--db", db, "--registry", "MN", "--type", "holding",
                          "--holder-name", "Mongol Solar")["account"]["id"]
        run_cli("issue", "--db", db, "--registry", "MN", "--decision",
                "MN006:2019-07-06..2020-12-31@2026-01-24", "--to", f"{account}:100",
                "--authorisation", "MNG/MN-7")
        cls.year = datetime.now(timezone.utc).year
        cls.contract = contract_test.Contract(os.path.join(SOURCE, "docs/api/openapi.json"))
        cls.server = contract_test.Server(db, cls.work)

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            assert cls.server.stop() == 0
        shutil.rmtree(cls.work, ignore_errors=True)

    def get(self, target, template, expect=200):
        status, content_type, body = contract_test.exchange(self.server.port, "GET", target)
        self.assertEqual(status, expect, body[:300])
        self.contract.validate(template, status, content_type, body)
        return content_type, body

    def aef(self, suffix="", expect=200, year=None):
        return self.get(f"/api/v1/article6/aef/MNG/{year or self.year}{suffix}",
                        "/api/v1/article6/aef/{party}/{year}", expect)

    def journal_size(self):
        return run_cli("audit", "verify", "--db", self.db)["entries"]

    def test_the_aef_is_the_clis_document_in_json_csv_and_xlsx(self):
        _, body = self.aef()
        document = json.loads(body)
        self.assertEqual(document, run_cli("article6", "aef", "--db", self.db, "--party", "MNG",
                                           "--year", str(self.year)))
        self.assertEqual([len(t["rows"]) for t in document["tables"]], [1, 1, 1, 1, 1])
        self.assertEqual(document["tables"][2]["rows"][0]["Action type"], "Authorization")
        self.assertTrue(all(c["ok"] for c in document["consistency"]), document["consistency"])
        content_type, csv_body = self.aef("?format=csv")
        self.assertTrue(content_type.startswith("text/csv"))
        lines = csv_body.decode().split("\r\n")
        self.assertTrue(lines[0].startswith("Action date,Action type,Action subtype,"), lines[0])
        self.assertEqual(len([line for line in lines if line]), 2)  # the header and one action
        _, csv_body = self.aef("?format=csv&table=4")
        self.assertTrue(csv_body.decode().startswith("Cooperative approach ID,Authorization ID,"))
        self.aef("?format=csv&table=6", expect=400)
        _, xlsx_body = self.aef("?format=xlsx")
        names = zipfile.ZipFile(io.BytesIO(xlsx_body)).namelist()
        self.assertEqual(len([n for n in names if n.startswith("xl/worksheets/sheet")]), 5)

    def test_a_past_year_from_the_api_freezes_nothing(self):
        size = self.journal_size()
        _, body = self.aef(year=self.year - 1)
        document = json.loads(body)
        self.assertTrue(document["year_over"])
        self.assertFalse(document["holdings_frozen"])
        self.assertEqual(self.journal_size(), size)

    def test_the_ledger_and_the_authorisations_are_the_clis(self):
        _, body = self.get("/api/v1/article6/ca/MNG", "/api/v1/article6/ca/{party}")
        self.assertEqual(json.loads(body),
                         run_cli("article6", "ca", "--db", self.db, "--party", "MNG"))
        _, body = self.get("/api/v1/article6/authorisations?party=MNG",
                           "/api/v1/article6/authorisations")
        self.assertEqual(json.loads(body), run_cli("article6", "authorisation", "list", "--db",
                                                   self.db, "--party", "MNG"))
        self.assertEqual(json.loads(body)["authorisations"][0]["id"], "MN-7")

    def test_refusals(self):
        self.get("/api/v1/article6/ca/JPN", "/api/v1/article6/ca/{party}", 404)
        _, body = self.get(f"/api/v1/article6/aef/JPN/{self.year}",
                           "/api/v1/article6/aef/{party}/{year}", 422)
        self.assertEqual(json.loads(body)["check"], 648)
        _, body = self.get(f"/api/v1/article6/aef/MN/{self.year}",
                           "/api/v1/article6/aef/{party}/{year}", 422)
        self.assertEqual(json.loads(body)["check"], 600)
        self.aef(year=1800, expect=400)
        self.aef("?format=jsonl", expect=400)


if __name__ == "__main__":
    JCM, SOURCE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
