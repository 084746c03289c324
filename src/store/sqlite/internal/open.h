// Internal to the SQLite adapter: opening a registry file (docs/formats/store.md "Opening a
// registry"). Only OpenMode::kCreate creates a file; every mode refuses a file that is not a jcm
// registry before writing anything to it, so a mistyped path or another program's database is
// never created, switched to WAL or given jcm tables.
#pragma once

#include <sqlite3.h>

#include <string>

#include "core/status.h"
#include "store/store.h"

namespace jcm::store::sqlite {

struct OpenedConnection {
  sqlite3* db = nullptr;  // owned by the caller (sqlite::Close)
  // Opened with immutable=1: a read-only registry in a directory where SQLite cannot create the
  // WAL index (-shm); nothing can write the file while that is so.
  bool immutable = false;
};

// A connection to the registry at `path` in `mode`, recognised, in WAL mode and migrated (read-
// write modes), or read-only without any write (kReadOnly: an older schema is first upgraded
// through a read-write connection). Errors name the file and the cause.
core::Result<OpenedConnection> OpenRegistry(const std::string& path, OpenMode mode,
                                            int busy_timeout_ms);

// A second, read-only connection to the database of `of` inside an open read transaction: what
// Store::Snapshot reads from.
core::Result<OpenedConnection> OpenSnapshot(sqlite3* of, bool immutable, int busy_timeout_ms);

// A second, read-only connection to the database of `of` (a read-write connection in WAL mode),
// in autocommit: each statement reads the state committed when it starts, without waiting for
// the write batch that `of` may have in flight (WAL lets readers run beside the writer). nullptr
// when `of` is a private temporary database, which no other connection can open.
core::Result<sqlite3*> OpenReader(sqlite3* of, int busy_timeout_ms);

}  // namespace jcm::store::sqlite
