#include "store/sqlite/internal/statement.h"

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/check.h"

namespace jcm::store::sqlite {

core::Status FromSqlite(sqlite3* db, int rc, std::string_view file) {
  std::string name(file);
  if (name.empty() && db != nullptr) {
    const char* main = sqlite3_db_filename(db, "main");
    name = main != nullptr && *main != '\0' ? main : "(unnamed database)";
  }
  // sqlite3_errmsg describes the last failure of the connection: for an error a step reports it
  // is that step's (e.g. "database disk image is malformed").
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return core::OkStatus();
    case SQLITE_READONLY:
      return core::FailedPrecondition("cannot write registry " + name +
                                      ": the file or its directory is read-only");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::Unavailable("registry " + name +
                               " is locked by another process (waited for the busy timeout); "
                               "try again");
    case SQLITE_FULL:
      return core::ResourceExhausted("cannot write registry " + name + ": the disk is full");
    case SQLITE_CORRUPT:
      return core::DataLoss("registry " + name + " is corrupt (" + detail +
                            "); restore it from a backup");
    case SQLITE_NOTADB:
      return core::FailedPrecondition(name + " is not a jcm registry: not an SQLite database");
    case SQLITE_CANTOPEN: {
      // The operating system's reason says more than SQLite's "unable to open database file".
      const int error = db != nullptr ? sqlite3_system_errno(db) : 0;
      const std::string cause = error != 0 ? std::strerror(error) : detail;
      if (error == EACCES || error == EPERM || error == EROFS) {
        return core::FailedPrecondition("cannot open registry " + name + ": " + cause);
      }
      return core::NotFound("cannot open registry " + name + ": " + cause);
    }
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return core::FailedPrecondition("registry " + name + ": access denied (" + detail + ")");
    case SQLITE_IOERR:
      return core::Unavailable("I/O error on registry " + name + " (" + detail + ")");
    case SQLITE_CONSTRAINT:
      return core::AlreadyExists("registry " + name + ": " + detail);
    default:
      return core::Internal("registry " + name + ": SQLite error " + std::to_string(rc) + " (" +
                            detail + ")");
  }
}

namespace {

constexpr size_t kCachedPerConnection = 256;

// The prepared statements of every open connection: the free ones by SQL text (a view of the
// text the statement keeps, sqlite3_sql) and how many Statements hold one. A connection closed
// while some are held (a store's members end after its destructor closed it) finalises them as
// they come back, which lets SQLite end the connection (sqlite3_close_v2).
class StatementCache {
 public:
  // A statement of `db` for `sql`, free or newly prepared (nullptr and `*rc` on failure).
  sqlite3_stmt* Take(sqlite3* db, const char* sql, int* rc) {
    {
      std::lock_guard lock(mu_);
      Connection& connection = connections_[db];
      auto it = connection.free.find(std::string_view(sql));
      if (it != connection.free.end()) {
        sqlite3_stmt* stmt = it->second;
        connection.free.erase(it);
        ++connection.held;
        return stmt;
      }
      ++connection.held;
    }
    sqlite3_stmt* stmt = nullptr;
    *rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (stmt == nullptr) Give(db, nullptr);
    return stmt;
  }
  // Gives back a statement Take returned (nullptr: a failed preparation).
  void Give(sqlite3* db, sqlite3_stmt* stmt) {
    if (stmt != nullptr) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
    {
      std::lock_guard lock(mu_);
      auto it = connections_.find(db);
      Connection& connection = it->second;
      --connection.held;
      if (stmt != nullptr && !connection.closing && connection.free.size() < kCachedPerConnection) {
        connection.free.emplace(std::string_view(sqlite3_sql(stmt)), stmt);
        return;
      }
      if (connection.closing && connection.held == 0) connections_.erase(it);
    }
    sqlite3_finalize(stmt);  // the connection's last: it may end now, and its address be reused
  }
  // The free statements of `db`, forgotten; the held ones are finalised as they come back.
  std::vector<sqlite3_stmt*> Close(sqlite3* db) {
    std::vector<sqlite3_stmt*> statements;
    std::lock_guard lock(mu_);
    auto it = connections_.find(db);
    if (it == connections_.end()) return statements;
    for (const auto& [sql, stmt] : it->second.free) statements.push_back(stmt);
    it->second.free.clear();
    it->second.closing = true;
    if (it->second.held == 0) connections_.erase(it);
    return statements;
  }

 private:
  struct Connection {
    std::unordered_multimap<std::string_view, sqlite3_stmt*> free;
    size_t held = 0;
    bool closing = false;
  };
  std::mutex mu_;
  std::unordered_map<sqlite3*, Connection> connections_;
};

StatementCache& Cache() {
  static StatementCache* cache = new StatementCache;  // never destroyed: used until exit
  return *cache;
}

}  // namespace

void Close(sqlite3* db) {
  if (db == nullptr) return;
  for (sqlite3_stmt* stmt : Cache().Close(db)) sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
  stmt_ = Cache().Take(db, sql, &prepare_rc_);
}

Statement::~Statement() {
  if (stmt_ != nullptr) Cache().Give(db_, stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (stmt_)
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

core::Result<bool> Statement::Step() {
  if (stmt_ == nullptr) return FromSqlite(db_, prepare_rc_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  sqlite3_reset(stmt_);
  if (rc == SQLITE_DONE) return false;
  return FromSqlite(db_, rc);
}

core::Status Statement::Run() {
  auto stepped = Step();
  if (!stepped.ok()) return stepped.status();
  Reset();
  return core::OkStatus();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (stmt_) {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  }
  return *this;
}

std::string Statement::Blob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return bytes ? std::string(static_cast<const char*>(bytes), static_cast<size_t>(size)) : "";
}

std::string Statement::Text(int column) const { return std::string(TextView(column)); }

std::string_view Statement::TextView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int bytes = sqlite3_column_bytes(stmt_, column);
  return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(bytes))
              : std::string_view();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

core::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  return FromSqlite(db, rc);
}

}  // namespace jcm::store::sqlite
