// The SQLite adapter of store::Store: the embedded default store.
//
// Durability: WAL with synchronous=FULL, so a Submit() that returned has been fsynced
// (acknowledged means durable). Group commit: concurrent Submit() calls are taken by one
// leader thread and written in a single write batch (one SQLite transaction, one fsync); each
// command runs inside its own SAVEPOINT so a rejected one is rolled back alone. The leader keeps
// the lead while more is queued, at most leader_batches_max batches in a row (INV-71).
// Other processes may open the same file; SQLite's locking serialises their write batches.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace jcm::store {

struct SqliteOptions {
  int64_t batch_commands_max = 256;  // commands per write batch (group commit)
  // Write batches one thread leads in a row while more is queued, before it hands the lead over
  // and returns to its own caller (≥ 1; sqlite_store.cc Enqueue, INV-71).
  int64_t leader_batches_max = 8;
  int busy_timeout_ms = 10'000;  // wait for another process's write batch
  // Read-only connections a read-write store reads its committed state on, side by side (more
  // than the cores: a read also waits for the disk); 0 reads on the write connection.
  int read_connections = 4;
  // kCreate by default for tests and benchmarks; the CLI passes each command's mode.
  OpenMode mode = OpenMode::kCreate;
};

// Opens the registry at `path` in `options.mode` (store.h OpenMode; docs/formats/store.md
// "Opening a registry"): only kCreate creates a file; a file that is not a jcm registry is
// refused (kFailedPrecondition, kNotFound when absent) before anything is written to it; read-
// write modes switch to WAL and migrate. Errors name the file and the cause, never SQL.
// `clock` must outlive the store.
core::Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, Clock& clock,
                                                     SqliteOptions options = {});

}  // namespace jcm::store
