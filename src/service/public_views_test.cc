// The public views read from the journal and the cycle state: flows over time (an imported
// issuance counts at its decision's date) and the Joint Committees with their forms.
#include <gtest/gtest.h>

#include "service/committees.h"
#include "service/flows.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::service {
namespace {

class FlowsTest : public store::LedgerFixture {};

TEST_F(FlowsTest, IssuedRetiredAndCancelledPerYearAndMonth) {
  const std::string decision = "MN003:2017-08-26..2018-05-31@2017-10-05";
  RecordDecision(decision, "MN", "MN003", "2017-08-26..2018-05-31", 40);
  ledger::TransactionRequest imported;
  imported.type = ledger::TransactionType::kIssuance;
  imported.registry = "MN";
  imported.decision = decision;
  imported.project = "MN003";
  imported.period = "2017-08-26..2018-05-31";
  imported.import_source = "issuance_records.csv";
  imported.import_line = 7;
  imported.targets = {{alice_, 40}};
  const store::Outcome out = Must(imported);
  ASSERT_FALSE(out.rejection) << out.rejection->message;
  Issue("MN005", "2018-01-01..2018-12-31", {{bob_, 60}});  // at the clock's time
  Retire(bob_, 10);
  Cancel(bob_, 5, "test");
  const std::string year = clock_.NowUtc().substr(0, 4);

  core::Result<std::vector<FlowBucket>> years = FlowsOverTime(*store_, "MN", FlowInterval::kYear);
  ASSERT_TRUE(years.ok()) << years.status().ToString();
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].period, "2017");  // the decision's date, not the import's
  EXPECT_EQ((*years)[0].issued_tco2e, 40);
  EXPECT_EQ((*years)[1].period, year);
  EXPECT_EQ((*years)[1].issued_tco2e, 60);
  EXPECT_EQ((*years)[1].retired_tco2e, 10);
  EXPECT_EQ((*years)[1].cancelled_tco2e, 5);

  core::Result<std::vector<FlowBucket>> months = FlowsOverTime(*store_, "MN", FlowInterval::kMonth);
  ASSERT_TRUE(months.ok());
  EXPECT_EQ(months->front().period, "2017-10");
  EXPECT_TRUE(FlowsOverTime(*store_, "VN", FlowInterval::kYear)->empty());
  EXPECT_EQ(FlowIntervalFromName("week").status().code(), core::StatusCode::kInvalidArgument);
}

TEST(CommitteesTest, ACommitteeHasItsOwnDecisionsAndForms) {
  cycle::State state;
  state.parties["MN"] = {"MN", "Mongolia", std::nullopt};
  state.committees["MN"] = {"MN", {"MOEJ"}, "secretariat", *core::Date::Parse("2013-03-01")};
  state.committees["VN"] = {"VN", {}, "s", *core::Date::Parse("2013-07-02")};
  state.decisions.push_back(
      {"MN", "issuance", "MN003", false, {}, *core::Date::Parse("2018-11-06")});
  state.decisions.push_back(
      {"VN", "issuance", "VN001", false, {}, *core::Date::Parse("2019-01-01")});
  state.forms["JCM_MN_F_PIN"] = {{"06.0", std::nullopt}};
  state.forms["JCM_VN_F_PIN"] = {{"03.0", std::nullopt}};

  const std::vector<CommitteeView> all = JointCommittees(state);
  ASSERT_EQ(all.size(), 2u);
  const std::optional<CommitteeView> mn = FindJointCommittee(state, "MN");
  ASSERT_TRUE(mn.has_value());
  EXPECT_EQ(mn->partner_name, "Mongolia");
  ASSERT_EQ(mn->decisions.size(), 1u);
  EXPECT_EQ(mn->decisions[0].subject, "MN003");
  ASSERT_EQ(mn->forms.size(), 1u);
  EXPECT_EQ(mn->forms[0].code, "JCM_MN_F_PIN");
  EXPECT_FALSE(FindJointCommittee(state, "PH").has_value());
}

}  // namespace
}  // namespace jcm::service
