#include "mrv/methodology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "core/testing/status_matchers.h"
#include "mrv/keyed_text.h"
#include "mrv/methodology_catalog.h"
#include "mrv/project_params.h"

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

// Issue 8 item 14: a range whose minimum is above its maximum loaded, and every reading was
// then out of range.
TEST(MethodologyTest, RangeMinimumAboveMaximumIsALoadError) {
  auto m = ParseMethodology(
      "[methodology]\nid = X\nversion = 1\ntitle = t\ntechnology = solar_pv\n"
      "[parameter EG]\nunit = MWh\nkind = monitored\nrange = 10 .. 2\n",
      "x");
  EXPECT_THAT(
      m, StatusIs(StatusCode::kInvalidArgument, "x:9:9: range minimum 10 is above its maximum 2"));
}

// Issue 8 item 14: a second [values] section silently replaced the first's values.
TEST(ProjectParamsTest, SecondValuesOrProjectSectionIsAnError) {
  EXPECT_THAT(ParseProjectParams("[project]\nid = a\n[values]\nx = 1\n[values]\ny = 2\n", "p"),
              StatusIs(StatusCode::kInvalidArgument,
                       "p:5:1: a second [values] section (the first is at line 3); merge them "
                       "into one"));
  EXPECT_THAT(ParseProjectParams("[project]\nid = a\n[project]\nid = b\n", "p"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("p:3:1: a second [project]")));
}

// Issue 8 item 14: `--params /dev/zero` grew without bound; a byte order mark was a bad key.
TEST(ProjectParamsTest, FilesAreLimitedToOneMebibyteAndMayStartWithAByteOrderMark) {
  EXPECT_THAT(LoadProjectParamsFile("/dev/zero"),
              StatusIs(StatusCode::kInvalidArgument,
                       "/dev/zero: larger than 1048576 bytes, the limit for this kind of file"));
  const std::string path = ::testing::TempDir() + "/jcm_params_limit.txt";
  // "[project]\nid = a\n" and comment lines, `bytes` in all.
  auto params_of_size = [](size_t bytes) {
    std::string text = "[project]\nid = a\n";
    while (text.size() < bytes) {
      const size_t line = std::min<size_t>(64, bytes - text.size());
      text += line == 1 ? "\n" : "#" + std::string(line - 2, 'x') + "\n";
    }
    return text;
  };
  std::ofstream(path) << params_of_size(kKeyedFileBytesMax);
  EXPECT_TRUE(LoadProjectParamsFile(path).ok());  // exactly the limit
  std::ofstream(path) << params_of_size(kKeyedFileBytesMax + 1);
  EXPECT_THAT(LoadProjectParamsFile(path),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("larger than 1048576 bytes")));
  auto bom = ParseProjectParams("\xEF\xBB\xBF[project]\nid = a\n", "p");
  ASSERT_TRUE(bom.ok()) << bom.status().message();
  EXPECT_EQ(bom->project_id, "a");
  std::remove(path.c_str());
}

TEST(MethodologyCatalogTest, FindsTheInstalledDefinitionsAndTheLatestVersion) {
  const char* source = std::getenv("JCM_SOURCE_DIR");
  auto catalog = MethodologyCatalog::Open(std::string(source ? source : ".") + "/methodologies");
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  EXPECT_EQ(catalog->entries().size(), 5u);  // four approved and the MN_AM003_NETAUX variant
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
