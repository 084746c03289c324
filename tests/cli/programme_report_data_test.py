#!/usr/bin/env python3
"""`jcm programme report` on the imported public data set (data/jcm), its figures checked against
the data files read here, independently of jcm (issue 15: 147 projects, 15 countries).

Usage: programme_report_data_test.py PATH_TO_JCM DATA_DIR

From the CSV files alone:
  - projects per partner country: the distinct reference numbers of projects_all_jcm.csv and
    projects_mongolia.csv, by the country code that starts each reference (MN003 -> MN);
    registered ones have status "Project registered";
  - credits issued: the issuance_records.csv rows that record an issuance (an issuance date,
    issued_amount equal to notified_amount > 0, issued on or after the JC decision), the first
    row per (project, monitoring period, decision, country) — the rules data/jcm/README.md and
    the import state — counted at the JC decision's Japanese fiscal year (April-March);
  - acquired by the GoJ: the Japan rows among them (the import issues each side's amount into
    that side's government holding account); nothing is retired, so nothing is used for the NDC.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date


def fiscal_year(iso):
    d = date.fromisoformat(iso)
    return d.year if d.month >= 4 else d.year - 1


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def expected_figures(data):
    projects = {}
    for name in ("projects_all_jcm.csv", "projects_mongolia.csv"):
        for row in read_csv(os.path.join(data, name)):
            projects[row["reference_no"]] = row["status"]
    seen = set()
    issued_by_fy = defaultdict(int)
    goj_by_fy = defaultdict(int)
    issued_by_country = defaultdict(int)
    for row in read_csv(os.path.join(data, "issuance_records.csv")):
        key = (row["reference_no"], row["monitoring_start"], row["monitoring_end"],
               row["decision_date"], row["country"])
        if key in seen:
            continue
        seen.add(key)
        notified = int(row["notified_amount"])
        if not row["issuance_date"] or notified == 0:
            continue
        if float(row["issued_amount"] or "nan") != notified:
            continue
        if row["issuance_date"] < row["decision_date"]:
            continue
        year = fiscal_year(row["decision_date"])
        issued_by_fy[year] += notified
        issued_by_country[row["reference_no"][:2]] += notified
        if row["country"] == "Japan":
            goj_by_fy[year] += notified
    return projects, dict(issued_by_fy), dict(goj_by_fy), dict(issued_by_country)


def main():
    jcm, data = sys.argv[1], sys.argv[2]
    projects, issued_by_fy, goj_by_fy, issued_by_country = expected_figures(data)
    assert len(projects) == 147, len(projects)
    countries = {ref[:2] for ref in projects}
    assert len(countries) == 15, countries
    with tempfile.TemporaryDirectory() as work:
        db = os.path.join(work, "registry.db")
        subprocess.run([jcm, "init", "--db", db, "--registries", "JP,MN"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([jcm, "import", "jcm-data", "--db", db, "--dir", data], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run([jcm, "programme", "report", "--db", db, "--today", "2026-11-30",
                              "--json"], check=True, capture_output=True, text=True).stdout
    report = json.loads(out)["report"]
    by_country = {g["key"]: g for g in report["by_country"]}
    assert set(by_country) == countries, sorted(by_country)
    for code in countries:
        refs = [r for r in projects if r[:2] == code]
        registered = [r for r in refs if projects[r] == "Project registered"]
        got = by_country[code]
        assert got["projects"] == len(refs), (code, got, len(refs))
        assert got["registered"] == len(registered), (code, got, len(registered))
        assert got["issued_tco2e"] == issued_by_country.get(code, 0), (code, got)
    years = {y["fiscal_year"]: y for y in report["fiscal_years"]}
    assert {y: r["issued_tco2e"] for y, r in years.items()} == issued_by_fy, (years, issued_by_fy)
    assert {y: r["goj_acquired_tco2e"] for y, r in years.items() if r["goj_acquired_tco2e"]} == \
        goj_by_fy, (years, goj_by_fy)
    assert report["issued_tco2e"] == sum(issued_by_fy.values())
    assert report["goj_acquired_tco2e"] == sum(goj_by_fy.values())
    assert report["ndc_used_tco2e"] == 0
    assert report["partner_countries_target"] == 30
    # Every partner of the data set has registered projects, so a Joint Committee.
    registered_countries = {r[:2] for r, status in projects.items()
                            if status == "Project registered"}
    assert report["partner_countries_with_jc"] == len(registered_countries) == 15, \
        (report["partner_countries_with_jc"], registered_countries)
    for target, fy in ((100_000_000, 2030), (200_000_000, 2040)):
        row = [t for t in report["targets"] if t["fiscal_year"] == fy][0]
        assert row["target_tco2e"] == target
        # No funding record: no pipeline expectation, the forecast is what was issued.
        assert row["forecast_low_tco2e"] == row["forecast_high_tco2e"] == report["issued_tco2e"]
        assert row["gap_high_tco2e"] == target - report["issued_tco2e"]
    print("programme_report_data_test: ok; issued %d t by FY %s; GoJ %d t; %d projects in %d "
          "countries; %d with a Joint Committee" % (
              report["issued_tco2e"], sorted(issued_by_fy.items()), report["goj_acquired_tco2e"],
              len(projects), len(countries), report["partner_countries_with_jc"]))


if __name__ == "__main__":
    main()
