// Test-only: the PostgreSQL server the CTest fixture `postgres` started
// (tests/postgres/postgres_server.sh), and a fresh schema of it per test, so tests run in
// parallel on one server without seeing each other's registries.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <string>

#include "store/postgres/postgres_store.h"

namespace jcm::store {

// The superuser URI of the fixture's server; "" (and a test failure) when there is none.
inline std::string TestPostgresUri() {
#ifdef JCM_TEST_POSTGRES_STATE
  std::ifstream file(std::string(JCM_TEST_POSTGRES_STATE) + "/uri");
  std::string uri;
  std::getline(file, uri);
  if (!uri.empty()) return uri;
#endif
  ADD_FAILURE() << "no PostgreSQL test server: run this test through ctest (fixture postgres)";
  return "";
}

// A schema name from `name` (lower-case letters, digits and _, at most 63 bytes, unique per
// name and process).
inline std::string TestSchemaName(const std::string& name) {
  std::string schema = "t";
  for (const char c : name) {
    schema += std::isalnum(static_cast<unsigned char>(c))
                  ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                  : '_';
  }
  schema = schema.substr(0, 36) + "_" + std::to_string(std::hash<std::string>{}(name) % 1000000) +
           "_" + std::to_string(::getpid());
  return schema;
}

// Drops and creates `schema` on the test server; returns a URI whose current schema it is.
inline std::string FreshPostgresSchema(const std::string& schema) {
  const std::string uri = TestPostgresUri();
  if (uri.empty()) return "";
  const core::Status made =
      ExecutePostgres(uri, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  EXPECT_TRUE(made.ok()) << made.ToString();
  return uri + "?options=-csearch_path%3D" + schema;
}

// Empties every table of the registry at `uri` but jcm_schema (one transaction, foreign keys
// not checked): a fresh registry at a fraction of the cost of a new schema, for tests that need
// thousands of them.
inline void ClearPostgresRegistry(const std::string& uri) {
  const core::Status cleared = ExecutePostgres(
      uri,
      "BEGIN; SET LOCAL session_replication_role = replica; DO $$ DECLARE t text; BEGIN FOR t IN "
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> "
      "'jcm_schema' LOOP EXECUTE format('DELETE FROM %I', t); END LOOP; END $$; COMMIT");
  EXPECT_TRUE(cleared.ok()) << cleared.ToString();
}

}  // namespace jcm::store
