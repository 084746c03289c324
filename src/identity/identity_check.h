// IdentityCheck: the numbered rules of identity and access (docs/checks.md, "Identity and access").
//
// Persisted and public: a rejection's number is returned by the CLI and the API and journaled
// with failed sign-ins. DO NOT RENUMBER OR REUSE A VALUE; append new checks. 300–399, so they
// never collide with the ledger's (1–99), the cycle's (100–199) or the service's (200–299).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jcm::identity {

enum class IdentityCheck : uint16_t {
  // Passwords.
  kPasswordTooShort = 300,          // fewer than 12 code points
  kPasswordCommon = 301,            // in the bundled list of common passwords
  kPasswordContainsUserName = 302,  // the user name appears in it, in any letter case
  kPasswordTooLong = 303,           // more than 1,024 bytes
  kPasswordNotUtf8 = 304,           // not valid UTF-8
  // Signing in.
  kSignInFailed = 310,   // unknown user or wrong password: one answer for both
  kAccountLocked = 311,  // too many failures; wait until the lock ends
  kTotpRequired = 312,   // the user may change something and has no TOTP enrolled
  kTotpInvalid = 313,    // the code matches no step of the window
  kTotpReplayed = 314,   // the code's time step was already used by this user
  kTokenInvalid = 320,   // unknown, expired or revoked token: one answer for all
  // Access.
  kNotAuthorized = 330,  // the principal's roles do not allow the action on the resource
  // Users and roles.
  kUserNameInvalid = 340,  // not 3–64 of [a-z0-9._-], starting with a letter or digit
  kUserExists = 341,
  kUserUnknown = 342,  // administrative commands only; sign-in answers 310
  kRoleAlreadyGranted = 343,
  kRoleNotGranted = 344,
  kTokenScopeNotHeld = 345,     // a token may carry only roles its user holds
  kTokenLifetimeInvalid = 346,  // a token's lifetime is not 1 s … 366 days
};

// Stable snake_case name ("password_too_short": the enumerator without its k).
std::string_view IdentityCheckName(IdentityCheck check);

// A business rejection: the check that failed and a sentence for the user.
struct Rejection {
  IdentityCheck check = IdentityCheck::kSignInFailed;
  std::string message;

  uint16_t number() const { return static_cast<uint16_t>(check); }
  std::string_view name() const { return IdentityCheckName(check); }
};

}  // namespace jcm::identity
