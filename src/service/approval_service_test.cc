// ApprovalService against both stores (the SQLite one in a file): four eyes with the TOTP
// signature, the delays moved by the test's clock (never by sleeping), the ledger's checks at
// execution, idempotency keys, and the state replayed from the journal after a restart.
#include "service/approval_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/date.h"
#include "identity/totp.h"
#include "ledger/audit.h"
#include "service/registry_service.h"
#include "service/service_fixture_test.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/forwarding_store.h"

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
    return CodeNow(name);
  }
  // The user's code for the clock's now (thread-safe: keys_ is only read).
  std::string CodeNow(const std::string& name) {
    const std::string iso = clock_.NowUtc();
    const int64_t now_s = core::Date::Parse(iso.substr(0, 10))->days_since_epoch() * kDay +
                          std::stoi(iso.substr(11, 2)) * kHour + std::stoi(iso.substr(14, 2)) * 60 +
                          std::stoi(iso.substr(17, 2));
    return identity::TotpAt(keys_.at(name), now_s, identity::kTotpAlgorithm);
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

// INV-69 end to end: once the registry administrator's waiver and the trusted entry are in
// effect, a transfer to the trusted account executes with its proposal in one write (two journal
// entries: the transaction and the proposal naming it); one the ledger refuses journals nothing;
// a return to required counts at once.
TEST_P(ApprovalServiceTest, AWaiverLetsATransferToATrustedAccountExecuteWithItsProposal) {
  const identity::Principal admin = User("reg", "registry_administrator:MN");
  Accepted(service_->AddTrusted(alice_, source_, dest_, ""));
  EXPECT_THAT(*service_->SetRules(alice_, source_, false, ""),
              IsRejectedBy(Check(ApprovalCheck::kRightMissing)));
  const RulesResult set = Accepted(service_->SetRules(admin, source_, false, "w1"));
  EXPECT_FALSE(set.waived);  // counts after the trusted-entry delay
  EXPECT_EQ(set.rules.set_by, "reg");
  EXPECT_TRUE(Accepted(service_->SetRules(admin, source_, false, "w1")).replayed);
  EXPECT_EQ(Accepted(service_->Propose(alice_, Transfer(1), "")).status,
            ProposalStatus::kAwaitingApproval);
  clock_.Advance(7 * kDay);
  EXPECT_TRUE(Accepted(service_->Rules(carol_, source_)).waived);
  const int64_t journal = static_cast<int64_t>(store_->ReadJournal(1)->size());
  const ProposalResult done = Accepted(service_->Propose(alice_, Transfer(30), "t1"));
  EXPECT_EQ(done.status, ProposalStatus::kCompleted);
  EXPECT_TRUE(done.proposal.without_second_approval);
  EXPECT_EQ(done.proposal.ledger_seq, done.proposal.id - 1);
  EXPECT_EQ(static_cast<int64_t>(store_->ReadJournal(1)->size()), journal + 2);
  EXPECT_EQ(Units(dest_), 30);
  // The answer, made from the entry written before the replay read it, is the proposal as the
  // journal replays it.
  const ProposalResult replayed = Accepted(service_->Get(carol_, done.proposal.id));
  EXPECT_EQ(replayed.proposal, done.proposal);
  EXPECT_EQ(replayed.status, done.status);
  // A retry with the key answers the same proposal and moves nothing more.
  const ProposalResult retry = Accepted(service_->Propose(alice_, Transfer(30), "t1"));
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.proposal.id, done.proposal.id);
  EXPECT_EQ(Units(dest_), 30);
  // More than the source holds: the ledger's check, nothing journaled.
  EXPECT_THAT(*service_->Propose(alice_, Transfer(1000), ""), IsRejectedBy(kUnitsInsufficient));
  EXPECT_EQ(static_cast<int64_t>(store_->ReadJournal(1)->size()), journal + 2);
  // A restart replays it completed.
  EXPECT_EQ(Accepted(ApprovalService(*store_, clock_).Get(carol_, done.proposal.id)).status,
            ProposalStatus::kCompleted);
  Accepted(service_->SetRules(admin, source_, true, ""));
  EXPECT_EQ(Accepted(service_->Propose(alice_, Transfer(1), "")).status,
            ProposalStatus::kAwaitingApproval);
  EXPECT_EQ(Units(dest_), 30);
}

// An account's facts (registry, government or not) are read from the store once per service:
// they never change once the account is opened, and a proposal read both of its accounts.
TEST_P(ApprovalServiceTest, AnAccountsFactsAreReadOnceAndAnUnknownOnesAgain) {
  struct CountingStore : store::testing::ForwardingStore {
    using ForwardingStore::ForwardingStore;
    core::Result<std::optional<ledger::Account>> FindAccount(const std::string& number) override {
      ++finds[number];
      return ForwardingStore::FindAccount(number);
    }
    std::map<std::string, int> finds;
  } counting(*store_);
  ApprovalService service(counting, clock_);
  Accepted(service.Propose(alice_, Transfer(1), ""));
  Accepted(service.Propose(alice_, Transfer(2), ""));
  EXPECT_EQ(counting.finds[source_], 1);
  EXPECT_EQ(counting.finds[dest_], 1);
  approval::ProposedTransaction nowhere = Transfer(1);
  nowhere.to = "MN-100-999999";
  ASSERT_TRUE(service.Propose(alice_, nowhere, "").ok());
  ASSERT_TRUE(service.Propose(alice_, nowhere, "").ok());
  EXPECT_EQ(counting.finds["MN-100-999999"], 2);  // not kept: it may be opened later
  // INV-70, which keeping them relies on: a change of state leaves the registry and type.
  const ledger::Account before = **store_->FindAccount(source_);
  ASSERT_FALSE(store_
                   ->Submit(ledger::ChangeAccountState{source_, ledger::AccountState::kSuspended,
                                                       "INV-70", ""})
                   ->rejection);
  const ledger::Account after = **store_->FindAccount(source_);
  EXPECT_EQ(after.state, ledger::AccountState::kSuspended);
  EXPECT_EQ(after.type, before.type);
  EXPECT_EQ(after.registry.str(), before.registry.str());
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

// INV-60: a lock scoped to what a decision read ignores the family's other events and refuses
// one that concerns it — a field value it names or a kind it names — as check 23.
TEST_P(ApprovalServiceTest, AScopedLockIgnoresOtherProposalsAndRefusesItsOwn) {
  const auto note = [&](int64_t proposal, int64_t expected, std::vector<std::string> kinds = {},
                        std::string kind = "approval.test_note") {
    core::Record body;
    body.AddInt("proposal", proposal);
    ledger::AppendEvent event{
        std::move(kind), body, "", expected, {{"proposal", std::to_string(proposal)}},
        std::move(kinds)};
    if (expected < 0) event.lock_fields.clear();
    return *store_->Submit(event);
  };
  const int64_t first = note(1, -1).entry.seq;
  note(2, -1);                             // another proposal's event
  EXPECT_FALSE(note(1, first).rejection);  // decided at `first`: nothing about 1 since
  const int64_t head = note(1, -1).entry.seq;
  const store::Outcome moved = note(1, first);  // an event about 1 came after `first`
  ASSERT_TRUE(moved.rejection);
  EXPECT_EQ(moved.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  note(3, -1, {}, "approval.trusted_note");  // a trusted-list change
  EXPECT_FALSE(note(1, head + 1).rejection);
  const store::Outcome listed = note(1, head, {"approval.trusted_"});
  ASSERT_TRUE(listed.rejection);
  EXPECT_EQ(listed.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  // Unscoped, the same lock is the whole family's head.
  ledger::AppendEvent whole{"approval.test_note", core::Record(), "", first};
  EXPECT_EQ(store_->Submit(whole)->rejection->check, ledger::CheckCode::kEventFamilyMoved);
}

// INV-60: approvals of distinct proposals by services on as many threads (as `jcm serve`'s
// write workers run them) all commit — none gives up on a moving family head — and each
// proposal executes exactly once; the audit finds nothing.
TEST_P(ApprovalServiceTest, ConcurrentApprovalsOfDistinctProposalsExecuteOnce) {
  constexpr int kApprovals = 8;
  Accepted(service_->AddTrusted(alice_, source_, dest_, ""));
  clock_.Advance(8 * kDay);
  std::vector<identity::Principal> approvers;
  std::vector<int64_t> ids;
  for (int i = 0; i < kApprovals; ++i) {
    approvers.push_back(
        User("ann" + std::to_string(i), "authorised_representative:" + source_ + ":approve"));
    ids.push_back(Accepted(service_->Propose(alice_, Transfer(1), "")).proposal.id);
  }
  clock_.Advance(identity::kTotpStep_s);  // a step no code of this test used
  std::vector<core::Result<OrRejection<ProposalResult>>> results(kApprovals,
                                                                 core::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kApprovals; ++i) {
    threads.emplace_back([&, i] {
      const auto at = static_cast<size_t>(i);
      ApprovalService mine(*store_, clock_);
      results[at] = mine.Approve(approvers[at], ids[at], CodeNow("ann" + std::to_string(i)), "");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) {
    EXPECT_EQ(Accepted(result).status, ProposalStatus::kCompleted);
  }
  EXPECT_EQ(Units(dest_), kApprovals);
  const auto journal = *store_->ReadJournal(1);
  std::set<std::string> executed;
  for (const ledger::JournalEntry& entry : journal) {
    if (entry.kind == approval::kEventExecuted) {
      EXPECT_TRUE(executed.insert(std::string(*entry.body.Find("proposal"))).second);
    }
  }
  EXPECT_EQ(executed.size(), static_cast<size_t>(kApprovals));
  EXPECT_TRUE(ledger::Audit(journal, *store_->ReadState()).empty());
}

// INV-60 with one shared replay (ApprovalReplay, as `jcm serve`'s pooled services share it):
// each proposal is approved on one thread and cancelled by its initiator on another at once. A
// decision's lock expects the head of the state it was made on, not the head another thread's
// catch-up moved the shared state to meanwhile, so each proposal ends executed or cancelled,
// never both, each call answers what a fresh replay reads, and the units moved are the
// executions.
TEST_P(ApprovalServiceTest, ServicesSharingOneReplayDecideEachProposalOnce) {
  constexpr int kProposals = 8;
  Accepted(service_->AddTrusted(alice_, source_, dest_, ""));
  clock_.Advance(8 * kDay);
  std::vector<identity::Principal> approvers;
  std::vector<int64_t> ids;
  for (int i = 0; i < kProposals; ++i) {
    approvers.push_back(
        User("ann" + std::to_string(i), "authorised_representative:" + source_ + ":approve"));
    ids.push_back(Accepted(service_->Propose(alice_, Transfer(1), "")).proposal.id);
  }
  clock_.Advance(identity::kTotpStep_s);
  auto replay = std::make_shared<ApprovalReplay>();
  std::vector<core::Result<OrRejection<ProposalResult>>> approved(kProposals,
                                                                  core::Internal("not run"));
  auto cancelled = approved;
  std::vector<std::thread> threads;
  for (int i = 0; i < kProposals; ++i) {
    const auto at = static_cast<size_t>(i);
    threads.emplace_back([&, at] {
      ApprovalService mine(*store_, clock_, {}, replay);
      approved[at] = mine.Approve(approvers[at], ids[at], CodeNow("ann" + std::to_string(at)), "");
    });
    threads.emplace_back([&, at] {
      ApprovalService mine(*store_, clock_, {}, replay);
      cancelled[at] = mine.Cancel(alice_, ids[at], "changed my mind", "");
    });
  }
  for (std::thread& thread : threads) thread.join();
  int executions = 0;
  ApprovalService fresh(*store_, clock_);
  for (size_t at = 0; at < kProposals; ++at) {
    ASSERT_TRUE(approved[at].ok() && cancelled[at].ok()) << at;
    const auto* approval = std::get_if<ProposalResult>(&*approved[at]);
    const bool cancel_won = std::holds_alternative<ProposalResult>(*cancelled[at]);
    const ProposalStatus status = Accepted(fresh.Get(carol_, ids[at])).status;
    // An approval journaled first may still lose to the cancellation before its execution
    // (INV-19, over stores that write the two apart); it then answers cancelled.
    EXPECT_TRUE(approval != nullptr || cancel_won) << at;
    EXPECT_EQ(status, cancel_won ? ProposalStatus::kCancelled : ProposalStatus::kCompleted) << at;
    if (approval != nullptr) {
      EXPECT_EQ(approval->status, status) << at;
    }
    executions += status == ProposalStatus::kCompleted ? 1 : 0;
  }
  EXPECT_EQ(Units(dest_), executions);
  const auto journal = *store_->ReadJournal(1);
  std::map<std::string, int> endings;
  for (const ledger::JournalEntry& entry : journal) {
    if (entry.kind == approval::kEventExecuted || entry.kind == approval::kEventCancelled) {
      ++endings[std::string(*entry.body.Find("proposal"))];
    }
  }
  EXPECT_EQ(endings.size(), static_cast<size_t>(kProposals));
  for (const auto& [proposal, count] : endings) EXPECT_EQ(count, 1) << proposal;
  EXPECT_TRUE(ledger::Audit(journal, *store_->ReadState()).empty());
}

// A store through which a cancellation of `proposal` is journaled (by another process, as it
// were) just before the execution the service submits.
class CancelBeforeExecution : public store::testing::ForwardingStore {
 public:
  CancelBeforeExecution(store::Store& inner, int64_t proposal)
      : ForwardingStore(inner), inner_(inner), proposal_(proposal) {}
  core::Result<store::Outcome> Submit(const ledger::Command& command) override {
    if (std::holds_alternative<ledger::ExecuteDecision>(command) && !cancelled_) {
      cancelled_ = true;
      core::Record body;
      body.AddInt("proposal", proposal_).Add("by", "alice").AddInt("at", 0);
      JCM_RETURN_IF_ERROR(
          inner_.Submit(ledger::AppendEvent{std::string(approval::kEventCancelled), body, "", -1})
              .status());
    }
    return inner_.Submit(command);
  }
  bool cancelled_ = false;

 private:
  store::Store& inner_;
  int64_t proposal_;
};

// INV-19 with INV-60: the execution's lock, scoped to its proposal, still sees a cancellation
// journaled between the service's last read and its write, and the cancellation wins.
TEST_P(ApprovalServiceTest, ACancellationJournaledMeanwhileWinsOverTheExecution) {
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(30), "")).proposal.id;
  EXPECT_EQ(Accepted(service_->Approve(bob_, id, Code("bob"), "")).status,
            ProposalStatus::kDelayed);
  clock_.Advance(27 * kHour);
  CancelBeforeExecution racing(*store_, id);
  ApprovalService late(racing, clock_);
  const RunDueResult due = *late.RunDue();
  EXPECT_TRUE(racing.cancelled_);
  EXPECT_TRUE(due.completed.empty());
  EXPECT_EQ(Status(id).status, ProposalStatus::kCancelled);
  EXPECT_EQ(Units(dest_), 0);
  const std::vector<ledger::JournalEntry> journal = *store_->ReadJournal(1);
  for (const ledger::JournalEntry& entry : journal) {
    EXPECT_NE(entry.kind, approval::kEventExecuted);
  }
}

// INV-67: over SQLite, a signed approval that executes at once is one write batch — the TOTP
// step claim, identity.signin_succeeded, approval.approved, the transfer and approval.executed —
// where the memory store writes them apart.
TEST_P(ApprovalServiceTest, ASignedApprovalIsOneWriteWithItsClaimAndItsExecution) {
  if (GetParam() != StoreKind::kSqlite) GTEST_SKIP() << "the memory store writes them apart";
  Accepted(service_->AddTrusted(alice_, source_, dest_, ""));
  clock_.Advance(8 * kDay);
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(10), "")).proposal.id;
  const std::string code = Code("bob");
  const uint64_t commits = store_->LocalCommitCount().value();
  const auto before = static_cast<int64_t>(store_->ReadJournal(1)->size());
  EXPECT_EQ(Accepted(service_->Approve(bob_, id, code, "")).status, ProposalStatus::kCompleted);
  EXPECT_EQ(store_->LocalCommitCount().value(), commits + 1);
  const std::vector<ledger::JournalEntry> written = *store_->ReadJournal(before + 1);
  ASSERT_EQ(written.size(), 4u);
  EXPECT_EQ(written[0].kind, identity::kEventSignInSucceeded);
  EXPECT_EQ(written[0].body.Find("user"), "bob");
  EXPECT_EQ(written[0].body.Find("purpose"), "signature");
  EXPECT_EQ(written[1].kind, approval::kEventApproved);
  EXPECT_EQ(written[3].kind, approval::kEventExecuted);
  EXPECT_EQ(written[3].body.Find("ledger_transaction"), std::to_string(written[2].seq));
  EXPECT_EQ(Units(dest_), 10);
  // The claim committed with it: the code is spent (INV-16).
  const int64_t second = Accepted(service_->Propose(alice_, Transfer(1), "")).proposal.id;
  EXPECT_THAT(*service_->Approve(bob_, second, code, ""),
              IsRejectedBy(static_cast<int>(identity::IdentityCheck::kTotpReplayed)));
  EXPECT_TRUE(ledger::Audit(*store_->ReadJournal(1), *store_->ReadState()).empty());
}

// The SQLite store as a SignedSubmitter, with the approver's step claimed by another request
// between this approval's check of the code and its write.
class ClaimedMeanwhile : public store::testing::ForwardingStore, public store::SignedSubmitter {
 public:
  explicit ClaimedMeanwhile(store::Store& inner) : ForwardingStore(inner), inner_(inner) {}
  core::Result<store::SignedOutcome> SubmitSigned(const store::SignedCommands& group) override {
    JCM_RETURN_IF_ERROR(inner_.Credentials().ClaimTotpStep(group.user, group.totp_step).status());
    return store::SignedSubmitterOf(inner_)->SubmitSigned(group);
  }

 private:
  store::Store& inner_;
};

// INV-67 with INV-16: the claim refused inside the write, the approval is refused with 314,
// journaled as a failed signature, and nothing of the approval was written.
TEST_P(ApprovalServiceTest, AStepClaimedMeanwhileRefusesTheWholeApprovalWith314) {
  if (GetParam() != StoreKind::kSqlite) GTEST_SKIP() << "the memory store claims apart";
  const int64_t id = Accepted(service_->Propose(alice_, Transfer(10), "")).proposal.id;
  ClaimedMeanwhile racing(*store_);
  ApprovalService late(racing, clock_);
  EXPECT_THAT(*late.Approve(bob_, id, Code("bob"), ""),
              IsRejectedBy(static_cast<int>(identity::IdentityCheck::kTotpReplayed)));
  EXPECT_EQ(Status(id).status, ProposalStatus::kAwaitingApproval);
  const std::vector<ledger::JournalEntry> journal = *store_->ReadJournal(id + 1);
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back().kind, identity::kEventSignInFailed);
  EXPECT_EQ(journal.back().body.Find("check"), "314");
  for (const ledger::JournalEntry& entry : journal) {
    EXPECT_NE(entry.kind, identity::kEventSignInSucceeded);
    EXPECT_NE(entry.kind, approval::kEventApproved);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, ApprovalServiceTest,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kSqlite), StoreKindName);

}  // namespace
}  // namespace jcm::service
