// jcm migrate: copying a whole registry from one store into another, empty one (an SQLite file
// into PostgreSQL, or back), row for row: the journal with its times and hashes, the tables it
// derives, the documents and the secrets of identity and access (docs/formats/store.md
// "Copying a registry"). The copy is read from one snapshot of the source and written in one
// transaction of the target; both are then audited, and their journal heads must agree.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "service/audit_service.h"
#include "store/store.h"

namespace jcm::service {

struct MigrationReport {
  int64_t documents = 0;
  int64_t users = 0;  // users with stored secrets
  int64_t tokens = 0;
  AuditReport source;  // jcm audit verify of each side after the copy
  AuditReport target;
  bool ok() const { return source.ok() && target.ok() && source.head_hash == target.head_hash; }
};

// kFailedPrecondition when `to` already holds a registry or an adapter cannot list or restore
// what the copy needs; kDataLoss when the target's journal head differs from the source's after
// the copy (never expected: the rows are copied as they are).
core::Result<MigrationReport> MigrateRegistry(store::Store& from, store::Store& to);

}  // namespace jcm::service
