// Internal to the SQLite adapter: one write batch of the group commit on the write connection
// (sqlite_store.h "Group commit"). Every command runs in its own SAVEPOINT, so a rejected one is
// rolled back alone; a TOTP step claim (SqliteCredentialStore::ClaimTotpStep) in its own too; a
// signed group (store/signed_submit.h) in one around its claim and its commands' savepoints, so
// all of it is rolled back together; then one COMMIT, one fsync.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/signed_submit.h"
#include "store/sqlite/internal/delta_writer.h"
#include "store/sqlite/internal/recent_journal.h"
#include "store/sqlite/internal/sqlite_reader.h"
#include "store/sqlite/internal/statement.h"
#include "store/store.h"

namespace jcm::store::sqlite {

// A command, a credential claim or a signed group in the queue of the group commit: exactly one
// of `command`, `claim` and `group` is set.
struct Pending {
  const ledger::Command* command;
  const std::function<core::Result<bool>()>* claim = nullptr;
  const SignedCommands* group = nullptr;
  core::Result<Outcome> result = core::Internal("not run");
  core::Result<bool> claimed = false;  // `claim`'s answer
  SignedOutcome group_outcome = {};    // `group`'s answer (when `result` is OK)
  // The group commit's hand-over (SqliteStore::Enqueue), under its queue mutex: `done` once a
  // batch holding this one has committed or failed; `leads` when its thread is to run the next
  // batch; `wake` signals either to this Pending's thread alone.
  bool done = false;
  bool leads = false;
  std::condition_variable wake = {};
};

class WriteBatch {
 public:
  // `db` (the write connection) and `clock` must outlive this object.
  WriteBatch(sqlite3* db, Clock& clock);

  // Runs `batch` in one transaction and answers each Pending (`result`, and `claimed` or
  // `group_outcome`); false when the transaction failed, and then nothing of it was written and
  // every `result` holds the error. REQUIRES: the connection's mutex held.
  bool Run(const std::vector<Pending*>& batch);

 private:
  // The transaction-control statements, prepared once: sqlite3_exec would parse each of them
  // again for every command (7 % of Submit's instructions under callgrind).
  struct Control {
    explicit Control(sqlite3* db);
    Statement begin, commit, rollback, savepoint, rollback_to, release;
    // Around a signed group, whose commands each have their own savepoint inside it.
    Statement group_savepoint, group_rollback_to, group_release;
  };

  // Each returns the Status that fails the whole batch (a database error); a command's own
  // rejection or error goes into its answer.
  core::Status RunOne(Pending* pending, const std::string& now);
  core::Status RunClaim(Pending* pending);
  core::Status RunGroup(Pending* pending, const std::string& now);
  // Runs `rollback` (ROLLBACK or a ROLLBACK TO) and has the writer forget the log tree's appends.
  core::Status RollBack(Statement& rollback);
  core::Status DecideAndApply(const ledger::Command& command, const std::string& now,
                              core::Result<Outcome>* result);

  sqlite3* db_;
  Clock& clock_;
  // What the batches wrote last, for check 23 (declared first: the reader and the writer use it).
  RecentJournal recent_;
  SqliteReader reader_;  // what Decide reads: the batch's own uncommitted state included
  DeltaWriter writer_;
  Control control_;
};

}  // namespace jcm::store::sqlite
