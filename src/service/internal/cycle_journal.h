// Internal to src/service: how the cycle use cases meet the journal and the ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "cycle/command.h"
#include "cycle/state.h"
#include "ledger/decide.h"
#include "service/cycle_service.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service::internal {

// Journaled beside an event appended with a caller's idempotency key: the key and the digest
// of the request it is bound to (docs/formats/journal.md).
inline constexpr std::string_view kRequestKeyField = "request.key";
inline constexpr std::string_view kRequestSha256Field = "request.sha256";

// The idempotency key of an event appended without a caller's key: its content (kind and body
// as encoded, before the ledger adds the JC decisions it records), so that the same event is
// journaled once (docs/formats/journal.md). The audit derives it back from the journal (INV-13).
std::string ContentKey(std::string_view kind, const core::Record& body);

// The idempotency key of the ledger issuance executing one side of a decision starts so.
inline constexpr std::string_view kExecutionKeyPrefix = "cycle-execute-";

// SHA-256 of a command as asked (actor and payload before Decide derives anything).
std::string RequestSha256(const cycle::Command& command);

CycleEventResult EventResultOf(const ledger::JournalEntry& entry, bool replayed);

// Check 1: `key` was used for a different request (the entry it produced).
Rejection KeyReused(const std::string& key, int64_t seq);

// Checks 200–202 of an MRV result offered for a monitoring report of `project`.
std::optional<Rejection> JudgeMrvForProject(const cycle::State& state, const std::string& project,
                                            const MrvResult& mrv);

// "MN003:2017-08-26..2018-05-31@2018-11-06": a JC decision's id, recorded in the ledger with
// the decision and cited by every issuance that executes it.
std::string DecisionId(const std::string& reference, const core::Period& period,
                       const std::string& decided_on);
// The id of the decision on a decided monitoring period (DecisionId of its decision date).
std::string DecisionReference(const std::string& reference, const cycle::MonitoringPeriodState& m);

// The registry's government holding account; with `create`, initialises the registry if absent.
core::Result<std::string> GovernmentHoldingAccount(store::Store& store, const std::string& registry,
                                                   bool create);

// The ledger issuance executing one side of a decision (idempotent per decision and side).
ledger::TransactionRequest ExecutionIssuance(const std::string& reference,
                                             const cycle::MonitoringPeriodState& m,
                                             const std::string& side,
                                             std::vector<ledger::IssuanceTarget> targets,
                                             ledger::Authorization authorization);

struct ExecutionCommit {
  std::optional<ledger::Rejection> rejection;  // set: the execution did not happen
  ledger::JournalEntry issuance;
  store::Outcome event;
};

// Commits an issuance and the event recording it, whose field "ledger_transaction" receives the
// issuance's seq, in one write (ledger::ExecuteDecision).
core::Result<ExecutionCommit> CommitExecution(store::Store& store,
                                              const ledger::TransactionRequest& issuance,
                                              const ledger::AppendEvent& event);

// The JC decisions an accepted event records in the ledger (a `DecideIssuance`, or the import's
// `RecordIssuanceDecision` of the public record: one per side with a positive amount, id as
// DecisionReference gives it once the event is applied); empty for every other event.
std::vector<ledger::JcDecision> DecisionsRecorded(const cycle::State& state,
                                                  const cycle::Event& event);

}  // namespace jcm::service::internal
