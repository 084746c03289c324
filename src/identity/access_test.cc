#include "identity/access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/account_number.h"
#include "core/testing/status_matchers.h"

namespace jcm::identity {
namespace {

using jcm_testing::StatusIs;

std::string AccountNumberOf(std::string_view registry, int type_code, int64_t sequence) {
  return core::AccountNumber{core::RegistryCode::FromTrusted(registry), type_code, sequence}
      .ToString();
}

const std::string kAccountA = AccountNumberOf("JP", 121, 7);  // JP-121-0000007-11
const std::string kAccountB = AccountNumberOf("JP", 121, 8);

Role R(std::string_view text) {
  auto role = Role::Parse(text);
  EXPECT_TRUE(role.ok()) << text << ": " << role.status();
  return role.ok() ? *role : Role{};
}

Principal Of(std::initializer_list<std::string> roles) {
  Principal p{"someone", {}};
  for (const auto& text : roles) p.roles.push_back(R(text));
  return p;
}

TEST(Role, ParsesAndPrintsEachKind) {
  for (const char* text :
       {"system_administrator", "auditor", "registry_administrator:JP", "jc_secretariat:JC-MN",
        "tpe:ORG-7", "authorised_representative:JP-121-0000007-11:initiate_and_approve"}) {
    EXPECT_EQ(R(text).ToText(), text);
  }
}

TEST(Role, RefusesMalformedText) {
  for (const char* text :
       {"root", "auditor:JP", "registry_administrator", "registry_administrator:XX",
        "authorised_representative:JP-121-0000007-64:approve",  // check digits wrong
        "authorised_representative:JP-121-0000007-11",
        "authorised_representative:JP-121-0000007-11:own", "tpe:", "jc_secretariat:a b"}) {
    EXPECT_THAT(Role::Parse(text), StatusIs(core::StatusCode::kInvalidArgument)) << text;
  }
}

// The access table, one row per (role, action, resource) that matters; every other pair is
// refused, which the last test checks for the public.
struct Row {
  const char* role;
  Action action;
  Resource resource;
  bool allowed;
};

const Resource kAccountAInJp{"JP", "JP-121-0000007-11", false, "", ""};
const Resource kAccountBInJp{"JP", kAccountB, false, "", ""};
const Resource kGovernmentInJp{"JP", AccountNumberOf("JP", 100, 1), true, "", ""};
const Resource kAccountInMn{"MN", AccountNumberOf("MN", 121, 1), false, "", ""};
const Resource kJcMn{"", "", false, "JC-MN", ""};
const Resource kJcVn{"", "", false, "JC-VN", ""};
const Resource kOrg7{"", "", false, "", "ORG-7"};
const Resource kOrg8{"", "", false, "", "ORG-8"};
const Resource kRegistryJp{"JP", "", false, "", ""};

const Row kTable[] = {
    // An authorised representative of account A: A only, by its right.
    {"authorised_representative:JP-121-0000007-11:read_only", Action::kReadAccount, kAccountAInJp,
     true},
    {"authorised_representative:JP-121-0000007-11:read_only", Action::kInitiateTransfer,
     kAccountAInJp, false},
    {"authorised_representative:JP-121-0000007-11:read_only", Action::kApproveTransfer,
     kAccountAInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate", Action::kInitiateTransfer,
     kAccountAInJp, true},
    {"authorised_representative:JP-121-0000007-11:initiate", Action::kApproveTransfer,
     kAccountAInJp, false},
    {"authorised_representative:JP-121-0000007-11:approve", Action::kApproveTransfer, kAccountAInJp,
     true},
    {"authorised_representative:JP-121-0000007-11:approve", Action::kInitiateTransfer,
     kAccountAInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kInitiateTransfer,
     kAccountAInJp, true},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kApproveTransfer,
     kAccountAInJp, true},
    // ... and nothing of another account, in the same registry or not.
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kReadAccount,
     kAccountBInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kInitiateTransfer,
     kAccountBInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kApproveTransfer,
     kAccountBInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kReadJournal,
     kAccountAInJp, false},
    {"authorised_representative:JP-121-0000007-11:initiate_and_approve", Action::kManageAccounts,
     kAccountAInJp, false},
    // A registry administrator: its registry's accounts, users, decisions; transfers only from
    // government accounts.
    {"registry_administrator:JP", Action::kReadAccount, kAccountAInJp, true},
    {"registry_administrator:JP", Action::kManageAccounts, kAccountAInJp, true},
    {"registry_administrator:JP", Action::kManageUsers, kRegistryJp, true},
    {"registry_administrator:JP", Action::kExecuteJcDecision, kRegistryJp, true},
    {"registry_administrator:JP", Action::kApproveTransfer, kGovernmentInJp, true},
    {"registry_administrator:JP", Action::kInitiateTransfer, kGovernmentInJp, true},
    {"registry_administrator:JP", Action::kApproveTransfer, kAccountAInJp, false},
    {"registry_administrator:JP", Action::kReadAccount, kAccountInMn, false},
    {"registry_administrator:JP", Action::kExecuteJcDecision, kAccountInMn, false},
    {"registry_administrator:JP", Action::kCycleStep, kJcMn, false},
    // A JC secretariat: its committee's cycle steps.
    {"jc_secretariat:JC-MN", Action::kCycleStep, kJcMn, true},
    {"jc_secretariat:JC-MN", Action::kCycleStep, kJcVn, false},
    {"jc_secretariat:JC-MN", Action::kReadAccount, kAccountInMn, false},
    {"jc_secretariat:JC-MN", Action::kExecuteJcDecision, kAccountInMn, false},
    // A TPE: its own assignments.
    {"tpe:ORG-7", Action::kTpeStep, kOrg7, true},
    {"tpe:ORG-7", Action::kTpeStep, kOrg8, false},
    {"tpe:ORG-7", Action::kCycleStep, kJcMn, false},
    // The auditor reads everything and changes nothing.
    {"auditor", Action::kReadAccount, kAccountAInJp, true},
    {"auditor", Action::kReadAccount, kAccountInMn, true},
    {"auditor", Action::kReadJournal, kRegistryJp, true},
    {"auditor", Action::kInitiateTransfer, kAccountAInJp, false},
    {"auditor", Action::kApproveTransfer, kAccountAInJp, false},
    {"auditor", Action::kManageUsers, kRegistryJp, false},
    // The system administrator manages users and reads every account and the journal (issue 9:
    // "auditors and system administrators everything"); it moves no units.
    {"system_administrator", Action::kManageUsers, kRegistryJp, true},
    {"system_administrator", Action::kManageUsers, Resource{}, true},
    {"system_administrator", Action::kReadJournal, Resource{}, true},
    {"system_administrator", Action::kReadAccount, kAccountAInJp, true},
    {"system_administrator", Action::kInitiateTransfer, kGovernmentInJp, false},
    {"system_administrator", Action::kExecuteJcDecision, kRegistryJp, false},
};

TEST(Authorize, FollowsTheTable) {
  for (const Row& row : kTable) {
    EXPECT_EQ(Authorize(Of({row.role}), row.action, row.resource), row.allowed)
        << row.role << " " << ActionName(row.action) << " on " << row.resource.account
        << row.resource.registry << row.resource.joint_committee << row.resource.organisation;
  }
}

TEST(Authorize, EveryoneReadsPublicDataTheRoleLessPublicNothingElse) {
  const Principal public_user;
  EXPECT_TRUE(Authorize(public_user, Action::kReadPublic, Resource{}));
  EXPECT_TRUE(Authorize(Of({"tpe:ORG-7"}), Action::kReadPublic, Resource{}));
  for (Action action :
       {Action::kReadAccount, Action::kReadJournal, Action::kInitiateTransfer,
        Action::kApproveTransfer, Action::kManageAccounts, Action::kExecuteJcDecision,
        Action::kCycleStep, Action::kTpeStep, Action::kManageUsers}) {
    for (const Resource& resource : {kAccountAInJp, kGovernmentInJp, kJcMn, kOrg7, kRegistryJp}) {
      EXPECT_FALSE(Authorize(public_user, action, resource)) << ActionName(action);
    }
  }
}

TEST(Authorize, RolesAddUp) {
  const Principal both = Of({std::string("authorised_representative:JP-121-0000007-11:initiate"),
                             "authorised_representative:" + kAccountB + ":approve"});
  EXPECT_TRUE(Authorize(both, Action::kInitiateTransfer, kAccountAInJp));
  EXPECT_FALSE(Authorize(both, Action::kApproveTransfer, kAccountAInJp));
  EXPECT_TRUE(Authorize(both, Action::kApproveTransfer, kAccountBInJp));
  EXPECT_FALSE(Authorize(both, Action::kInitiateTransfer, kAccountBInJp));
}

TEST(MayChangeAnything, OnlyAuditorsAndReadOnlyRepresentativesMayNot) {
  EXPECT_FALSE(MayChangeAnything({}));
  EXPECT_FALSE(MayChangeAnything(
      {R("auditor"), R("authorised_representative:" + kAccountA + ":read_only")}));
  EXPECT_TRUE(MayChangeAnything({R("auditor"), R("tpe:ORG-7")}));
  EXPECT_TRUE(MayChangeAnything({R("authorised_representative:" + kAccountA + ":approve")}));
}

}  // namespace
}  // namespace jcm::identity
