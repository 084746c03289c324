// IdentityService: the use cases of identity and access (docs/identity.md) for every front end —
// users, passwords, TOTP enrolment, roles, signing in, the TOTP signature of an approval, API
// tokens — on src/identity's pure rules, the journal and the store's CredentialStore.
//
// Users and roles are replayed from the journal's "identity.*" entries (an IdentityReplay, which
// the services of `jcm serve` share: the seq of the last one applied); each use reads only the
// entries after it. A change of users or roles is appended with the seq its decision read as its
// optimistic lock (check 23): when another process changed them meanwhile the service refreshes
// and decides again. Sign-in events
// are facts and are appended unlocked.
//
// Secrets never reach the journal: hashes, TOTP keys and token digests go to the
// CredentialStore; a TOTP key is returned once (EnrollTotp) and a token's secret once
// (IssueToken). Times are Unix seconds handed in by the caller (the injected clock), never read
// here. Sign-in answers check 310 whether the user is unknown or the password wrong, and spends
// an Argon2id verification in both cases.
//
// Not thread-safe: one IdentityService per thread, sharing one store and, when given one, one
// IdentityReplay (the services of `jcm serve`).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "identity/access.h"
#include "identity/events.h"
#include "identity/identity_check.h"
#include "service/errors.h"
#include "service/replay.h"
#include "store/store.h"

namespace jcm::service {

Rejection FromIdentity(const identity::Rejection& rejection);
Rejection FromIdentity(identity::IdentityCheck check, std::string message);

// A user as the administrators see it (no secret).
struct UserSummary {
  std::string name;
  std::vector<std::string> roles;  // role texts, in grant order
  bool has_password = false;
  bool totp_enrolled = false;
  // The lock state at ListUsers' `now_s`; the answers of the changes, which take no time, leave
  // them 0 and unset.
  int consecutive_failures = 0;           // failures that count toward the lockout now
  std::optional<int64_t> locked_until_s;  // set while locked
  int64_t created_seq = 0;                // the journal entry that created the user
};

// A TOTP key, shown once: the URI for an authenticator app's QR code and the key in base32.
struct TotpEnrollment {
  std::string user;
  std::string otpauth_uri;
  std::string secret_base32;
  std::string algorithm;  // "SHA256"
};

// An API token. `token` (jcm_<id>_<secret>) is set only in IssueToken's answer: it is never
// stored and cannot be shown again.
struct TokenInfo {
  std::string id;
  std::string user;
  std::vector<std::string> scope;  // role texts
  int64_t issued_at_s = 0;
  int64_t expires_at_s = 0;
  std::optional<int64_t> revoked_at_s;
  std::string token;
};

inline constexpr int64_t kTokenLifetimeMax_s = 366 * 86'400;
inline constexpr std::string_view kTotpIssuer = "JCM Registry";

// The users replayed from the journal's identity.* entries, which the services of one process
// over one store may share (replay.h).
class IdentityReplay : public Replay<identity::IdentityState> {
 public:
  IdentityReplay() : Replay(identity::kEventKindPrefix, &identity::ApplyIdentityEvent) {}

  // API tokens as the credential store gave them, kept once read unrevoked, so a request does
  // not read its token's row again: a token's user, secret digest, scope and expiry never change
  // once issued, and its revocation is journaled before its row records it, so every use reads
  // it from the replayed state (INV-73). At most kTokensKept; when full, all are forgotten.
  static constexpr size_t kTokensKept = 4096;
  std::optional<store::ApiTokenRecord> KeptToken(const std::string& id) const {
    std::lock_guard lock(tokens_mu_);
    const auto it = tokens_.find(id);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
  }
  void KeepToken(const store::ApiTokenRecord& token) {
    std::lock_guard lock(tokens_mu_);
    if (tokens_.size() >= kTokensKept) tokens_.clear();
    tokens_.insert_or_assign(token.id, token);
  }

 private:
  mutable std::mutex tokens_mu_;
  std::unordered_map<std::string, store::ApiTokenRecord> tokens_;
};

class IdentityService {
 public:
  // `replay`: shared with other services over the same store; nullptr: one of its own.
  explicit IdentityService(store::Store& store, std::shared_ptr<IdentityReplay> replay = nullptr)
      : store_(store),
        replay_(replay != nullptr ? std::move(replay) : std::make_shared<IdentityReplay>()) {}

  // 340 malformed name, 341 exists.
  core::Result<OrRejection<UserSummary>> CreateUser(const std::string& name, const std::string& by);
  // 342 unknown user; 300–304 the password rule.
  core::Result<OrRejection<UserSummary>> SetPassword(const std::string& name,
                                                     const std::string& password,
                                                     const std::string& by);
  // A fresh 32-byte SHA-256 TOTP key replaces any earlier one. 342 unknown user.
  core::Result<OrRejection<TotpEnrollment>> EnrollTotp(const std::string& name,
                                                       const std::string& by);
  // `role` in its text form (InvalidArgument when malformed). 342, 343 / 344.
  core::Result<OrRejection<UserSummary>> GrantRole(const std::string& name, const std::string& role,
                                                   const std::string& by);
  core::Result<OrRejection<UserSummary>> RevokeRole(const std::string& name,
                                                    const std::string& role, const std::string& by);

  // The signed-in principal, or: 311 locked, 310 unknown user or wrong password, 312 the user
  // may change something and has no TOTP, 313/314 a wrong or replayed TOTP code (`totp_code` is
  // ignored for a user without TOTP). Journals the success or failure, and the lock a failure
  // causes.
  core::Result<OrRejection<identity::Principal>> SignIn(const std::string& name,
                                                        const std::string& password,
                                                        const std::string& totp_code,
                                                        int64_t now_s);
  // A TOTP code entered again to sign an approval: the step it was accepted for, or 311, 310
  // (unknown user), 312 (no TOTP), 313, 314. Failures count toward the lockout.
  core::Result<OrRejection<int64_t>> VerifyTotpForSigning(const std::string& name,
                                                          const std::string& totp_code,
                                                          int64_t now_s);
  // VerifyTotpForSigning in two halves, for a store that commits the claim with what is signed
  // (store/signed_submit.h, INV-67). First the checks: the step the code is valid for, not yet
  // claimed, or the same rejections (their failures journaled) …
  core::Result<OrRejection<int64_t>> CheckTotpForSigning(const std::string& name,
                                                         const std::string& totp_code,
                                                         int64_t now_s);
  // … then, committed with the claim, the event of the successful signature (unlocked, as every
  // sign-in event) …
  static ledger::AppendEvent SignatureSucceeded(const std::string& name, int64_t now_s);
  // … or, when the store refused the claim (another request used the step meanwhile), 314,
  // journaled as VerifyTotpForSigning journals it.
  core::Result<Rejection> RefuseReplayedSignature(const std::string& name, int64_t now_s);

  // A token for `name` carrying `scope` (role texts; empty: every role the user holds), valid
  // `lifetime_s` from now. 342, 345 a role the user lacks, 346 lifetime not 1 s … 366 days.
  core::Result<OrRejection<TokenInfo>> IssueToken(const std::string& name,
                                                  const std::vector<std::string>& scope,
                                                  int64_t lifetime_s, int64_t now_s,
                                                  const std::string& by);
  // The principal a token stands for: its user with the token's roles that the user still holds.
  // 320 when the token is malformed, unknown, expired or revoked.
  core::Result<OrRejection<identity::Principal>> AuthenticateToken(const std::string& token,
                                                                   int64_t now_s);
  // Revokes by id (idempotent: revoking a revoked token answers it unchanged). 320 unknown id.
  core::Result<OrRejection<TokenInfo>> RevokeToken(const std::string& id, int64_t now_s,
                                                   const std::string& by);
  core::Result<std::vector<TokenInfo>> ListTokens(const std::string& name);

  // The principal `name` acts as where the caller vouches for who it is (the operator's CLI,
  // `--as USER`): the user with every role it holds. 342 when no such user.
  core::Result<OrRejection<identity::Principal>> PrincipalOf(const std::string& name);

  // Every user in name order, with their lock state at `now_s`.
  core::Result<std::vector<UserSummary>> ListUsers(int64_t now_s);

  // 330 when no role of `principal` allows `action` on `resource`.
  static std::optional<Rejection> CheckAuthorized(const identity::Principal& principal,
                                                  identity::Action action,
                                                  const identity::Resource& resource);

 private:
  core::Status Refresh();
  // A copy of user `name` as replayed now (nullopt: no such user), and the replay's head then.
  struct Seen {
    std::optional<identity::UserState> user;
    int64_t seq = 0;
  };
  Seen Look(std::string_view name) const;
  std::optional<identity::UserState> User(std::string_view name) const { return Look(name).user; }
  // Whether the replay holds token `id`'s revocation.
  bool RevocationJournaled(const std::string& id) const {
    return replay_->Read(
        [&](const identity::IdentityState& state) { return state.revoked_tokens.contains(id); });
  }
  // Appends an identity event; `locked_at` (>= 0): decided on the replay at that head, which the
  // optimistic lock expects; -1: unlocked. nullopt when check 23 fired (the caller refreshes and
  // decides again).
  core::Result<std::optional<int64_t>> Append(std::string_view kind, core::Record body,
                                              int64_t locked_at);
  core::Result<OrRejection<UserSummary>> ChangeRole(const std::string& name,
                                                    const std::string& role_text,
                                                    const std::string& by, bool grant);
  // Journals a failed attempt (and the lock it causes) and returns the rejection to answer.
  core::Result<Rejection> Fail(const std::string& name, std::string_view purpose,
                               std::string_view reason, identity::IdentityCheck check,
                               std::string message, int64_t now_s);
  core::Status Succeed(const std::string& name, std::string_view purpose, int64_t now_s);
  // The checks a TOTP code goes through for a known, unlocked user; nullopt when accepted.
  core::Result<std::optional<Rejection>> CheckTotp(const identity::UserState& user,
                                                   const std::string& code,
                                                   std::string_view purpose, int64_t now_s);
  // The step `code` is valid for (not yet claimed), or the rejection with its failure journaled.
  core::Result<OrRejection<int64_t>> CheckCode(const identity::UserState& user,
                                               const std::string& code, std::string_view purpose,
                                               int64_t now_s);
  core::Result<Rejection> FailReplayed(const std::string& name, std::string_view purpose,
                                       int64_t now_s);
  std::optional<Rejection> LockedNow(const identity::UserState& user, int64_t now_s) const;
  UserSummary Summary(const identity::UserState& user, int64_t now_s) const;

  store::Store& store_;
  std::shared_ptr<IdentityReplay> replay_;
};

}  // namespace jcm::service
