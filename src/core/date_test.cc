#include "core/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::core {
namespace {

using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

TEST(DateTest, RoundTripsEveryDayOverFourCenturies) {
  for (int64_t d = Date::FromCivil(1900, 1, 1).days_since_epoch();
       d <= Date::FromCivil(2300, 12, 31).days_since_epoch(); d += 17) {
    const Date date = Date::FromDaysSinceEpoch(d);
    auto parsed = Date::Parse(date.ToString());
    ASSERT_TRUE(parsed.ok()) << date.ToString();
    EXPECT_EQ(parsed->days_since_epoch(), d);
  }
}

TEST(DateTest, EpochIsZeroAndLeapDayExists) {
  EXPECT_EQ(Date::FromCivil(1970, 1, 1).days_since_epoch(), 0);
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());
  EXPECT_THAT(Date::Parse("2023-02-29"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a calendar date")));
  EXPECT_THAT(Date::Parse("2100-02-29"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a calendar date")));
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());
}

TEST(DateTest, RejectsMalformedText) {
  for (const char* bad : {"", "2024-1-01", "2024/01/01", "2024-13-01", "2024-00-10", "24-01-01",
                          "2024-01-32", "2024-01-0x"}) {
    EXPECT_EQ(Date::Parse(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PeriodTest, ParsesInclusiveRangeAndMeasuresDays) {
  auto p = Period::Parse("2017-08-26..2018-05-31");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ToString(), "2017-08-26..2018-05-31");
  EXPECT_EQ(p->length_days(), 279);
  EXPECT_THAT(Period::Parse("2018-05-31..2017-08-26"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ends before it starts")));
  EXPECT_THAT(Period::Parse("2018-05-31"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("written START..END")));
}

TEST(PeriodTest, OverlapIncludesSharedEndDay) {
  auto a = *Period::Parse("2020-01-01..2020-06-30");
  auto b = *Period::Parse("2020-06-30..2020-12-31");
  auto c = *Period::Parse("2020-07-01..2020-12-31");
  EXPECT_TRUE(a.Overlaps(b));
  EXPECT_FALSE(a.Overlaps(c));
}

}  // namespace
}  // namespace jcm::core
