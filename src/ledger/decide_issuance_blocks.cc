// The blocks an issuance creates: one per target and vintage year (docs/article6.md,
// "Vintages"), with the ITMO identifier parts when the units cite an authorisation
// ("ITMO identifiers"). Checks 622 and 623 on the decision's amounts per vintage.
#include <algorithm>
#include <span>

#include "ledger/decide_internal.h"

namespace jcm::ledger {
namespace {

Rejection Reject(CheckCode code, std::string message) { return {code, std::move(message)}; }

// Checks 622, 623 on amounts given by the service (from the MRV report).
std::optional<Rejection> CheckGivenVintages(std::span<const VintageAmount> given,
                                            const core::Period& period, int64_t total) {
  int64_t previous_year = 0;
  int64_t sum = 0;
  for (const VintageAmount& v : given) {
    if (v.year < period.start.year() || v.year > period.end.year() || v.year <= previous_year ||
        v.tco2e < 0 || v.tco2e > kSerialMax) {
      return Reject(CheckCode::kVintageYearsInvalid,
                    "vintage " + std::to_string(v.year) + " (" + std::to_string(v.tco2e) +
                        " tCO2e) is not a calendar year of the period " + period.ToString() +
                        " in order, with a non-negative amount");
    }
    previous_year = v.year;
    sum += v.tco2e;
  }
  if (sum != total) {
    return Reject(CheckCode::kVintageAmountsMismatch,
                  "the amounts per vintage sum to " + std::to_string(sum) +
                      " tCO2e, not the decision's " + std::to_string(total));
  }
  return std::nullopt;
}

}  // namespace

std::variant<Rejection, std::vector<VintageAmount>> DecisionVintages(const TransactionRequest& r,
                                                                     const core::Period& period,
                                                                     int64_t total) {
  if (r.vintages.empty()) return SplitByDays(period, total);
  if (auto rejection = CheckGivenVintages(r.vintages, period, total)) return *rejection;
  return r.vintages;
}

std::variant<Rejection, IssuedBlocksPlan> PlanIssuedBlocks(const TransactionRequest& r,
                                                           const core::RegistryCode& registry,
                                                           std::span<const JcDecision> executed,
                                                           int64_t quantity) {
  IssuedBlocksPlan plan;
  plan.registry = registry;
  plan.period = *core::Period::Parse(r.period);
  // The decision's units are laid out vintage after vintage; this issuance takes the next ones.
  const bool executes = !executed.empty();
  auto vintages =
      DecisionVintages(r, plan.period, executes ? executed[0].notified_tco2e : quantity);
  if (auto* rejection = std::get_if<Rejection>(&vintages)) return *rejection;
  plan.vintages = std::move(std::get<std::vector<VintageAmount>>(vintages));
  plan.issued_before = executes ? executed[0].executed_tco2e - quantity : 0;
  return plan;
}

std::vector<UnitBlock> IssuedBlocks(const TransactionRequest& r, const IssuedBlocksPlan& plan,
                                    int64_t* next_id, int64_t* next_itmo) {
  // What is left of each vintage once the units issued before under the decision are taken,
  // earliest year first.
  std::vector<VintageAmount> left = plan.vintages;
  int64_t skip = plan.issued_before;
  for (VintageAmount& v : left) {
    const int64_t taken = std::min(skip, v.tco2e);
    v.tco2e -= taken;
    skip -= taken;
  }
  std::vector<UnitBlock> blocks;
  int64_t serial = plan.first_serial;
  size_t year = 0;
  for (const IssuanceTarget& target : r.targets) {
    for (int64_t due = target.quantity; due > 0;) {
      while (year < left.size() && left[year].tco2e == 0) ++year;
      JCM_CHECK(year < left.size(), "the vintages cover every unit issued (622, INV-11)");
      UnitBlock block;
      block.id = (*next_id)++;
      block.registry = plan.registry;
      block.serial_first = serial;
      block.unit_count = std::min(due, left[year].tco2e);
      block.account = target.account;
      block.project = r.project;
      block.monitoring_period = plan.period;
      block.issuance_number = plan.issuance_number;
      block.authorization = r.authorization;
      block.imported = !r.import_source.empty();
      block.vintage = left[year].year;
      block.created_seq = plan.seq;
      if (!r.article6_authorisation.empty()) {
        block.article6_authorisation = r.article6_authorisation;
        GiveItmoIds(r, &block, next_itmo);
      }
      left[year].tco2e -= block.unit_count;
      due -= block.unit_count;
      serial += block.unit_count;
      blocks.push_back(std::move(block));
    }
  }
  return blocks;
}

void GiveItmoIds(const TransactionRequest& r, UnitBlock* block, int64_t* next_itmo) {
  block->cooperative_approach = r.article6_cooperative_approach;
  block->itmo_registry = ItmoRegistryId(block->registry);
  block->itmo_first = *next_itmo;
  *next_itmo += block->unit_count;
  if (r.article6_first_transfer_now) MarkFirstTransferred(block);
}

}  // namespace jcm::ledger
