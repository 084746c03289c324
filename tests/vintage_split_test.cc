// The decision's amount split "accordingly" (issue 11 §2; docs/article6.md, "Vintages"): the
// MRV report apportions a period's exact reductions to calendar years by days
// (mrv::SplitByCalendarYear, INV-28), so a decision's amount split in proportion to the report's
// per-year reductions (largest remainder over amount × ER_year / ER) is the ledger's split of
// that amount by days (ledger::SplitByDays). This property test holds the two equal over random
// periods, reductions and amounts — which is why the issuance services pass no per-year list.
#include <gtest/gtest.h>

#include <random>

#include "ledger/types.h"
#include "mrv/calendar_years.h"

namespace jcm {
namespace {

TEST(VintageSplit, PropertyTheDecisionSplitInProportionToTheMrvYearsIsTheSplitByDays) {
  std::mt19937_64 random(20261130);
  for (int trial = 0; trial < 3000; ++trial) {
    const core::Date start = core::Date::FromCivil(2013 + static_cast<int>(random() % 12),
                                                   1 + static_cast<int>(random() % 12),
                                                   1 + static_cast<int>(random() % 28));
    const core::Period period{start, start.PlusDays(static_cast<int64_t>(random() % 1500))};
    // Exact reductions with three decimals, as monitoring data give them (> 0).
    const int64_t er_thousandths = 1 + static_cast<int64_t>(random() % 50'000'000'000);
    const mrv::Rational er = mrv::Rational::FromScaled(er_thousandths, 3);
    const int64_t er_rounded = er_thousandths / 1000;
    auto shares = mrv::SplitByCalendarYear(period, er, mrv::Rational(), er, er_rounded);
    ASSERT_TRUE(shares.ok()) << shares.status().ToString();
    // The decision may notify any amount up to the reductions (the Joint Committee decides).
    const int64_t amount = static_cast<int64_t>(random() % static_cast<uint64_t>(er_rounded + 1));
    std::vector<mrv::Rational> parts;
    for (const mrv::CalendarYearShare& year : *shares) {
      auto part = (mrv::Rational::FromInt(amount) * year.er_tco2e).DividedBy(er);
      ASSERT_TRUE(part.ok());
      parts.push_back(*part);
    }
    auto proportional = mrv::LargestRemainder(parts, amount);
    ASSERT_TRUE(proportional.ok()) << proportional.status().ToString();
    const std::vector<ledger::VintageAmount> by_days = ledger::SplitByDays(period, amount);
    ASSERT_EQ(by_days.size(), shares->size()) << period.ToString();
    for (size_t i = 0; i < by_days.size(); ++i) {
      EXPECT_EQ(by_days[i].year, (*shares)[i].year);
      EXPECT_EQ(by_days[i].tco2e, (*proportional)[i])
          << period.ToString() << " amount " << amount << " year " << by_days[i].year;
    }
  }
}

}  // namespace
}  // namespace jcm
