// Internal to the SQLite adapter: versioned schema migrations. The schema version is kept in
// PRAGMA user_version; Migrate() applies every migration above it, each in its own write batch,
// and refuses a database newer than this program (kFailedPrecondition).
#pragma once

#include <sqlite3.h>

#include "core/status.h"

namespace jcm::store::sqlite {

inline constexpr int kSchemaVersion = 7;

core::Status Migrate(sqlite3* db);

}  // namespace jcm::store::sqlite
