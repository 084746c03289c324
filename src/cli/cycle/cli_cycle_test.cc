// The project-cycle CLI against a real SQLite file: import of the public data, the JSON
// contracts of project list / registry summary / due, idempotent re-import. Expected figures are
// computed from the CSV files here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/cli.h"
#include "core/sha256.h"
#include "cycle/import/csv.h"
#include "cycle/import/jcm_data.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixed_clock.h"

namespace jcm::cli {
namespace {

namespace json = boost::json;
using cycle::import::CsvTable;

std::string Source() {
  const char* root = std::getenv("JCM_SOURCE_DIR");
  return root ? root : ".";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

class CycleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/jcm-cycle-cli-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    db_ = dir_ + "/test.db";
    // Only jcm init creates a registry file; the cycle tests declare their own registries.
    ASSERT_EQ(RunArgs({"init", "--db", db_, "--registries", ""}), 0) << err_.str();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs a command with --db and --today added; returns the exit status, output in out_.
  int Run(std::string_view verb, std::vector<std::string> args) {
    args.insert(args.begin(), std::string(verb));
    args.insert(args.end(), {"--db", db_, "--today", "2026-11-01"});
    return RunArgs(args);
  }
  // Runs argv as given.
  int RunArgs(const std::vector<std::string>& args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    out_.str("");
    err_.str("");
    Environment env{[this](const std::string& path, store::OpenMode mode) {
                      return store::OpenSqliteStore(path, clock_, {.mode = mode});
                    },
                    clock_, out_, err_};
    return RunCli(views, env, commands_);
  }
  json::value Json() { return json::parse(out_.str()); }

  store::FixedClock clock_{"2026-11-01"};  // the day --today names
  const std::vector<CommandSpec> commands_ = BuiltinCommands();
  std::string dir_, db_;
  std::ostringstream out_, err_;
};

TEST_F(CycleCli, ImportListSummaryDueAndReimport) {
  ASSERT_EQ(Run("import", {"jcm-data", "--dir", Source() + "/data/jcm", "--json"}), 0)
      << err_.str() << out_.str();
  json::object report = Json().as_object();
  EXPECT_GT(report["events_added"].as_int64(), 0);
  EXPECT_GT(report["issuances_executed"].as_int64(), 0);

  CsvTable projects =
      cycle::import::ParseCsv(ReadText(Source() + "/data/jcm/projects_all_jcm.csv")).value();
  ASSERT_EQ(Run("project", {"list", "--json"}), 0) << err_.str();
  json::array list = Json().as_array();
  EXPECT_EQ(list.size(), projects.rows.size());
  std::map<std::string, int> statuses;
  for (const json::value& p : list) {
    const json::object& o = p.as_object();
    for (const char* key : {"reference", "country", "status", "methodology"}) {
      EXPECT_TRUE(o.contains(key)) << key;
    }
    ++statuses[std::string(o.at("status").as_string())];
  }
  int registered_in_csv = 0;
  for (const auto& row : projects.rows) {
    registered_in_csv +=
        row.fields[static_cast<size_t>(projects.Column("status"))] == "Project registered";
  }
  EXPECT_EQ(statuses["registered"], registered_in_csv);
  ASSERT_EQ(Run("project", {"list", "--country", "MN", "--status", "registered", "--json"}), 0);
  size_t registered_mn = 0;
  for (const auto& row : projects.rows) {
    registered_mn +=
        row.fields[static_cast<size_t>(projects.Column("host_country"))] == "Mongolia" &&
        row.fields[static_cast<size_t>(projects.Column("status"))] == "Project registered";
  }
  EXPECT_EQ(Json().as_array().size(), registered_mn);

  // Per-side sums computed from issuance_records.csv (rows issued before their decision are
  // reported by the import and excluded here too).
  CsvTable issuances =
      cycle::import::ParseCsv(ReadText(Source() + "/data/jcm/issuance_records.csv")).value();
  auto col = [&](const cycle::import::CsvRow& r, const char* name) {
    return r.fields[static_cast<size_t>(issuances.Column(name))];
  };
  std::map<std::string, int64_t> issued, pending;
  for (const auto& row : issuances.rows) {
    std::string on = col(row, "issuance_date");
    if (!on.empty() && on < col(row, "decision_date")) continue;
    std::string side(cycle::import::CountryCode(col(row, "country")));
    int64_t amount = std::stoll(col(row, "notified_amount"));
    (on.empty() ? pending : issued)[side] += amount;
  }
  for (const char* registry : {"JP", "MN"}) {
    ASSERT_EQ(Run("registry", {"summary", "--registry", registry, "--json"}), 0) << err_.str();
    json::object s = Json().as_object();
    EXPECT_EQ(s["registry"].as_string(), registry);
    EXPECT_EQ(s["issued_tco2e"].as_int64(), issued[registry]) << registry;
    EXPECT_EQ(s["held_tco2e"].as_int64(), issued[registry]);
    EXPECT_EQ(s["retired_tco2e"].as_int64(), 0);
    EXPECT_EQ(s["cancelled_tco2e"].as_int64(), 0);
    EXPECT_EQ(s["pending_issuance_tco2e"].as_int64(), pending[registry]) << registry;
    EXPECT_TRUE(s["by_account_type"].is_object());
  }

  ASSERT_EQ(Run("due", {"--json"}), 0);
  int executions = 0;
  json::value due = Json();
  for (const json::value& item : due.as_object()["items"].as_array()) {
    executions += item.as_object().at("what").as_string().starts_with("issuance_execution");
  }
  EXPECT_GT(executions, 0);

  ASSERT_EQ(Run("project", {"show", "MN003", "--json"}), 0);
  EXPECT_EQ(Json().as_object()["monitoring_periods"].as_array().size(), 2u);

  ASSERT_EQ(Run("cycle", {"verify", "--json"}), 0) << out_.str();
  EXPECT_TRUE(Json().as_object()["ok"].as_bool());

  ASSERT_EQ(Run("import", {"jcm-data", "--dir", Source() + "/data/jcm", "--json"}), 0);
  EXPECT_EQ(Json().as_object()["events_added"].as_int64(), 0);
  EXPECT_EQ(Json().as_object()["issuances_executed"].as_int64(), 0);
}

TEST_F(CycleCli, RejectionsAndUsageErrors) {
  ASSERT_EQ(Run("party", {"register", "--partner", "MN", "--name", "Mongolia", "--json"}), 0)
      << out_.str() << err_.str();
  EXPECT_EQ(Run("party", {"register", "--partner", "MN", "--name", "Mongolia", "--json"}), 3);
  json::object rejected = Json().as_object()["rejected"].as_object();
  EXPECT_EQ(rejected["check"].as_int64(), 116);
  EXPECT_EQ(rejected["name"].as_string(), "already_exists");
  EXPECT_EQ(Run("party", {"register", "--bogus", "x"}), 2);
  EXPECT_EQ(Run("pin", {"decide", "--project", "MN_PIN404", "--date", "2026-01-01"}), 3);
  EXPECT_EQ(Run("frobnicate", {}), 2);
}

// With --key, a repeated step returns the first event (replayed) instead of check 116; the same
// key with other content is check 1; without a key, the repeat is judged by the cycle's checks.
TEST_F(CycleCli, KeyedStepReplaysTheFirstEvent) {
  const std::vector<std::string> party = {"register", "--partner", "MN",       "--name",
                                          "Mongolia", "--key",     "party-mn", "--json"};
  ASSERT_EQ(Run("party", party), 0) << out_.str() << err_.str();
  const json::object first = Json().as_object()["event"].as_object();
  EXPECT_FALSE(first.at("replayed").as_bool());
  ASSERT_EQ(Run("party", party), 0) << out_.str();
  const json::object again = Json().as_object()["event"].as_object();
  EXPECT_TRUE(again.at("replayed").as_bool());
  EXPECT_EQ(again.at("seq"), first.at("seq"));
  EXPECT_EQ(again.at("hash"), first.at("hash"));
  std::vector<std::string> other = party;
  other[4] = "Mongolei";
  EXPECT_EQ(Run("party", other), 3);
  EXPECT_EQ(Json().as_object()["rejected"].as_object()["check"].as_int64(), 1);
  EXPECT_EQ(Run("party", {"register", "--partner", "MN", "--name", "Mongolia", "--json"}), 3);
  EXPECT_EQ(Json().as_object()["rejected"].as_object()["check"].as_int64(), 116);
}

// Steps a solar project (MN_AM003 Ver2.0) to registration as MN001 with an open monitoring
// period 2017-01-01..2017-07-31, the period of src/mrv/testdata.
class MonitoredProject : public CycleCli {
 protected:
  void SetUp() override {
    CycleCli::SetUp();
    doc_ = dir_ + "/doc.txt";
    std::ofstream(doc_) << "a document";
    Ok("party", {"register", "--partner", "MN", "--name", "Mongolia"});
    Ok("jc", {"establish", "--partner", "MN", "--secretariat", "S", "--date", "2013-03-01"});
    Ok("org", {"register", "--id", "pp", "--name", "PP", "--country", "MN"});
    Ok("org", {"register", "--id", "tpe", "--name", "TPE", "--country", "JP"});
    Ok("tpe", {"designate", "--partner", "MN", "--org", "tpe", "--scope", "1", "--function",
               "validation", "--date", "2014-01-01"});
    Ok("methodology",
       {"propose", "--code", "MN_PM005", "--partner", "MN", "--title", "PV", "--proponent", "pp",
        "--scope", "1", "--document", doc_, "--date", "2016-01-04"});
    Ok("methodology", {"check", "--code", "MN_PM005", "--complete", "--date", "2016-01-05"});
    Ok("methodology", {"decide", "--code", "MN_PM005", "--approve", "--approved-code", "MN_AM003",
                       "--version", "2.0", "--date", "2016-02-01"});
    Ok("pin", {"submit",     "--id",
               "MN_PIN001",  "--partner",
               "MN",         "--title",
               "PV",         "--host",
               "pp",         "--focal-point",
               "pp",         "--methodology",
               "MN_AM003",   "--methodology-version",
               "2.0",        "--scope",
               "1",          "--funding",
               "private",    "--document",
               doc_,         "--date",
               "2016-03-01", "--by",
               "pp"});
    Ok("pin", {"decide", "--project", "MN_PIN001", "--no-objection", "--date", "2016-03-02"});
    Ok("pdd", {"submit", "--project", "MN_PIN001", "--document", doc_, "--date", "2016-04-01",
               "--by", "pp"});
    Ok("validation", {"submit", "--project", "MN_PIN001", "--tpe", "tpe", "--report", doc_,
                      "--date", "2016-06-01"});
    Ok("registration",
       {"request", "--project", "MN_PIN001", "--share", "JP:government:50", "--share", "MN:pp:50",
        "--document", doc_, "--date", "2016-06-02", "--by", "pp"});
    Ok("registration", {"decide", "--project", "MN_PIN001", "--approve", "--date", "2016-07-01"});
    Ok("monitoring",
       {"period", "--project", "MN001", "--period", kPeriod, "--date", "2017-01-01", "--by", "pp"});
  }

  void Ok(std::string_view verb, std::vector<std::string> args) {
    ASSERT_EQ(Run(verb, std::move(args)), 0) << verb << ": " << out_.str() << err_.str();
  }

  // `monitoring report` for the period, plus `extra`.
  std::vector<std::string> Report(std::vector<std::string> extra) {
    std::vector<std::string> args = {"report",     "--project",  "MN001", "--period",
                                     kPeriod,      "--document", doc_,    "--date",
                                     "2017-09-01", "--by",       "pp"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // The first monitoring period of MN001, as `project show --json` prints it.
  json::object ShownPeriod() {
    EXPECT_EQ(Run("project", {"show", "MN001", "--json"}), 0);
    return Json().as_object().at("monitoring_periods").as_array()[0].as_object();
  }

  static constexpr const char* kPeriod = "2017-01-01..2017-07-31";
  std::string doc_;
};

// A monitoring report that carries the MRV engine's result (`jcm mrv calc --json`): the reported
// figure, the result's own hash and its input hashes are journaled; mismatches are refused.
TEST_F(MonitoredProject, MonitoringReportCarriesTheMrvResult) {
  std::string result = dir_ + "/mrv.json";
  std::ofstream(result) << R"({"methodology": {"ref": "MN_AM003@2.0"}, "eligible": true,
      "emission_reductions_tco2e": 8947,
      "inputs": [{"role": "data", "sha256": ")" +
                               std::string(64, 'a') + R"("}]})";
  EXPECT_EQ(Run("monitoring", Report({"--mrv-result", result, "--reported", "9000"})), 2);
  // A result with a period that is not issuable (e.g. it overlaps an earlier report) is refused.
  std::string partial = dir_ + "/mrv-partial.json";
  std::ofstream(partial) << R"({"methodology": {"ref": "MN_AM003@2.0"}, "eligible": true,
      "issuable": false, "emission_reductions_tco2e": 100, "inputs": []})";
  EXPECT_EQ(Run("monitoring", Report({"--mrv-result", partial})), 3);  // not a usage error
  EXPECT_NE(err_.str().find("mrv_period_not_issuable"), std::string::npos) << err_.str();
  std::string other = dir_ + "/mrv-other.json";
  std::ofstream(other) << R"({"methodology": {"ref": "MN_AM004@1.0"}, "eligible": true,
      "emission_reductions_tco2e": 100, "inputs": []})";
  EXPECT_EQ(Run("monitoring", Report({"--mrv-result", other, "--json"})), 3);
  EXPECT_EQ(Json().as_object()["rejected"].as_object()["check"].as_int64(), 200);
  Ok("monitoring", Report({"--mrv-result", result}));
  const json::object period = ShownPeriod();
  EXPECT_EQ(period.at("reported_tco2e").as_int64(), 8947);
  EXPECT_EQ(period.at("mrv_calculation_sha256").as_string(), core::Sha256Hex(ReadText(result)));
  ASSERT_EQ(Run("cycle", {"verify"}), 0) << err_.str();
}

// The same figure calculated in the step itself (--mrv-params/--mrv-data): a calculation that
// is not issuable is rejected with its report; an issuable one is journaled with the figure of
// `jcm mrv calc` and the hash of the report over the files as stored, which `jcm mrv recompute`
// re-derives (docs/mrv.md, "Recomputation from stored evidence").
TEST_F(MonitoredProject, MonitoringReportCalculatesInProcess) {
  const std::string params = Source() + "/src/mrv/testdata/pv_params.txt";
  // A PV system whose connection case is neither grid (0) nor captive (1): criterion C1 of
  // MN_AM003 fails, so the project is ineligible (check 201) and nothing is issuable.
  const std::string ineligible = dir_ + "/ineligible_params.txt";
  std::ofstream(ineligible) << ReadText(params) << "[point PV03]\ncaptive = 0.5\n";
  const std::string one_day = dir_ + "/one_day.csv";
  std::ofstream(one_day) << "point,parameter,timestamp,value,unit\nPV01,EG,2017-01-01,100,MWh\n";
  EXPECT_EQ(Run("monitoring", Report({"--mrv-params", ineligible, "--mrv-data", one_day, "--key",
                                      "r", "--json"})),
            3);
  json::object rejected = Json().as_object();
  EXPECT_EQ(rejected["rejected"].as_object()["check"].as_int64(), 201);
  EXPECT_FALSE(rejected["mrv"].as_object()["issuable"].as_bool());

  const std::string data = Source() + "/src/mrv/testdata/pv_long.csv";
  ASSERT_EQ(
      RunArgs({"mrv", "calc", "--params", params, "--data", data, "--period", kPeriod, "--json"}),
      0)
      << err_.str();
  const int64_t figure = Json().as_object()["emission_reductions_tco2e"].as_int64();
  ASSERT_EQ(Run("monitoring",
                Report({"--mrv-params", params, "--mrv-data", data, "--key", "r", "--json"})),
            0)
      << out_.str() << err_.str();
  const std::string seq = std::to_string(Json().as_object()["event"].as_object()["seq"].as_int64());
  const json::object period = ShownPeriod();
  EXPECT_EQ(period.at("reported_tco2e").as_int64(), figure);
  EXPECT_EQ(period.at("mrv_input_sha256").as_array().size(), 3u);
  ASSERT_EQ(RunArgs({"mrv", "recompute", "--db", db_, "--report", seq, "--json"}), 0)
      << out_.str() << err_.str();
  EXPECT_TRUE(Json().as_object()["identical"].as_bool());
  EXPECT_EQ(Json().as_object()["recomputed_sha256"].as_string(),
            period.at("mrv_calculation_sha256").as_string());
  ASSERT_EQ(Run("cycle", {"verify"}), 0) << err_.str();
}

}  // namespace
}  // namespace jcm::cli
