#include "cycle/allocation.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/check.h"

namespace jcm::cycle {
namespace {

// 128-bit products keep total × weight exact for any int64 total and weight.
__extension__ typedef __int128 Int128;

constexpr size_t kNone = std::numeric_limits<size_t>::max();

Int128 FloorDiv(Int128 numerator, Int128 denominator) {
  Int128 quotient = numerator / denominator;
  if (numerator % denominator != 0 && numerator < 0) --quotient;
  return quotient;
}

int64_t WeightSum(std::span<const int64_t> weights) {
  Int128 sum = 0;
  for (int64_t w : weights) {
    JCM_CHECK(w >= 0, "weights are non-negative");
    sum += w;
  }
  JCM_CHECK(sum > 0, "weights sum to a positive number");
  JCM_CHECK(sum <= std::numeric_limits<int64_t>::max(), "weights sum within int64");
  return static_cast<int64_t>(sum);
}

// Step 2 of the rule (allocation.h): moves `missing` units to part `favoured` from the others.
//
// Taking one unit at a time from the part whose amount most exceeds its exact share takes, in
// the end, exactly the units with the largest keys, where the u-th unit of part i has the key
// u × W − total × wᵢ (W: the weight sum): how far holding u units puts the part above its exact
// share, times W. A part's keys grow with u, so its current top unit is always its largest, and
// the one-at-a-time choice is always the largest key left. Computed directly, so that the cost
// does not grow with the number of units moved: find the smallest threshold t such that at most
// `missing` keys exceed it, take every unit above t, and the rest from parts whose top unit's key
// is exactly t (at most one per part, keys being W apart), the part listed last first.
void TakeForFavoured(int64_t total, std::span<const int64_t> weights, int64_t weight_sum,
                     size_t favoured, int64_t missing, std::vector<int64_t>& parts) {
  const Int128 w_sum = weight_sum;
  auto key = [&](int64_t units, size_t i) {
    return static_cast<Int128>(units) * w_sum - static_cast<Int128>(total) * weights[i];
  };
  auto kept = [&](Int128 t, size_t i) {  // units of part i whose key is <= t
    Int128 below = FloorDiv(t + static_cast<Int128>(total) * weights[i], w_sum);
    return static_cast<int64_t>(std::clamp<Int128>(below, 0, parts[i]));
  };
  auto taken_above = [&](Int128 t) {
    Int128 taken = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i != favoured) taken += parts[i] - kept(t, i);
    }
    return taken;
  };
  // Every key lies in (−total×W − 1, total×W]: all units are above `low`, none above `high`.
  Int128 low = -static_cast<Int128>(total) * w_sum - 1;
  Int128 high = static_cast<Int128>(total) * w_sum;
  const Int128 all_units = taken_above(low);
  JCM_CHECK(all_units >= missing, "the other parts hold the missing units");
  if (all_units == missing) high = low;  // every unit of the others goes
  while (high - low > 1) {  // invariant: taken_above(low) > missing >= taken_above(high)
    Int128 middle = low + (high - low) / 2;
    if (taken_above(middle) <= missing) {
      high = middle;
    } else {
      low = middle;
    }
  }
  int64_t left = missing - static_cast<int64_t>(taken_above(high));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != favoured) parts[i] = kept(high, i);
  }
  for (size_t i = parts.size(); i-- > 0 && left > 0;) {
    if (i == favoured || parts[i] == 0 || key(parts[i], i) != high) continue;
    --parts[i];
    --left;
  }
  JCM_CHECK(left == 0, "enough units at the threshold");
  parts[favoured] += missing;
}

// Distinct (side, holder) pairs of `shares` in order of first appearance, with summed weights.
std::vector<HolderAmount> MergeHolders(const std::vector<Share>& shares,
                                       std::vector<int64_t>* weights) {
  std::vector<HolderAmount> rows;
  for (const Share& share : shares) {
    size_t i = 0;
    while (i < rows.size() && (rows[i].side != share.side || rows[i].holder != share.holder)) ++i;
    if (i == rows.size()) {
      rows.push_back({share.holder, 0, share.side});
      weights->push_back(0);
    }
    (*weights)[i] += share.share_bp;
  }
  return rows;
}

// The rule over `shares`, the Government of Japan receiving at least `goj_floor` (a row is added
// for it when it has none and `goj_row` is set).
std::vector<HolderAmount> Allocate(int64_t total, const std::vector<Share>& shares, bool goj_row,
                                   int64_t goj_floor) {
  JCM_CHECK(goj_floor >= 0 && goj_floor <= total, "the floor is part of the total");
  std::vector<int64_t> weights;
  std::vector<HolderAmount> rows = MergeHolders(shares, &weights);
  size_t goj = kNone;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].side == "JP" && rows[i].holder == kGovernmentHolder) goj = i;
  }
  if (goj == kNone && goj_row) {
    goj = rows.size();
    rows.push_back({std::string(kGovernmentHolder), 0, "JP"});
    weights.push_back(0);
  }
  const int64_t weight_sum = WeightSum(weights);
  std::vector<int64_t> parts = SplitByWeights(total, weights);
  if (goj != kNone && parts[goj] < goj_floor) {
    TakeForFavoured(total, weights, weight_sum, goj, goj_floor - parts[goj], parts);
  }
  for (size_t i = 0; i < rows.size(); ++i) rows[i].amount_tco2e = parts[i];
  return rows;
}

int64_t CeilHalf(int64_t total) { return total - total / 2; }

std::vector<Share> SharesOfSide(const std::vector<Share>& allocation, std::string_view side) {
  std::vector<Share> shares;
  for (const Share& share : allocation) {
    if (share.side == side) shares.push_back(share);
  }
  return shares;
}

int64_t ShareSum(const std::vector<Share>& shares) {
  int64_t sum = 0;
  for (const Share& share : shares) sum += share.share_bp;
  return sum;
}

int64_t AmountOf(const std::vector<SideAmount>& sides, std::string_view side) {
  int64_t amount = 0;
  for (const SideAmount& s : sides) {
    if (s.side == side) amount += s.amount_tco2e;
  }
  return amount;
}

bool SameAmounts(const std::vector<SideAmount>& a, const std::vector<SideAmount>& b) {
  for (const SideAmount& s : a) {
    if (AmountOf(b, s.side) != AmountOf(a, s.side)) return false;
  }
  for (const SideAmount& s : b) {
    if (AmountOf(a, s.side) != AmountOf(b, s.side)) return false;
  }
  return true;
}

}  // namespace

std::vector<int64_t> SplitByWeights(int64_t total, std::span<const int64_t> weights) {
  JCM_CHECK(total >= 0, "split of a non-negative total");
  const int64_t weight_sum = WeightSum(weights);
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
  JCM_CHECK(left >= 0, "floors do not exceed the total");
  JCM_CHECK(left < static_cast<int64_t>(weights.size()), "floors leave fewer units than parts");
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

std::vector<HolderAmount> AllocateDecision(int64_t total, const std::vector<Share>& allocation,
                                           bool subsidised) {
  return Allocate(total, allocation, subsidised, subsidised ? CeilHalf(total) : 0);
}

std::vector<SideAmount> SideTotals(const std::vector<HolderAmount>& rows) {
  std::vector<SideAmount> sides;
  for (const HolderAmount& row : rows) {
    size_t i = 0;
    while (i < sides.size() && sides[i].side != row.side) ++i;
    if (i == sides.size()) sides.push_back({row.side, 0});
    sides[i].amount_tco2e += row.amount_tco2e;
  }
  return sides;
}

std::vector<HolderAmount> HoldersOfSide(int64_t total, const std::vector<SideAmount>& notified,
                                        std::string_view side, const std::vector<Share>& allocation,
                                        bool subsidised) {
  if (ShareSum(allocation) <= 0) return {};
  std::vector<HolderAmount> rows = AllocateDecision(total, allocation, subsidised);
  if (SameAmounts(SideTotals(rows), notified)) {
    std::erase_if(rows, [&](const HolderAmount& row) { return row.side != side; });
    return rows;
  }
  std::vector<Share> shares = SharesOfSide(allocation, side);
  if (ShareSum(shares) <= 0) return {};
  const int64_t amount = AmountOf(notified, side);
  const bool goj_side = subsidised && side == "JP";
  return Allocate(amount, shares, goj_side, goj_side ? std::min(amount, CeilHalf(total)) : 0);
}

std::vector<HolderAmount> HoldersOfSide(const Project& project, const MonitoringPeriodState& period,
                                        std::string_view side) {
  std::vector<SideAmount> notified;
  for (const SideState& s : period.sides) notified.push_back({s.side, s.amount_tco2e});
  return HoldersOfSide(period.decided_tco2e, notified, side, project.allocation,
                       IsSubsidised(project.funding));
}

std::vector<HolderAmount> SplitSideByHolder(int64_t amount_tco2e, std::string_view side,
                                            const std::vector<Share>& allocation) {
  std::vector<Share> shares = SharesOfSide(allocation, side);
  if (ShareSum(shares) <= 0) return {};
  return Allocate(amount_tco2e, shares, /*goj_row=*/false, /*goj_floor=*/0);
}

}  // namespace jcm::cycle
