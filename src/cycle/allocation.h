// Splitting an integer number of credits by shares (basis points), exactly.
//
// Rounding rule (largest remainder, docs/cycle.md): each part first gets
// floor(total × share / sum_of_shares); the units left over (fewer than the number of parts)
// go one each to the parts with the largest remainders, ties to the part listed first.
// The parts always sum to `total`, and no part differs from its exact share by 1 or more.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cycle/command.h"

namespace jcm::cycle {

// REQUIRES: total >= 0; every weight >= 0; sum of weights > 0; total × weight fits in int64.
std::vector<int64_t> SplitByWeights(int64_t total, std::span<const int64_t> weights);

// Per-side amounts of `total` by an allocation's shares (sides in order of first appearance).
// REQUIRES: the allocation sums to a positive number of basis points.
std::vector<SideAmount> SplitBySide(int64_t total, const std::vector<Share>& allocation);

struct HolderAmount {
  std::string holder;
  int64_t amount_tco2e = 0;
};

// Splits one side's notified amount among that side's holders, by their shares.
// Empty when the allocation has no share for `side`.
std::vector<HolderAmount> SplitSideByHolder(int64_t amount_tco2e, std::string_view side,
                                            const std::vector<Share>& allocation);

}  // namespace jcm::cycle
