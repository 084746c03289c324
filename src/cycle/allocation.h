// Splitting a JC issuance decision's credits among the allocation's holders, exactly.
//
// Rounding rule (docs/cycle.md, "Allocation rounding rule"): ONE rounding stage over every
// (side, holder) of the allocation, then one correction.
//  1. Largest remainder. Each holder first gets floor(total × share / sum_of_shares); the units
//     left over (fewer than the number of holders) go one each to the holders with the largest
//     remainders, ties to the holder listed first. Each holder is then less than one unit away
//     from its exact share.
//  2. The Government of Japan's floor. For a subsidised project (IsSubsidised: the MOEJ subsidy
//     obliges at least half of the credits to the Government of Japan), the holder
//     kGovernmentHolder of side "JP" receives max(its step-1 amount, ceil(total / 2)). The
//     missing units are taken one at a time from the other holder whose amount most exceeds its
//     exact share (amount − total × share / sum), ties to the holder listed last, never below 0.
//     With the ≥ 50 % share that check 135 demands at registration this moves at most one unit.
// A side's amount is the sum of its holders': per-side and per-holder amounts cannot disagree.
// Integer arithmetic only (128-bit products): every result is exact and deterministic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cycle/command.h"
#include "cycle/state.h"

namespace jcm::cycle {

// Step 1 alone over plain weights: the parts sum to `total`, each within one unit of exact.
// REQUIRES: total >= 0; every weight >= 0; 0 < sum of weights <= INT64_MAX.
std::vector<int64_t> SplitByWeights(int64_t total, std::span<const int64_t> weights);

// One row of an allocated decision.
struct HolderAmount {
  std::string holder;
  int64_t amount_tco2e = 0;
  // The registry code. Last and initialised, so that {holder, amount} initialisers (written
  // before this field existed) stay valid, also under -Wmissing-field-initializers.
  std::string side = {};
};

// The rule above: one row per distinct (side, holder) of `allocation`, in order of first
// appearance (a pair listed twice is one holder with the summed share), followed by a
// (JP, government) row when `subsidised` and the allocation has none. The rows sum to `total`.
// REQUIRES: total >= 0; shares >= 0 and summing to a positive number (at most INT64_MAX).
std::vector<HolderAmount> AllocateDecision(int64_t total, const std::vector<Share>& allocation,
                                           bool subsidised);

// Per-side sums of `rows`, sides in order of first appearance.
std::vector<SideAmount> SideTotals(const std::vector<HolderAmount>& rows);

// The rows of `side` in a decision of `total` credits notified per side as `notified`:
//  - when `notified` are the side totals of AllocateDecision (always so when the JC left the
//    split to the allocation), that allocation's rows for `side`, so the holders sum exactly
//    to the side's notified amount;
//  - otherwise (the JC fixed its own per-side amounts), the side's notified amount split among
//    the side's holders by the same rule, the Government of Japan's floor on side JP being
//    min(that amount, ceil(total / 2)).
// Empty when the allocation has no positive share (none at all for imported projects), and in
// the second case when it has none on `side`.
std::vector<HolderAmount> HoldersOfSide(int64_t total, const std::vector<SideAmount>& notified,
                                        std::string_view side, const std::vector<Share>& allocation,
                                        bool subsidised);

// HoldersOfSide for a decided monitoring period of `project` (its allocation and funding).
std::vector<HolderAmount> HoldersOfSide(const Project& project, const MonitoringPeriodState& period,
                                        std::string_view side);

// Splits `amount_tco2e` of one side among that side's holders by the rule above applied within
// the side, without the Government of Japan's floor (which is defined on a decision's total).
// Empty when the allocation's shares on `side` sum to 0. The amount of a decided side may
// differ from what the one-stage rule gives this way: for that, call HoldersOfSide.
std::vector<HolderAmount> SplitSideByHolder(int64_t amount_tco2e, std::string_view side,
                                            const std::vector<Share>& allocation);

}  // namespace jcm::cycle
