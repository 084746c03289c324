// Internal to the SQLite adapter: writes one ledger::Delta inside the current write batch
// (the caller owns BEGIN/COMMIT and the savepoint). Besides the Delta's own rows it maintains
// the `balances` table (units held per account, INV-12) from the blocks it ends and creates,
// so registry totals never need a scan of the blocks.
#pragma once

#include <sqlite3.h>

#include <map>
#include <string>

#include "core/status.h"
#include "ledger/decide.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {

class DeltaWriter {
 public:
  explicit DeltaWriter(sqlite3* db);
  // Any error leaves the batch to be rolled back by the caller.
  core::Status Apply(const ledger::Delta& delta);

 private:
  core::Status WriteRegistries(const ledger::Delta& d);
  core::Status WriteAccount(const ledger::Account& a);
  core::Status EndBlock(int64_t id, int64_t seq, std::map<std::string, int64_t>* net_units);
  core::Status ChangeBalance(const std::string& account, int64_t units);
  core::Status WriteBlock(const ledger::UnitBlock& b);
  core::Status WriteDecision(const ledger::JcDecision& d);
  core::Status WriteEntry(const ledger::JournalEntry& e);

  sqlite3* db_;
  Statement upsert_registry_, upsert_policy_, upsert_account_, end_block_, insert_block_,
      add_balance_, subtract_balance_, upsert_decision_, insert_entry_, insert_key_;
};

}  // namespace jcm::store::sqlite
