// Replaying approval.* events (state.h): INV-18's guard — the replay refuses a journal that
// moves a proposal in a way the decisions never would.
#include "approval/state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  EXPECT_EQ(state.FindProposal(5)->status, ProposalStatus::kAwaitingApproval);
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
