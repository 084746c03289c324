// The PostgreSQL adapter of store::Store: several processes on one database (docs/formats/store.md
// "PostgreSQL").
//
// Durability: every session runs with synchronous_commit = on, so a Submit() that returned has
// been flushed to the server's WAL (acknowledged means durable). Concurrency: every write
// transaction first takes the registry's transaction-level advisory lock, so write batches of
// all processes are serialised and each is decided (READ COMMITTED, statements after the lock)
// against the state the previous one committed: the journal's hash chain stays one sequence.
// Group commit: concurrent Submit() calls of one process are taken by one leader thread and
// written in one transaction (one WAL flush). A rejected command writes nothing (ledger::Decide
// never writes), so it needs no savepoint.
//
// A lost connection (server restart, network) is re-established with bounded back-off. When
// it is lost during a write batch's COMMIT, the store learns whether the batch committed by
// looking for the batch's last journal entry (its seq and hash) on the new connection: found,
// the outcomes stand; not found, the batch runs again from the start. Nothing is applied twice
// (a keyed command is also caught by its idempotency key) and nothing acknowledged is lost.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace jcm::store {

struct PostgresOptions {
  int64_t batch_commands_max = 256;  // commands per write batch (group commit)
  OpenMode mode = OpenMode::kCreate;
  int reconnect_attempts = 6;          // per lost connection; 0.1+0.2+…+2 s ≈ 5 s in all
  int reconnect_first_delay_ms = 100;  // doubled after each failed attempt, at most 2 s
};

// Is `db` a PostgreSQL connection URI (postgresql://… or postgres://…) rather than a file?
bool IsPostgresUri(std::string_view db);

// Opens the registry in the current schema of the database `uri` names (a libpq connection
// URI; `options=-csearch_path%3DS` selects schema S) in `options.mode`: only kCreate turns an
// empty schema into a registry; a schema with other relations is refused (kFailedPrecondition)
// before anything is written; read-write modes migrate. kUnavailable when the server cannot be
// reached. `clock` must outlive the store.
core::Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, Clock& clock,
                                                       PostgresOptions options = {});

// The server's WAL insert position in bytes (pg_current_wal_lsn()), read on a new connection
// to `uri`: the difference of two is the WAL written in between, for benchmarks.
core::Result<int64_t> PostgresWalPosition(const std::string& uri);

// Runs `sql` (one or more statements, no parameters) on a new connection to `uri`: for tests
// and tools that prepare a database (create a schema) or tamper with one behind the store.
core::Status ExecutePostgres(const std::string& uri, const std::string& sql);

}  // namespace jcm::store
