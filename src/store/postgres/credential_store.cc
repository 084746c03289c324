#include "store/postgres/internal/pg_credential_store.h"

namespace jcm::store::postgres {
namespace {

#define JCM_PG_TOKEN_COLUMNS "id, \"user\", secret_sha256, scope, issued_at, expires_at, revoked_at"

ApiTokenRecord TokenFromRow(const Rows& rows, int row) {
  ApiTokenRecord token{rows.Text(row, 0), rows.Text(row, 1), rows.Text(row, 2), rows.Text(row, 3),
                       rows.Int(row, 4),  rows.Int(row, 5),  std::nullopt};
  if (!rows.IsNull(row, 6)) token.revoked_at_s = rows.Int(row, 6);
  return token;
}

}  // namespace

core::Result<std::optional<UserSecrets>> PgCredentialStore::FindUserSecrets(
    const std::string& user) {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT password_phc, totp_key, totp_algorithm, totp_last_step "
                                "FROM user_secrets WHERE \"user\" = $1",
                                {P(user)}));
  if (rows.empty()) return std::optional<UserSecrets>();
  UserSecrets secrets{rows.Text(0, 0), rows.Bytes(0, 1), rows.Text(0, 2), std::nullopt};
  if (!rows.IsNull(0, 3)) secrets.totp_last_step = rows.Int(0, 3);
  return std::optional<UserSecrets>(std::move(secrets));
}

core::Status PgCredentialStore::SetPasswordHash(const std::string& user, const std::string& phc) {
  std::lock_guard lock(db_mu_);
  return db_
      .Exec(
          "INSERT INTO user_secrets (\"user\", password_phc) VALUES ($1, $2) "
          "ON CONFLICT (\"user\") DO UPDATE SET password_phc = excluded.password_phc",
          {P(user), P(phc)})
      .status();
}

core::Status PgCredentialStore::SetTotpKey(const std::string& user, const std::string& key,
                                           const std::string& algorithm) {
  std::lock_guard lock(db_mu_);
  return db_
      .Exec(
          "INSERT INTO user_secrets (\"user\", totp_key, totp_algorithm) VALUES ($1, $2, $3) "
          "ON CONFLICT (\"user\") DO UPDATE SET totp_key = excluded.totp_key, "
          "totp_algorithm = excluded.totp_algorithm, totp_last_step = NULL",
          {P(user), Bytes(key), P(algorithm)})
      .status();
}

core::Result<bool> PgCredentialStore::ClaimTotpStep(const std::string& user, int64_t step) {
  std::lock_guard lock(db_mu_);
  // One statement: the row lock of the UPDATE makes the compare-and-set atomic across processes
  // (a concurrent claim waits, then re-checks the condition on the row it committed).
  JCM_ASSIGN_OR_RETURN(Rows claimed,
                       db_.Exec("UPDATE user_secrets SET totp_last_step = $2 WHERE \"user\" = $1 "
                                "AND length(totp_key) > 0 AND "
                                "(totp_last_step IS NULL OR totp_last_step < $2)",
                                {P(user), P(step)}));
  if (claimed.affected() == 1) return true;
  JCM_ASSIGN_OR_RETURN(
      Rows enrolled,
      db_.Exec("SELECT 1 FROM user_secrets WHERE \"user\" = $1 AND length(totp_key) > 0",
               {P(user)}));
  if (enrolled.empty()) return core::FailedPrecondition("user '" + user + "' has no TOTP key");
  return false;
}

core::Status PgCredentialStore::PutToken(const ApiTokenRecord& token) {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(Rows put,
                       db_.Exec("INSERT INTO api_tokens (" JCM_PG_TOKEN_COLUMNS
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
                                {P(token.id), P(token.user), P(token.secret_sha256), P(token.scope),
                                 P(token.issued_at_s), P(token.expires_at_s),
                                 token.revoked_at_s ? P(*token.revoked_at_s) : Null()}));
  if (put.affected() == 0) return core::AlreadyExists("a token with id " + token.id + " exists");
  return core::OkStatus();
}

core::Result<std::optional<ApiTokenRecord>> PgCredentialStore::FindToken(const std::string& id) {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Exec("SELECT " JCM_PG_TOKEN_COLUMNS " FROM api_tokens WHERE id = $1", {P(id)}));
  if (rows.empty()) return std::optional<ApiTokenRecord>();
  return std::optional<ApiTokenRecord>(TokenFromRow(rows, 0));
}

core::Result<bool> PgCredentialStore::RevokeToken(const std::string& id, int64_t at_s) {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(
      Rows revoked,
      db_.Exec("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
               {P(id), P(at_s)}));
  if (revoked.affected() == 1) return true;
  JCM_ASSIGN_OR_RETURN(Rows exists, db_.Exec("SELECT 1 FROM api_tokens WHERE id = $1", {P(id)}));
  if (exists.empty()) return core::NotFound("no token with id " + id);
  return false;
}

core::Result<std::vector<ApiTokenRecord>> PgCredentialStore::ListTokens(const std::string& user) {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(
      Rows rows, db_.Exec("SELECT " JCM_PG_TOKEN_COLUMNS " FROM api_tokens WHERE $1::text = '' OR "
                          "\"user\" = $1::text ORDER BY id",
                          {P(user)}));
  std::vector<ApiTokenRecord> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(TokenFromRow(rows, i));
  return out;
}

core::Result<std::vector<std::pair<std::string, UserSecrets>>>
PgCredentialStore::ListUserSecrets() {
  std::lock_guard lock(db_mu_);
  JCM_ASSIGN_OR_RETURN(Rows rows,
                       db_.Exec("SELECT \"user\", password_phc, totp_key, totp_algorithm, "
                                "totp_last_step FROM user_secrets ORDER BY \"user\""));
  std::vector<std::pair<std::string, UserSecrets>> out;
  for (int i = 0; i < rows.size(); ++i) {
    UserSecrets secrets{rows.Text(i, 1), rows.Bytes(i, 2), rows.Text(i, 3), std::nullopt};
    if (!rows.IsNull(i, 4)) secrets.totp_last_step = rows.Int(i, 4);
    out.emplace_back(rows.Text(i, 0), std::move(secrets));
  }
  return out;
}

}  // namespace jcm::store::postgres
