// Account applications (service/account_applications.h) on both stores: an application is
// journaled and listed; approving opens the account and makes the applicant its representative;
// a retried approval neither opens a second account nor fails; checks 460–463 refuse what the
// rules forbid; the entries never reach the public feed.
#include "service/account_applications.h"

#include "service/account_queries.h"
#include "service/identity_service.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"

namespace jcm::service {
namespace {

class AccountApplicationsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->Submit(ledger::InitRegistry{"MN"}).ok());
    IdentityService identity(*store_);
    ASSERT_TRUE(identity.CreateUser("alice", "operator").ok());
  }
  AccountApplication Submit(const std::string& holder = "Gobi Solar LLC") {
    ApplicationRequest request{"MN", ledger::AccountType::kEntityHolding, {}, "alice"};
    request.holder.name = holder;
    request.holder.contact = "alice@gobi.mn";
    auto submitted = SubmitApplication(*store_, request);
    EXPECT_TRUE(submitted.ok() && !IsRejected(*submitted));
    return std::get<AccountApplication>(*submitted);
  }
  core::Result<OrRejection<AccountApplication>> Decide(int64_t id, bool approve,
                                                       const std::string& by = "mnadmin",
                                                       const std::string& reason = "") {
    return DecideApplication(*store_, {id, approve, reason, "initiate_and_approve", by});
  }
  // Accounts of this holder (the registry's own accounts left out).
  size_t AccountsOf(const std::string& holder) {
    size_t n = 0;
    const std::vector<AccountBalance> accounts =
        RegistryService(*store_).ListAccounts("MN").value();
    for (const AccountBalance& a : accounts) {
      n += a.account.holder.name == holder;
    }
    return n;
  }
};

TEST_P(AccountApplicationsTest, ApprovalOpensTheAccountAndMakesTheApplicantItsRepresentative) {
  const AccountApplication pending = Submit();
  EXPECT_EQ(pending.state, ApplicationState::kPending);
  EXPECT_EQ(pending.holder.contact, "alice@gobi.mn");
  const std::vector<ledger::JournalEntry> submitted = store_->ReadJournal(pending.id).value();
  EXPECT_EQ(submitted.front().kind, kApplicationSubmittedKind);

  auto approved = Decide(pending.id, true);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  ASSERT_FALSE(IsRejected(*approved)) << std::get<Rejection>(*approved).message;
  const AccountApplication& a = std::get<AccountApplication>(*approved);
  EXPECT_EQ(a.state, ApplicationState::kApproved);
  EXPECT_EQ(a.decided_by, "mnadmin");
  const std::optional<ledger::Account> account = store_->FindAccount(a.account).value();
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->holder.name, "Gobi Solar LLC");
  EXPECT_EQ(account->holder.contact, "alice@gobi.mn");
  IdentityService identity(*store_);
  const std::vector<UserSummary> users = identity.ListUsers(0).value();
  EXPECT_THAT(users.front().roles, ::testing::ElementsAre("authorised_representative:" + a.account +
                                                          ":initiate_and_approve"));
  EXPECT_THAT(Decide(pending.id, true).value(), IsRejectedBy(461));
  EXPECT_EQ(AccountsOf("Gobi Solar LLC"), 1u);
}

TEST_P(AccountApplicationsTest, AnApprovalCutShortIsCompletedByItsRetryWithOneAccount) {
  const AccountApplication pending = Submit();
  // The first attempt opened the account and granted the role, then stopped before journaling
  // its decision (a crash): the retry replays both and journals the decision.
  RegistryService registry(*store_);
  auto opened = registry.OpenAccount(
      ledger::OpenAccount{"MN", ledger::AccountType::kEntityHolding, pending.holder,
                          "application-" + std::to_string(pending.id)});
  const std::string number = std::get<AccountOpened>(opened.value()).account.number;
  ASSERT_FALSE(IsRejected(
      IdentityService(*store_)
          .GrantRole("alice", "authorised_representative:" + number + ":initiate_and_approve",
                     "mnadmin")
          .value()));
  auto approved = Decide(pending.id, true);
  ASSERT_TRUE(approved.ok() && !IsRejected(*approved));
  EXPECT_EQ(std::get<AccountApplication>(*approved).account, number);
  EXPECT_EQ(AccountsOf("Gobi Solar LLC"), 1u);
}

TEST_P(AccountApplicationsTest, ChecksRefuseWhatTheRulesForbid) {
  const AccountApplication pending = Submit();
  ApplicationRequest again{"MN", ledger::AccountType::kEntityHolding, pending.holder, "alice"};
  EXPECT_THAT(SubmitApplication(*store_, again).value(), IsRejectedBy(460));
  EXPECT_THAT(Decide(pending.id, true, "alice").value(), IsRejectedBy(462));
  EXPECT_THAT(Decide(pending.id, false).value(), IsRejectedBy(463));
  auto rejected = Decide(pending.id, false, "mnadmin", "no proof of identity");
  ASSERT_TRUE(rejected.ok() && !IsRejected(*rejected));
  EXPECT_EQ(std::get<AccountApplication>(*rejected).state, ApplicationState::kRejected);
  EXPECT_EQ(std::get<AccountApplication>(*rejected).reason, "no proof of identity");
  EXPECT_EQ(AccountsOf("Gobi Solar LLC"), 0u);
  // Rejected, the holder may be applied for again.
  EXPECT_FALSE(IsRejected(SubmitApplication(*store_, again).value()));

  EXPECT_THAT(Decide(999, true).status(), HasCode(core::StatusCode::kNotFound));
  ApplicationRequest bad = again;
  bad.registry = "XX";
  EXPECT_THAT(SubmitApplication(*store_, bad).status(),
              HasCode(core::StatusCode::kInvalidArgument));
  bad = again;
  bad.holder.name = "";
  EXPECT_THAT(SubmitApplication(*store_, bad).status(),
              HasCode(core::StatusCode::kInvalidArgument));
}

TEST_P(AccountApplicationsTest, ListsByRegistryApplicantAndStateAndNeverPublishes) {
  const AccountApplication first = Submit("First LLC");
  const AccountApplication second = Submit("Second LLC");
  ASSERT_TRUE(Decide(first.id, false, "mnadmin", "duplicate").ok());
  ApplicationFilter pending;
  pending.state = ApplicationState::kPending;
  const std::vector<AccountApplication> listed = ListApplications(*store_, pending).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, second.id);
  ApplicationFilter other;
  other.applicant = "bob";
  EXPECT_TRUE(ListApplications(*store_, other).value().empty());
  const std::vector<ledger::JournalEntry> entries = store_->ReadJournal(1, "application.").value();
  EXPECT_EQ(entries.size(), 3u);
  for (const ledger::JournalEntry& entry : entries) {
    EXPECT_FALSE(IsPublicJournalEntry(entry)) << entry.kind << " names people";
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountApplicationsTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
