// Internal to the PostgreSQL adapter: writing a whole registry image (jcm migrate) into an
// empty registry, row for row, inside the caller's write transaction (which holds the write
// lock). Large tables go in as arrays of 10,000 rows per statement (unnest), so a registry of a
// million blocks costs a hundred round trips, not a million.
#pragma once

#include "core/status.h"
#include "store/postgres/internal/connection.h"
#include "store/store.h"

namespace jcm::store::postgres {

// kFailedPrecondition when the registry's journal is not empty.
core::Status RestoreImage(Connection& db, const RegistryImage& image);

}  // namespace jcm::store::postgres
