// Internal to the SQLite adapter: recognising a registry file and its versioned schema
// migrations (docs/formats/store.md). A registry is recognised by PRAGMA application_id
// (kApplicationId), or, for files of schema versions 1-4 (before migration 5 set it), by its
// tables; the schema version is kept in PRAGMA user_version.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "core/status.h"

namespace jcm::store::sqlite {

inline constexpr int kSchemaVersion = 14;
// PRAGMA application_id of a jcm registry: the ASCII bytes "JCMR" (0x4A434D52).
inline constexpr int32_t kApplicationId = 0x4A434D52;
inline constexpr int64_t kFirstVersionWithApplicationId = 5;

enum class FileKind {
  kRegistry,  // a jcm registry (any schema version)
  kEmpty,     // an empty database (a new or 0-byte file): only `jcm init` may make it a registry
  kForeign,   // anything else: another program's database
};

struct Recognised {
  FileKind kind = FileKind::kEmpty;
  int64_t schema_version = 0;
  std::string description;  // for kForeign: what was found instead ("application_id 42", …)
};

// Reads what the file is (a read transaction of its own; writes nothing).
core::Result<Recognised> Recognise(sqlite3* db);

// OK for a registry this program can read (its schema not newer than kSchemaVersion) and, with
// `allow_empty`, for an empty database; otherwise kFailedPrecondition naming the file and what
// it is instead.
core::Status RequireRegistry(sqlite3* db, const Recognised& recognised, bool allow_empty);

// Brings the file to kSchemaVersion. Safe to race with other processes doing the same: it takes
// the write lock first (BEGIN IMMEDIATE, waiting for the busy timeout), recognises the file
// again under it (another process may have created or migrated it meanwhile) and applies every
// migration above its version in that one transaction. A current registry costs one read and no
// lock. With `allow_empty` an empty database becomes a registry (jcm init).
core::Status Migrate(sqlite3* db, bool allow_empty);

}  // namespace jcm::store::sqlite
