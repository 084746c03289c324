// The indicators and the forecast on a small programme whose every figure is computed by hand
// below (docs/programme.md gives the formulas).
#include "programme/indicators.h"

#include <gtest/gtest.h>

#include <random>

namespace jcm::programme {
namespace {

core::Date D(const char* text) { return *core::Date::Parse(text); }
core::Period P(const char* text) { return *core::Period::Parse(text); }

Funding Fund(const char* project, Channel channel, int64_t subsidy, int64_t annual,
             const char* crediting) {
  Funding f;
  f.project = project;
  f.channel = channel;
  f.fiscal_year = 2019;
  f.total_cost_yen = 4 * subsidy;
  f.subsidy_yen = subsidy;
  f.expected_annual_tco2e = annual;
  f.crediting_period = P(crediting);
  return f;
}

// MN001: solar PV, 1,000 t/yr expected over 2020-04-01..2030-03-31 (3,652 days), subsidy
// ¥365 M, 800 t issued for its first year (365 days). VN001: transformers, 200 t, no record.
// TH001: chillers in validation, 100 t/yr over 2027-01-01..2036-12-31 (3,653 days), ¥2 M.
IndicatorInputs Programme() {
  IndicatorInputs in;
  in.today = D("2026-04-01");
  in.projects = {
      {"MN001", "MN", Technology::kSolarPv, "moej_subsidy", true, true,
       Fund("MN001", Channel::kMoejSubsidy, 365'000'000, 1'000, "2020-04-01..2030-03-31")},
      {"VN001", "VN", Technology::kTransformers, "unknown", true, true, std::nullopt},
      {"TH001", "TH", Technology::kChillers, "hydrogen_subsidy", false, true,
       Fund("TH001", Channel::kHydrogenSubsidy, 2'000'000, 100, "2027-01-01..2036-12-31")},
  };
  in.issued = {{"MN001", P("2020-04-01..2021-03-31"), 2021, 500},
               {"MN001", P("2020-04-01..2021-03-31"), 2021, 300},  // the other registry
               {"VN001", P("2021-01-01..2021-12-31"), 2022, 200}};
  in.goj_acquired = {{2021, 400}};
  in.ndc_used = {{2022, 100}};
  in.partner_countries_with_jc = 2;
  return in;
}

TEST(Indicators, FiscalYearsAndTotals) {
  const IndicatorReport r = ComputeIndicators(Programme());
  EXPECT_EQ(r.issued_tco2e, 1'000);
  EXPECT_EQ(r.goj_acquired_tco2e, 400);
  EXPECT_EQ(r.ndc_used_tco2e, 100);
  ASSERT_EQ(r.fiscal_years.size(), 2u);
  EXPECT_EQ(r.fiscal_years[0].fiscal_year, 2021);
  EXPECT_EQ(r.fiscal_years[0].issued_tco2e, 800);
  EXPECT_EQ(r.fiscal_years[0].goj_acquired_tco2e, 400);
  EXPECT_EQ(r.fiscal_years[1].ndc_used_tco2e, 100);
  EXPECT_EQ(r.fiscal_years[1].cumulative_issued_tco2e, 1'000);
  EXPECT_EQ(r.partner_countries_with_jc, 2);
  EXPECT_EQ(r.partner_countries_target, 30);
}

// Realisation: solar 800 issued ÷ (1,000 × 365 ÷ 365) expected = 0.8; chillers, unobserved,
// take the all-technology ratio (also 0.8).
// FY2030 (to 2031-03-31): MN001 1,000 × 1,461 days (2026-04-01..2030-03-31) = 1,461,000;
// TH001 100 × 1,551 days (2027-01-01..2031-03-31) = 155,100.
//   solar: floor(1,461,000 × 0.8 ÷ 365) = 3,202, floor(1,461,000 ÷ 365) = 4,002;
//   chillers: floor(155,100 × 0.8 ÷ 365) = 339, floor(155,100 ÷ 365) = 424;
//   low = 1,000 + 3,202 + 339 = 4,541; high = 1,000 + 4,002 + 424 = 5,426;
//   pipeline = floor(1,616,100 ÷ 365) = 4,427.
// FY2040: TH001's whole period, 100 × 3,653 = 365,300: chillers 800 and 1,000;
//   low = 5,002, high = 6,002, pipeline = floor(1,826,300 ÷ 365) = 5,003.
TEST(Indicators, ForecastBandAndGap) {
  const IndicatorReport r = ComputeIndicators(Programme());
  const RealisationRow& solar = r.realisation[static_cast<size_t>(Technology::kSolarPv)];
  EXPECT_TRUE(solar.observed);
  EXPECT_EQ(solar.issued_tco2e, 800);
  EXPECT_EQ(solar.expected_tco2e, 1'000);
  EXPECT_EQ(solar.ratio.numerator * 5, solar.ratio.denominator * 4);
  EXPECT_FALSE(r.realisation[static_cast<size_t>(Technology::kChillers)].observed);
  ASSERT_EQ(r.targets.size(), 2u);
  const TargetRow& fy2030 = r.targets[0];
  EXPECT_EQ(fy2030.fiscal_year, 2030);
  EXPECT_EQ(fy2030.target_tco2e, 100'000'000);
  EXPECT_EQ(fy2030.pipeline_expected_tco2e, 4'427);
  EXPECT_EQ(fy2030.forecast_low_tco2e, 4'541);
  EXPECT_EQ(fy2030.forecast_high_tco2e, 5'426);
  EXPECT_EQ(fy2030.gap_low_tco2e, 100'000'000 - 5'426);
  EXPECT_EQ(fy2030.gap_high_tco2e, 100'000'000 - 4'541);
  const TargetRow& fy2040 = r.targets[1];
  EXPECT_EQ(fy2040.pipeline_expected_tco2e, 5'003);
  EXPECT_EQ(fy2040.forecast_low_tco2e, 5'002);
  EXPECT_EQ(fy2040.forecast_high_tco2e, 6'002);
}

// MN001: lifetime floor(1,000 × 3,652 ÷ 365) = 10,005 t; ¥365,000,000 ÷ 10,005 = 36,481.76 →
// ¥36,482/t; ÷ 800 issued = ¥456,250/t. TH001: floor(100 × 3,653 ÷ 365) = 1,000 t → ¥2,000/t,
// nothing issued yet (no figure).
TEST(Indicators, CostEffectivenessAndGroups) {
  const IndicatorReport r = ComputeIndicators(Programme());
  ASSERT_EQ(r.by_country.size(), 3u);
  const GroupRow& mn = r.by_country[0];
  EXPECT_EQ(mn.key, "MN");
  EXPECT_EQ(mn.expected_lifetime_tco2e, 10'005);
  EXPECT_EQ(mn.yen_per_tco2e_expected, 36'482);
  EXPECT_EQ(mn.yen_per_tco2e_issued, 456'250);
  const GroupRow& th = r.by_country[1];
  EXPECT_EQ(th.key, "TH");
  EXPECT_EQ(th.registered, 0);
  EXPECT_EQ(th.yen_per_tco2e_expected, 2'000);
  EXPECT_EQ(th.yen_per_tco2e_issued, std::nullopt);
  const GroupRow& vn = r.by_country[2];
  EXPECT_EQ(vn.issued_tco2e, 200);
  EXPECT_EQ(vn.yen_per_tco2e_expected, std::nullopt);
  ASSERT_EQ(r.by_channel.size(), 3u);
  EXPECT_EQ(r.by_channel[0].key, "hydrogen_subsidy");
  EXPECT_EQ(r.by_channel[2].key, "unknown");
  EXPECT_EQ(r.by_channel[2].issued_tco2e, 200);
  ASSERT_EQ(r.by_project.size(), 2u);  // the projects with a funding record
  EXPECT_EQ(r.by_project[0].key, "MN001");
  ASSERT_EQ(r.by_technology.size(), 3u);
  EXPECT_EQ(r.by_technology[0].key, "chillers");
}

TEST(Indicators, TechnologyByKeywords) {
  EXPECT_EQ(ClassifyTechnology("Introduction of 15MW Solar Power System"), Technology::kSolarPv);
  EXPECT_EQ(ClassifyTechnology("Installation of Amorphous High Efficiency Transformers"),
            Technology::kTransformers);
  EXPECT_EQ(ClassifyTechnology("Energy Saving by Air-Cooled CHILLER"), Technology::kChillers);
  EXPECT_EQ(ClassifyTechnology("Waste to Energy Plant with solar roof"),
            Technology::kWasteToEnergy);
  EXPECT_EQ(ClassifyTechnology("Heat Only Boiler"), Technology::kOther);
}

TEST(Indicators, ExpectedReductionsOverlapOnly) {
  const core::Period period = P("2020-01-01..2020-12-31");
  EXPECT_EQ(ExpectedTimes365(10, period, D("2020-12-31"), D("2021-06-30")), 10);
  EXPECT_EQ(ExpectedTimes365(10, period, D("2021-01-01"), D("2021-06-30")), 0);
  EXPECT_EQ(ExpectedTimes365(10, period, D("2019-01-01"), D("2030-01-01")), 3'660);
}

// INV-48 on random programmes: fiscal-year rows sum to the totals, cumulative is the running
// sum, each grouping sums to the credits issued, and issued <= low <= high for each target.
TEST(IndicatorsProperty, RowsSumAndTheBandBrackets) {
  std::mt19937_64 random(48);
  const std::vector<std::string> countries = {"MN", "VN", "TH"};
  for (int round = 0; round < 200; ++round) {
    IndicatorInputs in;
    in.today = D("2026-04-01");
    const int projects = 1 + static_cast<int>(random() % 6);
    for (int i = 0; i < projects; ++i) {
      ProjectFacts p;
      p.project = "P" + std::to_string(i);
      p.partner = countries[random() % countries.size()];
      p.technology = static_cast<Technology>(random() % 5);
      p.channel = random() % 2 ? "moej_subsidy" : "unknown";
      p.registered = random() % 2 == 0;
      p.in_pipeline = random() % 3 != 0;
      if (random() % 2) {
        p.funding = Fund(p.project.c_str(), Channel::kMoejSubsidy,
                         static_cast<int64_t>(random() % 1'000'000'000),
                         static_cast<int64_t>(random() % 100'000), "2018-01-01..2035-12-31");
      }
      in.projects.push_back(p);
      const int issuances = static_cast<int>(random() % 4);
      for (int k = 0; k < issuances; ++k) {
        const int year = 2018 + static_cast<int>(random() % 8);
        in.issued.push_back({p.project, P("2018-01-01..2018-12-31"), year,
                             static_cast<int64_t>(random() % 100'000)});
      }
    }
    in.goj_acquired = {{2020, static_cast<int64_t>(random() % 1000)}};
    const IndicatorReport r = ComputeIndicators(in);
    int64_t issued = 0;
    int64_t goj = 0;
    for (const FiscalYearRow& y : r.fiscal_years) {
      issued += y.issued_tco2e;
      goj += y.goj_acquired_tco2e;
      ASSERT_EQ(y.cumulative_issued_tco2e, issued);
    }
    ASSERT_EQ(issued, r.issued_tco2e);
    ASSERT_EQ(goj, r.goj_acquired_tco2e);
    for (const auto* groups : {&r.by_country, &r.by_technology, &r.by_channel}) {
      int64_t sum = 0;
      for (const GroupRow& g : *groups) sum += g.issued_tco2e;
      ASSERT_EQ(sum, r.issued_tco2e);
    }
    for (const TargetRow& t : r.targets) {
      ASSERT_LE(t.issued_tco2e, t.forecast_low_tco2e);
      ASSERT_LE(t.forecast_low_tco2e, t.forecast_high_tco2e);
      ASSERT_EQ(t.gap_low_tco2e, t.target_tco2e - t.forecast_high_tco2e);
    }
  }
}

}  // namespace
}  // namespace jcm::programme
