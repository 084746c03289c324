#include "identity/identity_check.h"

namespace jcm::identity {

// A switch (not a table) so that -Wswitch fails the build when a check has no name.
std::string_view IdentityCheckName(IdentityCheck check) {
  switch (check) {
    // clang-format off
    case IdentityCheck::kPasswordTooShort: return "password_too_short";
    case IdentityCheck::kPasswordCommon: return "password_common";
    case IdentityCheck::kPasswordContainsUserName: return "password_contains_user_name";
    case IdentityCheck::kPasswordTooLong: return "password_too_long";
    case IdentityCheck::kPasswordNotUtf8: return "password_not_utf8";
    case IdentityCheck::kSignInFailed: return "sign_in_failed";
    case IdentityCheck::kAccountLocked: return "account_locked";
    case IdentityCheck::kTotpRequired: return "totp_required";
    case IdentityCheck::kTotpInvalid: return "totp_invalid";
    case IdentityCheck::kTotpReplayed: return "totp_replayed";
    case IdentityCheck::kTokenInvalid: return "token_invalid";
    case IdentityCheck::kNotAuthorized: return "not_authorized";
    case IdentityCheck::kUserNameInvalid: return "user_name_invalid";
    case IdentityCheck::kUserExists: return "user_exists";
    case IdentityCheck::kUserUnknown: return "user_unknown";
    case IdentityCheck::kRoleAlreadyGranted: return "role_already_granted";
    case IdentityCheck::kRoleNotGranted: return "role_not_granted";
    case IdentityCheck::kTokenScopeNotHeld: return "token_scope_not_held";
    case IdentityCheck::kTokenLifetimeInvalid: return "token_lifetime_invalid";
      // clang-format on
  }
  return "unknown_identity_check";
}

}  // namespace jcm::identity
