// OpenStore: the one place that turns what --db names into a store: a PostgreSQL connection URI
// (postgresql://… or postgres://…) opens the PostgreSQL adapter, anything else is the path of
// an SQLite registry file. Every front end (the CLI's commands, `jcm serve`, `jcm migrate`, the
// benchmarks and the crash loader) opens its store through it, so a URI is accepted wherever a
// file is.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace jcm::store {

// Opens `db` in `mode` (store.h OpenMode) with each adapter's default options. `clock` must
// outlive the store.
core::Result<std::unique_ptr<Store>> OpenStore(const std::string& db, Clock& clock, OpenMode mode);

}  // namespace jcm::store
