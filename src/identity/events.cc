#include "identity/events.h"

#include <algorithm>

namespace jcm::identity {
namespace {

core::Result<UserState*> KnownUser(IdentityState& state, const core::Record& body,
                                   std::string_view kind) {
  JCM_ASSIGN_OR_RETURN(const std::string name, body.Get("user"));
  auto it = state.users.find(name);
  if (it == state.users.end()) {
    return core::DataLoss(std::string(kind) + " names user '" + name + "', never created");
  }
  return &it->second;
}

core::Result<Role> RoleOf(const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(const std::string text, body.Get("role"));
  auto role = Role::Parse(text);
  if (!role.ok()) return core::DataLoss("journaled role: " + role.status().message());
  return role;
}

core::Status ApplyRole(UserState& user, std::string_view kind, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(const Role role, RoleOf(body));
  if (kind == kEventRoleGranted) {
    if (!user.HasRole(role)) user.roles.push_back(role);
  } else {
    std::erase(user.roles, role);
  }
  return core::OkStatus();
}

core::Status ApplyAttempt(UserState& user, std::string_view kind, const core::Record& body) {
  JCM_ASSIGN_OR_RETURN(const int64_t at_s, body.GetInt("at"));
  if (kind == kEventSignInSucceeded) {
    user.attempts.clear();
  } else if (const auto reason = body.Find("reason");
             reason == kReasonPassword || reason == kReasonTotp) {
    user.attempts.push_back({at_s, false});
  }
  return core::OkStatus();
}

}  // namespace

bool UserState::HasRole(const Role& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const UserState* IdentityState::Find(std::string_view name) const {
  auto it = users.find(std::string(name));
  return it == users.end() ? nullptr : &it->second;
}

core::Status ApplyIdentityEvent(IdentityState& state, std::string_view kind,
                                const core::Record& body, int64_t seq) {
  if (kind == kEventUserCreated) {
    JCM_ASSIGN_OR_RETURN(const std::string name, body.Get("user"));
    if (state.users.contains(name)) {
      return core::DataLoss("identity.user_created for existing user '" + name + "'");
    }
    state.users[name] = UserState{name, {}, false, false, {}, seq};
  } else if (kind == kEventTokenRevoked) {
    JCM_ASSIGN_OR_RETURN(std::string token, body.Get("token"));
    state.revoked_tokens.insert(std::move(token));
  } else if (kind == kEventSignInFailed && body.Find("reason") == kReasonUnknownUser) {
    // A failure for a name that is no user: journaled for the audit, no state to change.
  } else if (kind == kEventRoleGranted || kind == kEventRoleRevoked || kind == kEventPasswordSet ||
             kind == kEventTotpEnrolled || kind == kEventSignInSucceeded ||
             kind == kEventSignInFailed) {
    JCM_ASSIGN_OR_RETURN(UserState * user, KnownUser(state, body, kind));
    if (kind == kEventPasswordSet) {
      user->has_password = true;
    } else if (kind == kEventTotpEnrolled) {
      user->totp_enrolled = true;
    } else if (kind == kEventRoleGranted || kind == kEventRoleRevoked) {
      JCM_RETURN_IF_ERROR(ApplyRole(*user, kind, body));
    } else {
      JCM_RETURN_IF_ERROR(ApplyAttempt(*user, kind, body));
    }
  }
  // identity.locked, identity.token_issued: facts for the audit; the lock is derived from
  // attempts and tokens live in the credential store.
  state.last_seq = seq;
  return core::OkStatus();
}

bool IsValidUserName(std::string_view name) {
  if (name.size() < 3 || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

}  // namespace jcm::identity
