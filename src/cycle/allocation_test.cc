#include "cycle/allocation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace jcm::cycle {
namespace {

__extension__ typedef __int128 Int128;

// ---- Independent oracle --------------------------------------------------------------------
// Nothing below calls the code under test: the expected rows, the largest-remainder amounts and
// the Government of Japan's correction are characterised with exact integer comparisons
// (a/W < b/W ⟺ a < b), so a wrong rounding cannot be copied into its own expectation.

struct Holder {
  std::string side;
  std::string holder;
  int64_t weight = 0;
};

bool IsGoj(const Holder& h) { return h.side == "JP" && h.holder == kGovernmentHolder; }

// The rows AllocateDecision must return: distinct pairs in order, a GoJ row added if needed.
std::vector<Holder> ExpectedHolders(const std::vector<Share>& allocation, bool subsidised) {
  std::vector<Holder> holders;
  for (const Share& s : allocation) {
    auto it = std::find_if(holders.begin(), holders.end(), [&](const Holder& h) {
      return h.side == s.side && h.holder == s.holder;
    });
    if (it == holders.end()) {
      holders.push_back({s.side, s.holder, s.share_bp});
    } else {
      it->weight += s.share_bp;
    }
  }
  if (subsidised && std::none_of(holders.begin(), holders.end(), IsGoj)) {
    holders.push_back({"JP", std::string(kGovernmentHolder), 0});
  }
  return holders;
}

// Largest remainder by sorting (the code under test selects in a loop): floors, then one unit
// each to the largest remainders, ties to the holder listed first.
std::vector<int64_t> LargestRemainder(int64_t total, const std::vector<Holder>& holders) {
  Int128 sum = 0;
  for (const Holder& h : holders) sum += h.weight;
  std::vector<int64_t> parts;
  std::vector<Int128> remainders;
  int64_t assigned = 0;
  for (const Holder& h : holders) {
    parts.push_back(static_cast<int64_t>(Int128{total} * h.weight / sum));
    remainders.push_back(Int128{total} * h.weight % sum);
    assigned += parts.back();
  }
  std::vector<size_t> order(holders.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (int64_t k = 0; k < total - assigned; ++k) ++parts[order[static_cast<size_t>(k)]];
  return parts;
}

// Checks `rows` = AllocateDecision(total, allocation, subsidised) against the rule.
void ExpectAllocationRule(int64_t total, const std::vector<Share>& allocation, bool subsidised,
                          const std::vector<HolderAmount>& rows) {
  const std::vector<Holder> holders = ExpectedHolders(allocation, subsidised);
  ASSERT_EQ(rows.size(), holders.size());
  Int128 weight_sum = 0;
  int64_t sum = 0;
  size_t goj = holders.size();
  for (size_t i = 0; i < holders.size(); ++i) {
    ASSERT_EQ(rows[i].side, holders[i].side);
    ASSERT_EQ(rows[i].holder, holders[i].holder);
    ASSERT_GE(rows[i].amount_tco2e, 0);
    weight_sum += holders[i].weight;
    sum += rows[i].amount_tco2e;
    if (IsGoj(holders[i])) goj = i;
  }
  ASSERT_EQ(sum, total);
  // How far `units` puts holder i above its exact share total × wᵢ / W, times W.
  auto excess = [&](int64_t units, size_t i) {
    return Int128{units} * weight_sum - Int128{total} * holders[i].weight;
  };
  const std::vector<int64_t> rounded = LargestRemainder(total, holders);
  const int64_t half = total - total / 2;  // ceil(total / 2)
  const bool forced = subsidised && rounded[goj] < half;
  for (size_t i = 0; i < holders.size(); ++i) {
    const int64_t amount = rows[i].amount_tco2e;
    // Never one unit or more above the exact share (but a forced GoJ), nor below unless forced.
    if (!forced || i != goj) {
      ASSERT_LT(excess(amount, i), weight_sum) << "holder " << i << " of total " << total;
    }
    if (!forced) {
      ASSERT_GT(excess(amount, i), -weight_sum) << "holder " << i << " of total " << total;
      ASSERT_EQ(amount, rounded[i]) << "holder " << i << " of total " << total;
    } else if (i != goj) {
      ASSERT_LE(amount, rounded[i]) << "only the GoJ gains";
    }
  }
  if (!subsidised) return;
  ASSERT_EQ(rows[goj].amount_tco2e, std::max(rounded[goj], half)) << "total " << total;
  if (!forced) return;
  // The units taken are those whose holders most exceeded their exact share: every unit taken
  // from i (the lowest is its (amount + 1)-th) ranks above every unit kept by j (its top one),
  // ties going first from the holder listed last.
  for (size_t i = 0; i < holders.size(); ++i) {
    if (i == goj || rows[i].amount_tco2e == rounded[i]) continue;
    for (size_t j = 0; j < holders.size(); ++j) {
      if (j == goj || j == i || rows[j].amount_tco2e == 0) continue;
      const Int128 taken = excess(rows[i].amount_tco2e + 1, i);
      const Int128 kept = excess(rows[j].amount_tco2e, j);
      ASSERT_TRUE(taken > kept || (taken == kept && i > j))
          << "total " << total << ": took from " << i << " before " << j;
    }
  }
}

// A random table: up to 6 lines over JP and MN, the holder names drawn from a small pool so
// that pairs repeat. Half are like registered allocations (10 000 bp, and a subsidised one
// gives the GoJ at least half, as check 135 demands); half are arbitrary (any weights, the GoJ
// possibly absent), which exercises large corrections.
std::vector<Share> RandomTable(std::mt19937_64& random, bool subsidised) {
  static const char* const kNames[] = {"government", "sharp", "tenuun", "bank"};
  const bool registered = random() % 2 == 0;
  std::vector<Share> table;
  const size_t lines = 1 + random() % 6;
  for (size_t k = 0; k < lines; ++k) {
    table.push_back({random() % 2 ? "JP" : "MN", kNames[random() % 4],
                     static_cast<int64_t>(random() % 10'001)});
  }
  if (!registered) {
    table[0].share_bp += 1;  // a positive sum
    return table;
  }
  // Rescale to 10 000 bp: the GoJ line first with at least half when subsidised.
  const int64_t goj = subsidised ? 5'000 + static_cast<int64_t>(random() % 5'001) : 0;
  if (subsidised) table.insert(table.begin(), {"JP", "government", goj});
  const size_t first = subsidised ? 1 : 0;
  const int64_t budget = 10'000 - goj;
  int64_t others = 0;
  for (size_t k = first; k < table.size(); ++k) others += table[k].share_bp;
  int64_t given = 0;
  for (size_t k = first; k < table.size(); ++k) {
    table[k].share_bp = others == 0 ? 0 : table[k].share_bp * budget / others;
    given += table[k].share_bp;
  }
  table.back().share_bp += budget - given;  // what integer scaling left over
  return table;
}

// The property test of the brief: EVERY total from 1 to 100 000, random tables, both fundings.
TEST(AllocateDecision, EveryTotalUpTo100000FollowsTheRule) {
  std::mt19937_64 random(20'260'301);
  for (int64_t total = 1; total <= 100'000; ++total) {
    for (int k = 0; k < 2; ++k) {
      const bool subsidised = random() % 2 == 0;
      const std::vector<Share> table = RandomTable(random, subsidised);
      std::vector<HolderAmount> rows = AllocateDecision(total, table, subsidised);
      ExpectAllocationRule(total, table, subsidised, rows);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(AllocateDecision, HugeTotalsFollowTheRule) {
  std::mt19937_64 random(7);
  for (int k = 0; k < 20'000; ++k) {
    const bool subsidised = random() % 2 == 0;
    const int64_t total = static_cast<int64_t>(random() % (int64_t{1} << 62));
    const std::vector<Share> table = RandomTable(random, subsidised);
    ExpectAllocationRule(total, table, subsidised, AllocateDecision(total, table, subsidised));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The rule spelt out as the documentation says, one unit at a time: a second oracle on small
// totals, where moving units one by one is cheap.
std::vector<int64_t> OneUnitAtATime(int64_t total, const std::vector<Holder>& holders) {
  std::vector<int64_t> parts = LargestRemainder(total, holders);
  Int128 weight_sum = 0;
  for (const Holder& h : holders) weight_sum += h.weight;
  const size_t goj =
      static_cast<size_t>(std::find_if(holders.begin(), holders.end(), IsGoj) - holders.begin());
  while (parts[goj] < total - total / 2) {
    size_t from = holders.size();
    Int128 most = 0;
    for (size_t i = 0; i < holders.size(); ++i) {
      if (i == goj || parts[i] == 0) continue;
      Int128 excess = Int128{parts[i]} * weight_sum - Int128{total} * holders[i].weight;
      if (from == holders.size() || excess >= most) {  // >=: the holder listed last on ties
        from = i;
        most = excess;
      }
    }
    --parts[from];
    ++parts[goj];
  }
  return parts;
}

TEST(AllocateDecision, MatchesTakingOneUnitAtATime) {
  std::mt19937_64 random(11);
  for (int64_t total = 0; total <= 3'000; ++total) {
    const std::vector<Share> table = RandomTable(random, true);
    std::vector<HolderAmount> rows = AllocateDecision(total, table, true);
    std::vector<int64_t> expected = OneUnitAtATime(total, ExpectedHolders(table, true));
    ASSERT_EQ(rows.size(), expected.size());
    for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i].amount_tco2e, expected[i]);
  }
}

// ---- Examples --------------------------------------------------------------------------------

std::vector<int64_t> Amounts(const std::vector<HolderAmount>& rows) {
  std::vector<int64_t> amounts;
  for (const HolderAmount& row : rows) amounts.push_back(row.amount_tco2e);
  return amounts;
}

TEST(AllocateDecision, DocumentedExample) {
  // docs/cycle.md: 4 300 credits at 50/30/10/10 %.
  std::vector<Share> allocation = {{"JP", "government", 5000},
                                   {"JP", "sharp", 3000},
                                   {"MN", "government", 1000},
                                   {"MN", "tenuun", 1000}};
  std::vector<HolderAmount> rows = AllocateDecision(4300, allocation, true);
  EXPECT_EQ(Amounts(rows), (std::vector<int64_t>{2150, 1290, 430, 430}));
  EXPECT_EQ(SideTotals(rows), (std::vector<SideAmount>{{"JP", 3440}, {"MN", 860}}));
}

TEST(AllocateDecision, GovernmentOfJapanGetsAtLeastHalfWhenSubsidised) {
  // 3 credits at 50/25/25 %: exact 1.5/0.75/0.75. Largest remainder gives 1/1/1; a subsidised
  // project's GoJ needs 2, taken from the holder most above its exact share: both are 0.25
  // above, so the one listed last gives.
  std::vector<Share> allocation = {
      {"JP", "government", 5000}, {"JP", "sharp", 2500}, {"MN", "tenuun", 2500}};
  EXPECT_EQ(Amounts(AllocateDecision(3, allocation, false)), (std::vector<int64_t>{1, 1, 1}));
  std::vector<HolderAmount> rows = AllocateDecision(3, allocation, true);
  EXPECT_EQ(Amounts(rows), (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(SideTotals(rows), (std::vector<SideAmount>{{"JP", 3}, {"MN", 0}}));
}

TEST(AllocateDecision, RepeatedPairsAreOneHolderAndAMissingGojIsAdded) {
  std::vector<Share> allocation = {
      {"MN", "tenuun", 3000}, {"JP", "sharp", 4000}, {"MN", "tenuun", 3000}};
  std::vector<HolderAmount> rows = AllocateDecision(11, allocation, true);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].holder, "tenuun");
  EXPECT_EQ(rows[2].side, "JP");
  EXPECT_EQ(rows[2].holder, kGovernmentHolder);
  EXPECT_EQ(rows[2].amount_tco2e, 6);
  EXPECT_EQ(rows[0].amount_tco2e + rows[1].amount_tco2e, 5);
}

// One stage, not two: splitting the side's total again among its holders can round differently.
TEST(HoldersOfSide, DerivedSidesKeepTheOneStageRows) {
  std::vector<Share> allocation = {{"JP", "a", 6949}, {"MN", "b", 9271}, {"JP", "c", 593}};
  std::vector<HolderAmount> rows = AllocateDecision(754, allocation, false);
  EXPECT_EQ(Amounts(rows), (std::vector<int64_t>{312, 416, 26}));
  std::vector<SideAmount> sides = SideTotals(rows);
  EXPECT_EQ(sides, (std::vector<SideAmount>{{"JP", 338}, {"MN", 416}}));
  EXPECT_EQ(Amounts(HoldersOfSide(754, sides, "JP", allocation, false)),
            (std::vector<int64_t>{312, 26}));
  // Two-stage rounding of the same side amount gives 311/27.
  EXPECT_EQ(Amounts(SplitSideByHolder(338, "JP", allocation)), (std::vector<int64_t>{311, 27}));
}

TEST(HoldersOfSide, HoldersSumToTheNotifiedSideAmount) {
  std::mt19937_64 random(3);
  for (int k = 0; k < 20'000; ++k) {
    const bool subsidised = random() % 2 == 0;
    const std::vector<Share> table = RandomTable(random, subsidised);
    const int64_t total = static_cast<int64_t>(random() % 1'000'000);
    std::vector<HolderAmount> rows = AllocateDecision(total, table, subsidised);
    for (const SideAmount& side : SideTotals(rows)) {
      std::vector<HolderAmount> holders =
          HoldersOfSide(total, SideTotals(rows), side.side, table, subsidised);
      std::vector<HolderAmount> expected;
      std::copy_if(rows.begin(), rows.end(), std::back_inserter(expected),
                   [&](const HolderAmount& r) { return r.side == side.side; });
      ASSERT_EQ(Amounts(holders), Amounts(expected));
    }
  }
}

TEST(HoldersOfSide, SidesTheJcFixedAreSplitWithinTheSide) {
  std::vector<Share> allocation = {{"JP", "government", 5000},
                                   {"JP", "sharp", 3000},
                                   {"MN", "government", 1000},
                                   {"MN", "tenuun", 1000}};
  // The JC notified 600 + 401 of 1001: JP's 600 split 5:3 would give the GoJ 375, below
  // ceil(1001 / 2) = 501, so the GoJ gets 501.
  std::vector<SideAmount> notified = {{"JP", 600}, {"MN", 401}};
  EXPECT_EQ(Amounts(HoldersOfSide(1001, notified, "JP", allocation, true)),
            (std::vector<int64_t>{501, 99}));
  EXPECT_EQ(Amounts(HoldersOfSide(1001, notified, "JP", allocation, false)),
            (std::vector<int64_t>{375, 225}));
  EXPECT_EQ(Amounts(HoldersOfSide(1001, notified, "MN", allocation, true)),
            (std::vector<int64_t>{201, 200}));
  EXPECT_TRUE(HoldersOfSide(1001, notified, "VN", allocation, true).empty());
  EXPECT_TRUE(HoldersOfSide(1001, notified, "JP", {}, true).empty());
}

TEST(HoldersOfSide, OfADecidedPeriod) {
  Project project;
  project.funding = FundingSource::kMoejSubsidy;
  project.allocation = {{"JP", "government", 5000}, {"JP", "sharp", 2500}, {"MN", "t", 2500}};
  MonitoringPeriodState period;
  period.decided_tco2e = 3;
  period.sides = {{"JP", 3, std::nullopt, ""}, {"MN", 0, std::nullopt, ""}};
  EXPECT_EQ(Amounts(HoldersOfSide(project, period, "JP")), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(Amounts(HoldersOfSide(project, period, "MN")), (std::vector<int64_t>{0}));
}

// ---- SplitByWeights and SplitSideByHolder ----------------------------------------------------

TEST(SplitByWeights, ExactSharesNeedNoRounding) {
  std::vector<int64_t> weights = {2000, 8000};
  EXPECT_EQ(SplitByWeights(100, weights), (std::vector<int64_t>{20, 80}));
}

TEST(SplitByWeights, LeftoverGoesToLargestRemainder) {
  // 30312 × 20 % = 6062.4, × 80 % = 24249.6: the one leftover unit goes to the .6.
  std::vector<int64_t> weights = {2000, 8000};
  EXPECT_EQ(SplitByWeights(30312, weights), (std::vector<int64_t>{6062, 24250}));
}

TEST(SplitByWeights, TiesGoToThePartListedFirst) {
  std::vector<int64_t> weights = {5000, 5000};
  EXPECT_EQ(SplitByWeights(1, weights), (std::vector<int64_t>{1, 0}));
  std::vector<int64_t> thirds = {1, 1, 1};
  EXPECT_EQ(SplitByWeights(2, thirds), (std::vector<int64_t>{1, 1, 0}));
}

TEST(SplitByWeights, HugeTotalsDoNotOverflow) {
  std::vector<int64_t> weights = {3333, 3333, 3334};
  int64_t total = int64_t{1} << 62;
  std::vector<int64_t> parts = SplitByWeights(total, weights);
  EXPECT_EQ(parts[0] + parts[1] + parts[2], total);
}

TEST(SplitSideByHolder, SplitsOneSideAmongItsHolders) {
  std::vector<Share> allocation = {{"JP", "government", 5000},
                                   {"MN", "government", 1000},
                                   {"JP", "sharp", 3000},
                                   {"MN", "tenuun", 1000}};
  std::vector<HolderAmount> jp = SplitSideByHolder(801, "JP", allocation);
  ASSERT_EQ(jp.size(), 2u);
  EXPECT_EQ(jp[0].holder, "government");
  EXPECT_EQ(jp[0].side, "JP");
  EXPECT_EQ(jp[0].amount_tco2e, 501);  // 500.625 (larger remainder than 300.375)
  EXPECT_EQ(jp[1].amount_tco2e, 300);
  EXPECT_TRUE(SplitSideByHolder(5, "VN", allocation).empty());
}

}  // namespace
}  // namespace jcm::cycle
