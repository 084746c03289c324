// Internal to the SQLite adapter: writes one ledger::Delta inside the current write batch
// (the caller owns BEGIN/COMMIT and the savepoint). Besides the Delta's own rows it maintains
// the transparency log's tree (log_tree.h; INV-25) and
// the `balances` table (units held per account, INV-12) from the blocks it ends and creates,
// so registry totals never need a scan of the blocks. Balance changes are summed over the write
// batch and written by FlushBalances() just before COMMIT, in one statement per 200 accounts:
// per command they would cost two statements, a quarter of a transfer's work under group commit.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>

#include "core/status.h"
#include "ledger/decide.h"
#include "store/sqlite/internal/log_tree.h"
#include "store/sqlite/internal/recent_journal.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {

class DeltaWriter {
 public:
  explicit DeltaWriter(sqlite3* db);
  // Any error leaves the batch to be rolled back by the caller.
  // Any error leaves the batch to be rolled back by the caller (and nothing of this Delta in the
  // pending balances).
  core::Status Apply(const ledger::Delta& delta);
  // Writes the balance changes of the batch's applied Deltas. REQUIRES: before COMMIT.
  core::Status FlushBalances();
  // Forgets them (the batch is rolled back).
  void DiscardBalances() { batch_balances_.clear(); }
  // The balance changes so far, and putting them back: a savepoint rolled back after Deltas
  // were applied inside it (a signed group, store/signed_submit.h) takes theirs away.
  std::map<std::string, int64_t> PendingBalances() const { return batch_balances_; }
  void RestoreBalances(std::map<std::string, int64_t> saved) { batch_balances_ = std::move(saved); }
  // What the log tree remembers of this transaction's appends (LogTree::Append). REQUIRES: at
  // each BEGIN and after every rollback, of the batch or of a savepoint.
  void ForgetLogAppends() { log_.ForgetAppends(); }
  // Every journal entry written is added to `recent` too (which must outlive this writer).
  void RecordInto(RecentJournal* recent) { recent_ = recent; }

 private:
  core::Status WriteRegistries(const ledger::Delta& d);
  core::Status WriteAccount(const ledger::Account& a);
  core::Status EndBlock(int64_t id, int64_t seq);
  core::Status WriteBlock(const ledger::UnitBlock& b);
  core::Status WriteDecision(const ledger::JcDecision& d);
  core::Status WriteEntry(const ledger::JournalEntry& e);

  sqlite3* db_;
  Statement upsert_registry_, upsert_policy_, upsert_account_, end_block_, insert_block_,
      upsert_decision_, insert_entry_, insert_key_;
  LogTree log_;  // each entry's leaf joins the transparency log in the entry's transaction
  RecentJournal* recent_ = nullptr;
  std::map<std::string, int64_t> batch_balances_;  // account -> net units of applied Deltas
  std::map<size_t, std::unique_ptr<Statement>> balance_upserts_;  // by rows per statement
};

}  // namespace jcm::store::sqlite
