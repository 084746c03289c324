// ApprovalService against both stores (the SQLite one in a file): four eyes with the TOTP
// signature, the delays moved by the test's clock (never by sleeping), the ledger's checks at
// execution, idempotency keys, and the state replayed from the journal after a restart.
#include "service/approval_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/date.h"
#include "identity/totp.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"
#include "store/sqlite/sqlite_store.h"

namespace jcm::service {
namespace {

using approval::ApprovalCheck;
using approval::ProposalStatus;

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86'400;
constexpr int kUnitsInsufficient = static_cast<int>(ledger::CheckCode::kUnitsInsufficient);

template <typename T>
const T& Accepted(const core::Result<OrRejection<T>>& result) {
  EXPECT_TRUE(result.ok()) << result.status();
  const T* value = result.ok() ? std::get_if<T>(&*result) : nullptr;
  if (value == nullptr && result.ok()) {
    const Rejection& r = std::get<Rejection>(*result);
    ADD_FAILURE() << "rejected by " << r.check << " " << r.name << ": " << r.message;
  }
  static const T kEmpty{};
  return value != nullptr ? *value : kEmpty;
}

int Check(ApprovalCheck check) { return static_cast<int>(check); }

class ApprovalServiceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    RegistryService registry(*store_);
    ASSERT_TRUE(registry.InitRegistries({"MN"}).ok());
    source_ = Open(registry, "Alice LLC");
    dest_ = Open(registry, "Bob Solar");
    Issue(100);
    alice_ = User("alice", "authorised_representative:" + source_ + ":initiate");
    bob_ = User("bob", "authorised_representative:" + source_ + ":approve");
    carol_ = User("carol", "authorised_representative:" + source_ + ":initiate_and_approve");
    service_.emplace(*store_, clock_);
  }

  std::string Open(RegistryService& registry, const std::string& name) {
    auto opened = registry.OpenAccount(
        ledger::OpenAccount{"MN", ledger::AccountType::kEntityHolding, {name, "", "", "", ""}, ""});
    return Accepted(opened).account.number;
  }

  void Issue(int64_t quantity) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = "MN003";
    r.period = "2017-08-26..2018-05-31";
    r.decision = "MN003:2017-08-26..2018-05-31@test";
    ledger::JcDecision decision{r.decision, core::RegistryCode::FromTrusted("MN"), r.project,
                                *core::Period::Parse(r.period), quantity};
    ASSERT_TRUE(store_
                    ->Submit(ledger::RecordDecisions{
                        {"cycle.test_decision", core::Record(), "", -1}, {decision}})
                    .ok());
    r.authorization = ledger::Authorization::kNdc;
    r.targets = {{source_, quantity}};
    Accepted(RegistryService(*store_).Issue(r));
  }

  // A user with one role and TOTP; the principal it acts as.
  identity::Principal User(const std::string& name, const std::string& role) {
    IdentityService identity(*store_);
    Accepted(identity.CreateUser(name, "operator"));
    Accepted(identity.GrantRole(name, role, "operator"));
    keys_[name] = *identity::Base32Decode(Accepted(identity.EnrollTotp(name, "")).secret_base32);
    return Accepted(identity.PrincipalOf(name));
  }

  // The user's TOTP code for the clock's now, after moving the clock to a step no earlier code
  // of this test used (a step is good once, INV-16).
  std::string Code(const std::string& name) {
    clock_.Advance(identity::kTotpStep_s);
    const std::string iso = clock_.NowUtc();
    const int64_t now_s = core::Date::Parse(iso.substr(0, 10))->days_since_epoch() * kDay +
                          std::stoi(iso.substr(11, 2)) * kHour + std::stoi(iso.substr(14, 2)) * 60 +
                          std::stoi(iso.substr(17, 2));
    return identity::TotpAt(keys_[name], now_s, identity::kTotpAlgorithm);
  }

  approval::ProposedTransaction Transfer(int64_t quantity) {
    return {
        ledger::TransactionType::kInternalTransfer, source_, dest_, quantity, "", "", "", 0, ""};
  }

  int64_t Units(const std::string& account) {
    return RegistryService(*store_).GetHoldings(account)->units;
  }

  ProposalResult Status(int64_t id) { return Accepted(service_->Get(carol_, id)); }

  std::optional<ApprovalService> service_;
  std::string source_, dest_;
  identity::Principal alice_, bob_, carol_;
  std::map<std::string, std::string> keys_;
};

TEST_P(ApprovalServiceTest, AnUntrustedTransferNeedsASecondSignedApprovalAndWaits26Hours) {
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(30), "")).proposal.id;
  EXPECT_EQ(Status(id).status, ProposalStatus::kAwaitingApproval);
  // The initiator may not approve; nor may a wrong TOTP code, which changes nothing.
  EXPECT_THAT(*service_->Approve(alice_, id, Code("alice"), ""),
              IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
  EXPECT_THAT(*service_->Approve(bob_, id, "000000", ""),
              IsRejectedBy(static_cast<int>(identity::IdentityCheck::kTotpInvalid)));
  EXPECT_EQ(Status(id).status, ProposalStatus::kAwaitingApproval);
  const std::string code = Code("bob");
  const ProposalResult approved = Accepted(service_->Approve(bob_, id, code, ""));
  EXPECT_EQ(approved.status, ProposalStatus::kDelayed);
  EXPECT_EQ(approved.proposal.approver, "bob");
  EXPECT_EQ(approved.proposal.execute_at_s, approved.proposal.approved_at_s + 26 * kHour);
  // The code is spent: another approval with it is a replay.
  const int64_t second = Accepted(service_->Propose(alice_, Transfer(1), "")).proposal.id;
  EXPECT_THAT(*service_->Approve(bob_, second, code, ""),
              IsRejectedBy(static_cast<int>(identity::IdentityCheck::kTotpReplayed)));
  // A delayed transfer never executes before its time (INV-19).
  clock_.Advance(26 * kHour - 10 * 60);
  EXPECT_TRUE(service_->RunDue()->completed.empty());
  EXPECT_EQ(Status(id).status, ProposalStatus::kDelayed);
  EXPECT_EQ(Units(dest_), 0);
  clock_.Advance(10 * 60);
  const RunDueResult due = *service_->RunDue();
  EXPECT_EQ(due.completed, std::vector<int64_t>{id});
  const ProposalResult done = Status(id);
  EXPECT_EQ(done.status, ProposalStatus::kCompleted);
  EXPECT_GT(done.proposal.ledger_seq, id);
  EXPECT_EQ(Units(dest_), 30);
  EXPECT_EQ(Units(source_), 70);
}

TEST_P(ApprovalServiceTest, TheInitiatorIsRefusedByCheck404) {
  const int64_t id = Accepted(service_->Propose(carol_, Transfer(5), "")).proposal.id;
  EXPECT_THAT(*service_->Approve(carol_, id, Code("carol"), ""),
              IsRejectedBy(Check(ApprovalCheck::kApproverIsInitiator)));
  EXPECT_THAT(*service_->Propose(bob_, Transfer(5), ""),
              IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
}

TEST_P(ApprovalServiceTest, TrustedAccountsCountAfterSevenDaysAndSkipTheDelay) {
  const TrustedResult entry = Accepted(service_->AddTrusted(alice_, source_, dest_, ""));
  EXPECT_FALSE(entry.effective);
  const int64_t early = Accepted(service_->Propose(alice_, Transfer(10), "")).proposal.id;
  EXPECT_EQ(Accepted(service_->Approve(bob_, early, Code("bob"), "")).status,
            ProposalStatus::kDelayed);
  // The approver cancels it during the delay: it never executes.
  EXPECT_EQ(Accepted(service_->Cancel(bob_, early, "not yet trusted", "")).status,
            ProposalStatus::kCancelled);
  clock_.Advance(7 * kDay);
  EXPECT_TRUE(Accepted(service_->ListTrusted(bob_, source_)).at(0).effective);
  const int64_t later = Accepted(service_->Propose(alice_, Transfer(10), "")).proposal.id;
  const ProposalResult done = Accepted(service_->Approve(bob_, later, Code("bob"), ""));
  EXPECT_EQ(done.status, ProposalStatus::kCompleted);
  EXPECT_TRUE(done.proposal.to_trusted);
  EXPECT_EQ(Status(early).status, ProposalStatus::kCancelled);
  EXPECT_EQ(Units(dest_), 10);
  // Removed: transfers wait again.
  Accepted(service_->RemoveTrusted(alice_, source_, entry.entry.id, ""));
  EXPECT_TRUE(Accepted(service_->ListTrusted(alice_, source_)).empty());
  const int64_t after = Accepted(service_->Propose(alice_, Transfer(1), "")).proposal.id;
  EXPECT_EQ(Accepted(service_->Approve(bob_, after, Code("bob"), "")).status,
            ProposalStatus::kDelayed);
}

TEST_P(ApprovalServiceTest, TheLedgerChecksAgainAtExecutionAndAFailureIsRecorded) {
  const approval::ProposedTransaction retire{
      ledger::TransactionType::kRetirement, source_, "", 500, "", "Ulaanbaatar", "", 0, ""};
  const int64_t id = Accepted(service_->Propose(alice_, retire, "")).proposal.id;
  const ProposalResult failed = Accepted(service_->Approve(bob_, id, Code("bob"), ""));
  EXPECT_EQ(failed.status, ProposalStatus::kFailed);
  EXPECT_EQ(failed.proposal.failed_check, kUnitsInsufficient);
  EXPECT_EQ(failed.proposal.failed_name, "units_insufficient");
  EXPECT_EQ(Units(source_), 100);
}

TEST_P(ApprovalServiceTest, UnapprovedProposalsExpireAfter14Days) {
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(5), "")).proposal.id;
  clock_.Advance(14 * kDay);
  const RunDueResult due = *service_->RunDue();
  EXPECT_EQ(due.expired, std::vector<int64_t>{id});
  EXPECT_EQ(Status(id).status, ProposalStatus::kExpired);
  EXPECT_THAT(*service_->Approve(bob_, id, Code("bob"), ""),
              IsRejectedBy(Check(ApprovalCheck::kProposalNotPending)));
  EXPECT_THAT(*service_->Cancel(alice_, id, "", ""),
              IsRejectedBy(Check(ApprovalCheck::kProposalNotCancellable)));
}

TEST_P(ApprovalServiceTest, AKeyReturnsTheFirstAnswerAndRefusesAnotherRequest) {
  const ProposalResult first = Accepted(service_->Propose(alice_, Transfer(5), "k-1"));
  const ProposalResult again = Accepted(service_->Propose(alice_, Transfer(5), "k-1"));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.proposal.id, first.proposal.id);
  EXPECT_THAT(*service_->Propose(alice_, Transfer(6), "k-1"),
              IsRejectedBy(Check(ApprovalCheck::kKeyReused)));
  EXPECT_EQ(Accepted(service_->List(bob_, source_)).size(), 1u);
  // An approval retried with its key answers the first result without a new TOTP code.
  Accepted(service_->Approve(bob_, first.proposal.id, Code("bob"), "a-1"));
  const ProposalResult retried = Accepted(service_->Approve(bob_, first.proposal.id, "", "a-1"));
  EXPECT_TRUE(retried.replayed);
}

TEST_P(ApprovalServiceTest, AnotherAccountsRepresentativeSeesNothing) {
  const identity::Principal other =
      User("olga", "authorised_representative:" + dest_ + ":initiate_and_approve");
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(5), "")).proposal.id;
  EXPECT_THAT(*service_->Get(other, id), IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
  EXPECT_THAT(*service_->List(other, source_), IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
  EXPECT_THAT(*service_->ListTrusted(other, source_),
              IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
  EXPECT_THAT(*service_->Approve(other, id, Code("olga"), ""),
              IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
}

// The state is the journal's: a new service (another process, a restart) replays it, and a
// delayed transfer approved before the restart executes after it.
TEST_P(ApprovalServiceTest, StateReplaysFromTheJournalAfterARestart) {
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(20), "k")).proposal.id;
  Accepted(service_->Approve(bob_, id, Code("bob"), ""));
  const int64_t other = Accepted(service_->Propose(carol_, Transfer(3), "")).proposal.id;
  service_.reset();
  if (GetParam() == StoreKind::kSqlite) {
    store_.reset();
    auto reopened = store::OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(reopened.ok());
    store_ = std::move(reopened).value();
  }
  service_.emplace(*store_, clock_);
  EXPECT_EQ(Status(id).status, ProposalStatus::kDelayed);
  EXPECT_EQ(Status(id).proposal.approver, "bob");
  EXPECT_EQ(Status(other).status, ProposalStatus::kAwaitingApproval);
  EXPECT_TRUE(Accepted(service_->Propose(alice_, Transfer(20), "k")).replayed);
  clock_.Advance(27 * kHour);
  EXPECT_EQ(Status(id).status, ProposalStatus::kCompleted);  // run lazily by the read
  EXPECT_EQ(Units(dest_), 20);
}

INSTANTIATE_TEST_SUITE_P(Stores, ApprovalServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
