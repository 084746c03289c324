// Corresponding adjustments: every check of 640–643 fires on the value it names, the journal
// form round trips, the three methods give the hand-computed figures of a small case, and a
// property test over random actions pins the sign of para 8 (+ first transferred − used) and
// the sums (INV-49 of docs/invariants.md).
#include "article6/corresponding_adjustment.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace jcm::article6 {
namespace {

NdcDeclarationRequest Request(std::string type, std::string method, int first, int last) {
  return {"JPN", 1,   core::Date::FromCivil(2026, 1, 15), std::move(type), std::move(method),
          first, last};
}

int CheckOf(const NdcDeclarationRequest& request) {
  auto verdict = ValidateNdcDeclaration(request);
  const auto* rejection = std::get_if<Rejection>(&verdict);
  return rejection == nullptr ? 0 : rejection->number();
}

NdcDeclaration Declared(std::string type, std::string method, int first, int last) {
  return std::get<NdcDeclaration>(ValidateNdcDeclaration(Request(type, method, first, last)));
}

TEST(NdcDeclaration, EachCheckFiresOnTheValueItNamesAndAContradictoryPairIsRefused) {
  EXPECT_EQ(CheckOf(Request("single-year", "averaging", 2021, 2030)), 0);
  EXPECT_EQ(CheckOf(Request("single-year", "trajectory", 2030, 2030)), 0);
  EXPECT_EQ(CheckOf(Request("multi-year", "multi-year", 2021, 2030)), 0);
  NdcDeclarationRequest bad_party = Request("single-year", "averaging", 2021, 2030);
  bad_party.party = "jp";
  EXPECT_EQ(CheckOf(bad_party), 600);
  EXPECT_EQ(CheckOf(Request("annual", "averaging", 2021, 2030)), 640);
  EXPECT_EQ(CheckOf(Request("single-year", "budget", 2021, 2030)), 641);
  // Para 7(a) methods for a multi-year NDC, 7(b) for a single-year one: contradictory.
  EXPECT_EQ(CheckOf(Request("single-year", "multi-year", 2021, 2030)), 642);
  EXPECT_EQ(CheckOf(Request("multi-year", "averaging", 2021, 2030)), 642);
  EXPECT_EQ(CheckOf(Request("multi-year", "trajectory", 2021, 2030)), 642);
  EXPECT_EQ(CheckOf(Request("single-year", "averaging", 2031, 2030)), 643);
  EXPECT_EQ(CheckOf(Request("single-year", "averaging", 1999, 2030)), 643);
  EXPECT_EQ(CheckOf(Request("multi-year", "multi-year", 2030, 2030)), 643);
  EXPECT_EQ(Article6CheckName(Article6Check::kCaMethodContradictsNdcType),
            "ca_method_contradicts_ndc_type");
}

TEST(NdcDeclaration, RoundTripsThroughItsJournalFormAndAStoredContradictionIsDataLoss) {
  const NdcDeclaration ndc = Declared("single-year", "averaging", 2021, 2030);
  auto back = NdcDeclaration::FromRecord(ndc.ToRecord());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, ndc);
  core::Record record = ndc.ToRecord();
  core::Record contradictory;
  for (const auto& field : record.fields()) {
    contradictory.Add(field.first, field.first == "method" ? "multi-year" : field.second);
  }
  EXPECT_EQ(NdcDeclaration::FromRecord(contradictory).status().code(), core::StatusCode::kDataLoss);
}

TEST(NdcBook, VersionsSupersedeInOrderAndARetryIsAReplay) {
  NdcBook book;
  NdcDeclarationRequest first = Request("single-year", "averaging", 2021, 2030);
  auto decided = DecideDeclareNdc(book, first);
  ASSERT_TRUE(std::holds_alternative<NdcDeclaration>(decided));
  ASSERT_TRUE(
      book.Apply(kEventNdcDeclaration, std::get<NdcDeclaration>(decided).ToRecord(), 7).ok());
  EXPECT_TRUE(std::holds_alternative<NdcReplay>(DecideDeclareNdc(book, first)));
  NdcDeclarationRequest changed = first;
  changed.method = "trajectory";
  EXPECT_EQ(std::get<Rejection>(DecideDeclareNdc(book, changed)).number(), 645);
  changed.version = 3;
  EXPECT_EQ(std::get<Rejection>(DecideDeclareNdc(book, changed)).number(), 644);
  changed.version = 2;
  auto second = DecideDeclareNdc(book, changed);
  ASSERT_TRUE(std::holds_alternative<NdcDeclaration>(second));
  ASSERT_TRUE(
      book.Apply(kEventNdcDeclaration, std::get<NdcDeclaration>(second).ToRecord(), 9).ok());
  EXPECT_EQ(book.Latest("JPN")->method, CaMethod::kTrajectory);
  EXPECT_EQ(book.last_seq(), 9);
  // Replaying version 2 again (a journal out of order) is DataLoss.
  EXPECT_EQ(
      book.Apply(kEventNdcDeclaration, std::get<NdcDeclaration>(second).ToRecord(), 11).code(),
      core::StatusCode::kDataLoss);
  // Other article6.* kinds are skipped.
  EXPECT_TRUE(book.Apply("article6.authorisation", core::Record(), 12).ok());
}

// A hand-computed case: Mongolia first transfers 1,000 ITMOs in 2023 and 500 in 2025 to Japan,
// which uses 600 in 2024 and 900 in 2025; Japan's NDC runs 2023-2025.
std::vector<CaAction> HandCase() {
  return {{"MNG", 2023, CaActionKind::kFirstTransfer, 1000},
          {"JPN", 2024, CaActionKind::kUse, 600},
          {"MNG", 2025, CaActionKind::kFirstTransfer, 500},
          {"JPN", 2025, CaActionKind::kUse, 900},
          {"JPN", 2022, CaActionKind::kUse, 7}};  // before the NDC period
}

TEST(CaLedger, EachMethodAppliesTheHandComputedAdjustments) {
  const std::vector<CaAction> actions = HandCase();
  auto averaging = BuildCaLedger(Declared("single-year", "averaging", 2023, 2025), actions);
  ASSERT_TRUE(averaging.ok());
  ASSERT_EQ(averaging->years.size(), 4u);  // 2022 (outside, with an action), 2023-2025
  EXPECT_EQ(averaging->years[0].year, 2022);
  EXPECT_FALSE(averaging->years[0].in_ndc_period);
  EXPECT_EQ(averaging->years[0].annual_adjustment_tco2e, -7);
  EXPECT_FALSE(averaging->years[0].applied_tco2e.has_value());
  // Japan: 0 in 2023, −600 in 2024, −900 in 2025; cumulative 0, −600, −1500.
  EXPECT_EQ(averaging->years[1].annual_adjustment_tco2e, 0);
  EXPECT_EQ(averaging->years[2].annual_adjustment_tco2e, -600);
  EXPECT_EQ(averaging->years[3].annual_adjustment_tco2e, -900);
  EXPECT_EQ(averaging->years[3].cumulative_adjustment_tco2e, -1500);
  // Averaging: the cumulative over the years elapsed; the target year gets −1500 / 3 = −500.
  EXPECT_EQ(averaging->years[2].applied_tco2e->ToText(), "-300.000");
  EXPECT_EQ(*averaging->years[3].applied_tco2e, (Average{-1500, 3}));
  EXPECT_EQ(averaging->years[3].applied_tco2e->ToText(0), "-500");
  EXPECT_EQ(averaging->total_used_tco2e, 1507);
  EXPECT_EQ(averaging->total_first_transferred_tco2e, 0);

  auto trajectory = BuildCaLedger(Declared("single-year", "trajectory", 2023, 2025), actions);
  EXPECT_EQ(*trajectory->years[3].applied_tco2e, (Average{-900, 1}));

  NdcDeclaration mongolia = Declared("multi-year", "multi-year", 2023, 2025);
  mongolia.party = "MNG";
  auto multi = BuildCaLedger(mongolia, actions);
  ASSERT_EQ(multi->years.size(), 3u);
  EXPECT_EQ(*multi->years[0].applied_tco2e, (Average{1000, 1}));
  EXPECT_EQ(*multi->years[1].applied_tco2e, (Average{0, 1}));
  EXPECT_EQ(multi->years[2].cumulative_adjustment_tco2e, 1500);
}

TEST(CaLedger, AverageTextRoundsHalfAwayFromZero) {
  EXPECT_EQ((Average{2, 3}).ToText(), "0.667");
  EXPECT_EQ((Average{-2, 3}).ToText(), "-0.667");
  EXPECT_EQ((Average{1, 8}).ToText(2), "0.13");
  EXPECT_EQ((Average{-1, 8}).ToText(2), "-0.13");
  EXPECT_EQ((Average{-1, 3000}).ToText(), "0.000");
  EXPECT_EQ((Average{INT64_MIN, 1}).ToText(0), "-9223372036854775808");
}

TEST(CaLedger, RefusesAQuantityOrYearItCannotHold) {
  const NdcDeclaration ndc = Declared("single-year", "averaging", 2021, 2030);
  const std::vector<CaAction> negative = {{"JPN", 2024, CaActionKind::kUse, -1}};
  EXPECT_EQ(BuildCaLedger(ndc, negative).status().code(), core::StatusCode::kInvalidArgument);
  const std::vector<CaAction> huge = {{"JPN", 2024, CaActionKind::kUse, INT64_MAX},
                                      {"JPN", 2025, CaActionKind::kUse, 1}};
  EXPECT_EQ(BuildCaLedger(ndc, huge).status().code(), core::StatusCode::kInvalidArgument);
}

// INV-49: over random actions of two Parties, each Party's adjustments sum to + its first
// transfers − its uses, a Party that only first transfers never has a negative year and one
// that only uses never a positive one, and when every ITMO first transferred by one Party is
// used by the other, the two Parties' totals cancel.
TEST(CaLedger, PropertyTheSignIsPlusFirstTransferredMinusUsed) {
  std::mt19937_64 random(20261130);
  for (int round = 0; round < 500; ++round) {
    std::vector<CaAction> actions;
    std::map<std::string, int64_t> expected;
    const int count = static_cast<int>(random() % 40);
    for (int i = 0; i < count; ++i) {
      const int year = 2021 + static_cast<int>(random() % 12);  // some outside 2021-2030
      const int64_t quantity = static_cast<int64_t>(random() % 100000);
      // MNG first transfers; JPN uses the same units in the same or a later year.
      actions.push_back({"MNG", year, CaActionKind::kFirstTransfer, quantity});
      actions.push_back({"JPN", std::min(2032, year + static_cast<int>(random() % 3)),
                         CaActionKind::kUse, quantity});
      expected["MNG"] += quantity;
      expected["JPN"] -= quantity;
    }
    std::shuffle(actions.begin(), actions.end(), random);
    int64_t both = 0;
    for (const std::string party : {"MNG", "JPN"}) {
      NdcDeclaration ndc = Declared("multi-year", "multi-year", 2021, 2030);
      ndc.party = party;
      auto ledger = BuildCaLedger(ndc, actions);
      ASSERT_TRUE(ledger.ok());
      int64_t sum = 0;
      int previous_year = 0;
      for (const CaYear& year : ledger->years) {
        ASSERT_GT(year.year, previous_year);
        previous_year = year.year;
        sum += year.annual_adjustment_tco2e;
        EXPECT_TRUE(party == "MNG" ? year.annual_adjustment_tco2e >= 0
                                   : year.annual_adjustment_tco2e <= 0)
            << party << " " << year.year;
      }
      EXPECT_EQ(sum, expected[party]);
      EXPECT_EQ(sum, ledger->total_first_transferred_tco2e - ledger->total_used_tco2e);
      both += sum;
    }
    EXPECT_EQ(both, 0);
  }
}

}  // namespace
}  // namespace jcm::article6
