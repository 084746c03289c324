// ApprovalService's execution of what is due (approval_service.h): expiries, and approved
// proposals executed through the ledger (ledger::ExecuteDecision) or their failure journaled.
#include "service/approval_service.h"
#include "service/article6_service.h"
#include "service/internal/append_attempts.h"

namespace jcm::service {

using internal::kAppendAttempts;

core::Result<RunDueResult> ApprovalService::RunDue() {
  RunDueResult result;
  JCM_ASSIGN_OR_RETURN(result.now_s, Now());
  JCM_RETURN_IF_ERROR(Refresh());
  JCM_RETURN_IF_ERROR(RunDueAt(result.now_s, &result));
  return result;
}

core::Status ApprovalService::RunDueAt(int64_t now_s, RunDueResult* result) {
  // Every round journals one event or, on a conflict, learns of another process's; the budget
  // counts only rounds that changed nothing.
  for (int idle = 0; idle < kAppendAttempts;) {
    int64_t before = 0;
    const approval::DueWork due = replay_->Read([&](const approval::ApprovalState& state) {
      before = state.last_seq;
      return approval::Due(state, now_s);
    });
    if (due.expire.empty() && due.execute.empty()) return core::OkStatus();
    if (!due.expire.empty()) {
      JCM_ASSIGN_OR_RETURN(auto seq,
                           Append(approval::ExpiredEvent(due.expire.front(), now_s), before));
      if (!seq) JCM_RETURN_IF_ERROR(Refresh());
      if (seq && result != nullptr) result->expired.push_back(due.expire.front());
    } else {
      JCM_RETURN_IF_ERROR(Execute(due.execute.front(), now_s, before, result));
    }
    idle = LastSeq() > before ? 0 : idle + 1;
  }
  return core::Unavailable("proposals kept changing while running what is due; try again");
}

core::Result<ledger::ExecuteDecision> ApprovalService::ExecutionOf(int64_t id, int64_t now_s,
                                                                   int64_t expected_seq) {
  // The ledger sets the event's ledger_transaction to the transaction's seq.
  approval::Event done = approval::ExecutedEvent(id, 0, now_s);
  ledger::TransactionRequest request = replay_->Read([&](const approval::ApprovalState& state) {
    return state.FindProposal(id)->LedgerRequest();
  });
  if (request.type != ledger::TransactionType::kInternalTransfer) {
    // A retirement or cancellation first-transfers units whose authorisation says so
    // (RegistryService::Move does the same).
    JCM_ASSIGN_OR_RETURN(request.first_transfer_at_use,
                         Article6Service(store_).FirstTransferAtUse());
  }
  const LockScope scope = ProposalScope(id, "");
  return ledger::ExecuteDecision{std::move(request),
                                 ledger::AppendEvent{done.kind, std::move(done.body), "",
                                                     expected_seq, scope.fields, scope.kinds},
                                 "ledger_transaction"};
}

// One approved proposal into the ledger, or its failure into the journal. Leaves the state
// refreshed; a conflict (check 23) refreshes and leaves the proposal to the next round.
core::Status ApprovalService::Execute(int64_t id, int64_t now_s, int64_t seen_seq,
                                      RunDueResult* result) {
  const LockScope scope = ProposalScope(id, "");
  JCM_ASSIGN_OR_RETURN(const ledger::ExecuteDecision command, ExecutionOf(id, now_s, seen_seq));
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
  if (!outcome.rejection) {
    JCM_RETURN_IF_ERROR(Refresh());
    if (result != nullptr && !outcome.replayed) result->completed.push_back(id);
    return core::OkStatus();
  }
  if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) return Refresh();
  const Rejection failure = FromLedger(*outcome.rejection);
  JCM_ASSIGN_OR_RETURN(auto seq, Append(approval::FailedEvent(id, failure.check, failure.name,
                                                              failure.message, now_s),
                                        seen_seq, scope));
  if (!seq) return Refresh();
  if (result != nullptr) result->failed.push_back(id);
  return core::OkStatus();
}

}  // namespace jcm::service
