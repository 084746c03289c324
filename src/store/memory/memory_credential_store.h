// The in-memory CredentialStore of the memory store (store/credential_store.h): the reference
// the SQLite adapter is tested against. Not durable; thread-safe under one mutex.
#pragma once

#include <map>
#include <mutex>

#include "store/credential_store.h"

namespace jcm::store {

class MemoryCredentialStore final : public CredentialStore {
 public:
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
  std::mutex mu_;
  std::map<std::string, UserSecrets> users_;
  std::map<std::string, ApiTokenRecord> tokens_;
};

}  // namespace jcm::store
