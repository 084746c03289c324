// Internal to the SQLite adapter: RAII wrappers for a connection and prepared statements that
// turn SQLite result codes into Statuses that name the database file and the cause in words a
// user can act on, never SQL text (docs/formats/store.md "Errors"): read-only →
// kFailedPrecondition, busy/locked → kUnavailable, disk full → kResourceExhausted, corrupt →
// kDataLoss, not a database → kFailedPrecondition.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace jcm::store::sqlite {

// The Status for result `rc` of connection `db`. `file` names the database when the connection
// cannot (a failed open); by default it is the connection's main database file.
core::Status FromSqlite(sqlite3* db, int rc, std::string_view file = "");

// A statement is prepared once per connection and SQL text, then reused: a Statement takes one
// from its connection's cache (preparing it when none is free) and gives it back reset and
// unbound when it ends, so a read that runs on every request does not parse its SQL each time
// (parsing was a sixth of the server's time per approval). A statement is used by one Statement
// at a time; a connection keeps at most 256 (more are finalised). Close finalises a
// connection's cached statements before closing it: every connection a Statement has run on
// must be closed through it.
void Close(sqlite3* db);

class Statement {
 public:
  // Preparing never fails here: a bad statement (e.g. a database of another program) makes
  // every Step() return the preparation error.
  Statement(sqlite3* db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return stmt_ != nullptr; }
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& BindBlob(int index, std::string_view bytes);
  // SQLITE_ROW → true, SQLITE_DONE → false (and resets), else an error Status.
  core::Result<bool> Step();
  // Runs to completion (for writes); resets.
  core::Status Run();
  int64_t Int(int column) const;
  std::string Text(int column) const;
  // The text of `column` without a copy: valid until the next Step, Reset or Text of it.
  std::string_view TextView(int column) const;
  std::string Blob(int column) const;
  void Reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int prepare_rc_ = SQLITE_OK;  // a failed prepare surfaces at Step()
};

core::Status Exec(sqlite3* db, const char* sql);

}  // namespace jcm::store::sqlite
