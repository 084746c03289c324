#include "store/sqlite/internal/sqlite_credential_store.h"
#include "store/sqlite/internal/statement.h"

namespace jcm::store::sqlite {
namespace {

// Changes of the last statement on `db`; REQUIRES: the connection mutex held.
int64_t Changes(sqlite3* db) { return sqlite3_changes64(db); }

#define JCM_TOKEN_COLUMNS                                                           \
  "id, user, secret_sha256, scope, issued_at, expires_at, revoked_at IS NOT NULL, " \
  "COALESCE(revoked_at, 0)"

ApiTokenRecord TokenFromRow(const Statement& row) {
  ApiTokenRecord token{row.Text(0), row.Text(1), row.Text(2), row.Text(3),
                       row.Int(4),  row.Int(5),  std::nullopt};
  if (row.Int(6) != 0) token.revoked_at_s = row.Int(7);
  return token;
}

}  // namespace

core::Result<std::optional<UserSecrets>> SqliteCredentialStore::FindUserSecrets(
    const std::string& user) {
  ReadPool::Lease read(reads_);
  Statement q(read.db(),
              "SELECT password_phc, totp_key, totp_algorithm, totp_last_step IS NOT NULL, "
              "COALESCE(totp_last_step, 0) FROM user_secrets WHERE user = ?");
  q.Bind(1, user);
  JCM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<UserSecrets>();
  UserSecrets secrets{q.Text(0), q.Blob(1), q.Text(2), std::nullopt};
  if (q.Int(3) != 0) secrets.totp_last_step = q.Int(4);
  q.Reset();
  return std::optional<UserSecrets>(std::move(secrets));
}

core::Status SqliteCredentialStore::SetPasswordHash(const std::string& user,
                                                    const std::string& phc) {
  std::lock_guard lock(db_mu_);
  Statement put(db_,
                "INSERT INTO user_secrets (user, password_phc) VALUES (?1, ?2) "
                "ON CONFLICT (user) DO UPDATE SET password_phc = ?2");
  put.Bind(1, user).Bind(2, phc);
  return put.Run();
}

core::Status SqliteCredentialStore::SetTotpKey(const std::string& user, const std::string& key,
                                               const std::string& algorithm) {
  std::lock_guard lock(db_mu_);
  Statement put(db_,
                "INSERT INTO user_secrets (user, totp_key, totp_algorithm) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (user) DO UPDATE SET totp_key = ?2, totp_algorithm = ?3, "
                "totp_last_step = NULL");
  put.Bind(1, user).BindBlob(2, key).Bind(3, algorithm);
  return put.Run();
}

core::Result<bool> ClaimTotpStepOn(sqlite3* db, const std::string& user, int64_t step) {
  Statement claim_step(db,
                       "UPDATE user_secrets SET totp_last_step = ?2 WHERE user = ?1 AND "
                       "length(totp_key) > 0 AND (totp_last_step IS NULL OR totp_last_step < ?2)");
  claim_step.Bind(1, user).Bind(2, step);
  JCM_RETURN_IF_ERROR(claim_step.Run());
  if (Changes(db) == 1) return true;
  Statement enrolled(db, "SELECT 1 FROM user_secrets WHERE user = ? AND length(totp_key) > 0");
  enrolled.Bind(1, user);
  JCM_ASSIGN_OR_RETURN(bool has_key, enrolled.Step());
  if (!has_key) return core::FailedPrecondition("user '" + user + "' has no TOTP key");
  enrolled.Reset();
  return false;
}

core::Result<bool> SqliteCredentialStore::ClaimTotpStep(const std::string& user, int64_t step) {
  const auto claim = [&]() { return ClaimTotpStepOn(db_, user, step); };
  if (in_batch_) return in_batch_(claim);
  std::lock_guard lock(db_mu_);
  return claim();
}

core::Status SqliteCredentialStore::PutToken(const ApiTokenRecord& token) {
  std::lock_guard lock(db_mu_);
  Statement put(db_,
                "INSERT INTO api_tokens (id, user, secret_sha256, scope, issued_at, expires_at, "
                "revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?7 THEN ?8 END) "
                "ON CONFLICT (id) DO NOTHING");
  put.Bind(1, token.id).Bind(2, token.user).Bind(3, token.secret_sha256).Bind(4, token.scope);
  put.Bind(5, token.issued_at_s).Bind(6, token.expires_at_s);
  put.Bind(7, int64_t{token.revoked_at_s.has_value()}).Bind(8, token.revoked_at_s.value_or(0));
  JCM_RETURN_IF_ERROR(put.Run());
  if (Changes(db_) == 0) return core::AlreadyExists("a token with id " + token.id + " exists");
  return core::OkStatus();
}

core::Result<std::optional<ApiTokenRecord>> SqliteCredentialStore::FindToken(
    const std::string& id) {
  ReadPool::Lease read(reads_);
  Statement q(read.db(), "SELECT " JCM_TOKEN_COLUMNS " FROM api_tokens WHERE id = ?");
  q.Bind(1, id);
  JCM_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return std::optional<ApiTokenRecord>();
  ApiTokenRecord token = TokenFromRow(q);
  q.Reset();
  return std::optional<ApiTokenRecord>(std::move(token));
}

core::Result<bool> SqliteCredentialStore::RevokeToken(const std::string& id, int64_t at_s) {
  std::lock_guard lock(db_mu_);
  Statement revoke(db_,
                   "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  revoke.Bind(1, id).Bind(2, at_s);
  JCM_RETURN_IF_ERROR(revoke.Run());
  if (Changes(db_) == 1) return true;
  Statement exists(db_, "SELECT 1 FROM api_tokens WHERE id = ?");
  exists.Bind(1, id);
  JCM_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return core::NotFound("no token with id " + id);
  exists.Reset();
  return false;
}

core::Result<std::vector<ApiTokenRecord>> SqliteCredentialStore::ListTokens(
    const std::string& user) {
  ReadPool::Lease read(reads_);
  Statement q(read.db(), "SELECT " JCM_TOKEN_COLUMNS
                         " FROM api_tokens WHERE ?1 = '' OR user = ?1 ORDER BY id");
  q.Bind(1, user);
  std::vector<ApiTokenRecord> out;
  while (true) {
    JCM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(TokenFromRow(q));
  }
}

core::Result<std::vector<std::pair<std::string, UserSecrets>>>
SqliteCredentialStore::ListUserSecrets() {
  ReadPool::Lease read(reads_);
  Statement q(read.db(),
              "SELECT user, password_phc, totp_key, totp_algorithm, totp_last_step IS NOT NULL, "
              "COALESCE(totp_last_step, 0) FROM user_secrets ORDER BY user");
  std::vector<std::pair<std::string, UserSecrets>> out;
  while (true) {
    JCM_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    UserSecrets secrets{q.Text(1), q.Blob(2), q.Text(3), std::nullopt};
    if (q.Int(4) != 0) secrets.totp_last_step = q.Int(5);
    out.emplace_back(q.Text(0), std::move(secrets));
  }
}

}  // namespace jcm::store::sqlite
