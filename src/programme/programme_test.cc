// The programme's rules (checks 700–706), its fiscal years, its journal form and the GoJ share
// of subsidised projects' credits, on hand-computed values (docs/programme.md).
#include "programme/programme.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "programme/delivery.h"

namespace jcm::programme {
namespace {

core::Date D(const char* text) { return *core::Date::Parse(text); }

Funding Moej(int64_t cost, int64_t subsidy) {
  Funding f;
  f.project = "MN003";
  f.channel = Channel::kMoejSubsidy;
  f.fiscal_year = 2016;
  f.total_cost_yen = cost;
  f.subsidy_yen = subsidy;
  f.japanese_members = {"Sharp Energy Solutions Corporation"};
  f.partner_members = {"Tenuun Gerel Construction LLC"};
  f.expected_annual_tco2e = 11'000;
  f.crediting_period = *core::Period::Parse("2017-08-26..2030-12-31");
  return f;
}

std::optional<ProgrammeCheck> CheckOf(const std::optional<Rejection>& r) {
  if (!r) return std::nullopt;
  return r->check;
}

TEST(SubsidyCap, HalfForMoejIsExactAtTheBoundary) {
  ProgrammeState state;
  EXPECT_EQ(CheckOf(DecideFunding(state, Moej(1'000'000, 500'000), true)), std::nullopt);
  EXPECT_EQ(CheckOf(DecideFunding(state, Moej(1'000'001, 500'001), true)),
            ProgrammeCheck::kSubsidyRateAboveCap);  // 500001/1000001 > 1/2 by 1e-6
  EXPECT_EQ(CheckOf(DecideFunding(state, Moej(3, 2), true)), ProgrammeCheck::kSubsidyRateAboveCap);
}

TEST(SubsidyCap, TwoThirdsForHydrogen) {
  ProgrammeState state;
  Funding f = Moej(3'000'000'000, 2'000'000'000);  // exactly 2/3
  f.channel = Channel::kHydrogenSubsidy;
  EXPECT_EQ(CheckOf(DecideFunding(state, f, true)), std::nullopt);
  f.subsidy_yen += 1;
  const std::optional<Rejection> r = DecideFunding(state, f, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->number(), 700);
  EXPECT_EQ(r->name(), "subsidy_rate_above_cap");
  EXPECT_NE(r->message.find("2/3"), std::string::npos);
}

TEST(SubsidyCap, NoOverflowAtTheLargestAmounts) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_FALSE(ExceedsCap(kMax / 2, kMax, {1, 2}));
  EXPECT_TRUE(ExceedsCap(kMax / 2 + 1, kMax, {1, 2}));
  EXPECT_FALSE(ExceedsCap(kMax, kMax, {2, 2}));
}

TEST(SubsidyCap, OtherChannelsHaveNoCapButNeverExceedTheCost) {
  ProgrammeState state;
  Funding f = Moej(1'000, 900);
  f.channel = Channel::kAdbJfjcm;
  EXPECT_EQ(CheckOf(DecideFunding(state, f, true)), std::nullopt);
  f.subsidy_yen = 1'001;
  EXPECT_EQ(CheckOf(DecideFunding(state, f, true)), ProgrammeCheck::kSubsidyAboveCost);
}

TEST(Funding, SubsidisedProjectsNeedAnInternationalConsortium) {
  ProgrammeState state;
  Funding f = Moej(1'000, 500);
  f.partner_members.clear();
  EXPECT_EQ(CheckOf(DecideFunding(state, f, true)), ProgrammeCheck::kConsortiumIncomplete);
  f.channel = Channel::kPrivate;  // a private JCM project may be Japanese only
  EXPECT_EQ(CheckOf(DecideFunding(state, f, true)), std::nullopt);
}

TEST(Funding, UnknownProjectAndSecondRecordAreRejected) {
  ProgrammeState state;
  EXPECT_EQ(CheckOf(DecideFunding(state, Moej(1'000, 500), false)),
            ProgrammeCheck::kFundingProjectUnknown);
  ASSERT_TRUE(
      ApplyProgrammeEvent(state, kEventFundingRecorded, FundingRecord(Moej(1'000, 500)), 7).ok());
  const std::optional<Rejection> r = DecideFunding(state, Moej(1'000, 400), true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->check, ProgrammeCheck::kFundingExists);
  EXPECT_NE(r->message.find("entry 7"), std::string::npos);
}

TEST(Funding, MalformedValuesAreInvalidArguments) {
  EXPECT_TRUE(ValidateFunding(Moej(1, 0)).ok());
  EXPECT_EQ(ValidateFunding(Moej(0, 0)).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateFunding(Moej(10, -1)).code(), core::StatusCode::kInvalidArgument);
  Funding f = Moej(10, 1);
  f.fiscal_year = 1999;
  EXPECT_EQ(ValidateFunding(f).code(), core::StatusCode::kInvalidArgument);
}

TEST(Funding, JournalFormRoundTrips) {
  ProgrammeState state;
  const Funding f = Moej(2'345'678'901, 1'000'000'000);
  ASSERT_TRUE(ApplyProgrammeEvent(state, kEventFundingRecorded, FundingRecord(f), 12).ok());
  const Funding& back = state.funding.at("MN003");
  EXPECT_EQ(back.total_cost_yen, 2'345'678'901);
  EXPECT_EQ(back.subsidy_yen, 1'000'000'000);
  EXPECT_EQ(back.japanese_members, f.japanese_members);
  EXPECT_EQ(back.partner_members, f.partner_members);
  EXPECT_EQ(back.crediting_period, f.crediting_period);
  EXPECT_EQ(back.recorded_seq, 12);
  EXPECT_EQ(state.last_seq, 12);
  core::Record missing;
  missing.Add("project", "MN003");
  EXPECT_EQ(ApplyProgrammeEvent(state, kEventFundingRecorded, missing, 13).code(),
            core::StatusCode::kDataLoss);
  EXPECT_TRUE(ApplyProgrammeEvent(state, "programme.future_kind", missing, 14).ok());
}

TEST(Contribution, OnlyAdbAndUnidoOncePerFiscalYear) {
  ProgrammeState state;
  Contribution c{Channel::kAdbJfjcm, 2022, 1'000'000'000, "JFJCM replenishment", 0};
  EXPECT_EQ(CheckOf(DecideContribution(state, c)), std::nullopt);
  ASSERT_TRUE(
      ApplyProgrammeEvent(state, kEventContributionRecorded, ContributionRecord(c), 3).ok());
  EXPECT_EQ(CheckOf(DecideContribution(state, c)), ProgrammeCheck::kContributionExists);
  c.channel = Channel::kUnido;
  EXPECT_EQ(CheckOf(DecideContribution(state, c)), std::nullopt);
  c.channel = Channel::kNedo;
  EXPECT_EQ(CheckOf(DecideContribution(state, c)), ProgrammeCheck::kContributionChannelInvalid);
  EXPECT_EQ(state.contributions.at(0).note, "JFJCM replenishment");
}

TEST(FiscalYear, RunsFromAprilToMarch) {
  EXPECT_EQ(FiscalYearOf(D("2025-03-31")), 2024);
  EXPECT_EQ(FiscalYearOf(D("2025-04-01")), 2025);
  EXPECT_EQ(FiscalYearOf(D("2031-03-31")), 2030);
  EXPECT_EQ(FiscalYearStart(2030), D("2030-04-01"));
  EXPECT_EQ(FiscalYearEnd(2030), D("2031-03-31"));
}

// Figures of the first issuances (jcm-domain.md §2.6): MN001 10 (MN) + 40 (JP); VN004 151 of
// which the GoJ 76 (= ceil(151/2), met) — and the same with 75 (short by one).
TEST(GojDelivery, PerIssuanceAndPerProject) {
  const std::vector<IssuedUnits> issued = {
      {"MN001", "2015-01-01..2015-08-31", "MN", false, 10},
      {"MN001", "2015-01-01..2015-08-31", "JP", true, 40},
      {"VN004", "2015-01-01..2016-06-30", "JP", true, 76},
      {"VN004", "2015-01-01..2016-06-30", "JP", false, 59},
      {"VN004", "2015-01-01..2016-06-30", "VN", false, 16},
      {"VN004", "2016-07-01..2016-12-31", "JP", true, 75},
      {"VN004", "2016-07-01..2016-12-31", "VN", false, 76},
      {"MN005", "2020-01-01..2020-12-31", "MN", false, 1},  // not subsidised: no row
  };
  const std::vector<ProjectDelivery> rows = GojDelivery(issued, {"MN001", "VN004"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].project, "MN001");
  EXPECT_EQ(rows[0].issued_tco2e, 50);
  EXPECT_EQ(rows[0].delivered_tco2e, 40);
  EXPECT_EQ(rows[0].required_tco2e, 25);
  EXPECT_EQ(rows[0].shortfall_tco2e, 0);
  const ProjectDelivery& vn = rows[1];
  ASSERT_EQ(vn.issuances.size(), 2u);
  EXPECT_EQ(vn.issuances[0].issued_tco2e, 151);
  EXPECT_EQ(vn.issuances[0].required_tco2e, 76);
  EXPECT_EQ(vn.issuances[0].shortfall_tco2e, 0);
  EXPECT_EQ(vn.issuances[1].issued_tco2e, 151);
  EXPECT_EQ(vn.issuances[1].shortfall_tco2e, 1);
  EXPECT_EQ(vn.issued_tco2e, 302);
  EXPECT_EQ(vn.delivered_tco2e, 151);
  EXPECT_EQ(vn.required_tco2e, 152);  // per issuance, not ceil(302/2) = 151
  EXPECT_EQ(vn.shortfall_tco2e, 1);
}

// INV-47 on random issuances: per issuance 0 <= delivered <= issued, required = ceil(issued / 2),
// shortfall = max(0, required - delivered); a project's figures are its issuances' sums; the
// units counted are exactly those of subsidised projects.
TEST(GojDeliveryProperty, SumsHoldForRandomIssuances) {
  std::mt19937_64 random(45);
  const std::vector<std::string> projects = {"MN001", "MN002", "VN001", "TH001"};
  const std::vector<std::string> registries = {"JP", "MN", "VN"};
  for (int round = 0; round < 200; ++round) {
    std::vector<IssuedUnits> issued;
    int64_t subsidised_units = 0;
    const int rows = static_cast<int>(random() % 20);
    for (int i = 0; i < rows; ++i) {
      IssuedUnits u;
      u.project = projects[random() % projects.size()];
      u.period = "2020-01-01..2020-0" + std::to_string(1 + random() % 3) + "-28";
      u.registry = registries[random() % registries.size()];
      u.to_government_of_japan = u.registry == "JP" && random() % 2 == 0;
      u.units = static_cast<int64_t>(random() % 1000);
      if (u.project != "TH001") subsidised_units += u.units;
      issued.push_back(u);
    }
    int64_t counted = 0;
    for (const ProjectDelivery& p : GojDelivery(issued, {"MN001", "MN002", "VN001"})) {
      ASSERT_NE(p.project, "TH001");
      int64_t sums[4] = {0, 0, 0, 0};
      for (const IssuanceDelivery& d : p.issuances) {
        ASSERT_GE(d.delivered_tco2e, 0);
        ASSERT_LE(d.delivered_tco2e, d.issued_tco2e);
        ASSERT_EQ(d.required_tco2e, (d.issued_tco2e + 1) / 2);
        ASSERT_EQ(d.shortfall_tco2e, std::max<int64_t>(0, d.required_tco2e - d.delivered_tco2e));
        sums[0] += d.issued_tco2e;
        sums[1] += d.delivered_tco2e;
        sums[2] += d.required_tco2e;
        sums[3] += d.shortfall_tco2e;
      }
      ASSERT_EQ(p.issued_tco2e, sums[0]);
      ASSERT_EQ(p.delivered_tco2e, sums[1]);
      ASSERT_EQ(p.required_tco2e, sums[2]);
      ASSERT_EQ(p.shortfall_tco2e, sums[3]);
      counted += p.issued_tco2e;
    }
    ASSERT_EQ(counted, subsidised_units);
  }
}

// INV-45 on random amounts: an accepted record never exceeds its cap nor its cost.
TEST(SubsidyCapProperty, AcceptedRecordsKeepTheirCap) {
  std::mt19937_64 random(700);
  ProgrammeState state;
  for (int round = 0; round < 2000; ++round) {
    Funding f = Moej(1 + static_cast<int64_t>(random() % 1'000'000'000'000),
                     static_cast<int64_t>(random() % 1'000'000'000'000));
    f.channel = static_cast<Channel>(random() % 7);
    if (DecideFunding(state, f, true)) continue;
    const int64_t cost = f.total_cost_yen;  // < 2^40: the products below fit
    ASSERT_LE(f.subsidy_yen, cost);
    if (f.channel == Channel::kMoejSubsidy) {
      ASSERT_LE(2 * f.subsidy_yen, cost);
    }
    if (f.channel == Channel::kHydrogenSubsidy) {
      ASSERT_LE(3 * f.subsidy_yen, 2 * cost);
    }
  }
}

}  // namespace
}  // namespace jcm::programme
