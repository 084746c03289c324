// The journal form of identity events and the state replayed from them.
//
// Users and their roles are never stored as rows: they are the replay of the journal's
// "identity.*" entries (docs/formats/journal.md), as the project cycle's state is of "cycle.*".
// No event carries a secret: not a password, a hash, a TOTP secret or code, nor a token's secret
// (those are in the credential store, store/credential_store.h). Pure: no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/status.h"
#include "identity/access.h"
#include "identity/lockout.h"

namespace jcm::identity {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventKindPrefix = "identity.";
inline constexpr std::string_view kEventUserCreated = "identity.user_created";
inline constexpr std::string_view kEventRoleGranted = "identity.role_granted";
inline constexpr std::string_view kEventRoleRevoked = "identity.role_revoked";
inline constexpr std::string_view kEventPasswordSet = "identity.password_set";
inline constexpr std::string_view kEventTotpEnrolled = "identity.totp_enrolled";
inline constexpr std::string_view kEventSignInSucceeded = "identity.signin_succeeded";
inline constexpr std::string_view kEventSignInFailed = "identity.signin_failed";
inline constexpr std::string_view kEventLocked = "identity.locked";
inline constexpr std::string_view kEventTokenIssued = "identity.token_issued";
inline constexpr std::string_view kEventTokenRevoked = "identity.token_revoked";

// identity.signin_failed's `reason`: why the attempt failed. "password" and "totp" count toward
// the lockout; "locked" (refused before anything was checked) and "totp_required" (the password
// was right) do not; "unknown_user" names no user.
inline constexpr std::string_view kReasonUnknownUser = "unknown_user";
inline constexpr std::string_view kReasonPassword = "password";
inline constexpr std::string_view kReasonTotp = "totp";
inline constexpr std::string_view kReasonLocked = "locked";
inline constexpr std::string_view kReasonTotpRequired = "totp_required";

struct UserState {
  std::string name;
  std::vector<Role> roles;  // in grant order
  bool has_password = false;
  bool totp_enrolled = false;
  // Sign-in attempts since the last success (a success clears the count: lockout.h).
  std::vector<SignInAttempt> attempts;
  int64_t created_seq = 0;

  bool HasRole(const Role& role) const;
};

struct IdentityState {
  std::map<std::string, UserState> users;  // by name
  // The API tokens whose revocation is journaled (identity.token_revoked), by id: a use refuses
  // them whatever the credential store's table says (INV-73).
  std::set<std::string, std::less<>> revoked_tokens;
  int64_t last_seq = 0;  // the last identity.* entry applied (0: none)

  const UserState* Find(std::string_view name) const;
};

// Applies one journaled identity event (entry `seq`) to `state`. DataLoss when the body lacks a
// field its kind needs or names a user the state does not know (a journal that was not written
// by this program); unknown identity.* kinds are ignored, so an older program reads a newer
// journal's users.
core::Status ApplyIdentityEvent(IdentityState& state, std::string_view kind,
                                const core::Record& body, int64_t seq);

// A user name: 3–64 of [a-z0-9._-], starting with a letter or digit (check 340).
bool IsValidUserName(std::string_view name);

}  // namespace jcm::identity
