// Golden tests: one worked example per methodology with every number written out. Each test
// repeats the METHODOLOGY tags of the equations it exercises (see docs/methodologies/*.md and
// the `tag =` lines of methodologies/*/*.jcmm), so `grep -r "MN_AM003 v2.0 Eq.1"` finds the
// definition, its documentation and its test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/testing/status_matchers.h"
#include "mrv/calculator.h"
#include "mrv/keyed_text.h"
#include "mrv/methodology.h"

namespace jcm::mrv {
namespace {

using core::StatusCode;
using ::jcm_testing::StatusIs;
using ::testing::HasSubstr;

Rational R(std::string_view text) { return *Rational::Parse(text); }

std::string SourceDir() {
  const char* dir = std::getenv("JCM_SOURCE_DIR");
  return dir == nullptr ? "." : dir;
}

Methodology Load(const std::string& relative, std::string_view replace_from = "",
                 std::string_view replace_to = "") {
  auto text = ReadSmallFile(SourceDir() + "/methodologies/" + relative, kKeyedFileBytesMax);
  EXPECT_TRUE(text.ok()) << text.status().message();
  std::string body = *text;
  if (!replace_from.empty()) body.replace(body.find(replace_from), replace_from.size(), replace_to);
  auto m = ParseMethodology(body, relative);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return std::move(m).value();
}

ProjectParams Params(std::string_view text) {
  auto p = ParseProjectParams(text, "params");
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(p).value();
}

// Monitoring data for one period with the given (point, parameter) totals.
MonitoringData Data(
    const core::Period& period,
    std::initializer_list<std::tuple<std::string, std::string, std::string>> totals) {
  MonitoringData data;
  data.periods = {period};
  for (const auto& [point, parameter, value] : totals) {
    data.series[SeriesKey{0, point, parameter}] = SeriesTotal{R(value), 1};
  }
  return data;
}

const core::Period kYear2017 = *core::Period::Parse("2017-01-01..2017-12-31");

// METHODOLOGY: MN_AM003 v2.0 Eq.1  METHODOLOGY: MN_AM003 v2.0 Eq.4
// Mongolia 10 MW PV planning study (gec.jp/jcm/projects/13ps_mgl_01):
// EG = 10 MW × 1,500 h/yr = 15,000 MWh; EF = 1.1 tCO2/MWh (the study's value, in place of the
// methodology default 0.797); RE = 15,000 × 1.1 = 16,500; PE = 0; ER = 16,500 tCO2/yr.
TEST(GoldenTest, PlanningStudyPv10MwGives16500) {
  const Methodology m = Load("MN_AM003/v2.0.jcmm", "default = 0.797", "default = 1.1");
  const ProjectParams p = Params("[project]\nid = MGL-PV-study\n[values]\ncaptive = 0\n");
  auto report = Calculate(m, p, Data(kYear2017, {{"PV", "EG", "15000"}}));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const PeriodResult& period = report->periods[0];
  EXPECT_EQ(period.re_tco2e, R("16500"));
  EXPECT_EQ(period.pe_tco2e, R("0"));
  EXPECT_EQ(period.er_tco2e, R("16500"));
  EXPECT_EQ(period.er_rounded_tco2e, 16500);
  EXPECT_TRUE(period.issuable);
}

// METHODOLOGY: MN_AM003 v2.0 Eq.1  METHODOLOGY: MN_AM003 v2.0 Eq.2
// METHODOLOGY: MN_AM003 v2.0 Eq.3  METHODOLOGY: MN_AM003 v2.0 Eq.4
// PV01 feeds the national grid (EF_RE = EF_grid = 0.797), PV02 an internal grid with a captive
// diesel generator (EF_RE = EF_captive = 0.533).
//   PV01: RE = 14,182.123 MWh × 0.797 = 11,303.152031; PE = 272.5 MWh × 0.797 = 217.1825
//   PV02: RE = 100.25 MWh × 0.533 = 53.43325;          PE = 0 (no auxiliary grid use)
//   period: RE = 11,356.585281; PE = 217.1825; ER = 11,139.402781 -> 11,139 tCO2e (floor)
TEST(GoldenTest, SolarPvTwoConnectionCases) {
  const Methodology m = Load("MN_AM003/v2.0.jcmm");
  const ProjectParams p =
      Params("[project]\nid = MN-example\n[values]\ncaptive = 0\n[point PV02]\ncaptive = 1\n");
  auto report = Calculate(
      m, p,
      Data(kYear2017,
           {{"PV01", "EG", "14182.123"}, {"PV01", "EG_aux", "272.5"}, {"PV02", "EG", "100.25"}}));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const PeriodResult& period = report->periods[0];
  ASSERT_EQ(period.points.size(), 2u);
  EXPECT_EQ(period.points[0].re_tco2e, R("11303.152031"));
  EXPECT_EQ(period.points[0].pe_tco2e, R("217.1825"));
  EXPECT_EQ(period.points[0].er_tco2e, R("11085.969531"));
  EXPECT_EQ(period.points[1].re_tco2e, R("53.43325"));
  EXPECT_EQ(period.points[1].pe_tco2e, R("0"));
  EXPECT_EQ(period.re_tco2e, R("11356.585281"));
  EXPECT_EQ(period.pe_tco2e, R("217.1825"));
  EXPECT_EQ(period.er_tco2e.ToDecimalString(), "11139.402781");
  EXPECT_EQ(period.er_rounded_tco2e, 11139);
}

// METHODOLOGY: ID_AM002 v2.0 Eq.1  METHODOLOGY: ID_AM002 v2.0 Eq.2
// METHODOLOGY: ID_AM002 v2.0 Eq.3  METHODOLOGY: ID_AM002 v2.0 Eq.4
// One chiller of 1,500 kW (>= 1,055 kW, so COP_RE = COP_RE_large = 5.5), COP_PJ = 6.2,
// EC_PJ = 347.2 MWh (the ID009 2017 monitoring figure), EF_elec = 0.814 tCO2/MWh:
//   RE = 347.2 × (6.2 / 5.5) × 0.814 = 318.59072 (exactly: 995,596 / 3,125)
//   PE = 347.2 × 0.814 = 282.6208
//   ER = 35.96992 -> 35 tCO2e
TEST(GoldenTest, CentrifugalChiller) {
  const Methodology m = Load("ID_AM002/v2.0.jcmm");
  const ProjectParams p = Params(
      "[project]\nid = ID-example\n[point CH01]\nCOP_PJ = 6.2\ncapacity = 1500\nodp = 0\n"
      "checks_per_year = 4\n");
  auto report = Calculate(m, p, Data(kYear2017, {{"CH01", "EC_PJ", "347.2"}}));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const PeriodResult& period = report->periods[0];
  EXPECT_EQ(period.re_tco2e, R("318.59072"));
  EXPECT_EQ(period.pe_tco2e, R("282.6208"));
  EXPECT_EQ(period.er_tco2e, R("35.96992"));
  EXPECT_EQ(period.er_rounded_tco2e, 35);
  EXPECT_TRUE(report->eligible);
}

TEST(GoldenTest, ChillerBelowCopThresholdIsNotEligible) {
  const Methodology m = Load("ID_AM002/v2.0.jcmm");
  const ProjectParams p = Params(
      "[project]\nid = ID-example\n[point CH01]\nCOP_PJ = 5.9\ncapacity = 1500\nodp = 0.05\n"
      "checks_per_year = 4\n");
  auto report = Calculate(m, p, Data(kYear2017, {{"CH01", "EC_PJ", "347.2"}}));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_FALSE(report->eligible);
  ASSERT_EQ(report->eligibility.size(), 3u);
  EXPECT_FALSE(report->eligibility[0].passed);
  EXPECT_EQ(report->eligibility[0].message, "the project chiller's rated COP must exceed 6.0");
  EXPECT_FALSE(report->eligibility[1].passed);
  EXPECT_EQ(report->eligibility[1].message, "the refrigerant's ODP must be 0");
  EXPECT_TRUE(report->eligibility[2].passed);
  EXPECT_FALSE(report->periods[0].issuable);
}

// METHODOLOGY: VN_AM005 v1.0 Eq.1  METHODOLOGY: VN_AM005 v1.0 Eq.2
// METHODOLOGY: VN_AM005 v1.0 Eq.3  METHODOLOGY: VN_AM005 v1.0 Eq.4
// METHODOLOGY: VN_AM005 v1.0 Eq.5
// 100 identical transformers energised all year (T = 8,760 h), no-load losses 0.57 kW
// (reference) and 0.15 kW (amorphous project), EF_grid = 0.8154:
//   LOSS_RE = 100 × 0.57 kW × 8,760 h = 499,320 kWh; LOSS_PJ = 100 × 0.15 × 8,760 = 131,400 kWh
//   RE = 499.32 MWh × 0.8154 = 407.145528; PE = 131.4 × 0.8154 = 107.14356
//   ER = 300.001968 -> 300 tCO2e
// With load losses credited (LL_RE 4.0 kW, LL_PJ 3.8 kW, LF 0.3):
//   LOSS_RE = 100 × (0.57 + 4.0 × 0.09) × 8,760 = 814,680 kWh; LOSS_PJ = 430,992 kWh
//   RE = 664.290072; PE = 351.4308768; ER = 312.8591952 -> 312 tCO2e
TEST(GoldenTest, AmorphousTransformers) {
  const Methodology m = Load("VN_AM005/v1.0.jcmm");
  const std::string base =
      "[project]\nid = VN-example\n[point TR400]\nn_units = 100\nNLL_RE = 0.57\nNLL_PJ = 0.15\n"
      "LL_RE = 4.0\nLL_PJ = 3.8\nLF = 0.3\n";
  auto no_load = Calculate(m, Params(base), Data(kYear2017, {{"TR400", "T", "8760"}}));
  ASSERT_TRUE(no_load.ok()) << no_load.status().message();
  EXPECT_EQ(no_load->periods[0].re_tco2e, R("407.145528"));
  EXPECT_EQ(no_load->periods[0].pe_tco2e, R("107.14356"));
  EXPECT_EQ(no_load->periods[0].er_tco2e, R("300.001968"));
  EXPECT_EQ(no_load->periods[0].er_rounded_tco2e, 300);
  auto with_load = Calculate(m, Params(base + "[values]\ncredit_load_loss = 1\n"),
                             Data(kYear2017, {{"TR400", "T", "8760"}}));
  ASSERT_TRUE(with_load.ok()) << with_load.status().message();
  EXPECT_EQ(with_load->periods[0].re_tco2e, R("664.290072"));
  EXPECT_EQ(with_load->periods[0].pe_tco2e, R("351.4308768"));
  EXPECT_EQ(with_load->periods[0].er_rounded_tco2e, 312);
}

// METHODOLOGY: MM_AM001 v1.0 Eq.1  METHODOLOGY: MM_AM001 v1.0 Eq.2
// METHODOLOGY: MM_AM001 v1.0 Eq.3  METHODOLOGY: MM_AM001 v1.0 Eq.4
// METHODOLOGY: MM_AM001 v1.0 Eq.5  METHODOLOGY: MM_AM001 v1.0 Eq.6
// Yangon-sized plant (60 t/day ≈ 21,900 t/yr), second year (y = 2), default composition:
//   FOD double sum Σx Σj W_x p_j DOC_j e^(-k_j (y-x)) (1 - e^(-k_j)) = 1,016.09328966523428380967…
//   RE_CH4 = 0.85 × 25 × 16/12 × 0.5 × 0.5 × 0.8 × that = 5,757.86197476966094158814470683395…
//   RE_elec = 5,200 MWh × 0.524 = 2,724.8; RE = 8,482.66197476966094158814470683…
//   PE_fossil = 21,900 × Σj p_j FCC_j (= 0.0567534) × 44/12 = 4,557.29802
//   PE = 4,557.29802 + 5 kL × 36.2 GJ/kL × 0.0741 + 10 MWh × 0.524 = 4,575.95012
//   ER = 3,906.71185476966094158814470683… -> 3,906 tCO2e
// (reference digits computed independently with 80-digit decimal arithmetic)
TEST(GoldenTest, WasteToEnergyFirstOrderDecay) {
  const Methodology m = Load("MM_AM001/v1.0.jcmm");
  const ProjectParams p =
      Params("[project]\nid = MM-example\n[values]\ny = 2\nW[1] = 21900\nW[2] = 21900\n");
  auto report = Calculate(
      m, p,
      Data(kYear2017,
           {{"plant", "EG", "5200"}, {"plant", "EC_grid", "10"}, {"plant", "FC_aux", "5"}}));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const PeriodResult& period = report->periods[0];
  EXPECT_EQ(period.pe_tco2e, R("4575.95012"));
  EXPECT_EQ(period.re_tco2e.ToDecimalString(60).substr(0, 32), "8482.661974769660941588144706833");
  EXPECT_EQ(period.er_tco2e.ToDecimalString(60).substr(0, 32), "3906.711854769660941588144706833");
  // exp() rounds down and 1 - exp_up() rounds down: RE never exceeds the true value.
  EXPECT_LT(period.re_tco2e, R("8482.66197476966094158814470683392895417931850855"));
  EXPECT_GT(period.re_tco2e, R("8482.66197476966094158814470683"));
  EXPECT_EQ(period.er_rounded_tco2e, 3906);
}

TEST(GoldenTest, ProjectCannotOverrideAFixedDefault) {
  const Methodology m = Load("MN_AM003/v2.0.jcmm");
  const ProjectParams p = Params("[project]\nid = x\n[values]\ncaptive = 0\nEF_grid = 1.1\n");
  EXPECT_THAT(Calculate(m, p, Data(kYear2017, {{"PV", "EG", "1"}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("EF_grid is a fixed default")));
}

TEST(GoldenTest, ExAnteValueOutsideItsRangeIsRejected) {
  const Methodology m = Load("MN_AM003/v2.0.jcmm");
  EXPECT_THAT(Calculate(m, Params("[project]\nid = x\n[values]\ncaptive = 2\n"),
                        Data(kYear2017, {{"PV", "EG", "1"}})),
              StatusIs(StatusCode::kInvalidArgument,
                       "params:4:1: captive = 2 is outside its valid range 0..1"));
}

TEST(GoldenTest, MissingExAnteValueIsNamed) {
  const Methodology m = Load("MN_AM003/v2.0.jcmm");
  EXPECT_THAT(Calculate(m, Params("[project]\nid = x\n"), Data(kYear2017, {{"PV", "EG", "1"}})),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("captive")));
}

}  // namespace
}  // namespace jcm::mrv
