// Replaying approval.* events (state.h): INV-18's guard — the replay refuses a journal that
// moves a proposal in a way the decisions never would.
#include "approval/state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "approval/decide.h"
#include "core/testing/status_matchers.h"

namespace jcm::approval {
namespace {

using jcm_testing::IsOk;
using jcm_testing::StatusIs;

core::Record Body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  core::Record body;
  for (const auto& [key, value] : fields) body.Add(key, value);
  return body;
}

core::Record Proposed() {
  return Body({{"type", "transfer"},
               {"from", "JP-121-0000007-11"},
               {"to", "JP-121-0000008-79"},
               {"quantity", "4"},
               {"initiator", "alice"},
               {"at", "100"},
               {"expires_at", "200"},
               {"request.key", "alice:k"},
               {"request.sha256", "ab"}});
}

TEST(ApplyApprovalEvent, BuildsProposalsAndKeysFromTheJournal) {
  ApprovalState state;
  ASSERT_THAT(ApplyApprovalEvent(state, kEventProposed, Proposed(), 5), IsOk());
  ASSERT_THAT(
      ApplyApprovalEvent(
          state, kEventApproved,
          Body({{"proposal", "5"}, {"by", "bob"}, {"at", "110"}, {"execute_at", "150"}}), 6),
      IsOk());
  const Proposal* p = state.FindProposal(5);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->status, ProposalStatus::kDelayed);
  EXPECT_EQ(p->transaction.quantity, 4);
  EXPECT_EQ(p->LedgerRequest().idempotency_key, "approval:5");
  EXPECT_EQ(state.keys.at("alice:k").target, 5);
  EXPECT_EQ(state.last_seq, 6);
  ASSERT_THAT(ApplyApprovalEvent(state, "approval.some_future_kind", Body({}), 7), IsOk());
  EXPECT_EQ(state.last_seq, 7);
}

TEST(ApplyApprovalEvent, RefusesAJournalThisProgramDidNotWrite) {
  ApprovalState state;
  // An approval of a proposal never made.
  EXPECT_THAT(ApplyApprovalEvent(
                  state, kEventApproved,
                  Body({{"proposal", "5"}, {"by", "bob"}, {"at", "1"}, {"execute_at", "1"}}), 6),
              StatusIs(core::StatusCode::kDataLoss));
  ASSERT_THAT(ApplyApprovalEvent(state, kEventProposed, Proposed(), 5), IsOk());
  // Executed without an approval: no completed transfer without a second pair of eyes.
  EXPECT_THAT(
      ApplyApprovalEvent(state, kEventExecuted,
                         Body({{"proposal", "5"}, {"at", "120"}, {"ledger_transaction", "9"}}), 7),
      StatusIs(core::StatusCode::kDataLoss));
  // A field missing.
  EXPECT_THAT(ApplyApprovalEvent(state, kEventRejected, Body({{"proposal", "5"}}), 8),
              StatusIs(core::StatusCode::kDataLoss));
  EXPECT_THAT(ApplyApprovalEvent(state, kEventTrustedRemoved,
                                 Body({{"entry", "3"}, {"by", "a"}, {"at", "1"}}), 9),
              StatusIs(core::StatusCode::kDataLoss));
  // A second live entry for the same pair (DecideTrustedAdd refuses one, check 410).
  const core::Record added =
      Body({{"account", "A"}, {"trusted", "B"}, {"by", "a"}, {"at", "1"}, {"effective_at", "2"}});
  ASSERT_THAT(ApplyApprovalEvent(state, kEventTrustedAdded, added, 10), IsOk());
  EXPECT_THAT(ApplyApprovalEvent(state, kEventTrustedAdded, added, 11),
              StatusIs(core::StatusCode::kDataLoss));
  EXPECT_EQ(state.LiveEntry("A", "B")->id, 10);
  EXPECT_EQ(state.FindProposal(5)->status, ProposalStatus::kAwaitingApproval);
}

// A random approval event (seq `seq`) over three accounts, applied to `state`: one the
// decisions would write or one they never would (the replay refuses those, changing nothing).
class RandomEvents {
 public:
  void ApplyOne(ApprovalState& state, int64_t seq) {
    const std::string at = std::to_string(Pick(1000));
    const std::string later = std::to_string(Pick(1000) + 1000);
    const std::string proposal = SomeIdOf(state.proposals);
    core::Status ignored;
    switch (Pick(7)) {
      case 0:
        ignored = ApplyApprovalEvent(state, kEventProposed,
                                     Body({{"type", "transfer"},
                                           {"from", "A"},
                                           {"to", "B"},
                                           {"quantity", "1"},
                                           {"initiator", "a"},
                                           {"at", at},
                                           {"expires_at", later}}),
                                     seq);
        break;
      case 1:
        ignored = ApplyApprovalEvent(
            state, kEventApproved,
            Body({{"proposal", proposal}, {"by", "b"}, {"at", at}, {"execute_at", later}}), seq);
        break;
      case 2:
        ignored = ApplyApprovalEvent(state, Pick(2) ? kEventRejected : kEventCancelled,
                                     Body({{"proposal", proposal}, {"by", "b"}, {"at", at}}), seq);
        break;
      case 3:
        ignored = ApplyApprovalEvent(state, kEventExpired,
                                     Body({{"proposal", proposal}, {"at", at}}), seq);
        break;
      case 4:
        ignored = ApplyApprovalEvent(
            state, Pick(2) ? kEventExecuted : kEventFailed,
            Body({{"proposal", proposal}, {"at", at}, {"ledger_transaction", "1"}, {"check", "9"}}),
            seq);
        break;
      case 5:
        ignored = ApplyApprovalEvent(state, kEventTrustedAdded,
                                     Body({{"account", kAccounts[Pick(3)]},
                                           {"trusted", kAccounts[Pick(3)]},
                                           {"by", "a"},
                                           {"at", at},
                                           {"effective_at", later}}),
                                     seq);
        break;
      default:
        ignored = ApplyApprovalEvent(
            state, kEventTrustedRemoved,
            Body({{"entry", SomeIdOf(state.trusted)}, {"by", "a"}, {"at", at}}), seq);
    }
  }
  size_t Pick(size_t n) { return static_cast<size_t>(random_() % n); }
  static constexpr std::array<std::string_view, 3> kAccounts = {"A", "B", "C"};

 private:
  template <typename Map>
  std::string SomeIdOf(const Map& map) {
    if (map.empty()) return "0";
    auto it = map.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(Pick(map.size())));
    return std::to_string(it->first);
  }
  std::mt19937 random_{68};
};

// What a walk over every proposal finds due at `now_s`.
DueWork WalkForDue(const ApprovalState& state, int64_t now_s) {
  DueWork walked;
  for (const auto& [id, p] : state.proposals) {
    if (p.status == ProposalStatus::kAwaitingApproval &&
        p.StatusAt(now_s) == ProposalStatus::kExpired) {
      walked.expire.push_back(id);
    } else if (p.status == ProposalStatus::kDelayed && p.execute_at_s <= now_s) {
      walked.execute.push_back(id);
    }
  }
  return walked;
}

// What a walk over every entry finds on `account`'s list naming `trusted`.
const TrustedEntry* WalkForEntry(const ApprovalState& state, std::string_view account,
                                 std::string_view trusted) {
  for (const auto& [id, entry] : state.trusted) {
    if (!entry.removed && entry.account == account && entry.trusted == trusted) return &entry;
  }
  return nullptr;
}

// INV-68: after every event of a random journal, the work Due finds through pending_by_time and
// the entry LiveEntry finds through live_entries are what a walk over every proposal and entry
// finds, at times just before and at a proposal's own, and after them all.
TEST(ApplyApprovalEvent, TheIndexesAnswerAsAWalkOverEveryProposalAndEntry) {
  RandomEvents events;
  ApprovalState state;
  for (int64_t seq = 1; seq <= 3000; ++seq) {
    events.ApplyOne(state, seq);
    std::vector<int64_t> times = {2500};
    for (const auto& [id, p] : state.proposals) {
      times.insert(times.end(), {p.expires_at_s - 1, p.expires_at_s, p.execute_at_s});
    }
    for (const int64_t now_s : {times[events.Pick(times.size())], times.back(), int64_t{2500}}) {
      const DueWork due = Due(state, now_s), walked = WalkForDue(state, now_s);
      ASSERT_EQ(due.expire, walked.expire) << "seq " << seq << " now " << now_s;
      ASSERT_EQ(due.execute, walked.execute) << "seq " << seq << " now " << now_s;
    }
    for (const auto from : RandomEvents::kAccounts) {
      for (const auto to : RandomEvents::kAccounts) {
        ASSERT_EQ(state.LiveEntry(from, to), WalkForEntry(state, from, to)) << "seq " << seq;
      }
    }
  }
  EXPECT_GT(state.proposals.size(), 300u);
  EXPECT_GT(WalkForDue(state, 1500).execute.size() + WalkForDue(state, 1500).expire.size(), 10u);
}

TEST(ProposalStatus, NamesRoundTrip) {
  for (const auto status :
       {ProposalStatus::kAwaitingApproval, ProposalStatus::kDelayed, ProposalStatus::kCompleted,
        ProposalStatus::kRejected, ProposalStatus::kCancelled, ProposalStatus::kExpired,
        ProposalStatus::kFailed}) {
    EXPECT_EQ(ProposalStatusFromName(ProposalStatusName(status)), status);
  }
  EXPECT_EQ(ProposableTypeFromName("issuance"), std::nullopt);
}

}  // namespace
}  // namespace jcm::approval
