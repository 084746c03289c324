#include "cycle/replay.h"

#include <gtest/gtest.h>

#include "cycle/codec.h"
#include "cycle/cycle_fixture_test.h"

namespace jcm::cycle::testing {
namespace {

class ReplayTest : public CycleFixture {
 protected:
  // Runs the fixture's decided-issuance scenario plus one execution; returns the journal.
  std::vector<JournaledEvent> Journal() {
    SetUpDecided();
    Accept(kManagerJp, ExecuteIssuance{"MN001", kPeriod, "JP", "7", D("2026-03-10")});
    std::vector<JournaledEvent> journal;
    for (const EncodedEvent& e : journal_) {
      journal.push_back({static_cast<int64_t>(journal.size()) + 1, today_, e.kind, e.body});
    }
    return journal;
  }
};

TEST_F(ReplayTest, AValidJournalReplaysWithoutViolations) {
  std::vector<JournaledEvent> journal = Journal();
  ReplayResult result = ReplayAndVerify(journal);
  ASSERT_TRUE(result.violations.empty()) << result.violations[0].message;
  EXPECT_EQ(result.events, static_cast<int64_t>(journal.size()));
  const Project* p = result.state.FindProject("MN001");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->periods[0].sides[0].ledger_transaction, "7");
  EXPECT_EQ(p->history.size(), state_.FindProject("MN001")->history.size());
}

TEST_F(ReplayTest, AnEventNoRuleAllowsIsNamedBySeq) {
  std::vector<JournaledEvent> journal = Journal();
  JournaledEvent again = journal.back();  // the JP execution, journaled a second time
  again.seq = 99;
  journal.push_back(again);
  ReplayResult result = ReplayAndVerify(journal);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].seq, 99);
  EXPECT_NE(result.violations[0].message.find("already_executed"), std::string::npos);
}

TEST_F(ReplayTest, AnEventWhoseDerivedFieldsWereEditedIsDetected) {
  std::vector<JournaledEvent> journal = Journal();
  for (JournaledEvent& e : journal) {
    if (e.kind != "cycle.pin_submitted") continue;
    core::Record edited;
    for (const auto& [k, v] : e.body.fields()) edited.Add(k, k == "form_version" ? "05.0" : v);
    e.body = edited;
  }
  ReplayResult result = ReplayAndVerify(journal);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_NE(result.violations[0].message.find("differs"), std::string::npos);
}

TEST_F(ReplayTest, UndecodableAndFutureDatedEventsAreViolations) {
  std::vector<JournaledEvent> journal = Journal();
  journal[0].body = core::Record();  // party_registered without fields
  journal.back().journaled_on =
      D("2026-03-09");  // executed "on 03-10" but journaled the day before
  ReplayResult result = ReplayAndVerify(journal);
  ASSERT_GE(result.violations.size(), 2u);
  EXPECT_EQ(result.violations.front().seq, 1);
  EXPECT_EQ(result.violations.back().seq, journal.back().seq);
  EXPECT_NE(result.violations.back().message.find("date_in_future"), std::string::npos);
}

}  // namespace
}  // namespace jcm::cycle::testing
