#include "store/memory/memory_credential_store.h"

namespace jcm::store {

core::Result<std::optional<UserSecrets>> MemoryCredentialStore::FindUserSecrets(
    const std::string& user) {
  std::lock_guard lock(mu_);
  auto it = users_.find(user);
  if (it == users_.end()) return std::optional<UserSecrets>();
  return std::optional<UserSecrets>(it->second);
}

core::Status MemoryCredentialStore::SetPasswordHash(const std::string& user,
                                                    const std::string& phc) {
  std::lock_guard lock(mu_);
  users_[user].password_phc = phc;
  return core::OkStatus();
}

core::Status MemoryCredentialStore::SetTotpKey(const std::string& user, const std::string& key,
                                               const std::string& algorithm) {
  std::lock_guard lock(mu_);
  UserSecrets& secrets = users_[user];
  secrets.totp_key = key;
  secrets.totp_algorithm = algorithm;
  secrets.totp_last_step.reset();
  return core::OkStatus();
}

core::Result<bool> MemoryCredentialStore::ClaimTotpStep(const std::string& user, int64_t step) {
  std::lock_guard lock(mu_);
  auto it = users_.find(user);
  if (it == users_.end() || it->second.totp_key.empty()) {
    return core::FailedPrecondition("user '" + user + "' has no TOTP key");
  }
  if (it->second.totp_last_step && *it->second.totp_last_step >= step) return false;
  it->second.totp_last_step = step;
  return true;
}

core::Status MemoryCredentialStore::PutToken(const ApiTokenRecord& token) {
  std::lock_guard lock(mu_);
  if (!tokens_.emplace(token.id, token).second) {
    return core::AlreadyExists("a token with id " + token.id + " exists");
  }
  return core::OkStatus();
}

core::Result<std::optional<ApiTokenRecord>> MemoryCredentialStore::FindToken(
    const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return std::optional<ApiTokenRecord>();
  return std::optional<ApiTokenRecord>(it->second);
}

core::Result<bool> MemoryCredentialStore::RevokeToken(const std::string& id, int64_t at_s) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return core::NotFound("no token with id " + id);
  if (it->second.revoked_at_s) return false;
  it->second.revoked_at_s = at_s;
  return true;
}

core::Result<std::vector<ApiTokenRecord>> MemoryCredentialStore::ListTokens(
    const std::string& user) {
  std::lock_guard lock(mu_);
  std::vector<ApiTokenRecord> out;
  for (const auto& [id, token] : tokens_) {
    if (user.empty() || token.user == user) out.push_back(token);
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, UserSecrets>>>
MemoryCredentialStore::ListUserSecrets() {
  std::lock_guard lock(mu_);
  return std::vector<std::pair<std::string, UserSecrets>>(users_.begin(), users_.end());
}

}  // namespace jcm::store
