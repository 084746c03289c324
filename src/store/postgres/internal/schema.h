// Internal to the PostgreSQL adapter: recognising a registry and its versioned schema
// migrations (docs/formats/store.md "PostgreSQL"). A registry is the set of jcm tables in one
// schema (the connection's current_schema(), `public` unless the URI's options set search_path);
// it is recognised by its table jcm_schema (application id "JCMR" and the schema version). The
// migrations are numbered like the SQLite store's, so schema version N has the same tables in
// both stores.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/postgres/internal/connection.h"

namespace jcm::store::postgres {

inline constexpr int64_t kSchemaVersion = 14;
// jcm_schema.application_id of a jcm registry: the ASCII bytes "JCMR", as in SQLite's PRAGMA.
inline constexpr int64_t kApplicationId = 0x4A434D52;

// The advisory lock every write transaction of a registry takes first (and the migration too):
// "SELECT pg_advisory_xact_lock(kApplicationId, hashtext(current_schema()))", so two registries
// in different schemas of one database never wait for each other.
inline constexpr const char* kTakeWriteLock =
    "SELECT pg_advisory_xact_lock(1245924690, hashtext(current_schema()))";

// Refuses (kFailedPrecondition, naming the database and what it holds instead) anything but a
// registry this program can read or, with `allow_empty`, a schema with no relations; then brings
// the registry to kSchemaVersion under the write lock, re-reading the version under it
// (another process may have created or migrated it meanwhile), all migrations in one
// transaction. With `allow_empty` an empty schema becomes a registry (jcm init).
core::Status Migrate(Connection& connection, bool allow_empty);

}  // namespace jcm::store::postgres
