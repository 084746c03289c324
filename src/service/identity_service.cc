// IdentityService: users, roles, passwords, TOTP enrolment and API tokens (signing in is in
// identity_signin.cc).
#include "service/identity_service.h"

#include <algorithm>

#include "core/sha256.h"
#include "identity/lockout.h"
#include "identity/password_hash.h"
#include "identity/password_policy.h"
#include "identity/random.h"
#include "identity/totp.h"
#include "service/internal/append_attempts.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

using identity::IdentityCheck;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
  }
  return out;
}

std::vector<std::string> SplitScope(const std::string& scope) {
  std::vector<std::string> roles;
  size_t start = 0;
  while (start < scope.size()) {
    size_t end = scope.find(' ', start);
    if (end == std::string::npos) end = scope.size();
    if (end > start) roles.push_back(scope.substr(start, end - start));
    start = end + 1;
  }
  return roles;
}

TokenInfo InfoOf(const store::ApiTokenRecord& record) {
  return TokenInfo{record.id,
                   record.user,
                   SplitScope(record.scope),
                   record.issued_at_s,
                   record.expires_at_s,
                   record.revoked_at_s,
                   ""};
}

Rejection UnknownUser(const std::string& name) {
  return FromIdentity(IdentityCheck::kUserUnknown, "no user named '" + name + "'");
}

core::Record UserBody(const std::string& name, const std::string& by) {
  core::Record body;
  body.Add("user", name);
  if (!by.empty()) body.Add("by", by);
  return body;
}

}  // namespace

Rejection FromIdentity(const identity::Rejection& rejection) {
  return Rejection{rejection.number(), std::string(rejection.name()), rejection.message};
}

Rejection FromIdentity(IdentityCheck check, std::string message) {
  return FromIdentity(identity::Rejection{check, std::move(message)});
}

core::Status IdentityService::Refresh() { return replay_->CatchUp(store_); }

IdentityService::Seen IdentityService::Look(std::string_view name) const {
  return replay_->Read([&](const identity::IdentityState& state) {
    const identity::UserState* user = state.Find(name);
    return Seen{user != nullptr ? std::optional(*user) : std::nullopt, state.last_seq};
  });
}

core::Result<std::optional<int64_t>> IdentityService::Append(std::string_view kind,
                                                             core::Record body, int64_t locked_at) {
  ledger::AppendEvent event{std::string(kind), std::move(body), "", locked_at};
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(event));
  if (outcome.rejection) {
    if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) {
      return std::optional<int64_t>();
    }
    return core::Internal("the journal refused an identity event: " + outcome.rejection->message);
  }
  JCM_RETURN_IF_ERROR(Refresh());
  return std::optional<int64_t>(outcome.entry.seq);
}

core::Result<OrRejection<UserSummary>> IdentityService::CreateUser(const std::string& name,
                                                                   const std::string& by) {
  if (!identity::IsValidUserName(name)) {
    return OrRejection<UserSummary>(FromIdentity(
        IdentityCheck::kUserNameInvalid,
        "user name '" + name + "' must be 3-64 of a-z 0-9 . _ - starting with a letter or digit"));
  }
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    const Seen seen = Look(name);
    if (seen.user) {
      return OrRejection<UserSummary>(
          FromIdentity(IdentityCheck::kUserExists, "a user named '" + name + "' exists"));
    }
    JCM_ASSIGN_OR_RETURN(auto seq,
                         Append(identity::kEventUserCreated, UserBody(name, by), seen.seq));
    if (seq) return OrRejection<UserSummary>(Summary(*User(name), 0));
  }
  return core::Unavailable("users kept changing under this request; try again");
}

core::Result<OrRejection<UserSummary>> IdentityService::SetPassword(const std::string& name,
                                                                    const std::string& password,
                                                                    const std::string& by) {
  JCM_RETURN_IF_ERROR(Refresh());
  if (!User(name)) return OrRejection<UserSummary>(UnknownUser(name));
  if (auto broken = identity::CheckPasswordPolicy(name, password)) {
    return OrRejection<UserSummary>(FromIdentity(*broken));
  }
  JCM_ASSIGN_OR_RETURN(const std::string phc, identity::HashPasswordWithRandomSalt(password));
  // The secret first: a crash between the two leaves a hash the journal does not mention yet,
  // never a journaled password that does not exist.
  JCM_RETURN_IF_ERROR(store_.Credentials().SetPasswordHash(name, phc));
  JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventPasswordSet, UserBody(name, by), -1));
  (void)seq;
  return OrRejection<UserSummary>(Summary(*User(name), 0));
}

core::Result<OrRejection<TotpEnrollment>> IdentityService::EnrollTotp(const std::string& name,
                                                                      const std::string& by) {
  JCM_RETURN_IF_ERROR(Refresh());
  if (!User(name)) return OrRejection<TotpEnrollment>(UnknownUser(name));
  JCM_ASSIGN_OR_RETURN(const std::string key, identity::RandomBytes(identity::kTotpSecretBytes));
  const std::string algorithm(identity::TotpAlgorithmName(identity::kTotpAlgorithm));
  JCM_RETURN_IF_ERROR(store_.Credentials().SetTotpKey(name, key, algorithm));
  core::Record body = UserBody(name, "");
  body.Add("algorithm", algorithm);
  if (!by.empty()) body.Add("by", by);
  JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventTotpEnrolled, std::move(body), -1));
  (void)seq;
  return OrRejection<TotpEnrollment>(
      TotpEnrollment{name, identity::OtpauthUri(kTotpIssuer, name, key, identity::kTotpAlgorithm),
                     identity::Base32Encode(key), algorithm});
}

core::Result<OrRejection<UserSummary>> IdentityService::GrantRole(const std::string& name,
                                                                  const std::string& role,
                                                                  const std::string& by) {
  return ChangeRole(name, role, by, true);
}

core::Result<OrRejection<UserSummary>> IdentityService::RevokeRole(const std::string& name,
                                                                   const std::string& role,
                                                                   const std::string& by) {
  return ChangeRole(name, role, by, false);
}

core::Result<OrRejection<UserSummary>> IdentityService::ChangeRole(const std::string& name,
                                                                   const std::string& role_text,
                                                                   const std::string& by,
                                                                   bool grant) {
  JCM_ASSIGN_OR_RETURN(const identity::Role role, identity::Role::Parse(role_text));
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_RETURN_IF_ERROR(Refresh());
    const Seen seen = Look(name);
    const std::optional<identity::UserState>& user = seen.user;
    if (!user) return OrRejection<UserSummary>(UnknownUser(name));
    if (grant && user->HasRole(role)) {
      return OrRejection<UserSummary>(FromIdentity(IdentityCheck::kRoleAlreadyGranted,
                                                   name + " already holds " + role.ToText()));
    }
    if (!grant && !user->HasRole(role)) {
      return OrRejection<UserSummary>(
          FromIdentity(IdentityCheck::kRoleNotGranted, name + " does not hold " + role.ToText()));
    }
    core::Record body = UserBody(name, "");
    body.Add("role", role.ToText());
    if (!by.empty()) body.Add("by", by);
    JCM_ASSIGN_OR_RETURN(auto seq,
                         Append(grant ? identity::kEventRoleGranted : identity::kEventRoleRevoked,
                                std::move(body), seen.seq));
    if (seq) return OrRejection<UserSummary>(Summary(*User(name), 0));
  }
  return core::Unavailable("users kept changing under this request; try again");
}

core::Result<OrRejection<TokenInfo>> IdentityService::IssueToken(
    const std::string& name, const std::vector<std::string>& scope, int64_t lifetime_s,
    int64_t now_s, const std::string& by) {
  JCM_RETURN_IF_ERROR(Refresh());
  const std::optional<identity::UserState> user = User(name);
  if (!user) return OrRejection<TokenInfo>(UnknownUser(name));
  if (lifetime_s < 1 || lifetime_s > kTokenLifetimeMax_s) {
    return OrRejection<TokenInfo>(
        FromIdentity(IdentityCheck::kTokenLifetimeInvalid,
                     "a token lives 1 s to 366 days, not " + std::to_string(lifetime_s) + " s"));
  }
  std::vector<std::string> roles;
  for (const std::string& text : scope) {
    JCM_ASSIGN_OR_RETURN(const identity::Role role, identity::Role::Parse(text));
    if (!user->HasRole(role)) {
      return OrRejection<TokenInfo>(FromIdentity(IdentityCheck::kTokenScopeNotHeld,
                                                 name + " does not hold " + role.ToText()));
    }
    roles.push_back(role.ToText());
  }
  if (scope.empty()) {
    for (const identity::Role& role : user->roles) roles.push_back(role.ToText());
  }
  JCM_ASSIGN_OR_RETURN(const std::string id_bytes, identity::RandomBytes(8));
  JCM_ASSIGN_OR_RETURN(const std::string secret_bytes, identity::RandomBytes(32));
  const std::string id = Hex(id_bytes);
  const std::string secret = Hex(secret_bytes);
  std::string scope_text;
  for (const std::string& role : roles) scope_text += (scope_text.empty() ? "" : " ") + role;
  const store::ApiTokenRecord record{
      id, name, core::Sha256Hex(secret), scope_text, now_s, now_s + lifetime_s, std::nullopt};
  JCM_RETURN_IF_ERROR(store_.Credentials().PutToken(record));
  core::Record body = UserBody(name, "");
  body.Add("token", id).Add("scope", scope_text).AddInt("expires_at", record.expires_at_s);
  if (!by.empty()) body.Add("by", by);
  JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventTokenIssued, std::move(body), -1));
  (void)seq;
  TokenInfo info = InfoOf(record);
  info.token = "jcm_" + id + "_" + secret;
  return OrRejection<TokenInfo>(std::move(info));
}

core::Result<OrRejection<identity::Principal>> IdentityService::AuthenticateToken(
    const std::string& token, int64_t now_s) {
  const auto invalid = [] {
    return OrRejection<identity::Principal>(
        FromIdentity(IdentityCheck::kTokenInvalid, "the token is unknown, expired or revoked"));
  };
  // jcm_<16 hex id>_<64 hex secret>
  if (token.size() != 4 + 16 + 1 + 64 || token.rfind("jcm_", 0) != 0 || token[20] != '_') {
    return invalid();
  }
  // The revocations journaled so far first: a kept token is refused by them alone (INV-73).
  JCM_RETURN_IF_ERROR(Refresh());
  const std::string id = token.substr(4, 16);
  std::optional<store::ApiTokenRecord> record = replay_->KeptToken(id);
  if (!record) {
    JCM_ASSIGN_OR_RETURN(record, store_.Credentials().FindToken(id));
    if (!record) return invalid();
    if (!record->revoked_at_s) replay_->KeepToken(*record);
  }
  const std::string digest = core::Sha256Hex(token.substr(21));
  // Both are 64 hex digits; compared without an early exit.
  unsigned difference = digest.size() == record->secret_sha256.size() ? 0u : 1u;
  for (size_t i = 0; i < digest.size() && i < record->secret_sha256.size(); ++i) {
    difference |= static_cast<unsigned char>(digest[i] ^ record->secret_sha256[i]);
  }
  if (difference != 0 || record->revoked_at_s || RevocationJournaled(id) ||
      now_s >= record->expires_at_s) {
    return invalid();
  }
  const std::optional<identity::UserState> user = User(record->user);
  if (!user) return invalid();
  identity::Principal principal{record->user, {}};
  for (const std::string& text : SplitScope(record->scope)) {
    auto role = identity::Role::Parse(text);
    if (role.ok() && user->HasRole(*role)) principal.roles.push_back(*role);
  }
  return OrRejection<identity::Principal>(std::move(principal));
}

core::Result<OrRejection<TokenInfo>> IdentityService::RevokeToken(const std::string& id,
                                                                  int64_t now_s,
                                                                  const std::string& by) {
  JCM_ASSIGN_OR_RETURN(auto record, store_.Credentials().FindToken(id));
  if (!record) {
    return OrRejection<TokenInfo>(
        FromIdentity(IdentityCheck::kTokenInvalid, "no token with id '" + id + "'"));
  }
  JCM_RETURN_IF_ERROR(Refresh());
  if (!record->revoked_at_s && !RevocationJournaled(id)) {
    // Journaled before the row records it: from this entry on every use refuses the token, in
    // every process, even if this one stops before the row is written (INV-73).
    core::Record body = UserBody(record->user, "");
    body.Add("token", id);
    if (!by.empty()) body.Add("by", by);
    JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventTokenRevoked, std::move(body), -1));
    (void)seq;
  }
  JCM_ASSIGN_OR_RETURN(const bool revoked, store_.Credentials().RevokeToken(id, now_s));
  (void)revoked;  // false: the row recorded it before (a revocation repeated)
  JCM_ASSIGN_OR_RETURN(auto after, store_.Credentials().FindToken(id));
  return OrRejection<TokenInfo>(InfoOf(after.value_or(*record)));
}

core::Result<std::vector<TokenInfo>> IdentityService::ListTokens(const std::string& name) {
  JCM_ASSIGN_OR_RETURN(auto records, store_.Credentials().ListTokens(name));
  std::vector<TokenInfo> out;
  for (const store::ApiTokenRecord& record : records) out.push_back(InfoOf(record));
  return out;
}

core::Result<OrRejection<identity::Principal>> IdentityService::PrincipalOf(
    const std::string& name) {
  JCM_RETURN_IF_ERROR(Refresh());
  const std::optional<identity::UserState> user = User(name);
  if (!user) return OrRejection<identity::Principal>(UnknownUser(name));
  return OrRejection<identity::Principal>(identity::Principal{user->name, user->roles});
}

core::Result<std::vector<UserSummary>> IdentityService::ListUsers(int64_t now_s) {
  JCM_RETURN_IF_ERROR(Refresh());
  return replay_->Read([&](const identity::IdentityState& state) {
    std::vector<UserSummary> out;
    for (const auto& [name, user] : state.users) out.push_back(Summary(user, now_s));
    return out;
  });
}

std::optional<Rejection> IdentityService::CheckAuthorized(const identity::Principal& principal,
                                                          identity::Action action,
                                                          const identity::Resource& resource) {
  if (identity::Authorize(principal, action, resource)) return std::nullopt;
  return FromIdentity(IdentityCheck::kNotAuthorized,
                      (principal.user.empty() ? std::string("the public") : principal.user) +
                          " may not " + std::string(identity::ActionName(action)) + " here");
}

UserSummary IdentityService::Summary(const identity::UserState& user, int64_t now_s) const {
  UserSummary summary;
  summary.name = user.name;
  for (const identity::Role& role : user.roles) summary.roles.push_back(role.ToText());
  summary.has_password = user.has_password;
  summary.totp_enrolled = user.totp_enrolled;
  summary.created_seq = user.created_seq;
  if (now_s > 0) {
    const identity::LockoutState lock = identity::EvaluateLockout(user.attempts, now_s);
    summary.consecutive_failures = lock.consecutive_failures;
    summary.locked_until_s = lock.locked_until_s;
  }
  return summary;
}

}  // namespace jcm::service
