#include "service/mrv_service.h"

#include "service/methodology_ref.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

TEST(MethodologyRefTest, ConvertsBetweenTheEngineAndTheCycleForms) {
  auto engine = MethodologyRef::FromEngine("MN_AM003@2.0");
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(engine->CycleForm(), "MN_AM003 Ver2.0");
  auto cycle = MethodologyRef::FromCycle("MN_AM003 Ver2.0");
  ASSERT_TRUE(cycle.ok());
  EXPECT_EQ(*cycle, *engine);
  EXPECT_EQ(cycle->EngineForm(), "MN_AM003@2.0");
  EXPECT_THAT(MethodologyRef::FromEngine("MN_AM003").status(),
              HasCode(core::StatusCode::kInvalidArgument));
  EXPECT_THAT(MethodologyRef::FromCycle("MN_AM003 Ver").status(),
              HasCode(core::StatusCode::kInvalidArgument));
}

MrvCalcRequest PvRequest() {
  MrvCalcRequest request;
  request.params_path = SourcePath("src/mrv/testdata/pv_params.txt");
  request.data_paths = {SourcePath("src/mrv/testdata/pv_long.csv")};
  return request;
}

TEST(MrvServiceTest, CalculatesWithInputHashesAndAnIssuableTotal) {
  auto catalog = OpenMethodologyCatalog(SourcePath("methodologies"));
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  auto calculation = CalculateMrv(*catalog, PvRequest());
  ASSERT_TRUE(calculation.ok()) << calculation.status().ToString();
  EXPECT_EQ(calculation->er_tco2e, 1049);  // MN_AM003: RE 1,049.9485, PE 0
  EXPECT_TRUE(calculation->issuable);
  ASSERT_EQ(calculation->inputs.size(), 3u);
  EXPECT_EQ(calculation->inputs[0].role, "methodology");
  EXPECT_FALSE(JudgeMrvCalculation(*calculation).has_value());
  auto result = MrvResultOf(*calculation, "abc");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->methodology.CycleForm(), "MN_AM003 Ver2.0");
  EXPECT_EQ(result->input_sha256.size(), 3u);
}

TEST(MrvServiceTest, MalformedRequestsAreInvalidArguments) {
  auto catalog = OpenMethodologyCatalog(SourcePath("methodologies"));
  ASSERT_TRUE(catalog.ok());
  MrvCalcRequest no_data = PvRequest();
  no_data.data_paths.clear();
  EXPECT_THAT(CalculateMrv(*catalog, no_data).status(),
              HasCode(core::StatusCode::kInvalidArgument));
  MrvCalcRequest overlapping = PvRequest();
  overlapping.periods = {*core::Period::Parse("2017-01-01..2017-06-30"),
                         *core::Period::Parse("2017-06-01..2017-12-31")};
  EXPECT_THAT(CalculateMrv(*catalog, overlapping).status(),
              HasCode(core::StatusCode::kInvalidArgument));
  MrvCalcRequest missing = PvRequest();
  missing.params_path = "/nonexistent/params.txt";
  EXPECT_THAT(CalculateMrv(*catalog, missing).status(), HasCode(core::StatusCode::kNotFound));
}

TEST(MrvServiceTest, IneligibleAndNotIssuableResultsAreRejections) {
  MrvResult result{*MethodologyRef::FromEngine("MN_AM003@2.0"), 10, true, true, "", {}};
  EXPECT_FALSE(JudgeMrvResult(result).has_value());
  result.issuable = false;
  EXPECT_EQ(JudgeMrvResult(result)->check, 202);
  EXPECT_EQ(JudgeMrvResult(result)->name, "mrv_period_not_issuable");
  result.eligible = false;  // the more fundamental check wins
  EXPECT_EQ(JudgeMrvResult(result)->check, 201);
}

}  // namespace
}  // namespace jcm::service
