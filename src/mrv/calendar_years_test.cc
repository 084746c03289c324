// SplitByCalendarYear and LargestRemainder (issue 14 §3): per-year shares of a monitoring
// period for Article 6 vintages; the parts always sum to the whole (INV-28).
#include "mrv/calendar_years.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "mrv/calculator.h"

namespace jcm::mrv {
namespace {

Rational R(std::string_view text) { return *Rational::Parse(text); }
core::Period P(std::string_view text) { return *core::Period::Parse(text); }

// 100 tCO2e over 2019-07-01..2021-06-30 (731 days: 184 in 2019, 366 in 2020, 181 in 2021):
// exact 25.17…, 50.06…, 24.76…; floors 25 + 50 + 24 = 99, the one remaining unit goes to
// 2021 (largest fractional part, .76) -> 25, 50, 25.
TEST(CalendarYearsTest, LargestRemainderGivesTheMissingUnitToTheLargestFraction) {
  auto years = SplitByCalendarYear(P("2019-07-01..2021-06-30"), R("120"), R("20"), R("100"), 100);
  ASSERT_TRUE(years.ok()) << years.status().message();
  ASSERT_EQ(years->size(), 3u);
  EXPECT_EQ((*years)[0].year, 2019);
  EXPECT_EQ((*years)[0].days, 184);
  EXPECT_EQ((*years)[1].days, 366);
  EXPECT_EQ((*years)[2].days, 181);
  EXPECT_EQ((*years)[0].er_tco2e * R("731"), R("18400"));
  EXPECT_EQ((*years)[1].re_tco2e * R("731"), R("43920"));  // 120 × 366
  EXPECT_EQ((*years)[2].pe_tco2e * R("731"), R("3620"));   // 20 × 181
  EXPECT_EQ((*years)[0].er_rounded_tco2e, 25);
  EXPECT_EQ((*years)[1].er_rounded_tco2e, 50);
  EXPECT_EQ((*years)[2].er_rounded_tco2e, 25);
}

// MN004's second monitoring period, 01 Aug 2017 – 31 Dec 2020 (CRIDB, data/jcm
// issuance_records.csv; 44,817 t notified), with an exact ER of 44,817.6: 153 + 365 + 365 + 366
// days; the floors (5,490 + 13,097 + 13,097 + 13,133) already sum to 44,817.
TEST(CalendarYearsTest, MultiYearMonitoringPeriodOfMn004) {
  auto years =
      SplitByCalendarYear(P("2017-08-01..2020-12-31"), R("44817.6"), R("0"), R("44817.6"), 44817);
  ASSERT_TRUE(years.ok());
  ASSERT_EQ(years->size(), 4u);
  const int64_t expected[] = {5490, 13097, 13097, 13133};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*years)[i].year, 2017 + static_cast<int>(i));
    EXPECT_EQ((*years)[i].er_rounded_tco2e, expected[i]);
  }
}

TEST(CalendarYearsTest, APeriodInsideOneYearIsItsOwnShare) {
  auto years = SplitByCalendarYear(P("2017-01-01..2017-07-31"), R("9.5"), R("1"), R("8.5"), 8);
  ASSERT_TRUE(years.ok());
  ASSERT_EQ(years->size(), 1u);
  EXPECT_EQ((*years)[0].er_tco2e, R("8.5"));
  EXPECT_EQ((*years)[0].er_rounded_tco2e, 8);
}

TEST(CalendarYearsTest, TiesGoToTheEarlierYearAndImpossibleTotalsAreRefused) {
  const std::vector<Rational> halves = {R("1.5"), R("1.5")};
  EXPECT_EQ(*LargestRemainder(halves, 3), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(*LargestRemainder(halves, 4), (std::vector<int64_t>{2, 2}));
  EXPECT_FALSE(LargestRemainder(halves, 1).ok());
  EXPECT_FALSE(LargestRemainder(halves, 5).ok());
}

// INV-28 as a property: for random periods (up to six calendar years) and random exact ERs
// (negative too), under both rounding rules, the years' exact values sum to the period's, the
// days to its length, the integers to its rounded total, and each integer is its year's exact
// value rounded down or up.
TEST(CalendarYearsTest, PartsAlwaysSumToTheWhole) {
  std::mt19937_64 random(14);
  for (int round = 0; round < 2000; ++round) {
    const int64_t first = core::Date::FromCivil(2013, 1, 1).days_since_epoch() +
                          static_cast<int64_t>(random() % 4000);
    const int64_t last = first + static_cast<int64_t>(random() % 2200);
    const core::Period period{core::Date::FromDaysSinceEpoch(first),
                              core::Date::FromDaysSinceEpoch(last)};
    const int64_t whole = static_cast<int64_t>(random() % 2'000'000) - 200'000;
    const std::string text = std::to_string(whole) + "." + std::to_string(random() % 1'000'000'000);
    const Rational er = R(text);
    const bool half_up = random() % 2 == 0;
    const int64_t rounded = *(half_up ? er + R("0.5") : er).FloorToInteger();
    auto years = SplitByCalendarYear(period, er + R("3"), R("3"), er, rounded);
    ASSERT_TRUE(years.ok()) << years.status().message() << " " << text;
    Rational exact_sum;
    int64_t days = 0, units = 0;
    for (const CalendarYearShare& y : *years) {
      exact_sum = exact_sum + y.er_tco2e;
      days += y.days;
      units += y.er_rounded_tco2e;
      const int64_t floor = *y.er_tco2e.FloorToInteger();
      EXPECT_TRUE(y.er_rounded_tco2e == floor || y.er_rounded_tco2e == floor + 1) << text;
      EXPECT_EQ(y.re_tco2e - y.pe_tco2e, y.er_tco2e);
    }
    EXPECT_EQ(exact_sum, er) << text;
    EXPECT_EQ(days, period.length_days());
    EXPECT_EQ(units, rounded) << text << " " << period.ToString();
    EXPECT_EQ(years->front().year, period.start.year());
    EXPECT_EQ(years->back().year, period.end.year());
  }
}

}  // namespace
}  // namespace jcm::mrv
