#include "store/sqlite/internal/open.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "store/sqlite/internal/schema.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {
namespace {

// "file:PATH?immutable=1", with the characters a URI reserves %-escaped.
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '%' || c == '?' || c == '#' || byte <= 0x20 || byte >= 0x7f) {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned>(byte));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

// SQLite's memory statistics, on by default, take one process-wide mutex on every allocation
// and free, so the read connections and the group commit's leader waited for one another on it
// (two of the leader's sleeps in each batch of signed approvals; docs/api.md "Benchmark",
// lever 14). jcm never reads them. sqlite3_config must precede SQLite's initialisation, which
// the first open does; if something else initialised it first, the statistics stay on.
void ConfigureProcessOnce() {
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

core::Result<sqlite3*> Connect(const std::string& name, int flags, const std::string& path,
                               int busy_timeout_ms) {
  ConfigureProcessOnce();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    core::Status status = FromSqlite(db, rc, path);
    Close(db);
    return status;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return db;
}

// Switching to WAL takes a lock SQLite's busy handler does not wait for (another process reading
// the file in its old journal mode, e.g. a concurrent jcm init): retry until the busy timeout.
// A private temporary database (path "") has no WAL and no other process to share it with.
core::Status EnableWal(sqlite3* db, int busy_timeout_ms) {
  const char* file = sqlite3_db_filename(db, "main");
  if (file == nullptr || *file == '\0') return core::OkStatus();  // a private temporary database
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (const char* pragma = "PRAGMA journal_mode";; pragma = "PRAGMA journal_mode = WAL") {
    Statement mode(db, pragma);
    auto row = mode.Step();
    const std::string now = row.ok() && *row ? mode.Text(0) : "";
    mode.Reset();
    if (now == "wal") return core::OkStatus();
    const bool busy = !row.ok() && row.status().code() == core::StatusCode::kUnavailable;
    if (!row.ok() && !busy) return row.status();
    if (std::chrono::steady_clock::now() >= deadline) {
      return busy ? row.status() : FromSqlite(db, SQLITE_BUSY);
    }
    if (std::string_view(pragma) != "PRAGMA journal_mode") {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

// A read-write connection: recognised before anything is written, then WAL, then migrated.
core::Status PrepareWritable(sqlite3* db, bool create, int busy_timeout_ms) {
  JCM_ASSIGN_OR_RETURN(Recognised seen, Recognise(db));
  JCM_RETURN_IF_ERROR(RequireRegistry(db, seen, create));
  JCM_RETURN_IF_ERROR(EnableWal(db, busy_timeout_ms));
  // temp_store = MEMORY keeps the statement journals of a batch's savepoints (one per command)
  // in memory: on disk, each page a command changed was first written to a temporary file, a
  // tenth of a signed approval's time in the write batch (docs/api.md "Benchmark", lever 10).
  JCM_RETURN_IF_ERROR(
      Exec(db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"));
  return Migrate(db, create);
}

// SQLite cannot read a WAL database in a directory where it may not create the WAL index.
bool NeedsImmutable(sqlite3* db) {
  const int code = sqlite3_errcode(db) & 0xff;
  return code == SQLITE_CANTOPEN || code == SQLITE_READONLY;
}

core::Result<OpenedConnection> OpenReadOnly(const std::string& path, int busy_timeout_ms,
                                            bool may_upgrade) {
  OpenedConnection opened;
  JCM_ASSIGN_OR_RETURN(opened.db, Connect(path, SQLITE_OPEN_READONLY, path, busy_timeout_ms));
  auto seen = Recognise(opened.db);
  if (!seen.ok() && NeedsImmutable(opened.db)) {
    Close(opened.db);
    JCM_ASSIGN_OR_RETURN(
        opened.db,
        Connect(ImmutableUri(path), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, path, busy_timeout_ms));
    opened.immutable = true;
    seen = Recognise(opened.db);
  }
  core::Status status = seen.ok() ? RequireRegistry(opened.db, *seen, false) : seen.status();
  const bool older = status.ok() && seen->schema_version < kSchemaVersion;
  if (status.ok() && !older) return opened;
  Close(opened.db);
  if (!older) return status;
  // An older schema cannot be read as this program reads: upgrade it (a change of format, not
  // of content) through a read-write connection, then read.
  auto upgraded = OpenRegistry(path, OpenMode::kReadWrite, busy_timeout_ms);
  if (!upgraded.ok() || !may_upgrade) {
    return core::FailedPrecondition(
        "registry " + path + " has schema version " + std::to_string(seen->schema_version) +
        ", older than this jcm's (" + std::to_string(kSchemaVersion) +
        "), and cannot be upgraded here: " +
        (upgraded.ok() ? std::string("upgrade did not hold") : upgraded.status().message()));
  }
  Close(upgraded->db);
  return OpenReadOnly(path, busy_timeout_ms, /*may_upgrade=*/false);
}

}  // namespace

core::Result<OpenedConnection> OpenRegistry(const std::string& path, OpenMode mode,
                                            int busy_timeout_ms) {
  struct stat info {};
  if (mode != OpenMode::kCreate && stat(path.c_str(), &info) != 0) {
    return core::NotFound("no registry at " + path + ": the file does not exist (jcm init --db " +
                          path + " creates one)");
  }
  if (mode == OpenMode::kReadOnly) return OpenReadOnly(path, busy_timeout_ms, true);
  const bool create = mode == OpenMode::kCreate;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  OpenedConnection opened;
  JCM_ASSIGN_OR_RETURN(opened.db, Connect(path, flags, path, busy_timeout_ms));
  core::Status status = PrepareWritable(opened.db, create, busy_timeout_ms);
  if (!status.ok()) {
    Close(opened.db);
    return status;
  }
  return opened;
}

core::Result<OpenedConnection> OpenSnapshot(sqlite3* of, bool immutable, int busy_timeout_ms) {
  const char* file = sqlite3_db_filename(of, "main");
  const std::string path = file != nullptr ? file : "";
  OpenedConnection opened;
  opened.immutable = immutable;
  JCM_ASSIGN_OR_RETURN(opened.db, Connect(immutable ? ImmutableUri(path) : path,
                                          SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0),
                                          path, busy_timeout_ms));
  // A deferred transaction's snapshot is taken by its first read.
  core::Status status = Exec(opened.db, "BEGIN; SELECT COUNT(*) FROM sqlite_schema;");
  if (!status.ok()) {
    Close(opened.db);
    return status;
  }
  return opened;
}

core::Result<sqlite3*> OpenReader(sqlite3* of, int busy_timeout_ms) {
  const char* file = sqlite3_db_filename(of, "main");
  if (file == nullptr || *file == '\0') return static_cast<sqlite3*>(nullptr);
  return Connect(file, SQLITE_OPEN_READONLY, file, busy_timeout_ms);
}

}  // namespace jcm::store::sqlite
