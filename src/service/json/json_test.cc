#include <gtest/gtest.h>

#include "core/sha256.h"
#include "service/json/ledger_json.h"
#include "service/json/mrv_json.h"

namespace jcm::service::json {
namespace {

std::string Source(const std::string& relative) {
  const char* root = std::getenv("JCM_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + relative;
}

TEST(JsonCodecTest, ErrorsAndRejectionsHaveOneShape) {
  EXPECT_EQ(boost::json::serialize(ErrorJson(core::FailedPrecondition("not yet"))),
            R"({"error":{"code":"failed_precondition","message":"not yet"}})");
  EXPECT_EQ(boost::json::serialize(RejectionJson({17, "units_insufficient", "short"})),
            R"({"rejected":{"check":17,"name":"units_insufficient","message":"short"}})");
}

// Both routes of an MRV figure into a monitoring report give the same typed result: the one
// calculated in process and the one read back from `jcm mrv calc --json`'s bytes.
TEST(JsonCodecTest, AnMrvResultReadBackEqualsTheCalculatedOne) {
  auto catalog = OpenMethodologyCatalog(Source("methodologies"));
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  MrvCalcRequest request;
  request.params_path = Source("src/mrv/testdata/pv_params.txt");
  request.data_paths = {Source("src/mrv/testdata/pv_long.csv")};
  auto calculation = CalculateMrv(*catalog, request);
  ASSERT_TRUE(calculation.ok()) << calculation.status().ToString();
  auto direct = MrvResultOfCalculation(*calculation);
  auto read = MrvResultFromJson(MrvReportText(*calculation), "report.json");
  ASSERT_TRUE(direct.ok() && read.ok());
  EXPECT_EQ(direct->calculation_sha256, core::Sha256Hex(MrvReportText(*calculation)));
  EXPECT_EQ(read->calculation_sha256, direct->calculation_sha256);
  EXPECT_EQ(read->methodology, direct->methodology);
  EXPECT_EQ(read->er_tco2e, direct->er_tco2e);
  EXPECT_EQ(read->eligible, direct->eligible);
  EXPECT_EQ(read->issuable, direct->issuable);
  EXPECT_EQ(read->input_sha256, direct->input_sha256);
  EXPECT_EQ(MrvResultFromJson("{\"emission_reductions_tco2e\": 1}", "x.json").status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jcm::service::json
