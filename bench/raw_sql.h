// The few SQLite calls the ledger bench makes itself (the raw baseline, the large fixtures),
// wrapped so that SQLite result codes become Statuses. The bench's own: the SQLite adapter's
// statement wrapper is internal to the adapter.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::bench {

// Unavailable naming `what` and SQLite's message, for any result code but SQLITE_OK.
core::Status SqlStatus(sqlite3* db, int rc, std::string_view what);
// Runs statements without results.
core::Status SqlExec(sqlite3* db, const char* sql);

// A prepared statement, reused: bind, Run (to completion, then reset), bind again.
class SqlStatement {
 public:
  SqlStatement(sqlite3* db, const char* sql);
  ~SqlStatement();
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;

  SqlStatement& Bind(int index, int64_t value);
  SqlStatement& Bind(int index, std::string_view value);
  core::Status Run();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int prepare_rc_ = SQLITE_OK;  // a failed prepare surfaces at Run()
};

}  // namespace jcm::bench
