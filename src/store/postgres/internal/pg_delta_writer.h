// Internal to the PostgreSQL adapter: writes ledger::Deltas inside the current write
// transaction (the caller owns BEGIN/COMMIT and holds the registry's write lock), a whole batch
// in one statement. Apply() writes the rare rows (registries, policies, accounts, JC decisions)
// at once and keeps the frequent ones — blocks created and ended, journal entries, idempotency
// keys, the log tree's nodes, balance changes — until Flush(), which writes them all in one
// statement (a data-modifying `WITH` per table, each `unnest`ing one array per column); so a
// batch of transfers costs one round trip to write, not a dozen per transfer. Reads inside the
// batch must Flush() first (PgStateCache does) to see them. Balance changes (INV-12) are summed
// per account, as in the SQLite store; each entry's leaf joins the transparency log's tree in
// the entry's transaction (INV-25).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/decide.h"
#include "store/postgres/internal/connection.h"
#include "store/postgres/internal/pg_log_tree.h"

namespace jcm::store::postgres {

class PgDeltaWriter {
 public:
  explicit PgDeltaWriter(Connection& connection) : db_(connection), log_(connection) {}
  // Any error leaves the transaction to be rolled back by the caller, then Discard().
  core::Status Apply(const ledger::Delta& delta);
  // Does Apply(delta) write at once (rows of registries, policies, accounts, JC decisions)?
  // Then the transaction must be open, under the lock, before it.
  static bool WritesAtOnce(const ledger::Delta& d) {
    return !d.registries.empty() || !d.policies.empty() || !d.accounts.empty() ||
           !d.decisions.empty();
  }
  // Writes the rows Apply() kept. REQUIRES: in the transaction of those Apply() calls, before
  // its COMMIT.
  core::Status Flush();
  // The statement that writes the rows Apply() kept (nullopt when none), for the caller to send
  // in the transaction of those Apply() calls, before its COMMIT (the store pipelines the two);
  // they are no longer kept. It fails, and with it the transaction, when a block it ends is no
  // longer live; FailedRows() turns that failure into the store's message.
  std::optional<Statement> TakeRows();
  core::Status FailedRows(const core::Status& status);
  // Forgets what is kept for the batch and the log's right edge (the batch is rolled back).
  void Discard();
  // Forgets the log's right edge (another process appended to the journal).
  void ForgetLog() { log_.Forget(); }

 private:
  core::Status WriteRegistries(const ledger::Delta& d);
  core::Status WriteAccount(const ledger::Account& a);
  core::Status KeepEntry(const ledger::JournalEntry& e);
  void ClearKept();

  Connection& db_;
  PgLogAppender log_;
  // Kept until Flush():
  std::map<std::string, int64_t> balances_;  // account -> net units of applied Deltas
  std::vector<ledger::UnitBlock> blocks_created_;
  std::map<int64_t, size_t> created_at_;  // block id -> its index in blocks_created_
  std::vector<std::string> ended_ids_, ended_seqs_;
  std::vector<ledger::JournalEntry> entries_;
  std::vector<std::string> key_names_, key_digests_, key_seqs_;
  std::string last_ended_seq_;  // of the rows last taken, for FailedRows' message
};

}  // namespace jcm::store::postgres
