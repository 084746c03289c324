// The decisions of four-eyes approval (decide.h): every numbered check, the state machine and
// the delays, over a state built by applying the events the decisions return.
#include "approval/decide.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/testing/status_matchers.h"

namespace jcm::approval {
namespace {

using identity::AccountRight;
using identity::Principal;
using identity::Role;
using identity::RoleKind;
using jcm_testing::StatusIs;

constexpr std::string_view kSource = "JP-121-0000007-11";
constexpr std::string_view kDest = "JP-121-0000008-79";
constexpr std::string_view kGov = "JP-100-0000001-52";
constexpr int64_t kT0 = 1'800'000'000;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86'400;

Principal Ar(std::string user, std::string_view account, AccountRight right) {
  return Principal{std::move(user),
                   {Role{RoleKind::kAuthorisedRepresentative, std::string(account), right}}};
}

const Principal kAlice = Ar("alice", kSource, AccountRight::kInitiate);
const Principal kBob = Ar("bob", kSource, AccountRight::kApprove);
const Principal kCarol = Ar("carol", kSource, AccountRight::kInitiateAndApprove);
const Principal kReader = Ar("rita", kSource, AccountRight::kReadOnly);
const Principal kStranger = Ar("sam", kDest, AccountRight::kInitiateAndApprove);
const Principal kAdmin{"reg", {Role{RoleKind::kRegistryAdministrator, "JP", {}}}};
const Principal kAdmin2{"reg2", {Role{RoleKind::kRegistryAdministrator, "JP", {}}}};

const std::optional<AccountFacts> kSourceFacts = AccountFacts{std::string(kSource), "JP", false};
const std::optional<AccountFacts> kDestFacts = AccountFacts{std::string(kDest), "JP", false};
const std::optional<AccountFacts> kGovFacts = AccountFacts{std::string(kGov), "JP", true};

ProposedTransaction Transfer(int64_t quantity = 10) {
  return ProposedTransaction{ledger::TransactionType::kInternalTransfer,
                             std::string(kSource),
                             std::string(kDest),
                             quantity,
                             "",
                             "",
                             "",
                             0,
                             ""};
}

// A journal of one: applies each accepted event at the next seq.
class Journal {
 public:
  int64_t Apply(const Verdict& verdict) {
    const auto* event = std::get_if<Event>(&verdict);
    EXPECT_NE(event, nullptr) << "not an event";
    if (event == nullptr) return 0;
    ++seq_;
    EXPECT_TRUE(ApplyApprovalEvent(state_, event->kind, event->body, seq_).ok());
    return seq_;
  }
  int64_t Propose(const Principal& who, const ProposedTransaction& t, int64_t now_s,
                  const std::optional<AccountFacts>& source = kSourceFacts,
                  const std::string& key = "") {
    auto verdict = DecidePropose(state_, who, source, kDestFacts, t, key, now_s, policy_);
    EXPECT_TRUE(verdict.ok());
    return Apply(*verdict);
  }
  const ApprovalState& state() const { return state_; }
  const Proposal& proposal(int64_t id) const { return *state_.FindProposal(id); }
  Policy policy_;

 private:
  ApprovalState state_;
  int64_t seq_ = 100;
};

void ExpectCheck(const Verdict& verdict, ApprovalCheck check) {
  const auto* rejection = std::get_if<Rejection>(&verdict);
  ASSERT_NE(rejection, nullptr) << "expected check " << static_cast<int>(check);
  EXPECT_EQ(rejection->check, check) << rejection->message;
}

TEST(DecideApproval, ATransferToAnUntrustedAccountWaits26HoursAfterTheSecondPairOfEyes) {
  Journal j;
  const int64_t id = j.Propose(kAlice, Transfer(), kT0);
  EXPECT_EQ(j.proposal(id).status, ProposalStatus::kAwaitingApproval);
  EXPECT_EQ(j.proposal(id).initiator, "alice");
  EXPECT_EQ(j.proposal(id).expires_at_s, kT0 + 14 * kDay);
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, id, "", kT0 + kHour, j.policy_));
  const Proposal& p = j.proposal(id);
  EXPECT_EQ(p.status, ProposalStatus::kDelayed);
  EXPECT_EQ(p.approver, "bob");
  EXPECT_FALSE(p.to_trusted);
  EXPECT_EQ(p.execute_at_s, kT0 + kHour + 26 * kHour);
  EXPECT_TRUE(Due(j.state(), p.execute_at_s - 1).execute.empty());
  EXPECT_EQ(Due(j.state(), p.execute_at_s).execute, std::vector<int64_t>{id});
  j.Apply(ExecutedEvent(id, 7, p.execute_at_s));
  EXPECT_EQ(j.proposal(id).status, ProposalStatus::kCompleted);
  EXPECT_EQ(j.proposal(id).ledger_seq, 7);
  EXPECT_TRUE(Due(j.state(), p.execute_at_s + kDay).execute.empty());
}

TEST(DecideApproval, TrustedDestinationsRetirementsAndCancellationsExecuteOnApproval) {
  Journal j;
  j.Apply(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kDestFacts, "", kT0, j.policy_));
  // Not yet effective: still delayed.
  const int64_t early = j.Propose(kAlice, Transfer(), kT0);
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, early, "", kT0 + 7 * kDay - 1, j.policy_));
  EXPECT_FALSE(j.proposal(early).to_trusted);
  EXPECT_EQ(j.proposal(early).execute_at_s, kT0 + 7 * kDay - 1 + 26 * kHour);
  const int64_t late = j.Propose(kAlice, Transfer(), kT0 + 7 * kDay);
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, late, "", kT0 + 7 * kDay, j.policy_));
  EXPECT_TRUE(j.proposal(late).to_trusted);
  EXPECT_EQ(j.proposal(late).execute_at_s, kT0 + 7 * kDay);
  ProposedTransaction retire{ledger::TransactionType::kRetirement,
                             std::string(kSource),
                             "",
                             5,
                             "",
                             "Tokyo Gas",
                             "",
                             0,
                             ""};
  const int64_t r = j.Propose(kCarol, retire, kT0);
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, r, "", kT0 + 10, j.policy_));
  EXPECT_EQ(j.proposal(r).execute_at_s, kT0 + 10);
  EXPECT_EQ(Due(j.state(), kT0 + 10).execute, std::vector<int64_t>{r});
}

TEST(DecideApproval, TheInitiatorNeverApprovesNorRejects) {
  Journal j;
  const int64_t id = j.Propose(kCarol, Transfer(), kT0);
  ExpectCheck(DecideApprove(j.state(), kCarol, kSourceFacts, id, "", kT0, j.policy_),
              ApprovalCheck::kApproverIsInitiator);
  ExpectCheck(DecideReject(j.state(), kCarol, kSourceFacts, id, "", "", kT0),
              ApprovalCheck::kApproverIsInitiator);
  EXPECT_EQ(j.proposal(id).status, ProposalStatus::kAwaitingApproval);
}

TEST(DecideApproval, RightsComeFromTheRolesOnTheSourceAccount) {
  Journal j;
  for (const Principal* who : {&kBob, &kReader, &kStranger}) {
    auto verdict =
        DecidePropose(j.state(), *who, kSourceFacts, kDestFacts, Transfer(), "", kT0, j.policy_);
    ASSERT_TRUE(verdict.ok());
    ExpectCheck(*verdict, ApprovalCheck::kRightMissing);
  }
  const int64_t id = j.Propose(kAlice, Transfer(), kT0);
  for (const Principal* who : {&kAlice, &kReader, &kStranger, &kAdmin}) {
    if (who == &kAlice) continue;  // the initiator: check 404, above
    ExpectCheck(DecideApprove(j.state(), *who, kSourceFacts, id, "", kT0, j.policy_),
                ApprovalCheck::kRightMissing);
  }
  ExpectCheck(DecideApprove(j.state(), kAlice, kSourceFacts, id, "", kT0, j.policy_),
              ApprovalCheck::kRightMissing);  // initiate only: no approve right
  EXPECT_EQ(CheckRead(kStranger, kSourceFacts, std::string(kSource))->check,
            ApprovalCheck::kRightMissing);
  EXPECT_FALSE(CheckRead(kReader, kSourceFacts, std::string(kSource)));
  EXPECT_EQ(CheckRead(kAlice, std::nullopt, "JP-121-0000099-00")->check,
            ApprovalCheck::kAccountUnknown);
}

TEST(DecideApproval, GovernmentAccountsAreProposedAndApprovedByRegistryAdministrators) {
  Journal j;
  ProposedTransaction cancel{ledger::TransactionType::kCancellation,
                             std::string(kGov),
                             "",
                             3,
                             "",
                             "",
                             "correction",
                             0,
                             ""};
  auto refused =
      DecidePropose(j.state(), kAlice, kGovFacts, kDestFacts, cancel, "", kT0, j.policy_);
  ExpectCheck(*refused, ApprovalCheck::kRightMissing);
  const int64_t id = j.Propose(kAdmin, cancel, kT0, kGovFacts);
  ExpectCheck(DecideApprove(j.state(), kAdmin, kGovFacts, id, "", kT0, j.policy_),
              ApprovalCheck::kApproverIsInitiator);
  j.Apply(DecideApprove(j.state(), kAdmin2, kGovFacts, id, "", kT0, j.policy_));
  EXPECT_EQ(j.proposal(id).approver, "reg2");
}

TEST(DecideApproval, OnlyAPendingUnexpiredProposalIsApprovedOrRejected) {
  Journal j;
  ExpectCheck(DecideApprove(j.state(), kBob, kSourceFacts, 999, "", kT0, j.policy_),
              ApprovalCheck::kProposalUnknown);
  const int64_t id = j.Propose(kAlice, Transfer(), kT0);
  ExpectCheck(DecideApprove(j.state(), kBob, kSourceFacts, id, "", kT0 + 14 * kDay, j.policy_),
              ApprovalCheck::kProposalExpired);
  EXPECT_EQ(j.proposal(id).StatusAt(kT0 + 14 * kDay), ProposalStatus::kExpired);
  EXPECT_EQ(Due(j.state(), kT0 + 14 * kDay).expire, std::vector<int64_t>{id});
  j.Apply(DecideReject(j.state(), kBob, kSourceFacts, id, "wrong amount", "", kT0));
  EXPECT_EQ(j.proposal(id).status, ProposalStatus::kRejected);
  EXPECT_EQ(j.proposal(id).comment, "wrong amount");
  ExpectCheck(DecideApprove(j.state(), kCarol, kSourceFacts, id, "", kT0, j.policy_),
              ApprovalCheck::kProposalNotPending);
  EXPECT_TRUE(Due(j.state(), kT0 + 30 * kDay).expire.empty());
  const int64_t other = j.Propose(kAlice, Transfer(), kT0);
  j.Apply(ExpiredEvent(other, kT0 + 14 * kDay));
  EXPECT_EQ(j.proposal(other).status, ProposalStatus::kExpired);
}

TEST(DecideApproval, CancellingIsTheInitiatorsOrOnceDelayedTheApprovers) {
  Journal j;
  const int64_t id = j.Propose(kAlice, Transfer(), kT0);
  ExpectCheck(DecideCancel(j.state(), kBob, kSourceFacts, id, "", "", kT0),
              ApprovalCheck::kCancelNotAllowed);
  ExpectCheck(DecideCancel(j.state(), kStranger, kSourceFacts, id, "", "", kT0),
              ApprovalCheck::kRightMissing);
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, id, "", kT0, j.policy_));
  ExpectCheck(DecideCancel(j.state(), kCarol, kSourceFacts, id, "", "", kT0),
              ApprovalCheck::kCancelNotAllowed);
  j.Apply(DecideCancel(j.state(), kBob, kSourceFacts, id, "suspicious", "", kT0 + kHour));
  EXPECT_EQ(j.proposal(id).status, ProposalStatus::kCancelled);
  EXPECT_EQ(j.proposal(id).ended_by, "bob");
  EXPECT_TRUE(Due(j.state(), kT0 + 2 * kDay).execute.empty());
  ExpectCheck(DecideCancel(j.state(), kAlice, kSourceFacts, id, "", "", kT0),
              ApprovalCheck::kProposalNotCancellable);
  const int64_t mine = j.Propose(kAlice, Transfer(), kT0);
  j.Apply(DecideCancel(j.state(), kAlice, kSourceFacts, mine, "", "", kT0));
  EXPECT_EQ(j.proposal(mine).status, ProposalStatus::kCancelled);
}

TEST(DecideApproval, AKeyRepeatsItsRequestOrIsRefusedForAnother) {
  Journal j;
  const int64_t id = j.Propose(kAlice, Transfer(), kT0, kSourceFacts, "k1");
  auto again = DecidePropose(j.state(), kAlice, kSourceFacts, kDestFacts, Transfer(), "k1", kT0 + 5,
                             j.policy_);
  ASSERT_TRUE(std::holds_alternative<Replay>(*again));
  EXPECT_EQ(std::get<Replay>(*again).target, id);
  auto other = DecidePropose(j.state(), kAlice, kSourceFacts, kDestFacts, Transfer(11), "k1", kT0,
                             j.policy_);
  ExpectCheck(*other, ApprovalCheck::kKeyReused);
  // Keys are per user: carol's k1 is another key.
  auto carol = DecidePropose(j.state(), kCarol, kSourceFacts, kDestFacts, Transfer(11), "k1", kT0,
                             j.policy_);
  EXPECT_TRUE(std::holds_alternative<Event>(*carol));
  j.Apply(DecideApprove(j.state(), kBob, kSourceFacts, id, "a1", kT0, j.policy_));
  auto retry = DecideApprove(j.state(), kBob, kSourceFacts, id, "a1", kT0 + 9, j.policy_);
  EXPECT_EQ(std::get<Replay>(retry).target, id);
}

TEST(DecideApproval, MalformedTransactionsAreInvalidArguments) {
  ApprovalState state;
  const Policy policy;
  ProposedTransaction t = Transfer(0);
  EXPECT_THAT(DecidePropose(state, kAlice, kSourceFacts, kDestFacts, t, "", kT0, policy),
              StatusIs(core::StatusCode::kInvalidArgument));
  t = Transfer();
  t.to.clear();
  EXPECT_THAT(DecidePropose(state, kAlice, kSourceFacts, kDestFacts, t, "", kT0, policy),
              StatusIs(core::StatusCode::kInvalidArgument));
  t = Transfer();
  t.type = ledger::TransactionType::kIssuance;
  EXPECT_THAT(DecidePropose(state, kAlice, kSourceFacts, kDestFacts, t, "", kT0, policy),
              StatusIs(core::StatusCode::kInvalidArgument));
  auto unknown =
      DecidePropose(state, kAlice, std::nullopt, kDestFacts, Transfer(), "", kT0, policy);
  ExpectCheck(*unknown, ApprovalCheck::kAccountUnknown);
}

TEST(DecideTrusted, EntriesTakeEffectAfterTheDelayAndAreRemovedOnce) {
  Journal j;
  j.policy_.trusted_entry_delay_s = kHour;
  const int64_t entry =
      j.Apply(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kDestFacts, "", kT0, j.policy_));
  EXPECT_FALSE(j.state().Trusts(kSource, kDest, kT0 + kHour - 1));
  EXPECT_TRUE(j.state().Trusts(kSource, kDest, kT0 + kHour));
  ExpectCheck(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kDestFacts, "", kT0, j.policy_),
              ApprovalCheck::kTrustedExists);
  ExpectCheck(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kSourceFacts, "", kT0, j.policy_),
              ApprovalCheck::kTrustedSelf);
  ExpectCheck(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, std::nullopt, "", kT0, j.policy_),
              ApprovalCheck::kAccountUnknown);
  const std::optional<AccountFacts> mongolia = AccountFacts{"MN-121-0000001-00", "MN", false};
  ExpectCheck(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, mongolia, "", kT0, j.policy_),
              ApprovalCheck::kTrustedOtherRegistry);
  ExpectCheck(DecideTrustedAdd(j.state(), kBob, kSourceFacts, kDestFacts, "", kT0, j.policy_),
              ApprovalCheck::kRightMissing);
  ExpectCheck(DecideTrustedRemove(j.state(), kAlice, kSourceFacts, entry + 1, "", kT0),
              ApprovalCheck::kTrustedEntryUnknown);
  ExpectCheck(DecideTrustedRemove(j.state(), kStranger, kDestFacts, entry, "", kT0),
              ApprovalCheck::kTrustedEntryUnknown);
  j.Apply(DecideTrustedRemove(j.state(), kAlice, kSourceFacts, entry, "", kT0 + 2 * kHour));
  EXPECT_FALSE(j.state().Trusts(kSource, kDest, kT0 + 3 * kHour));
  ExpectCheck(DecideTrustedRemove(j.state(), kAlice, kSourceFacts, entry, "", kT0),
              ApprovalCheck::kTrustedEntryUnknown);
}

// INV-69: a transfer skips the second approval only when the destination is trusted (past its
// delay), the source's waiver is in effect (past the same delay; a return to required counts at
// once) and neither account is a government account; the waiver is the registry
// administrator's, never for a government account.
TEST(DecideRules, ATransferSkipsTheSecondApprovalOnlyToATrustedAccountUnderAWaiverInEffect) {
  Journal j;
  const auto executes = [&](const std::optional<AccountFacts>& source,
                            const std::optional<AccountFacts>& destination, int64_t now_s) {
    ProposedTransaction t = Transfer();
    t.from = source->number;
    t.to = destination->number;
    auto verdict = DecidePropose(j.state(), kCarol, source, destination, t, "", now_s, j.policy_);
    return verdict.ok() && std::holds_alternative<Event>(*verdict) &&
           ExecutesWithProposal(std::get<Event>(*verdict));
  };
  j.Apply(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kDestFacts, "", kT0, j.policy_));
  ExpectCheck(DecideSetRules(j.state(), kCarol, kSourceFacts, std::string(kSource), false, "", kT0,
                             j.policy_),
              ApprovalCheck::kRightMissing);
  ExpectCheck(
      DecideSetRules(j.state(), kAdmin, std::nullopt, "JP-121-9", false, "", kT0, j.policy_),
      ApprovalCheck::kAccountUnknown);
  ExpectCheck(
      DecideSetRules(j.state(), kAdmin, kGovFacts, std::string(kGov), false, "", kT0, j.policy_),
      ApprovalCheck::kRulesGovernmentAccount);
  const int64_t waiver = j.Apply(DecideSetRules(j.state(), kAdmin, kSourceFacts,
                                                std::string(kSource), false, "w1", kT0, j.policy_));
  EXPECT_EQ(j.state().RulesOf(std::string(kSource)).entry, waiver);
  EXPECT_EQ(j.state().RulesOf(std::string(kSource)).set_by, "reg");
  auto retry = DecideSetRules(j.state(), kAdmin, kSourceFacts, std::string(kSource), false, "w1",
                              kT0 + 5, j.policy_);
  EXPECT_EQ(std::get<Replay>(retry).target, waiver);
  EXPECT_FALSE(executes(kSourceFacts, kDestFacts, kT0 + 7 * kDay - 1));  // neither in effect
  EXPECT_TRUE(executes(kSourceFacts, kDestFacts, kT0 + 7 * kDay));
  const std::optional<AccountFacts> untrusted = AccountFacts{"JP-121-0000009-00", "JP", false};
  EXPECT_FALSE(executes(kSourceFacts, untrusted, kT0 + 8 * kDay));
  const std::optional<AccountFacts> government_destination =
      AccountFacts{std::string(kDest), "JP", true};
  EXPECT_FALSE(executes(kSourceFacts, government_destination, kT0 + 8 * kDay));
  ProposedTransaction retire = Transfer();
  retire.type = ledger::TransactionType::kRetirement;
  retire.to.clear();
  retire.beneficiary = "Tokyo Gas";
  auto retirement = DecidePropose(j.state(), kCarol, kSourceFacts, std::nullopt, retire, "",
                                  kT0 + 8 * kDay, j.policy_);
  EXPECT_FALSE(ExecutesWithProposal(std::get<Event>(*retirement)));
  // Back to required: at once.
  j.Apply(DecideSetRules(j.state(), kAdmin, kSourceFacts, std::string(kSource), true, "",
                         kT0 + 9 * kDay, j.policy_));
  EXPECT_FALSE(executes(kSourceFacts, kDestFacts, kT0 + 9 * kDay));
}

// A proposal journaled with its transfer replays as completed at once, with nothing pending.
TEST(DecideRules, AProposalExecutedWithItsTransferReplaysCompleted) {
  Journal j;
  j.policy_.trusted_entry_delay_s = 0;
  j.Apply(DecideTrustedAdd(j.state(), kAlice, kSourceFacts, kDestFacts, "", kT0, j.policy_));
  j.Apply(DecideSetRules(j.state(), kAdmin, kSourceFacts, std::string(kSource), false, "", kT0,
                         j.policy_));
  auto verdict =
      DecidePropose(j.state(), kAlice, kSourceFacts, kDestFacts, Transfer(), "", kT0, j.policy_);
  Event event = std::get<Event>(*verdict);
  ASSERT_TRUE(ExecutesWithProposal(event));
  event.body.AddInt("ledger_transaction", 42);  // as ledger::ExecuteDecision sets it
  const int64_t id = j.Apply(event);
  const Proposal& p = j.proposal(id);
  EXPECT_EQ(p.status, ProposalStatus::kCompleted);
  EXPECT_TRUE(p.without_second_approval);
  EXPECT_EQ(p.ledger_seq, 42);
  EXPECT_EQ(p.approver, "");
  EXPECT_TRUE(Due(j.state(), kT0 + 30 * kDay).expire.empty());
}

}  // namespace
}  // namespace jcm::approval
