#include "mrv/rational.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"
#include "mrv/exact_sum.h"

namespace jcm::mrv {
namespace {

using core::StatusCode;
using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

Rational R(std::string_view text) { return *Rational::Parse(text); }

TEST(RationalTest, ParsesDecimalsExactly) {
  EXPECT_EQ(R("0.1") + R("0.2"), R("0.3"));
  EXPECT_EQ(R("1.5e3"), R("1500"));
  EXPECT_EQ(R("-2.50"), R("-5/2"));
  EXPECT_EQ(R("44/12").ToFractionString(), "11/3");
}

TEST(RationalTest, RejectsWhatIsNotAnExactDecimal) {
  for (std::string_view bad :
       {"", "-", ".", "1.2.3", "inf", "nan", "0x10", "1,000", "1e", "1e999", "1/0", "1/2.5"}) {
    EXPECT_EQ(Rational::Parse(bad).status().code(), core::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(RationalTest, DecimalStringsAreExactOrMarkedTruncated) {
  bool exact = false;
  EXPECT_EQ(R("16500.000").ToDecimalString(60, &exact), "16500");
  EXPECT_TRUE(exact);
  EXPECT_EQ(R("-0.0625").ToDecimalString(60, &exact), "-0.0625");
  EXPECT_EQ(R("11/3").ToDecimalString(10, &exact), "3.6666666666");
  EXPECT_FALSE(exact);
  EXPECT_EQ(R("-1/3").ToDecimalString(3), "-0.333");
}

TEST(RationalTest, FloorAndCeilFollowTheirDirectionForNegativeValues) {
  EXPECT_EQ(*R("16499.999").FloorToInteger(), 16499);
  EXPECT_EQ(*R("-0.5").FloorToInteger(), -1);
  EXPECT_EQ(*R("-0.5").CeilToInteger(), 0);
  EXPECT_EQ(R("1e40").FloorToInteger().status().code(), core::StatusCode::kResourceExhausted);
}

TEST(RationalTest, DivisionByZeroIsAnError) {
  EXPECT_THAT(R("1").DividedBy(Rational()),
              StatusIs(StatusCode::kInvalidArgument, "division by zero"));
  EXPECT_EQ(*R("1").DividedBy(R("8")), R("0.125"));
}

TEST(RationalTest, ExpBracketsTheTrueValue) {
  // e = 2.7182818284590452353602874713526624977572470936999595749669676...
  const Rational e_down = *Exp(R("1"), RoundDirection::kDown);
  const Rational e_up = *Exp(R("1"), RoundDirection::kUp);
  EXPECT_EQ(e_down.ToDecimalString(), "2.7182818284590452353602874713526624977572");
  EXPECT_EQ(e_up.ToDecimalString(), "2.7182818284590452353602874713526624977573");
  // e^-0.06 = 0.941764533584248709537152783271149706094688...  (IPCC decay rate of food waste, wet
  // tropical)
  const Rational decay_down = *Exp(R("-0.06"), RoundDirection::kDown);
  EXPECT_EQ(decay_down.ToDecimalString().substr(0, 24), "0.9417645335842487095371");
  EXPECT_LT(decay_down, *Exp(R("-0.06"), RoundDirection::kUp));
  EXPECT_EQ(*Exp(Rational(), RoundDirection::kDown), R("1"));
  EXPECT_THAT(Exp(R("1001"), RoundDirection::kDown),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("out of range -1000..1000")));
}

TEST(RationalTest, ExpOfLargeArgumentsStaysBracketed) {
  // e^10 = 22026.4657948067165169579006452842443663535126185567810742354...
  const Rational down = *Exp(R("10"), RoundDirection::kDown);
  const Rational up = *Exp(R("10"), RoundDirection::kUp);
  EXPECT_EQ(down.ToDecimalString().substr(0, 40), "22026.4657948067165169579006452842443663");
  EXPECT_LT(down, up);
  EXPECT_LT(up - down, R("1e-39"));
}

TEST(ExactSumTest, SumsAreExactAcrossScales) {
  ExactSum sum;
  DecimalValue v;
  ASSERT_EQ(ParseDecimal("0.1", &v), DecimalParse::kOk);
  ASSERT_TRUE(sum.Add(v));
  ASSERT_EQ(ParseDecimal("0.02", &v), DecimalParse::kOk);
  ASSERT_TRUE(sum.Add(v));
  ASSERT_EQ(ParseDecimal("-3", &v), DecimalParse::kOk);
  ASSERT_TRUE(sum.Add(v));
  EXPECT_EQ(sum.ToRational(), R("-2.88"));
}

TEST(ExactSumTest, OverflowIsReportedNotWrapped) {
  ExactSum sum;
  DecimalValue big;
  ASSERT_EQ(ParseDecimal("999999999999999999.999999999999999999", &big), DecimalParse::kOk);
  bool overflowed = false;
  for (int i = 0; i < 2000000 && !overflowed; ++i) overflowed = !sum.Add(big);
  EXPECT_TRUE(overflowed);
}

TEST(ExactSumTest, ParseDecimalRejectsMalformedFields) {
  DecimalValue v;
  EXPECT_EQ(ParseDecimal("", &v), DecimalParse::kEmpty);
  EXPECT_EQ(ParseDecimal("1e3", &v), DecimalParse::kSyntax);
  EXPECT_EQ(ParseDecimal("-", &v), DecimalParse::kSyntax);
  EXPECT_EQ(ParseDecimal(".", &v), DecimalParse::kSyntax);
  EXPECT_EQ(ParseDecimal("1.0000000000000000001", &v), DecimalParse::kTooPrecise);
  EXPECT_EQ(ParseDecimal(" 1", &v), DecimalParse::kSyntax);
}

}  // namespace
}  // namespace jcm::mrv
