// Roles and the one access decision, Authorize(principal, action, resource): a pure table.
//
// A role is a kind with the scope it holds in: system administrator and auditor everywhere, a
// registry administrator in one registry (JP or a partner's), a JC secretariat in one Joint
// Committee, a TPE as one organisation, an authorised representative (AR) on one account with
// one right. Its text form (CLI, journal): `system_administrator`, `auditor`,
// `registry_administrator:JP`, `jc_secretariat:JC-MN`, `tpe:ORG-7`,
// `authorised_representative:JP-121-0000007-11:approve`.
//
// The table (docs/identity.md): anyone reads public data; the auditor reads everything and
// changes nothing; an AR sees and acts on its own account only — nothing of another's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jcm::identity {

enum class RoleKind : uint8_t {
  kSystemAdministrator,
  kRegistryAdministrator,
  kJcSecretariat,
  kTpe,
  kAuthorisedRepresentative,
  kAuditor,
};

// UK ETS's AR rights, without its surrender-only one (no compliance surrender in the JCM).
enum class AccountRight : uint8_t { kInitiate, kApprove, kInitiateAndApprove, kReadOnly };

struct Role {
  RoleKind kind = RoleKind::kAuditor;
  std::string scope;  // registry code, JC id, organisation id or account number; empty for
                      // system administrator and auditor
  AccountRight right = AccountRight::kReadOnly;  // authorised representatives only

  std::string ToText() const;
  // InvalidArgument for an unknown kind, a missing or superfluous scope, an unknown right, a
  // registry code that is not JP or a partner's, or an account number that fails its check.
  static core::Result<Role> Parse(std::string_view text);
  friend bool operator==(const Role&, const Role&) = default;
};

// Who asks: a signed-in user with their roles, or the public (no user, no roles).
struct Principal {
  std::string user;  // empty: the public
  std::vector<Role> roles;
};

enum class Action : uint8_t {
  kReadPublic,         // projects, decisions, issuances, retirements, totals, serial look-up
  kReadAccount,        // an account's holdings and transactions
  kReadJournal,        // the whole journal and the audit
  kInitiateTransfer,   // propose a transfer, retirement or cancellation from an account
  kApproveTransfer,    // the second pair of eyes
  kManageAccounts,     // open, suspend, close accounts in a registry
  kExecuteJcDecision,  // record and execute a Joint Committee decision in a registry
  kCycleStep,          // a project-cycle step of a Joint Committee
  kTpeStep,            // a validation or verification assigned to an organisation
  kManageUsers,        // create users, set their passwords, grant and revoke roles
};
std::string_view ActionName(Action action);  // "read_public", "initiate_transfer", …

// What the action touches. Fields the action does not concern stay empty.
struct Resource {
  std::string registry;             // registry code of the account, decision or users
  std::string account;              // account number
  bool government_account = false;  // a Party's holding, retirement or cancellation account
  std::string joint_committee;      // JC id
  std::string organisation;         // TPE organisation id
};

// True when one of the principal's roles allows `action` on `resource`.
bool Authorize(const Principal& principal, Action action, const Resource& resource);

// True when a role lets its holder change something (everything but auditor and a read-only
// AR): such users must enrol TOTP before they can sign in (issue 9 §3).
bool RoleMayChange(const Role& role);
bool MayChangeAnything(const std::vector<Role>& roles);

}  // namespace jcm::identity
