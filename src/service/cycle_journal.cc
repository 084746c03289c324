#include "service/internal/cycle_journal.h"

#include <algorithm>

#include "core/sha256.h"
#include "cycle/codec.h"

namespace jcm::service::internal {
namespace {

// `body` with `field` set to `value` in place (appended when absent).
core::Record WithField(const core::Record& body, std::string_view field, const std::string& value) {
  core::Record out;
  bool set = false;
  for (const auto& [key, old] : body.fields()) {
    const bool replace = !set && key == field;
    out.Add(key, replace ? value : old);
    set = set || replace;
  }
  if (!set) out.Add(field, value);
  return out;
}

}  // namespace

std::string RequestSha256(const cycle::Command& command) {
  const cycle::EncodedEvent encoded =
      cycle::EncodeEvent(cycle::Event{command.actor, command.payload});
  return core::Sha256Hex(encoded.kind + "\n" + encoded.body.Encode());
}

CycleEventResult EventResultOf(const ledger::JournalEntry& entry, bool replayed) {
  return CycleEventResult{entry.seq, entry.kind, entry.time, entry.hash, replayed, entry.body};
}

Rejection KeyReused(const std::string& key, int64_t seq) {
  return FromLedger(ledger::Rejection{ledger::CheckCode::kIdempotencyKeyReused,
                                      "idempotency key '" + key +
                                          "' was already used for a different request (entry " +
                                          std::to_string(seq) + ")"});
}

std::optional<Rejection> JudgeMrvForProject(const cycle::State& state, const std::string& project,
                                            const MrvResult& mrv) {
  const cycle::Project* p = state.FindProject(project);
  const std::string methodology = mrv.methodology.CycleForm();
  if (p != nullptr && std::find(p->methodologies.begin(), p->methodologies.end(), methodology) ==
                          p->methodologies.end()) {
    return FromService(
        ServiceCheck::kMrvMethodologyNotOfProject,
        "the MRV result uses " + methodology + ", not a methodology of project " + project);
  }
  return JudgeMrvResult(mrv);
}

std::string DecisionReference(const std::string& reference, const cycle::MonitoringPeriodState& m) {
  return reference + ":" + m.period.ToString() + "@" +
         (m.decision_date ? m.decision_date->ToString() : std::string("?"));
}

core::Result<std::string> GovernmentHoldingAccount(store::Store& store, const std::string& registry,
                                                   bool create) {
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> registries, store.ListRegistries());
  if (std::find(registries.begin(), registries.end(), registry) == registries.end()) {
    if (!create) return core::FailedPrecondition("registry " + registry + " is not initialised");
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
  return core::DataLoss("registry " + registry + " has no government holding account");
}

ledger::TransactionRequest ExecutionIssuance(const std::string& reference,
                                             const cycle::MonitoringPeriodState& m,
                                             const std::string& side,
                                             std::vector<ledger::IssuanceTarget> targets,
                                             ledger::Authorization authorization) {
  ledger::TransactionRequest request;
  request.type = ledger::TransactionType::kIssuance;
  request.registry = side;
  request.project = reference;
  request.period = m.period.ToString();
  request.decision = DecisionReference(reference, m);
  request.authorization = authorization;
  request.targets = std::move(targets);
  request.idempotency_key = "cycle-execute-" + request.decision + "-" + side;
  return request;
}

// One atomic write: see ledger::ExecuteDecision. Until the ledger commits an issuance and its
// event in one write batch, they are two Submits: a crash between them leaves an issuance whose
// execution event is missing, which `jcm audit verify` reports and a retry completes (the
// issuance's key makes the retry return it instead of issuing again).
core::Result<ExecutionCommit> CommitExecution(store::Store& store,
                                              const ledger::TransactionRequest& issuance,
                                              const ledger::AppendEvent& event) {
  ExecutionCommit commit;
  JCM_ASSIGN_OR_RETURN(store::Outcome issued, store.Submit(issuance));
  if (issued.rejection) {
    commit.rejection = issued.rejection;
    return commit;
  }
  commit.issuance = issued.entry;
  ledger::AppendEvent recorded = event;
  recorded.body = WithField(event.body, "ledger_transaction", std::to_string(issued.entry.seq));
  JCM_ASSIGN_OR_RETURN(commit.event, store.Submit(recorded));
  commit.rejection = commit.event.rejection;
  return commit;
}

}  // namespace jcm::service::internal
