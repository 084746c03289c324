// IdentityService: signing in and the TOTP signature of an approval, with the lockout.
#include <variant>

#include "identity/lockout.h"
#include "identity/password_hash.h"
#include "identity/totp.h"
#include "service/identity_service.h"

namespace jcm::service {
namespace {

using identity::IdentityCheck;

constexpr std::string_view kPurposeSignIn = "sign_in";
constexpr std::string_view kPurposeSignature = "signature";
// A name typed at sign-in is journaled as typed when it is no user, up to this many bytes: an
// unauthenticated caller must not grow the journal by more per attempt.
constexpr size_t kJournaledNameBytesMax = 128;

}  // namespace

std::optional<Rejection> IdentityService::LockedNow(const identity::UserState& user,
                                                    int64_t now_s) const {
  const identity::LockoutState lock = identity::EvaluateLockout(user.attempts, now_s);
  if (!lock.locked()) return std::nullopt;
  return FromIdentity(IdentityCheck::kAccountLocked,
                      "too many failed attempts: signing in is refused until " +
                          std::to_string(*lock.locked_until_s) + " (Unix seconds)");
}

core::Result<Rejection> IdentityService::Fail(const std::string& name, std::string_view purpose,
                                              std::string_view reason, IdentityCheck check,
                                              std::string message, int64_t now_s) {
  const std::optional<identity::UserState> before = User(name);
  const bool was_locked = before && LockedNow(*before, now_s).has_value();
  core::Record body;
  body.Add("user", name).AddInt("at", now_s).Add("purpose", purpose).Add("reason", reason);
  body.AddInt("check", static_cast<int64_t>(check));
  JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventSignInFailed, std::move(body), -1));
  (void)seq;
  const std::optional<identity::UserState> user = User(name);
  if (user && !was_locked) {
    const identity::LockoutState lock = identity::EvaluateLockout(user->attempts, now_s);
    if (lock.locked()) {
      core::Record locked;
      locked.Add("user", name).AddInt("at", now_s).AddInt("until", *lock.locked_until_s);
      JCM_ASSIGN_OR_RETURN(auto lock_seq, Append(identity::kEventLocked, std::move(locked), -1));
      (void)lock_seq;
    }
  }
  return FromIdentity(check, std::move(message));
}

core::Status IdentityService::Succeed(const std::string& name, std::string_view purpose,
                                      int64_t now_s) {
  core::Record body;
  body.Add("user", name).AddInt("at", now_s).Add("purpose", purpose);
  JCM_ASSIGN_OR_RETURN(auto seq, Append(identity::kEventSignInSucceeded, std::move(body), -1));
  (void)seq;
  return core::OkStatus();
}

core::Result<OrRejection<int64_t>> IdentityService::CheckCode(const identity::UserState& user,
                                                              const std::string& code,
                                                              std::string_view purpose,
                                                              int64_t now_s) {
  const std::string name = user.name;
  JCM_ASSIGN_OR_RETURN(auto secrets, store_.Credentials().FindUserSecrets(name));
  if (!secrets || secrets->totp_key.empty()) {
    return core::DataLoss("user '" + name + "' enrolled TOTP but no key is stored");
  }
  JCM_ASSIGN_OR_RETURN(const identity::TotpAlgorithm algorithm,
                       identity::ParseTotpAlgorithm(secrets->totp_algorithm));
  const auto verdict =
      identity::VerifyTotp(secrets->totp_key, code, now_s, algorithm, secrets->totp_last_step);
  if (const int64_t* step = std::get_if<int64_t>(&verdict)) return OrRejection<int64_t>(*step);
  const IdentityCheck failed = std::get<IdentityCheck>(verdict);
  if (failed == IdentityCheck::kTotpReplayed) {
    JCM_ASSIGN_OR_RETURN(Rejection rejection, FailReplayed(name, purpose, now_s));
    return OrRejection<int64_t>(std::move(rejection));
  }
  JCM_ASSIGN_OR_RETURN(Rejection rejection, Fail(name, purpose, identity::kReasonTotp, failed,
                                                 "the TOTP code is wrong or out of date", now_s));
  return OrRejection<int64_t>(std::move(rejection));
}

core::Result<Rejection> IdentityService::FailReplayed(const std::string& name,
                                                      std::string_view purpose, int64_t now_s) {
  return Fail(name, purpose, identity::kReasonTotp, IdentityCheck::kTotpReplayed,
              "this TOTP code was already used; wait for the next one", now_s);
}

core::Result<std::optional<Rejection>> IdentityService::CheckTotp(const identity::UserState& user,
                                                                  const std::string& code,
                                                                  std::string_view purpose,
                                                                  int64_t now_s) {
  const std::string name = user.name;
  JCM_ASSIGN_OR_RETURN(auto checked, CheckCode(user, code, purpose, now_s));
  if (auto* rejection = std::get_if<Rejection>(&checked)) return std::optional(*rejection);
  // Claimed in the store, atomically: another process may have accepted the same code.
  JCM_ASSIGN_OR_RETURN(const bool claimed,
                       store_.Credentials().ClaimTotpStep(name, std::get<int64_t>(checked)));
  if (claimed) return std::optional<Rejection>();
  JCM_ASSIGN_OR_RETURN(Rejection rejection, FailReplayed(name, purpose, now_s));
  return std::optional<Rejection>(std::move(rejection));
}

core::Result<OrRejection<identity::Principal>> IdentityService::SignIn(const std::string& name,
                                                                       const std::string& password,
                                                                       const std::string& totp_code,
                                                                       int64_t now_s) {
  using Out = OrRejection<identity::Principal>;
  JCM_RETURN_IF_ERROR(Refresh());
  const std::string failed_message = "unknown user name or wrong password";
  const std::optional<identity::UserState> user = User(name);
  if (!user) {
    // The same Argon2id cost as a wrong password: the time does not tell that the user is unknown.
    (void)identity::VerifyPassword(identity::DecoyPasswordHash(), password);
    JCM_ASSIGN_OR_RETURN(
        Rejection rejection,
        Fail(name.substr(0, kJournaledNameBytesMax), kPurposeSignIn, identity::kReasonUnknownUser,
             IdentityCheck::kSignInFailed, failed_message, now_s));
    return Out(std::move(rejection));
  }
  if (auto locked = LockedNow(*user, now_s)) {
    JCM_ASSIGN_OR_RETURN(Rejection rejection,
                         Fail(name, kPurposeSignIn, identity::kReasonLocked,
                              IdentityCheck::kAccountLocked, locked->message, now_s));
    return Out(std::move(rejection));
  }
  JCM_ASSIGN_OR_RETURN(auto secrets, store_.Credentials().FindUserSecrets(name));
  const std::string stored = secrets ? secrets->password_phc : std::string();
  // A user without a password costs a verification too, and fails.
  const bool password_ok =
      stored.empty() ? (identity::VerifyPassword(identity::DecoyPasswordHash(), password), false)
                     : identity::VerifyPassword(stored, password);
  if (!password_ok) {
    JCM_ASSIGN_OR_RETURN(Rejection rejection,
                         Fail(name, kPurposeSignIn, identity::kReasonPassword,
                              IdentityCheck::kSignInFailed, failed_message, now_s));
    return Out(std::move(rejection));
  }
  if (!user->totp_enrolled && identity::MayChangeAnything(user->roles)) {
    JCM_ASSIGN_OR_RETURN(
        Rejection rejection,
        Fail(name, kPurposeSignIn, identity::kReasonTotpRequired, IdentityCheck::kTotpRequired,
             "this user's roles may change the registry: enrol TOTP before signing in", now_s));
    return Out(std::move(rejection));
  }
  if (user->totp_enrolled) {
    JCM_ASSIGN_OR_RETURN(auto refused, CheckTotp(*user, totp_code, kPurposeSignIn, now_s));
    if (refused) return Out(std::move(*refused));
  }
  JCM_RETURN_IF_ERROR(Succeed(name, kPurposeSignIn, now_s));
  return Out(identity::Principal{name, User(name)->roles});
}

core::Result<OrRejection<int64_t>> IdentityService::CheckTotpForSigning(
    const std::string& name, const std::string& totp_code, int64_t now_s) {
  using Out = OrRejection<int64_t>;
  JCM_RETURN_IF_ERROR(Refresh());
  const std::optional<identity::UserState> user = User(name);
  if (!user) {
    return Out(FromIdentity(IdentityCheck::kSignInFailed, "unknown user '" + name + "'"));
  }
  if (auto locked = LockedNow(*user, now_s)) {
    JCM_ASSIGN_OR_RETURN(Rejection rejection,
                         Fail(name, kPurposeSignature, identity::kReasonLocked,
                              IdentityCheck::kAccountLocked, locked->message, now_s));
    return Out(std::move(rejection));
  }
  if (!user->totp_enrolled) {
    return Out(
        FromIdentity(IdentityCheck::kTotpRequired,
                     "signing an approval needs a TOTP code; " + name + " has not enrolled TOTP"));
  }
  return CheckCode(*user, totp_code, kPurposeSignature, now_s);
}

ledger::AppendEvent IdentityService::SignatureSucceeded(const std::string& name, int64_t now_s) {
  core::Record body;
  body.Add("user", name).AddInt("at", now_s).Add("purpose", kPurposeSignature);
  return ledger::AppendEvent{std::string(identity::kEventSignInSucceeded), std::move(body), "", -1};
}

core::Result<Rejection> IdentityService::RefuseReplayedSignature(const std::string& name,
                                                                 int64_t now_s) {
  JCM_RETURN_IF_ERROR(Refresh());
  return FailReplayed(name, kPurposeSignature, now_s);
}

core::Result<OrRejection<int64_t>> IdentityService::VerifyTotpForSigning(
    const std::string& name, const std::string& totp_code, int64_t now_s) {
  using Out = OrRejection<int64_t>;
  JCM_ASSIGN_OR_RETURN(auto checked, CheckTotpForSigning(name, totp_code, now_s));
  const int64_t* step = std::get_if<int64_t>(&checked);
  if (step == nullptr) return checked;
  // Claimed in the store, atomically: another process may have accepted the same code.
  JCM_ASSIGN_OR_RETURN(const bool claimed, store_.Credentials().ClaimTotpStep(name, *step));
  if (!claimed) {
    JCM_ASSIGN_OR_RETURN(Rejection rejection, FailReplayed(name, kPurposeSignature, now_s));
    return Out(std::move(rejection));
  }
  JCM_RETURN_IF_ERROR(Succeed(name, kPurposeSignature, now_s));
  return Out(*step);
}

}  // namespace jcm::service
