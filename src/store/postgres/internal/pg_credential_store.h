// Internal to the PostgreSQL adapter: the CredentialStore of a PostgresStore, on its connection
// and under its connection mutex (tables of migration 6, docs/formats/store.md "Credentials").
// Each call is one autocommit statement (or two reads), durable when it returns.
#pragma once

#include <mutex>

#include "store/credential_store.h"
#include "store/postgres/internal/connection.h"

namespace jcm::store::postgres {

class PgCredentialStore final : public CredentialStore {
 public:
  // `db` and `db_mu` belong to the owning store and must outlive this object.
  PgCredentialStore(Connection& db, std::mutex& db_mu) : db_(db), db_mu_(db_mu) {}

  core::Result<std::optional<UserSecrets>> FindUserSecrets(const std::string& user) override;
  core::Status SetPasswordHash(const std::string& user, const std::string& phc) override;
  core::Status SetTotpKey(const std::string& user, const std::string& key,
                          const std::string& algorithm) override;
  core::Result<bool> ClaimTotpStep(const std::string& user, int64_t step) override;
  core::Status PutToken(const ApiTokenRecord& token) override;
  core::Result<std::optional<ApiTokenRecord>> FindToken(const std::string& id) override;
  core::Result<bool> RevokeToken(const std::string& id, int64_t at_s) override;
  core::Result<std::vector<ApiTokenRecord>> ListTokens(const std::string& user) override;
  core::Result<std::vector<std::pair<std::string, UserSecrets>>> ListUserSecrets() override;

 private:
  Connection& db_;
  std::mutex& db_mu_;
};

}  // namespace jcm::store::postgres
