#include "cli/cycle/ledger_issuance.h"

#include <algorithm>

#include "ledger/decide.h"

namespace jcm::cli::cycle_cli {

core::Result<std::string> GovernmentHoldingAccount(store::Store& store, const std::string& registry,
                                                   bool create) {
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> registries, store.ListRegistries());
  if (std::find(registries.begin(), registries.end(), registry) == registries.end()) {
    if (!create) return core::NotFound("registry " + registry + " is not initialised");
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(ledger::InitRegistry{registry}));
    if (outcome.rejection) {
      return core::FailedPrecondition("cannot initialise registry " + registry + ": " +
                                      outcome.rejection->message);
    }
  }
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::Account> accounts, store.ListAccounts(registry));
  for (const ledger::Account& account : accounts) {
    if (account.type == ledger::AccountType::kGovernmentHolding) return account.number;
  }
  return core::NotFound("registry " + registry + " has no government holding account");
}

std::string DecisionReference(const std::string& reference, const cycle::MonitoringPeriodState& m) {
  return reference + ":" + m.period.ToString() + "@" +
         (m.decision_date ? m.decision_date->ToString() : std::string("?"));
}

core::Result<LedgerIssuance> IssueOnLedger(store::Store& store, const std::string& reference,
                                           const cycle::MonitoringPeriodState& m,
                                           const std::string& side,
                                           const std::vector<ledger::IssuanceTarget>& targets,
                                           ledger::Authorization authorization) {
  ledger::TransactionRequest request;
  request.type = ledger::TransactionType::kIssuance;
  request.registry = side;
  request.project = reference;
  request.period = m.period.ToString();
  request.decision = DecisionReference(reference, m);
  request.authorization = authorization;
  request.targets = targets;
  request.idempotency_key = "cycle-execute-" + request.decision + "-" + side;
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(request));
  return LedgerIssuance{std::move(outcome.rejection), outcome.entry.seq};
}

}  // namespace jcm::cli::cycle_cli
