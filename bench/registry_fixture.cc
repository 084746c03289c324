#include "registry_fixture.h"

#include <sqlite3.h>

#include "bench_stats.h"
#include "core/account_number.h"
#include "ledger/types.h"
#include "raw_sql.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::bench {
namespace {

constexpr const char* kRegistry = "MN";
constexpr int64_t kFirstHolderSequence = 4;  // 1..3 are the government accounts of InitRegistry
constexpr int64_t kInitEntrySeq = 1;

core::Status InitRegistryThroughLedger(const std::string& path, store::Clock& clock) {
  JCM_ASSIGN_OR_RETURN(auto opened, store::OpenSqliteStore(path, clock));
  JCM_ASSIGN_OR_RETURN(store::Outcome init, opened->Submit(ledger::InitRegistry{kRegistry}));
  if (init.rejection) return core::Internal("fixture init: " + init.rejection->message);
  return core::OkStatus();
}

core::Result<std::vector<std::string>> InsertHolders(sqlite3* db, int64_t holders) {
  SqlStatement insert(db,
                      "INSERT INTO accounts (number, registry, type, state, holder_name, "
                      "holder_name_ja, representative, address, contact) "
                      "VALUES (?, ?, ?, ?, ?, '', '', '', '')");
  const auto registry = core::RegistryCode::FromTrusted(kRegistry);
  const auto type = ledger::AccountType::kEntityHolding;
  std::vector<std::string> numbers;
  for (int64_t i = 0; i < holders; ++i) {
    numbers.push_back(
        core::AccountNumber{registry, static_cast<int>(type), kFirstHolderSequence + i}.ToString());
    insert.Bind(1, numbers.back()).Bind(2, kRegistry).Bind(3, static_cast<int64_t>(type));
    insert.Bind(4, ledger::AccountStateName(ledger::AccountState::kOpen));
    JCM_RETURN_IF_ERROR(insert.Bind(5, "Fixture holder " + std::to_string(i)).Run());
  }
  return numbers;
}

core::Status InsertBlocks(sqlite3* db, const FixtureShape& shape,
                          const std::vector<std::string>& holders) {
  SqlStatement insert(
      db,
      "INSERT INTO blocks (id, registry, serial_first, unit_count, account, project, "
      "period, issuance_number, authorization, first_transferred, parent_id, "
      "created_seq, ended_seq) "
      "VALUES (?, ?, ?, ?, ?, 'MN003', '2017-08-26..2018-05-31', 1, ?, 0, 0, ?, 0)");
  const std::string_view authorization = ledger::AuthorizationName(ledger::Authorization::kNdc);
  const auto holder_count = static_cast<int64_t>(holders.size());
  for (int64_t b = 0; b < shape.blocks; ++b) {
    insert.Bind(1, b + 1).Bind(2, kRegistry).Bind(3, 1 + b * shape.units_per_block);
    insert.Bind(4, shape.units_per_block).Bind(5, holders[static_cast<size_t>(b % holder_count)]);
    JCM_RETURN_IF_ERROR(insert.Bind(6, authorization).Bind(7, kInitEntrySeq).Run());
  }
  return core::OkStatus();
}

core::Result<std::vector<std::string>> WriteRows(sqlite3* db, const FixtureShape& shape) {
  JCM_RETURN_IF_ERROR(SqlExec(db, "BEGIN IMMEDIATE"));
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> holders,
                       InsertHolders(db, shape.blocks / shape.live_blocks_per_account));
  JCM_RETURN_IF_ERROR(InsertBlocks(db, shape, holders));
  // The balances the store maintains on every write (INV-12), derived once for the bulk rows.
  JCM_RETURN_IF_ERROR(SqlExec(db,
                              "INSERT INTO balances SELECT account, SUM(unit_count) FROM blocks "
                              "WHERE ended_seq = 0 GROUP BY account"));
  SqlStatement counters(db,
                        "UPDATE registries SET next_serial = ?, next_account_sequence = ? "
                        "WHERE code = ?");
  counters.Bind(1, 1 + shape.blocks * shape.units_per_block);
  counters.Bind(2, kFirstHolderSequence + static_cast<int64_t>(holders.size()));
  JCM_RETURN_IF_ERROR(counters.Bind(3, kRegistry).Run());
  JCM_RETURN_IF_ERROR(SqlExec(db, "COMMIT"));
  // Fold the big write batch into the database file so the measured transfers start from an
  // ordinary, checkpointed WAL.
  JCM_RETURN_IF_ERROR(SqlExec(db, "PRAGMA wal_checkpoint(TRUNCATE)"));
  return holders;
}

}  // namespace

core::Result<std::vector<std::string>> BuildRegistryFixture(const std::string& path,
                                                            const FixtureShape& shape,
                                                            store::Clock& clock) {
  RemoveDatabase(path);
  JCM_RETURN_IF_ERROR(InitRegistryThroughLedger(path, clock));
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    core::Status status = SqlStatus(db, rc, "opening " + path);
    sqlite3_close(db);
    return status;
  }
  auto holders = WriteRows(db, shape);
  if (!holders.ok()) (void)SqlExec(db, "ROLLBACK");
  sqlite3_close_v2(db);
  return holders;
}

}  // namespace jcm::bench
