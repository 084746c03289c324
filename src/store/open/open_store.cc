#include "store/open/open_store.h"

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::store {

core::Result<std::unique_ptr<Store>> OpenStore(const std::string& db, Clock& clock, OpenMode mode) {
  if (IsPostgresUri(db)) return OpenPostgresStore(db, clock, {.mode = mode});
  return OpenSqliteStore(db, clock, {.mode = mode});
}

}  // namespace jcm::store
