#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/cli.h"
#include "store/memory/memory_store.h"
#include "store/testing/fixed_clock.h"

namespace jcm::cli {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

// Runs `jcm mrv ARGS…`.
Outcome Mrv(std::vector<std::string> owned) {
  owned.insert(owned.begin(), "mrv");
  std::vector<std::string_view> args(owned.begin(), owned.end());
  std::ostringstream out, err;
  store::FixedClock clock;
  Environment env{
      [&clock](const std::string&, store::OpenMode) { return store::NewMemoryStore(clock); }, clock,
      out, err};
  const int code = RunCli(args, env, BuiltinCommands());
  return {code, out.str(), err.str()};
}

TEST(MrvCommandTest, ListsTheFourTechnologies) {
  const Outcome o = Mrv({"methodologies", "--json"});
  ASSERT_EQ(o.code, 0) << o.err;
  const boost::json::array list = boost::json::parse(o.out).as_array();
  std::set<std::string> technologies;
  for (const auto& item : list) technologies.insert(std::string(item.at("technology").as_string()));
  EXPECT_EQ(technologies,
            (std::set<std::string>{"chiller", "solar_pv", "transformer", "waste_to_energy"}));
}

TEST(MrvCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Mrv({}).code, 2);
  EXPECT_EQ(Mrv({"frobnicate"}).code, 2);
  EXPECT_EQ(Mrv({"calc", "--nope"}).code, 2);
  EXPECT_EQ(Mrv({"calc", "--params"}).code, 2);
}

// --json: exactly one JSON document on stdout for a usage error too.
TEST(MrvCommandTest, UsageErrorsWithJsonPrintOneErrorDocument) {
  const Outcome o = Mrv({"calc", "--bogus", "--json"});
  EXPECT_EQ(o.code, 2);
  const boost::json::object error = boost::json::parse(o.out).as_object().at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "invalid_argument");
  EXPECT_TRUE(o.err.empty()) << o.err;
}

TEST(MrvCommandTest, UnknownMethodologyIsAnOperatingError) {
  const Outcome o = Mrv({"show", "XX_AM999"});
  EXPECT_EQ(o.code, 1);
  EXPECT_NE(o.err.find("not installed"), std::string::npos);
}

TEST(MrvCommandTest, ShowPrintsEquationsWithTags) {
  const Outcome o = Mrv({"show", "MN_AM003@2.0"});
  ASSERT_EQ(o.code, 0) << o.err;
  // No equation of the texts read is numbered: each is derived, with its source (issue 14).
  EXPECT_NE(o.out.find("(MN_AM003 v2.0 RE (derived))"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("DERIVED: RE_p = sum over i of EG_i,p"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("Eq."), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("0.797"), std::string::npos);
}

std::string Source(const std::string& relative) {
  const char* dir = std::getenv("JCM_SOURCE_DIR");
  return std::string(dir ? dir : ".") + "/" + relative;
}

TEST(MrvCommandTest, CalcReportsExactValuesFindingsAndInputHashes) {
  const std::string params = Source("src/mrv/testdata/pv_params.txt");
  const std::string data = Source("src/mrv/testdata/pv_long.csv");
  const Outcome o = Mrv({"calc", "--params", params, "--data", data, "--json"});
  ASSERT_EQ(o.code, 0) << o.err;
  const boost::json::object report = boost::json::parse(o.out).as_object();
  const boost::json::object& period = report.at("periods").as_array()[0].as_object();
  // PV01: (1000.5 + 250) MWh × 0.797 = 996.6485; PV02: 100 × 0.533 = 53.3. PE = 0 as
  // MN_AM003 ver02.0 sets it (no auxiliary-import term).
  EXPECT_EQ(period.at("reference_emissions_tco2e").as_string(), "1049.9485");
  EXPECT_EQ(period.at("project_emissions_tco2e").as_string(), "0");
  EXPECT_EQ(period.at("emission_reductions_exact_tco2e").as_string(), "1049.9485");
  EXPECT_EQ(period.at("emission_reductions_tco2e").as_int64(), 1049);
  EXPECT_EQ(report.at("emission_reductions_tco2e").as_int64(), 1049);
  // The period lies in 2017: one calendar year, the whole period (docs/mrv.md, INV-28).
  const boost::json::array& years = period.at("calendar_years").as_array();
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].at("year").as_int64(), 2017);
  EXPECT_EQ(years[0].at("days").as_int64(), 212);
  EXPECT_EQ(years[0].at("emission_reductions_exact_tco2e").as_string(), "1049.9485");
  EXPECT_EQ(years[0].at("emission_reductions_tco2e").as_int64(), 1049);
  const boost::json::array& inputs = report.at("inputs").as_array();
  ASSERT_EQ(inputs.size(), 3u);
  for (const auto& input : inputs) EXPECT_EQ(input.at("sha256").as_string().size(), 64u);
  EXPECT_FALSE(report.at("data_quality").as_array().empty());
  EXPECT_EQ(report.at("methodology").at("ref").as_string(), "MN_AM003@2.0");
}

// A finding about treated readings names the file and line of the first one (JSON fields).
TEST(MrvCommandTest, FindingsCarryTheFileAndLineOfTheReading) {
  const std::string data = ::testing::TempDir() + "/mrv_out_of_range.csv";
  std::ofstream(data) << "point,parameter,timestamp,value,unit\n"
                         "PV01,EG,2017-01-01,100,MWh\nPV01,EG,2017-01-02,-5,MWh\n";
  const Outcome o =
      Mrv({"calc", "--params", Source("src/mrv/testdata/pv_params.txt"), "--data", data, "--json"});
  const boost::json::object report = boost::json::parse(o.out).as_object();
  bool found = false;
  for (const auto& finding : report.at("data_quality").as_array()) {
    if (finding.at("code").as_string() != "out_of_range") continue;
    found = true;
    EXPECT_EQ(finding.at("file").as_string(), data);
    EXPECT_EQ(finding.at("line").as_int64(), 3);
  }
  EXPECT_TRUE(found) << o.out;
}

// A period that is not issuable is a rejection (check 202), printed with the full report.
TEST(MrvCommandTest, NotIssuablePeriodsAreRejectedWithTheReport) {
  // Auxiliary grid use far above generation: under the net variant of MN_AM003 (the approved
  // methodology has no project emissions) the period's ER is negative, so not issuable.
  const std::string data = ::testing::TempDir() + "/mrv_negative.csv";
  std::ofstream(data) << "point,parameter,timestamp,value,unit\n"
                         "PV01,EG,2017-01-01,100,MWh\nPV01,EG_aux,2017-01-01,200,MWh\n";
  const Outcome o = Mrv({"calc", "--methodology", "MN_AM003_NETAUX@1.0", "--params",
                         Source("src/mrv/testdata/pv_params.txt"), "--data", data, "--json"});
  ASSERT_EQ(o.code, 3) << o.err;
  const boost::json::object report = boost::json::parse(o.out).as_object();
  EXPECT_EQ(report.at("rejected").at("check").as_int64(), 202);
  EXPECT_EQ(report.at("rejected").at("name").as_string(), "mrv_period_not_issuable");
  const boost::json::object& period = report.at("periods").as_array()[0].as_object();
  EXPECT_LT(period.at("emission_reductions_tco2e").as_int64(), 0);
  EXPECT_FALSE(period.at("issuable").as_bool());
  EXPECT_EQ(report.at("emission_reductions_tco2e").as_int64(), 0);
  EXPECT_FALSE(report.at("issuable").as_bool());
}

TEST(MrvCommandTest, CalcErrorsCarryFileLineColumn) {
  const Outcome o = Mrv({"calc", "--params", Source("src/mrv/testdata/pv_params.txt"), "--data",
                         Source("fuzz/corpus/mrv_csv/bad_param.csv")});
  EXPECT_EQ(o.code, 2);  // invalid input: the same exit status as a malformed argument
  EXPECT_NE(o.err.find("bad_param.csv:2:6: \"XX\" is not a monitored parameter"), std::string::npos)
      << o.err;
  EXPECT_EQ(Mrv({"calc", "--params", Source("src/mrv/testdata/pv_params.txt"), "--data", "x.csv",
                 "--period", "2017-13-01..2017-12-31"})
                .code,
            2);
}

// Issue 8 item 9: the same monitoring file given twice (by its path or as a copy) was counted
// twice where no interval check caught it, although the report listed both with one SHA-256.
TEST(MrvCommandTest, IdenticalDataFilesAreRefused) {
  const std::string params = Source("src/mrv/testdata/pv_params.txt");
  const std::string data = Source("src/mrv/testdata/pv_long.csv");
  const std::string copy = ::testing::TempDir() + "/mrv_copy_of_pv_long.csv";
  std::filesystem::copy_file(data, copy, std::filesystem::copy_options::overwrite_existing);
  for (const std::string& second : {data, copy}) {
    const Outcome o = Mrv({"calc", "--params", params, "--data", data, "--data", second});
    EXPECT_EQ(o.code, 2) << o.out << o.err;
    EXPECT_NE(o.err.find(second + ": the same content (SHA-256 "), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("as the --data file " + data), std::string::npos) << o.err;
    EXPECT_TRUE(o.out.empty()) << o.out;
  }
  // Different files are still summed.
  const std::string other = ::testing::TempDir() + "/mrv_other.csv";
  std::ofstream(other) << "point,parameter,timestamp,value,unit\nPV02,EG,2017-01-02,1,MWh\n";
  EXPECT_EQ(Mrv({"calc", "--params", params, "--data", data, "--data", other}).code, 0);
}

// Issue 8 item 14: --threads abc, 0, -1 and 1000000 were accepted (clamped silently);
// --params had no size limit.
TEST(MrvCommandTest, ThreadsOutsideOneToSixtyFourAndHugeParamsAreUsageErrors) {
  const std::string params = Source("src/mrv/testdata/pv_params.txt");
  const std::string data = Source("src/mrv/testdata/pv_long.csv");
  for (const char* threads : {"abc", "0", "-1", "65", "1000000"}) {
    const Outcome o = Mrv({"calc", "--params", params, "--data", data, "--threads", threads});
    EXPECT_EQ(o.code, 2) << threads;
    EXPECT_NE(o.err.find("--threads must be"), std::string::npos) << o.err;
  }
  for (const char* threads : {"1", "64"}) {
    EXPECT_EQ(Mrv({"calc", "--params", params, "--data", data, "--threads", threads}).code, 0);
  }
  const Outcome o = Mrv({"calc", "--params", "/dev/zero", "--data", data});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find("/dev/zero: larger than 1048576 bytes"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace jcm::cli
