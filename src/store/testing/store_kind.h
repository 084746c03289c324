// The stores the conformance suite runs against (docs/testing.md, "One conformance suite"): the
// memory store (the reference), SQLite and PostgreSQL. A conformance test binary is built twice
// from the same source: without JCM_TEST_POSTGRES_STATE it runs the memory and SQLite stores;
// with it (the directory where the CTest fixture `postgres` keeps the server's URI) it runs the
// PostgreSQL store alone, so that only those tests depend on the server.
#pragma once

#include <string>
#include <tuple>
#include <vector>

namespace jcm::store {

enum class StoreKind { kMemory, kSqlite, kPostgres };

inline std::string StoreKindName(StoreKind kind) {
  switch (kind) {
    case StoreKind::kMemory:
      return "memory";
    case StoreKind::kSqlite:
      return "sqlite";
    case StoreKind::kPostgres:
      return "postgres";
  }
  return "?";
}

// A GoogleTest name for a parameter (store kind, number): "sqlite_3".
template <typename ParamInfo>
std::string StoreAndNumberName(const ParamInfo& info) {
  return StoreKindName(std::get<0>(info.param)) + "_" + std::to_string(std::get<1>(info.param));
}

inline std::vector<StoreKind> ConformanceStoreKinds() {
#ifdef JCM_TEST_POSTGRES_STATE
  return {StoreKind::kPostgres};
#else
  return {StoreKind::kMemory, StoreKind::kSqlite};
#endif
}

}  // namespace jcm::store
