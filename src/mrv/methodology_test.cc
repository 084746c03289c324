#include "mrv/methodology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/testing/status_matchers.h"
#include "mrv/methodology_catalog.h"

namespace jcm::mrv {
namespace {

using core::StatusCode;
using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

constexpr std::string_view kHeader =
    "[methodology]\nid = T_AM001\nversion = 1.0\ntitle = t\ntechnology = solar_pv\n"
    "[parameter EG]\nunit = MWh\nkind = monitored\n"
    "[parameter EK]\nunit = kWh\nkind = monitored\n"
    "[parameter EF]\nunit = tCO2/MWh\nkind = default\ndefault = 0.5\n";

std::string LoadError(std::string_view equations) {
  auto m = ParseMethodology(std::string(kHeader) + std::string(equations), "t.jcmm");
  return m.ok() ? "" : m.status().message();
}

TEST(MethodologyTest, AddingKwhToMwhIsALoadErrorWithPosition) {
  EXPECT_EQ(LoadError("[equation RE]\nunit = tCO2e\nexpr = (EG + EK) * EF\n"),
            "t.jcmm:18:12: cannot add kWh to MWh (convert explicitly)");
}

TEST(MethodologyTest, UnconvertedProductIsALoadError) {
  EXPECT_EQ(LoadError("[equation RE]\nunit = tCO2e\nexpr = EK * EF\n"),
            "t.jcmm:18:8: equation RE computes 0.001*tCO2e but declares tCO2e");
}

TEST(MethodologyTest, RequiresReferenceProjectAndReductionEquations) {
  EXPECT_NE(
      LoadError("[equation RE]\nunit = tCO2e\nexpr = EG * EF\n").find("missing [equation PE]"),
      std::string::npos);
}

TEST(MethodologyTest, EligibilityMayNotDependOnMonitoredValues) {
  const std::string error = LoadError(
      "[equation RE]\nunit = tCO2e\nexpr = EG * EF\n[equation PE]\nunit = tCO2e\nexpr = 0 [tCO2e]\n"
      "[equation ER]\nunit = tCO2e\nexpr = RE - PE\n[eligibility C1]\ncondition = EG > 0 [MWh]\n");
  EXPECT_NE(error.find("eligibility may not depend on monitored parameter EG"), std::string::npos);
}

TEST(MethodologyTest, UnknownTechnologyAndSectionsAreRejected) {
  auto m =
      ParseMethodology("[methodology]\nid = X\nversion = 1\ntitle = t\ntechnology = wind\n", "x");
  EXPECT_THAT(m, StatusIs(StatusCode::kInvalidArgument, HasSubstr("x:5:14: technology must be")));
  EXPECT_THAT(ParseMethodology("[bogus]\nid = X\n", "x"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("x:1:1: unknown section [bogus]")));
}

TEST(MethodologyCatalogTest, FindsTheInstalledDefinitionsAndTheLatestVersion) {
  const char* source = std::getenv("JCM_SOURCE_DIR");
  auto catalog = MethodologyCatalog::Open(std::string(source ? source : ".") + "/methodologies");
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  EXPECT_EQ(catalog->entries().size(), 4u);
  for (const MethodologyEntry& entry : catalog->entries()) {
    auto m = catalog->Load(entry.id);
    EXPECT_TRUE(m.ok()) << entry.path << ": " << m.status().message();
  }
  EXPECT_EQ((*catalog->Find("MN_AM003@v2.0"))->version, "2.0");
  EXPECT_EQ(catalog->Find("MN_AM003@9.9").status().code(), core::StatusCode::kNotFound);
  EXPECT_LT(CompareVersions("2.9", "2.10"), 0);
}

}  // namespace
}  // namespace jcm::mrv
