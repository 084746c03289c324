// Internal to `jcm bench ledger`: where it measures. Without --db, SQLite files in a scratch
// directory (the default); with --db postgresql://…, one schema per registry in that database
// (jcm_bench_ledger, jcm_bench_small, jcm_bench_large), each dropped and made again before it is
// used and dropped afterwards — the bench may empty what it finds under those names, nothing
// else. A "place" below is either an SQLite file's path or such a schema's URI.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace jcm::bench {

// The URI of schema `schema` of the database `uri` names (libpq's options=-csearch_path).
std::string SchemaUri(const std::string& uri, const std::string& schema);

// Removes what is at `place` (a file and its WAL companions, or the schema), ignoring absence.
void RemoveBenchPlace(const std::string& place);

// An empty place made anew (the schema created; nothing for a file: the store creates it).
core::Status ResetBenchPlace(const std::string& place);

// The store at `place`, created when empty (kCreate).
core::Result<std::unique_ptr<store::Store>> OpenBenchStore(const std::string& place,
                                                           store::Clock& clock);

// Copies the registry of the SQLite file `fixture` (registry_fixture.h) into the empty schema
// `place` (Store::Restore: the journal and the tables row for row, in one transaction).
core::Status CopyFixture(const std::string& fixture, const std::string& place, store::Clock& clock);

}  // namespace jcm::bench
