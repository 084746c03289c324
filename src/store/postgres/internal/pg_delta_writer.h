// Internal to the PostgreSQL adapter: writes one ledger::Delta inside the current write
// transaction (the caller owns BEGIN/COMMIT and holds the registry's write lock), maintaining
// the `balances` table (INV-12) as the SQLite store does: balance changes are summed over the
// write batch and written by FlushBalances() in one statement just before COMMIT; and each
// entry's leaf joins the transparency log's tree in the entry's transaction (INV-25).
#pragma once

#include <map>
#include <string>

#include "core/status.h"
#include "ledger/decide.h"
#include "store/postgres/internal/connection.h"
#include "store/postgres/internal/pg_log_tree.h"

namespace jcm::store::postgres {

class PgDeltaWriter {
 public:
  explicit PgDeltaWriter(Connection& connection) : db_(connection), log_(connection) {}
  // Any error leaves the transaction to be rolled back by the caller (and nothing of this Delta
  // in the pending balances).
  core::Status Apply(const ledger::Delta& delta);
  // Writes the balance changes of the batch's applied Deltas. REQUIRES: before COMMIT.
  core::Status FlushBalances();
  // Forgets them (the batch is rolled back).
  void DiscardBalances() { batch_balances_.clear(); }

 private:
  core::Status WriteRegistries(const ledger::Delta& d);
  core::Status WriteAccount(const ledger::Account& a);
  core::Status WriteBlock(const ledger::UnitBlock& b);
  core::Status WriteEntry(const ledger::JournalEntry& e);

  Connection& db_;
  PgLogTree log_;
  std::map<std::string, int64_t> batch_balances_;  // account -> net units of applied Deltas
};

}  // namespace jcm::store::postgres
