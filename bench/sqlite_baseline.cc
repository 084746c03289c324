#include "sqlite_baseline.h"

#include <sqlite3.h>

#include <memory>

#include "raw_sql.h"

namespace jcm::bench {
namespace {

constexpr int64_t kBaselineAccounts = 64;
constexpr size_t kEntryBodyBytes = 200;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

core::Result<DbHandle> OpenBaselineDb(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) return SqlStatus(raw, rc, "opening " + path);
  JCM_RETURN_IF_ERROR(
      SqlExec(db.get(),
              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
              "CREATE TABLE balances (id INTEGER PRIMARY KEY, units INTEGER NOT NULL)"
              " STRICT;"
              "CREATE TABLE entries (id INTEGER PRIMARY KEY, from_id INTEGER NOT NULL,"
              " to_id INTEGER NOT NULL, units INTEGER NOT NULL, body TEXT NOT NULL)"
              " STRICT;"));
  SqlStatement insert(db.get(), "INSERT INTO balances VALUES (?, 1000000000)");
  JCM_RETURN_IF_ERROR(SqlExec(db.get(), "BEGIN IMMEDIATE"));
  for (int64_t id = 0; id < kBaselineAccounts; ++id) {
    JCM_RETURN_IF_ERROR(insert.Bind(1, id).Run());
  }
  JCM_RETURN_IF_ERROR(SqlExec(db.get(), "COMMIT"));
  return db;
}

}  // namespace

core::Result<RunFigures> MeasureSqliteBaseline(const std::string& path, int64_t commits) {
  RemoveDatabase(path);
  RunFigures figures;
  {
    JCM_ASSIGN_OR_RETURN(DbHandle db, OpenBaselineDb(path));
    SqlStatement debit(db.get(), "UPDATE balances SET units = units - ? WHERE id = ?");
    SqlStatement credit(db.get(), "UPDATE balances SET units = units + ? WHERE id = ?");
    SqlStatement append(db.get(),
                        "INSERT INTO entries (from_id, to_id, units, body) "
                        "VALUES (?, ?, ?, ?)");
    const std::string body(kEntryBodyBytes, 'x');
    std::vector<double> latencies_us;
    latencies_us.reserve(static_cast<size_t>(commits));
    const auto started = BenchClock::now();
    for (int64_t i = 0; i < commits; ++i) {
      const int64_t from = i % kBaselineAccounts;
      const int64_t to = (i + 1) % kBaselineAccounts;
      const int64_t units = i % 10 + 1;
      const auto begin = BenchClock::now();
      JCM_RETURN_IF_ERROR(SqlExec(db.get(), "BEGIN IMMEDIATE"));
      JCM_RETURN_IF_ERROR(debit.Bind(1, units).Bind(2, from).Run());
      JCM_RETURN_IF_ERROR(credit.Bind(1, units).Bind(2, to).Run());
      JCM_RETURN_IF_ERROR(append.Bind(1, from).Bind(2, to).Bind(3, units).Bind(4, body).Run());
      JCM_RETURN_IF_ERROR(SqlExec(db.get(), "COMMIT"));
      latencies_us.push_back(MicrosSince(begin));
    }
    figures = Summarise(std::move(latencies_us), MicrosSince(started) / 1e6);
  }
  RemoveDatabase(path);
  return figures;
}

}  // namespace jcm::bench
