// CredentialStore: where the secrets of identity and access live — the only place they do.
//
// The journal records who was created, granted, enrolled or signed in (identity.*), never a
// secret; this port keeps what proving an identity needs: a user's Argon2id PHC string, their
// TOTP key and the last TOTP step they used, and API tokens by id with the SHA-256 of their
// secret, their scope, expiry and revocation. Each call is one durable write or read (SQLite:
// autocommit), thread-safe. The secrets are the caller's bytes: this port neither hashes nor
// checks them (src/identity does). Layout: docs/formats/store.md, "Credentials".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace jcm::store {

struct UserSecrets {
  std::string password_phc;    // empty: no password set
  std::string totp_key;        // raw key bytes; empty: not enrolled
  std::string totp_algorithm;  // "SHA1" or "SHA256" (identity/totp.h); empty when not enrolled
  std::optional<int64_t> totp_last_step;  // the last TOTP step accepted (replay guard)
  friend bool operator==(const UserSecrets&, const UserSecrets&) = default;
};

struct ApiTokenRecord {
  std::string id;  // public, shown in lists and journaled
  std::string user;
  std::string secret_sha256;  // hex SHA-256 of the secret; the secret itself is never stored
  std::string scope;          // role texts separated by spaces (identity/access.h)
  int64_t issued_at_s = 0;    // Unix seconds
  int64_t expires_at_s = 0;
  std::optional<int64_t> revoked_at_s;
  friend bool operator==(const ApiTokenRecord&, const ApiTokenRecord&) = default;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;

  // nullopt when nothing was ever stored for `user`.
  virtual core::Result<std::optional<UserSecrets>> FindUserSecrets(const std::string& user) = 0;
  virtual core::Status SetPasswordHash(const std::string& user, const std::string& phc) = 0;
  // Replaces the TOTP key and forgets the last step used.
  virtual core::Status SetTotpKey(const std::string& user, const std::string& key,
                                  const std::string& algorithm) = 0;
  // Records `step` as the user's last accepted TOTP step when it is later than the one recorded
  // (true), atomically, so two processes cannot both accept the same code; false when it is not
  // (a replay). FailedPrecondition when the user has no TOTP key.
  virtual core::Result<bool> ClaimTotpStep(const std::string& user, int64_t step) = 0;

  // AlreadyExists when a token of that id exists.
  virtual core::Status PutToken(const ApiTokenRecord& token) = 0;
  virtual core::Result<std::optional<ApiTokenRecord>> FindToken(const std::string& id) = 0;
  // Sets revoked_at_s when not yet revoked (true); false when already revoked. NotFound when no
  // token has that id.
  virtual core::Result<bool> RevokeToken(const std::string& id, int64_t at_s) = 0;
  // A user's tokens in id order (all users' when `user` is empty).
  virtual core::Result<std::vector<ApiTokenRecord>> ListTokens(const std::string& user) = 0;
  // Every user's secrets in user order (jcm migrate copies them). The default is for stores
  // that cannot list them: kFailedPrecondition.
  virtual core::Result<std::vector<std::pair<std::string, UserSecrets>>> ListUserSecrets() {
    return core::FailedPrecondition("this credential store cannot list its users");
  }
};

}  // namespace jcm::store
