#include "raw_sql.h"

namespace jcm::bench {

core::Status SqlStatus(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK) return core::OkStatus();
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return core::Unavailable(std::string(what) + ": " + message);
}

core::Status SqlExec(sqlite3* db, const char* sql) {
  return SqlStatus(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

SqlStatement::SqlStatement(sqlite3* db, const char* sql) : db_(db) {
  prepare_rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
}

SqlStatement::~SqlStatement() { sqlite3_finalize(stmt_); }

SqlStatement& SqlStatement::Bind(int index, int64_t value) {
  if (stmt_ != nullptr) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqlStatement& SqlStatement::Bind(int index, std::string_view value) {
  if (stmt_ != nullptr) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

core::Status SqlStatement::Run() {
  if (prepare_rc_ != SQLITE_OK) return SqlStatus(db_, prepare_rc_, "preparing a statement");
  const int rc = sqlite3_step(stmt_);
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return core::OkStatus();
  return SqlStatus(db_, rc, sqlite3_sql(stmt_));
}

}  // namespace jcm::bench
