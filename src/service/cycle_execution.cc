// The execution of a Joint Committee issuance decision on one side, and the public-data import
// (whose executed decisions are issued the same way).
#include <map>

#include "core/record.h"
#include "core/sha256.h"
#include "cycle/allocation.h"
#include "cycle/decide.h"
#include "service/cycle_service.h"
#include "service/internal/append_attempts.h"
#include "service/internal/cycle_journal.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

using ExecutionOutcome = OrRejection<ExecutionResult>;

int64_t SideAmount(const cycle::MonitoringPeriodState& m, const std::string& side) {
  for (const cycle::SideState& s : m.sides) {
    if (s.side == side) return s.amount_tco2e;
  }
  return 0;
}

// The ledger targets of one side: the allocation's holders on that side, "government" being the
// registry's government holding account unless mapped, every other holder mapped to an account.
// Without an allocation (imported projects) the side's amount goes to the government account.
// The holders' amounts are the decision's own one-stage allocation (cycle/allocation.h), so a
// side's holders receive exactly what the decision gave them.
core::Result<std::vector<ledger::IssuanceTarget>> Targets(
    store::Store& store, const cycle::Project& p, const cycle::MonitoringPeriodState& m,
    const std::string& side, int64_t amount, const std::map<std::string, std::string>& accounts) {
  std::vector<cycle::HolderAmount> holders = cycle::HoldersOfSide(p, m, side);
  if (holders.empty()) holders.push_back({std::string(cycle::kGovernmentHolder), amount});
  std::vector<ledger::IssuanceTarget> targets;
  for (const cycle::HolderAmount& h : holders) {
    if (h.amount_tco2e == 0) continue;
    std::string account;
    if (auto it = accounts.find(h.holder); it != accounts.end()) {
      account = it->second;
    } else if (h.holder == cycle::kGovernmentHolder) {
      JCM_ASSIGN_OR_RETURN(account,
                           internal::GovernmentHoldingAccount(store, side, /*create=*/false));
    } else {
      return core::InvalidArgument("no account for holder '" + h.holder + "': add --to '" +
                                   h.holder + "=ACCOUNT'");
    }
    targets.push_back({account, h.amount_tco2e});
  }
  return targets;
}

// What a key is bound to for an execution: the cycle command and the ledger's side of it.
std::string ExecutionRequestSha256(const cycle::Command& command, const ExecutionRequest& r) {
  std::string text = internal::RequestSha256(command);
  text += "\nauthorization=" + std::string(ledger::AuthorizationName(r.authorization));
  for (const auto& [holder, account] : r.holder_accounts) text += "\nto=" + holder + "=" + account;
  return core::Sha256Hex(text);
}

cycle::Command ExecutionCommand(const ExecutionRequest& r) {
  cycle::ExecuteIssuance exec;
  exec.project = r.project;
  exec.period = r.period;
  exec.side = r.registry;
  exec.date = r.date;
  return cycle::Command{cycle::Actor{cycle::Role::kRegistryManager, r.registry}, exec};
}

}  // namespace

core::Result<OrRejection<ExecutionResult>> CycleService::ExecuteIssuanceDecision(
    const ExecutionRequest& request) {
  JCM_RETURN_IF_ERROR(Refresh());
  const std::string request_sha256 =
      request.idempotency_key.empty() ? ""
                                      : ExecutionRequestSha256(ExecutionCommand(request), request);
  for (int attempt = 0;; ++attempt) {
    JCM_ASSIGN_OR_RETURN(ExecutionOutcome outcome, Execute(request, request_sha256));
    const auto* rejection = std::get_if<Rejection>(&outcome);
    const bool moved = rejection != nullptr &&
                       rejection->check == static_cast<int>(ledger::CheckCode::kEventFamilyMoved);
    if (!moved || attempt + 1 >= kAppendAttempts) return outcome;
    JCM_RETURN_IF_ERROR(Refresh());  // another process journaled a cycle event: decide again
  }
}

core::Result<OrRejection<ExecutionResult>> CycleService::Execute(
    const ExecutionRequest& request, const std::string& request_sha256) {
  ExecutionResult result;
  if (auto replayed = Replayed(request.idempotency_key, request_sha256)) {
    if (auto* rejection = std::get_if<Rejection>(&*replayed)) return ExecutionOutcome(*rejection);
    result.event = std::get<CycleEventResult>(std::move(*replayed));
    const auto seq = core::ParseInt64(result.event.fields.Find("ledger_transaction").value_or(""));
    result.transaction_seq = seq.value_or(0);
  }
  const bool replay = result.event.seq != 0;
  const cycle::Command command = ExecutionCommand(request);
  cycle::Event event{command.actor, command.payload};
  if (!replay) {
    cycle::Outcome decided = cycle::Decide(state_, command, request.today);
    if (auto* rejection = std::get_if<cycle::Rejection>(&decided)) {
      return ExecutionOutcome(FromCycle(*rejection));
    }
    event = std::get<cycle::Event>(std::move(decided));
  }
  const cycle::Project& p = *state_.FindProject(request.project);
  const cycle::MonitoringPeriodState& m = *p.FindPeriod(request.period);
  result.decision = internal::DecisionReference(p.reference, m);
  result.quantity = SideAmount(m, request.registry);
  JCM_ASSIGN_OR_RETURN(result.targets, Targets(store_, p, m, request.registry, result.quantity,
                                               request.holder_accounts));
  if (replay) return ExecutionOutcome(std::move(result));
  Pending pending{std::move(event), request.idempotency_key, request_sha256};
  const ledger::TransactionRequest issuance = internal::ExecutionIssuance(
      p.reference, m, request.registry, result.targets, request.authorization);
  JCM_ASSIGN_OR_RETURN(internal::ExecutionCommit commit,
                       internal::CommitExecution(store_, issuance, ToAppend(pending)));
  if (commit.rejection) return ExecutionOutcome(FromLedger(*commit.rejection));
  result.transaction_seq = commit.issuance.seq;
  std::get<cycle::ExecuteIssuance>(pending.event.payload).ledger_transaction =
      std::to_string(commit.issuance.seq);
  result.event = Applied(pending, commit.event);
  return ExecutionOutcome(std::move(result));
}

core::Status CycleService::AppendImported(const cycle::import::ImportResult& imported,
                                          int64_t* executed) {
  JCM_CHECK(imported.event_sources.size() == imported.events.size(), "every event has its row");
  for (size_t i = 0; i < imported.events.size(); ++i) {
    Pending pending{imported.events[i], "", ""};
    store::Outcome outcome;
    if (auto* exec = std::get_if<cycle::ExecuteIssuance>(&pending.event.payload)) {
      const cycle::Project* p = state_.FindProject(exec->project);
      JCM_CHECK(p != nullptr, "import executes decisions of known projects");
      const cycle::MonitoringPeriodState* m = p->FindPeriod(exec->period);
      JCM_CHECK(m != nullptr, "import executes known decisions");
      // Imported decisions carry no allocation: the side's units go to its government account.
      JCM_ASSIGN_OR_RETURN(std::string account,
                           internal::GovernmentHoldingAccount(store_, exec->side, /*create=*/true));
      // A historical issuance: it executes the decision of the public record (recorded by the
      // import) and names the row it comes from as its evidence.
      ledger::TransactionRequest issuance = internal::ExecutionIssuance(
          p->reference, *m, exec->side, {{account, SideAmount(*m, exec->side)}},
          ledger::Authorization::kNone);
      issuance.import_source = imported.event_sources[i].file;
      issuance.import_line = imported.event_sources[i].line;
      JCM_ASSIGN_OR_RETURN(internal::ExecutionCommit commit,
                           internal::CommitExecution(store_, issuance, ToAppend(pending)));
      if (commit.rejection) {
        return core::FailedPrecondition("the execution of " + p->reference + " " +
                                        exec->period.ToString() + " in " + exec->side +
                                        " was rejected: " + commit.rejection->message);
      }
      exec->ledger_transaction = std::to_string(commit.issuance.seq);
      outcome = commit.event;
      ++*executed;
    } else {
      JCM_ASSIGN_OR_RETURN(outcome, store_.Submit(ToCommand(pending)));
      if (outcome.rejection) {
        return core::FailedPrecondition("the journal refused an imported event: " +
                                        outcome.rejection->message);
      }
    }
    Applied(pending, outcome);
  }
  return core::OkStatus();
}

core::Result<ImportReport> CycleService::ImportJcmData(const cycle::import::JcmDataFiles& files,
                                                       core::Date today) {
  JCM_RETURN_IF_ERROR(Refresh());
  const cycle::import::ImportPlan plan = cycle::import::PlanJcmDataImport(files);
  cycle::import::ImportResult imported = cycle::import::RunImport(state_, plan, today);
  ImportReport report;
  JCM_RETURN_IF_ERROR(AppendImported(imported, &report.issuances_executed));
  report.events_added = static_cast<int64_t>(imported.events.size());
  report.unchanged = imported.unchanged;
  for (const cycle::import::ImportNote& note : imported.notes)
    report.rows_rejected += note.rejected;
  report.notes = std::move(imported.notes);
  report.projects = static_cast<int64_t>(state_.projects.size());
  return report;
}

}  // namespace jcm::service
