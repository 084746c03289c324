#include "store/sqlite/internal/write_batch.h"

#include <map>
#include <utility>

#include "store/replay_check.h"
#include "store/sqlite/internal/sqlite_credential_store.h"

namespace jcm::store::sqlite {

using core::Result;
using core::Status;

WriteBatch::Control::Control(sqlite3* db)
    : begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      savepoint(db, "SAVEPOINT command"),
      rollback_to(db, "ROLLBACK TO command"),
      release(db, "RELEASE command"),
      group_savepoint(db, "SAVEPOINT signed_group"),
      group_rollback_to(db, "ROLLBACK TO signed_group"),
      group_release(db, "RELEASE signed_group") {}

WriteBatch::WriteBatch(sqlite3* db, Clock& clock)
    : db_(db), clock_(clock), reader_(db), writer_(db), control_(db) {
  reader_.AnswerFrom(&recent_);
  writer_.RecordInto(&recent_);
}

bool WriteBatch::Run(const std::vector<Pending*>& batch) {
  Status status = control_.begin.Run();
  writer_.ForgetLogAppends();  // another connection may have written since the last batch
  if (status.ok()) {
    // Under the write lock: the head tells whether another connection wrote since (INV-72).
    Result<std::optional<ledger::JournalHead>> head = reader_.LastJournalHead();
    if (head.ok()) recent_.Begin(*head);
    status = head.status();
  }
  const std::string now = clock_.NowUtc();
  for (size_t i = 0; i < batch.size() && status.ok(); ++i) {
    status = RunOne(batch[i], now);
  }
  if (status.ok()) status = writer_.FlushBalances();
  if (status.ok()) status = control_.commit.Run();
  if (status.ok()) recent_.Committed();
  if (!status.ok()) {
    writer_.DiscardBalances();
    (void)RollBack(control_.rollback);
    for (Pending* p : batch) p->result = status;  // nothing of this batch was written
  }
  return status.ok();
}

// Every rollback, of the batch or of a savepoint, goes through here: what the writer remembers
// of the transaction's log-tree appends (LogTree::Append) is forgotten with it, and the recent
// journal answers nothing more in this batch.
Status WriteBatch::RollBack(Statement& rollback) {
  writer_.ForgetLogAppends();
  recent_.RolledBack();
  return rollback.Run();
}

// A claim in its own savepoint: refused (false) or failed, it leaves nothing; a database
// error fails the batch, its precondition (no TOTP key) only the claim.
Status WriteBatch::RunClaim(Pending* pending) {
  JCM_RETURN_IF_ERROR(control_.savepoint.Run());
  pending->claimed = (*pending->claim)();
  if (!pending->claimed.ok() || !*pending->claimed) {
    JCM_RETURN_IF_ERROR(RollBack(control_.rollback_to));
  }
  JCM_RETURN_IF_ERROR(control_.release.Run());
  if (!pending->claimed.ok() &&
      pending->claimed.status().code() != core::StatusCode::kFailedPrecondition) {
    return pending->claimed.status();
  }
  pending->result = Outcome{};
  return core::OkStatus();
}

Status WriteBatch::RunOne(Pending* pending, const std::string& now) {
  if (pending->claim != nullptr) return RunClaim(pending);
  if (pending->group != nullptr) return RunGroup(pending, now);
  return DecideAndApply(*pending->command, now, &pending->result);
}

// One command in its own savepoint: its outcome (a rejection changes nothing) or its own
// operating error into `result`. The Status returned fails the batch.
Status WriteBatch::DecideAndApply(const ledger::Command& command, const std::string& now,
                                  Result<Outcome>* result) {
  JCM_RETURN_IF_ERROR(control_.savepoint.Run());
  auto decision = ledger::Decide(reader_, command, ledger::Context{now});
  Result<Outcome> outcome = core::Internal("not decided");
  if (!decision.ok()) {
    outcome = decision.status();
  } else if (auto answered = OutcomeWithoutWrite(reader_, command, *decision); !answered.ok()) {
    outcome = answered.status();
  } else if (*answered) {
    outcome = std::move(**answered);
  } else {
    const ledger::Delta& delta = std::get<ledger::Delta>(*decision);
    Status applied = writer_.Apply(delta);
    outcome = applied.ok() ? Result<Outcome>(OutcomeOfWritten(delta)) : Result<Outcome>(applied);
  }
  if (!outcome.ok() || outcome->rejection) {
    JCM_RETURN_IF_ERROR(RollBack(control_.rollback_to));
  }
  JCM_RETURN_IF_ERROR(control_.release.Run());
  if (!outcome.ok() && !FailsOnlyTheCommand(outcome.status())) return outcome.status();
  *result = std::move(outcome);
  return core::OkStatus();
}

// A signed group (SubmitSigned) in a savepoint of its own: the claim, then each command in
// order; a refused claim, a rejection or an operating error of any of them rolls all of it
// back, the balance changes of its applied Deltas included.
Status WriteBatch::RunGroup(Pending* pending, const std::string& now) {
  const SignedCommands& group = *pending->group;
  SignedOutcome& out = pending->group_outcome;
  std::map<std::string, int64_t> balances = writer_.PendingBalances();
  JCM_RETURN_IF_ERROR(control_.group_savepoint.Run());
  Result<bool> claimed = ClaimTotpStepOn(db_, group.user, group.totp_step);
  Status failed = claimed.ok() ? core::OkStatus() : claimed.status();
  out.claimed = claimed.ok() && *claimed;
  for (size_t i = 0; out.claimed && failed.ok() && !out.rejected && i < group.commands.size();
       ++i) {
    Result<Outcome> result = core::Internal("not run");
    JCM_RETURN_IF_ERROR(DecideAndApply(group.commands[i], now, &result));
    if (!result.ok()) {
      failed = result.status();
      break;
    }
    if (result->rejection) out.rejected = i;
    out.outcomes.push_back(std::move(result).value());
  }
  const bool keep = failed.ok() && out.claimed && !out.rejected;
  if (!keep) {
    JCM_RETURN_IF_ERROR(RollBack(control_.group_rollback_to));
    writer_.RestoreBalances(std::move(balances));
  }
  JCM_RETURN_IF_ERROR(control_.group_release.Run());
  // As for a lone claim or command: their own errors fail only the group, a database error
  // the batch.
  if (!failed.ok() && failed.code() != core::StatusCode::kFailedPrecondition &&
      !FailsOnlyTheCommand(failed)) {
    return failed;
  }
  pending->result = failed.ok() ? Result<Outcome>(Outcome{}) : Result<Outcome>(failed);
  return core::OkStatus();
}

}  // namespace jcm::store::sqlite
