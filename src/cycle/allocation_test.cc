#include "cycle/allocation.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace jcm::cycle {
namespace {

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

TEST(SplitByWeights, AlwaysSumsToTotalAndStaysWithinOneOfExact) {
  std::mt19937_64 random(42);
  for (int round = 0; round < 2000; ++round) {
    size_t n = 1 + random() % 5;
    std::vector<int64_t> weights(n);
    for (auto& w : weights) w = static_cast<int64_t>(random() % 10'000);
    weights[0] += 1;
    int64_t total = static_cast<int64_t>(random() % 1'000'000);
    std::vector<int64_t> parts = SplitByWeights(total, weights);
    ASSERT_EQ(std::accumulate(parts.begin(), parts.end(), int64_t{0}), total);
    int64_t sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
    for (size_t i = 0; i < n; ++i) {
      // |part - total × weight / sum| < 1, in integers: |part × sum - total × weight| < sum.
      const int64_t distance = parts[i] * sum - total * weights[i];
      EXPECT_LT(std::abs(distance), sum);
    }
  }
}

TEST(SplitByWeights, HugeTotalsDoNotOverflow) {
  std::vector<int64_t> weights = {3333, 3333, 3334};
  int64_t total = int64_t{1} << 62;
  std::vector<int64_t> parts = SplitByWeights(total, weights);
  EXPECT_EQ(parts[0] + parts[1] + parts[2], total);
}

TEST(SplitBySide, GroupsHoldersBySideInFirstAppearanceOrder) {
  std::vector<Share> allocation = {{"JP", "government", 5000},
                                   {"MN", "government", 1000},
                                   {"JP", "sharp", 3000},
                                   {"MN", "tenuun", 1000}};
  std::vector<SideAmount> sides = SplitBySide(1001, allocation);
  ASSERT_EQ(sides.size(), 2u);
  EXPECT_EQ(sides[0].side, "JP");
  EXPECT_EQ(sides[0].amount_tco2e, 801);  // 800.8 → 800 + the leftover unit
  EXPECT_EQ(sides[1].side, "MN");
  EXPECT_EQ(sides[1].amount_tco2e, 200);

  std::vector<HolderAmount> jp = SplitSideByHolder(801, "JP", allocation);
  ASSERT_EQ(jp.size(), 2u);
  EXPECT_EQ(jp[0].amount_tco2e + jp[1].amount_tco2e, 801);
  EXPECT_EQ(jp[0].holder, "government");
  EXPECT_EQ(jp[0].amount_tco2e, 501);  // 500.625 (larger remainder than 300.375)
  EXPECT_TRUE(SplitSideByHolder(5, "VN", allocation).empty());
}

}  // namespace
}  // namespace jcm::cycle
