#include "mrv/unit.h"

#include <gtest/gtest.h>

namespace jcm::mrv {
namespace {

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
  auto unit = Unit::Parse("tCO2/furlong");
  ASSERT_FALSE(unit.ok());
  EXPECT_NE(unit.status().message().find("furlong"), std::string::npos);
  EXPECT_FALSE(Unit::Parse("MWh/").ok());
  EXPECT_FALSE(Unit::Parse("t/h/h").ok());
}

}  // namespace
}  // namespace jcm::mrv
