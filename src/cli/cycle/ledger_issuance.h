// Internal to the cycle CLI: executing a JC issuance decision on one side's ledger.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "cycle/state.h"
#include "ledger/check_code.h"
#include "ledger/types.h"
#include "store/store.h"

namespace jcm::cli::cycle_cli {

struct LedgerIssuance {
  std::optional<ledger::Rejection> rejection;
  int64_t seq = 0;  // the ledger transaction's journal entry
};

// The registry's government holding account; with create, initialises the registry if absent.
core::Result<std::string> GovernmentHoldingAccount(store::Store& store, const std::string& registry,
                                                   bool create);

// "MN003:2017-08-26..2018-05-31@2018-11-06": what a ledger issuance cites as its JC decision.
std::string DecisionReference(const std::string& reference, const cycle::MonitoringPeriodState& m);

// Submits the issuance (idempotent: the key is derived from decision and side).
core::Result<LedgerIssuance> IssueOnLedger(store::Store& store, const std::string& reference,
                                           const cycle::MonitoringPeriodState& m,
                                           const std::string& side,
                                           const std::vector<ledger::IssuanceTarget>& targets,
                                           ledger::Authorization authorization);

}  // namespace jcm::cli::cycle_cli
