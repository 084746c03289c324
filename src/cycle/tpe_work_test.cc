#include "cycle/tpe_work.h"

#include <gtest/gtest.h>

#include "cycle/cycle_fixture_test.h"

namespace jcm::cycle {
namespace {

using testing::CycleFixture;
using testing::D;
using testing::Doc;

class TpeWorkTest : public CycleFixture {};

TEST_F(TpeWorkTest, ValidationIsOpenToDesignatedTpesThenDoneForTheOneThatSubmitted) {
  SetUpPair();
  SetUpMethodology();
  Accept(testing::kJapanesePp, Pin());
  Accept(testing::kJc, DecidePin{"MN_PIN001", true, D("2025-03-20")});
  EXPECT_TRUE(TpeWork(state_, "jqa", D("2025-03-25")).empty()) << "no PDD yet";
  Accept(testing::kJapanesePp,
         SubmitPdd{"MN_PIN001", Doc("pdd", true), Doc("pdd"), D("2025-04-01"), ""});

  std::vector<TpeWorkItem> open = TpeWork(state_, "jqa", D("2025-04-10"));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].project, "MN_PIN001");
  EXPECT_EQ(open[0].partner, "MN");
  EXPECT_EQ(open[0].function, TpeFunction::kValidation);
  EXPECT_FALSE(open[0].done);
  EXPECT_FALSE(open[0].period.has_value());
  EXPECT_TRUE(TpeWork(state_, "tenuun", D("2025-04-10")).empty()) << "not a designated TPE";
  EXPECT_TRUE(TpeWork(state_, "jqa", D("2013-12-31")).empty()) << "before its designation";

  Accept(testing::kTpe,
         SubmitValidation{"MN_PIN001", true, Doc("validation_report"), D("2025-05-15")});
  std::vector<TpeWorkItem> done = TpeWork(state_, "jqa", D("2025-05-16"));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].done);
  EXPECT_EQ(done[0].function, TpeFunction::kValidation);
}

TEST_F(TpeWorkTest, AReportedPeriodAwaitsVerificationAndOpenWorkComesFirst) {
  SetUpRegistered();
  Accept(testing::kHostPp, AddMonitoringPeriod{"MN001", kPeriod, D("2025-07-02")});
  Accept(testing::kHostPp, SubmitMonitoringReport{"MN001",
                                                  kPeriod,
                                                  1001,
                                                  Doc("monitoring_report"),
                                                  core::Sha256Hex("calc"),
                                                  {core::Sha256Hex("in")},
                                                  D("2026-01-15")});
  std::vector<TpeWorkItem> items = TpeWork(state_, "jqa", D("2026-01-20"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].project, "MN001");
  EXPECT_EQ(items[0].function, TpeFunction::kVerification);
  EXPECT_FALSE(items[0].done);
  EXPECT_EQ(items[0].period->ToString(), kPeriod.ToString());
  EXPECT_EQ(items[0].tco2e, 1001);
  EXPECT_EQ(items[1].function, TpeFunction::kValidation);
  EXPECT_TRUE(items[1].done);

  Accept(testing::kTpe,
         SubmitVerification{"MN001", kPeriod, 990, Doc("verification_report"), D("2026-02-01")});
  items = TpeWork(state_, "jqa", D("2026-02-02"));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].done && items[1].done);
  EXPECT_EQ(items[1].function, TpeFunction::kVerification);
  EXPECT_EQ(items[1].tco2e, 990) << "the verified amount once done";
}

}  // namespace
}  // namespace jcm::cycle
