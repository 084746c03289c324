#include "service/internal/cycle_journal.h"

#include <algorithm>

#include "core/sha256.h"
#include "cycle/codec.h"

namespace jcm::service::internal {

std::string ContentKey(std::string_view kind, const core::Record& body) {
  return "cycle-" + core::Sha256Hex(std::string(kind) + "\n" + body.Encode());
}

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

std::string DecisionId(const std::string& reference, const core::Period& period,
                       const std::string& decided_on) {
  return reference + ":" + period.ToString() + "@" + decided_on;
}

std::string DecisionReference(const std::string& reference, const cycle::MonitoringPeriodState& m) {
  return DecisionId(reference, m.period,
                    m.decision_date ? m.decision_date->ToString() : std::string("?"));
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
  request.idempotency_key = std::string(kExecutionKeyPrefix) + request.decision + "-" + side;
  return request;
}

// One atomic write: see ledger::ExecuteDecision. The issuance and the event recording it are
// both journaled, or neither (a crash, a rejection or a stale cycle state leaves nothing).
core::Result<ExecutionCommit> CommitExecution(store::Store& store,
                                              const ledger::TransactionRequest& issuance,
                                              const ledger::AppendEvent& event) {
  ExecutionCommit commit;
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(ledger::ExecuteDecision{
                                                   issuance, event, "ledger_transaction"}));
  if (outcome.rejection) {
    commit.rejection = outcome.rejection;
    return commit;
  }
  commit.issuance = outcome.entry;
  commit.event.replayed = outcome.replayed;
  if (outcome.follow_entry) {
    commit.event.entry = *outcome.follow_entry;
    return commit;
  }
  // A retry of an execution already committed: its event is the entry right after the issuance.
  JCM_ASSIGN_OR_RETURN(
      std::vector<ledger::JournalEntry> after,
      store.ReadJournal(outcome.entry.seq + 1, std::string(cycle::kEventKindPrefix)));
  if (after.empty() || after.front().seq != outcome.entry.seq + 1) {
    return core::DataLoss("the execution event after issuance entry " +
                          std::to_string(outcome.entry.seq) + " is missing");
  }
  commit.event.entry = std::move(after.front());
  return commit;
}

std::vector<ledger::JcDecision> DecisionsRecorded(const cycle::State& state,
                                                  const cycle::Event& event) {
  return std::visit(
      [&](const auto& payload) {
        using T = std::decay_t<decltype(payload)>;
        std::vector<ledger::JcDecision> decisions;
        if constexpr (std::is_same_v<T, cycle::DecideIssuance> ||
                      std::is_same_v<T, cycle::RecordIssuanceDecision>) {
          const cycle::Project* p = state.FindProject(payload.project);
          JCM_CHECK(p != nullptr, "a decided issuance is of a known project");
          for (const cycle::SideAmount& side : payload.sides) {
            auto registry = core::RegistryCode::Parse(side.side);
            if (side.amount_tco2e <= 0 || !registry.ok()) continue;  // nothing to issue there
            ledger::JcDecision d;
            d.id = DecisionId(p->reference, payload.period, payload.date.ToString());
            d.registry = *registry;
            d.project = p->reference;
            d.period = payload.period;
            d.notified_tco2e = side.amount_tco2e;
            decisions.push_back(std::move(d));
          }
        }
        return decisions;
      },
      event.payload);
}

}  // namespace jcm::service::internal
