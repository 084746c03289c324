#include "mrv/unit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::mrv {
namespace {

using core::StatusCode;
using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

Unit U(std::string_view text) { return *Unit::Parse(text); }

TEST(UnitTest, KilowattHoursAndMegawattHoursShareADimensionNotAScale) {
  EXPECT_TRUE(U("kWh").SameDimension(U("MWh")));
  EXPECT_FALSE(U("kWh") == U("MWh"));
  EXPECT_EQ(U("kWh").FactorTo(U("MWh")), *Rational::Parse("0.001"));
  EXPECT_EQ(U("GJ").FactorTo(U("MWh")), *Rational::Parse("5/18"));
}

TEST(UnitTest, PowerTimesHoursIsEnergy) {
  EXPECT_TRUE(U("kW").Times(U("h")) == U("kWh"));
  EXPECT_TRUE(U("tCO2/MWh").Times(U("MWh")) == U("tCO2e"));
  EXPECT_FALSE(U("tCO2/MWh").Times(U("kWh")) == U("tCO2e"));
  EXPECT_TRUE(U("tCO2/MWh").Times(U("kWh")).SameDimension(U("tCO2e")));
  EXPECT_TRUE(U("%").IsDimensionless());
}

TEST(UnitTest, UnknownAtomsAreNamed) {
  EXPECT_THAT(Unit::Parse("tCO2/furlong"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown unit \"furlong\"")));
  EXPECT_THAT(Unit::Parse("MWh/"), StatusIs(StatusCode::kInvalidArgument, "bad unit \"MWh/\""));
  EXPECT_THAT(Unit::Parse("t/h/h"),
              StatusIs(StatusCode::kInvalidArgument, "two '/' in unit \"t/h/h\""));
}

}  // namespace
}  // namespace jcm::mrv
