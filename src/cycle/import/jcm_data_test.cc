// Import of the real public JCM data and of a corrupted copy. Expected figures are computed here
// from the CSV files themselves, never typed in.
#include "cycle/import/jcm_data.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cycle/import/csv.h"

namespace jcm::cycle::import {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct DataDir {
  std::string all, mongolia, methodologies, forms, issuances;
  explicit DataDir(const std::string& relative) {
    const char* root = std::getenv("JCM_SOURCE_DIR");
    std::string dir = std::string(root ? root : ".") + "/" + relative + "/";
    all = ReadText(dir + std::string(kProjectsAllFile));
    mongolia = ReadText(dir + std::string(kProjectsMongoliaFile));
    methodologies = ReadText(dir + std::string(kMethodologiesFile));
    forms = ReadText(dir + std::string(kRulesFormsFile));
    issuances = ReadText(dir + std::string(kIssuanceRecordsFile));
  }
  JcmDataFiles files() const { return {all, mongolia, methodologies, forms, issuances}; }
};

const core::Date kToday = core::Date::FromCivil(2026, 11, 1);

std::string OurStatusName(std::string_view csv_status) {
  if (csv_status == "Project registered") return "registered";
  if (csv_status == "Validation") return "validation";
  return "registration_withdrawn";
}

std::set<int64_t> RejectedLines(const ImportResult& r, std::string_view file) {
  std::set<int64_t> lines;
  for (const ImportNote& n : r.notes) {
    if (n.rejected && n.file == file) lines.insert(n.line);
  }
  return lines;
}

std::string Field(const CsvTable& t, const CsvRow& row, std::string_view column) {
  return row.fields[static_cast<size_t>(t.Column(column))];
}

TEST(JcmDataImport, RealProjectsByStatusAndCountry) {
  DataDir data("data/jcm");
  ImportResult result = RunImport(State(), PlanJcmDataImport(data.files()), kToday);
  CsvTable table = ParseCsv(data.all).value();
  std::map<std::string, int> by_status, by_country;
  for (const CsvRow& row : table.rows) {
    ++by_status[OurStatusName(Field(table, row, "status"))];
    ++by_country[std::string(CountryCode(Field(table, row, "host_country")))];
  }
  std::map<std::string, int> got_status, got_country;
  for (const auto& [id, p] : result.state.projects) {
    ++got_status[std::string(ToString(p.status))];
    ++got_country[p.partner];
  }
  EXPECT_EQ(result.state.projects.size(), table.rows.size());
  EXPECT_EQ(got_status, by_status);
  EXPECT_EQ(got_country, by_country);
  EXPECT_EQ(result.state.parties.size(), by_country.size());
  EXPECT_TRUE(RejectedLines(result, kProjectsAllFile).empty());
  EXPECT_TRUE(RejectedLines(result, kProjectsMongoliaFile).empty());
  // A registered project keeps its registration date and methodologies.
  const Project* mn004 = result.state.FindProject("MN004");
  ASSERT_NE(mn004, nullptr);
  EXPECT_EQ(mn004->registration_date, core::Date::FromCivil(2017, 5, 26));
  EXPECT_EQ(mn004->methodologies, (std::vector<std::string>{"MN_AM003 Ver2.0"}));
}

TEST(JcmDataImport, RealMethodologiesAndForms) {
  DataDir data("data/jcm");
  ImportResult result = RunImport(State(), PlanJcmDataImport(data.files()), kToday);
  CsvTable methodologies = ParseCsv(data.methodologies).value();
  EXPECT_EQ(result.state.methodologies.size(), methodologies.rows.size());
  const Methodology* am003 = result.state.FindMethodology("MN_PM004");
  ASSERT_NE(am003, nullptr);
  EXPECT_EQ(am003->approved_code, "MN_AM003");
  EXPECT_EQ(am003->versions.back().version, "3.0");
  EXPECT_EQ(am003->sectoral_scope, 1);
  EXPECT_EQ(result.state.FormVersionOn("JCM_MN_F_PIN", kToday), "06.0");
  EXPECT_EQ(result.state.FormVersionOn("JCM_MN_F_PDD", kToday), "05.0");
  // Distinct file codes in the URLs that carry a version = forms recorded.
  CsvTable forms = ParseCsv(data.forms).value();
  std::set<std::string> codes;
  int unversioned = 0;
  for (const CsvRow& row : forms.rows) {
    std::string url = Field(forms, row, "file_url");
    std::string name = url.substr(url.rfind('/') + 1);
    if (name.find("_ver") == std::string::npos) {
      ++unversioned;
      continue;
    }
    codes.insert(name.substr(0, name.rfind('.')));
  }
  EXPECT_EQ(result.state.forms.size() + 0, [&] {
    std::set<std::string> forms_only;
    for (const std::string& c : codes) forms_only.insert(c.substr(0, c.rfind("_ver")));
    return forms_only.size();
  }());
  EXPECT_EQ(RejectedLines(result, kRulesFormsFile).size(), static_cast<size_t>(unversioned));
}

TEST(JcmDataImport, RealIssuancesPerSideMatchTheCsvSums) {
  DataDir data("data/jcm");
  ImportResult result = RunImport(State(), PlanJcmDataImport(data.files()), kToday);
  CsvTable table = ParseCsv(data.issuances).value();
  // Rows whose issuance date precedes their decision cannot belong to that decision.
  std::set<int64_t> anomalous;
  std::map<std::string, int64_t> notified, issued;
  int64_t pending = 0;
  for (const CsvRow& row : table.rows) {
    std::string issued_on = Field(table, row, "issuance_date");
    if (!issued_on.empty() && issued_on < Field(table, row, "decision_date")) {
      anomalous.insert(row.line);
      continue;
    }
    std::string side(CountryCode(Field(table, row, "country")));
    int64_t amount = std::stoll(Field(table, row, "notified_amount"));
    notified[side] += amount;
    if (!issued_on.empty()) issued[side] += amount;
    if (issued_on.empty() && amount > 0) ++pending;
  }
  EXPECT_EQ(RejectedLines(result, kIssuanceRecordsFile), anomalous);
  EXPECT_FALSE(anomalous.empty());

  std::map<std::string, int64_t> got_notified, got_issued;
  int64_t got_pending = 0;
  for (const auto& [id, p] : result.state.projects) {
    for (const MonitoringPeriodState& m : p.periods) {
      for (const SideState& s : m.sides) {
        got_notified[s.side] += s.amount_tco2e;
        if (s.executed) got_issued[s.side] += s.amount_tco2e;
        if (!s.executed && s.amount_tco2e > 0) ++got_pending;
      }
    }
  }
  EXPECT_EQ(got_notified, notified);
  EXPECT_EQ(got_issued, issued);
  EXPECT_EQ(got_pending, pending);
  // MN005's Japan row: notified 0, loaded as such, with a note.
  const Project* mn005 = result.state.FindProject("MN005");
  ASSERT_NE(mn005, nullptr);
  ASSERT_EQ(mn005->periods.size(), 1u);
  EXPECT_EQ(mn005->periods[0].sides.size(), 2u);
  bool zero_noted = false, cumulative_noted = false;
  for (const ImportNote& n : result.notes) {
    zero_noted |= n.message.find("MN005 JP: notified 0") != std::string::npos;
    cumulative_noted |= n.message.find("cumulative total_notified") != std::string::npos;
  }
  EXPECT_TRUE(zero_noted);
  EXPECT_TRUE(cumulative_noted);
}

TEST(JcmDataImport, ReimportAddsNothing) {
  DataDir data("data/jcm");
  ImportPlan plan = PlanJcmDataImport(data.files());
  ImportResult first = RunImport(State(), plan, kToday);
  ASSERT_FALSE(first.events.empty());
  // Every event names the row it comes from: an executed issuance cites it as its evidence.
  ASSERT_EQ(first.event_sources.size(), first.events.size());
  for (size_t i = 0; i < first.events.size(); ++i) {
    EXPECT_FALSE(first.event_sources[i].file.empty()) << i;
    EXPECT_GE(first.event_sources[i].line, 1) << i;
    if (std::holds_alternative<ExecuteIssuance>(first.events[i].payload)) {
      EXPECT_EQ(first.event_sources[i].file, kIssuanceRecordsFile) << i;
    }
  }
  ImportResult second = RunImport(first.state, plan, kToday);
  EXPECT_TRUE(second.events.empty());
  size_t rejected_first = 0, rejected_second = 0;
  for (const ImportNote& n : first.notes) rejected_first += n.rejected;
  for (const ImportNote& n : second.notes) rejected_second += n.rejected;
  EXPECT_EQ(rejected_second, rejected_first);
  // Every command accepted (or already unchanged) the first time is unchanged the second time.
  EXPECT_EQ(second.unchanged, static_cast<int64_t>(first.events.size()) + first.unchanged);
  EXPECT_GT(first.unchanged, 0);  // projects_mongolia.csv repeats rows of projects_all_jcm.csv
}

TEST(JcmDataImport, CorruptedCopyReportsEachProblemAndLoadsTheRest) {
  DataDir data("tests/data/jcm-corrupt");
  ImportResult result = RunImport(State(), PlanJcmDataImport(data.files()), kToday);
  auto has = [&](std::string_view file, std::string_view text) {
    for (const ImportNote& n : result.notes) {
      if (n.rejected && n.file == file && n.message.find(text) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(kProjectsAllFile, "'2019-02-30' is not a date"));
  EXPECT_TRUE(has(kProjectsAllFile, "unknown host country 'Atlantis'"));
  EXPECT_TRUE(has(kProjectsAllFile, "disagree"));
  EXPECT_TRUE(has(kProjectsAllFile, "duplicate of line"));
  EXPECT_TRUE(has(kIssuanceRecordsFile, "negative amount"));
  EXPECT_TRUE(has(kIssuanceRecordsFile, "second MN row"));
  EXPECT_TRUE(has(kMethodologiesFile, "unknown host country 'Narnia'"));
  // Everything else loads: projects = distinct well-formed rows of the file.
  CsvTable table = ParseCsv(data.all).value();
  std::set<int64_t> bad = RejectedLines(result, kProjectsAllFile);
  EXPECT_EQ(bad.size(), 4u);
  EXPECT_EQ(result.state.projects.size(), table.rows.size() - bad.size());
  CsvTable methodologies = ParseCsv(data.methodologies).value();
  EXPECT_EQ(result.state.methodologies.size(), methodologies.rows.size() - 1);
  for (const ImportNote& n : result.notes) {
    EXPECT_FALSE(n.file.empty());
    if (n.rejected) {
      EXPECT_GT(n.line, 0) << n.message;
    }
  }
}

TEST(RawDates, BothShapes) {
  EXPECT_EQ(ParseRawDate("24 Jan 26").value(), core::Date::FromCivil(2026, 1, 24));
  EXPECT_EQ(ParseRawDate("7 May 25").value(), core::Date::FromCivil(2025, 5, 7));
  EXPECT_EQ(ParseRawDate("20240731").value(), core::Date::FromCivil(2024, 7, 31));
  EXPECT_EQ(ParseRawDate("31 Feb 26").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRawDate("24 Foo 26").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRawDate("N/A").status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jcm::cycle::import
