#include "cycle/allocation.h"

#include <numeric>

#include "core/check.h"

namespace jcm::cycle {
namespace {
// 128-bit products keep total × weight exact for any int64 total and weight.
__extension__ typedef __int128 Int128;
}  // namespace

std::vector<int64_t> SplitByWeights(int64_t total, std::span<const int64_t> weights) {
  JCM_CHECK(total >= 0, "split of a non-negative total");
  int64_t weight_sum = 0;
  for (int64_t w : weights) {
    JCM_CHECK(w >= 0, "weights are non-negative");
    weight_sum += w;
  }
  JCM_CHECK(weight_sum > 0, "weights sum to a positive number");
  std::vector<int64_t> parts(weights.size());
  std::vector<int64_t> remainders(weights.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    Int128 product = static_cast<Int128>(total) * weights[i];
    parts[i] = static_cast<int64_t>(product / weight_sum);
    remainders[i] = static_cast<int64_t>(product % weight_sum);
    assigned += parts[i];
  }
  int64_t left = total - assigned;
  JCM_CHECK(left >= 0 && left < static_cast<int64_t>(weights.size()) + 1, "floor leaves < n");
  while (left > 0) {
    size_t best = 0;
    for (size_t i = 1; i < weights.size(); ++i) {
      if (remainders[i] > remainders[best]) best = i;
    }
    parts[best] += 1;
    remainders[best] = -1;  // each part receives at most one leftover unit
    --left;
  }
  JCM_CHECK(std::accumulate(parts.begin(), parts.end(), int64_t{0}) == total,
            "parts sum to the total");
  return parts;
}

std::vector<SideAmount> SplitBySide(int64_t total, const std::vector<Share>& allocation) {
  std::vector<SideAmount> sides;
  std::vector<int64_t> weights;
  for (const Share& share : allocation) {
    size_t i = 0;
    while (i < sides.size() && sides[i].side != share.side) ++i;
    if (i == sides.size()) {
      sides.push_back({share.side, 0});
      weights.push_back(0);
    }
    weights[i] += share.share_bp;
  }
  std::vector<int64_t> parts = SplitByWeights(total, weights);
  for (size_t i = 0; i < sides.size(); ++i) sides[i].amount_tco2e = parts[i];
  return sides;
}

std::vector<HolderAmount> SplitSideByHolder(int64_t amount_tco2e, std::string_view side,
                                            const std::vector<Share>& allocation) {
  std::vector<HolderAmount> holders;
  std::vector<int64_t> weights;
  for (const Share& share : allocation) {
    if (share.side != side) continue;
    holders.push_back({share.holder, 0});
    weights.push_back(share.share_bp);
  }
  if (holders.empty()) return holders;
  int64_t weight_sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
  if (weight_sum == 0) return {};
  std::vector<int64_t> parts = SplitByWeights(amount_tco2e, weights);
  for (size_t i = 0; i < holders.size(); ++i) holders[i].amount_tco2e = parts[i];
  return holders;
}

}  // namespace jcm::cycle
