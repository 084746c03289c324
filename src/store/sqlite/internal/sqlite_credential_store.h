// Internal to the SQLite adapter: the CredentialStore of a SqliteStore, on its connection and
// under its connection mutex (tables of migration 6, docs/formats/store.md "Credentials").
#pragma once

#include <sqlite3.h>

#include <functional>
#include <mutex>

#include "store/credential_store.h"
#include "store/sqlite/internal/read_pool.h"

namespace jcm::store::sqlite {

class SqliteCredentialStore final : public CredentialStore {
 public:
  // Runs a claim's statements (on `db`, the connection mutex held by the caller) inside the
  // owning store's next write batch and answers its result once that batch has committed.
  using InBatch =
      std::function<core::Result<bool>(const std::function<core::Result<bool>()>& claim)>;

  // `db`, `db_mu` and `reads` belong to the owning store and must outlive this object. With
  // `in_batch`, ClaimTotpStep commits in the store's group commit, beside the commands submitted
  // meanwhile, instead of as a write of its own (one fsync fewer per signed approval, docs/api.md
  // "Benchmark"); without, it is an autocommit statement under `db_mu`. The reads run on
  // `reads`, so they need not wait for a write batch holding `db_mu` through its fsync; each is
  // one statement, so it reads one committed state.
  SqliteCredentialStore(sqlite3* db, std::mutex& db_mu, ReadPool& reads, InBatch in_batch = nullptr)
      : db_(db), db_mu_(db_mu), reads_(reads), in_batch_(std::move(in_batch)) {}

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
  sqlite3* db_;
  std::mutex& db_mu_;
  ReadPool& reads_;
  InBatch in_batch_;
};

// Records `step` as `user`'s last accepted TOTP step on `db` when it is later than the one
// recorded (true); false when it is not; FailedPrecondition when the user has no TOTP key.
// One UPDATE, so SQLite's write lock makes the compare-and-set atomic across processes.
// REQUIRES: the connection's mutex held; inside the caller's write transaction, or autocommit.
core::Result<bool> ClaimTotpStepOn(sqlite3* db, const std::string& user, int64_t step);

}  // namespace jcm::store::sqlite
