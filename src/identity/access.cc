#include "identity/access.h"

#include <array>
#include <utility>

#include "core/account_number.h"
#include "core/registry_code.h"

namespace jcm::identity {
namespace {

constexpr std::array<std::pair<RoleKind, std::string_view>, 6> kKindNames{{
    {RoleKind::kSystemAdministrator, "system_administrator"},
    {RoleKind::kRegistryAdministrator, "registry_administrator"},
    {RoleKind::kJcSecretariat, "jc_secretariat"},
    {RoleKind::kTpe, "tpe"},
    {RoleKind::kAuthorisedRepresentative, "authorised_representative"},
    {RoleKind::kAuditor, "auditor"},
}};

constexpr std::array<std::pair<AccountRight, std::string_view>, 4> kRightNames{{
    {AccountRight::kInitiate, "initiate"},
    {AccountRight::kApprove, "approve"},
    {AccountRight::kInitiateAndApprove, "initiate_and_approve"},
    {AccountRight::kReadOnly, "read_only"},
}};

std::string_view KindName(RoleKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::string_view RightName(AccountRight right) {
  for (const auto& [r, name] : kRightNames) {
    if (r == right) return name;
  }
  return "unknown";
}

bool HasScope(RoleKind kind) {
  return kind != RoleKind::kSystemAdministrator && kind != RoleKind::kAuditor;
}

// A JC, organisation or account scope: 1–64 of [A-Za-z0-9._-].
bool IsScopeText(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Status CheckScope(RoleKind kind, std::string_view scope) {
  if (kind == RoleKind::kRegistryAdministrator) {
    return core::RegistryCode::Parse(scope).status();
  }
  if (kind == RoleKind::kAuthorisedRepresentative) {
    return core::AccountNumber::Parse(scope).status();
  }
  if (!IsScopeText(scope)) {
    return core::InvalidArgument("role scope '" + std::string(scope) +
                                 "' must be 1-64 of A-Z a-z 0-9 . _ -");
  }
  return core::OkStatus();
}

bool AllowedBy(const Role& role, Action action, const Resource& resource) {
  switch (role.kind) {
    case RoleKind::kSystemAdministrator:
      return action == Action::kManageUsers || action == Action::kReadJournal ||
             action == Action::kReadAccount;
    case RoleKind::kAuditor:
      return action == Action::kReadAccount || action == Action::kReadJournal;
    case RoleKind::kRegistryAdministrator:
      if (resource.registry != role.scope) return false;
      return action == Action::kReadAccount || action == Action::kManageAccounts ||
             action == Action::kExecuteJcDecision || action == Action::kManageUsers ||
             ((action == Action::kInitiateTransfer || action == Action::kApproveTransfer) &&
              resource.government_account);
    case RoleKind::kJcSecretariat:
      return action == Action::kCycleStep && resource.joint_committee == role.scope;
    case RoleKind::kTpe:
      return action == Action::kTpeStep && resource.organisation == role.scope;
    case RoleKind::kAuthorisedRepresentative:
      if (resource.account != role.scope) return false;
      if (action == Action::kReadAccount) return true;
      if (action == Action::kInitiateTransfer) {
        return role.right == AccountRight::kInitiate ||
               role.right == AccountRight::kInitiateAndApprove;
      }
      if (action == Action::kApproveTransfer) {
        return role.right == AccountRight::kApprove ||
               role.right == AccountRight::kInitiateAndApprove;
      }
      return false;
  }
  return false;
}

}  // namespace

std::string Role::ToText() const {
  std::string text(KindName(kind));
  if (HasScope(kind)) text += ":" + scope;
  if (kind == RoleKind::kAuthorisedRepresentative) text += ":" + std::string(RightName(right));
  return text;
}

core::Result<Role> Role::Parse(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string_view kind_name = text.substr(0, colon);
  Role role;
  bool known = false;
  for (const auto& [kind, name] : kKindNames) {
    if (name == kind_name) {
      role.kind = kind;
      known = true;
    }
  }
  if (!known) return core::InvalidArgument("unknown role '" + std::string(kind_name) + "'");
  std::string_view rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!HasScope(role.kind)) {
    if (colon != std::string_view::npos) {
      return core::InvalidArgument("role " + std::string(kind_name) + " takes no scope");
    }
    return role;
  }
  if (role.kind == RoleKind::kAuthorisedRepresentative) {
    const size_t right_colon = rest.rfind(':');
    if (right_colon == std::string_view::npos) {
      return core::InvalidArgument("authorised_representative needs ACCOUNT:RIGHT");
    }
    const std::string_view right_name = rest.substr(right_colon + 1);
    bool right_known = false;
    for (const auto& [right, name] : kRightNames) {
      if (name == right_name) {
        role.right = right;
        right_known = true;
      }
    }
    if (!right_known) {
      return core::InvalidArgument("unknown right '" + std::string(right_name) +
                                   "' (initiate, approve, initiate_and_approve, read_only)");
    }
    rest = rest.substr(0, right_colon);
  }
  JCM_RETURN_IF_ERROR(CheckScope(role.kind, rest));
  role.scope = std::string(rest);
  return role;
}

std::string_view ActionName(Action action) {
  switch (action) {
    // clang-format off
    case Action::kReadPublic: return "read_public";
    case Action::kReadAccount: return "read_account";
    case Action::kReadJournal: return "read_journal";
    case Action::kInitiateTransfer: return "initiate_transfer";
    case Action::kApproveTransfer: return "approve_transfer";
    case Action::kManageAccounts: return "manage_accounts";
    case Action::kExecuteJcDecision: return "execute_jc_decision";
    case Action::kCycleStep: return "cycle_step";
    case Action::kTpeStep: return "tpe_step";
    case Action::kManageUsers: return "manage_users";
      // clang-format on
  }
  return "unknown";
}

bool Authorize(const Principal& principal, Action action, const Resource& resource) {
  if (action == Action::kReadPublic) return true;
  for (const Role& role : principal.roles) {
    if (AllowedBy(role, action, resource)) return true;
  }
  return false;
}

bool RoleMayChange(const Role& role) {
  if (role.kind == RoleKind::kAuditor) return false;
  return !(role.kind == RoleKind::kAuthorisedRepresentative &&
           role.right == AccountRight::kReadOnly);
}

bool MayChangeAnything(const std::vector<Role>& roles) {
  for (const Role& role : roles) {
    if (RoleMayChange(role)) return true;
  }
  return false;
}

}  // namespace jcm::identity
