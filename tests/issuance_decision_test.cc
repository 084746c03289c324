// Issuance bound to Joint Committee decisions (checks 24-27, INV-11), the atomic execution of a
// decision (ledger::ExecuteDecision), imported issuances, registry policies (check 19, INV-8)
// and the balances the stores maintain (INV-12) — through both stores.
#include <gtest/gtest.h>

#include "ledger/jc_decision.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

constexpr const char* kPeriod = "2017-08-26..2018-05-31";
constexpr const char* kDecision = "MN003:2017-08-26..2018-05-31@2018-11-06";

class IssuanceDecisionTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  IssuanceDecisionTest() { use_memory_store_ = GetParam(); }

  static ledger::TransactionRequest IssuanceOf(std::string decision,
                                               std::vector<ledger::IssuanceTarget> targets) {
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.decision = std::move(decision);
    r.authorization = ledger::Authorization::kNdc;
    r.targets = std::move(targets);
    return r;
  }

  ledger::ExecuteDecision Execution(int64_t quantity, int64_t expected_last_event_seq) {
    core::Record body;
    body.Add("project", "MN003").Add("side", "MN").Add("ledger_transaction", "");
    ledger::TransactionRequest issuance = IssuanceOf(kDecision, {{alice_, quantity}});
    issuance.idempotency_key = "execute-" + std::to_string(quantity);
    return {issuance, {"cycle.issuance_executed", body, "", expected_last_event_seq}};
  }

  int64_t JournalSize() { return static_cast<int64_t>(store_->ReadJournal(1)->size()); }
};

TEST_P(IssuanceDecisionTest, IssuanceExecutesOnlyARecordedDecision) {
  ExpectRejected(Must(IssuanceOf("", {{alice_, 10}})), CheckCode::kDecisionUnknown);
  ExpectRejected(Must(IssuanceOf(kDecision, {{alice_, 10}})), CheckCode::kDecisionUnknown);
  ASSERT_FALSE(RecordDecision(kDecision, "JP", "MN003", kPeriod, 100).rejection);
  // Recorded for JP only:
  ExpectRejected(Must(IssuanceOf(kDecision, {{alice_, 10}})), CheckCode::kDecisionUnknown);
  ASSERT_FALSE(RecordDecision(kDecision, "MN", "MN003", kPeriod, 100).rejection);
  ledger::TransactionRequest other_project = IssuanceOf(kDecision, {{alice_, 10}});
  other_project.project = "MN004";
  ExpectRejected(Must(other_project), CheckCode::kDecisionMismatch);
  ledger::TransactionRequest other_period = IssuanceOf(kDecision, {{alice_, 10}});
  other_period.period = "2018-06-01..2018-12-31";
  ExpectRejected(Must(other_period), CheckCode::kDecisionMismatch);
  ExpectRejected(Must(IssuanceOf(kDecision, {{alice_, 60}, {bob_, 41}})),
                 CheckCode::kDecisionExceeded);
  const Outcome first = Must(IssuanceOf(kDecision, {{alice_, 60}}));
  ASSERT_FALSE(first.rejection) << first.rejection->message;
  const auto blocks = *ledger::CreatedBlocks(first.entry);
  // One block per vintage: 100 by days are 46 of 2017 and 54 of 2018; the first 60 take the 46
  // and 14.
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].vintage, 2017);
  EXPECT_EQ(blocks[0].unit_count, 46);
  EXPECT_EQ(blocks[1].vintage, 2018);
  EXPECT_EQ(blocks[1].unit_count, 14);
  EXPECT_EQ(blocks[0].project, "MN003") << "project and period come from the decision";
  EXPECT_EQ(blocks[0].monitoring_period.ToString(), kPeriod);
  EXPECT_FALSE(blocks[0].imported);
  ExpectRejected(Must(IssuanceOf(kDecision, {{bob_, 41}})), CheckCode::kDecisionExceeded);
  ASSERT_FALSE(Must(IssuanceOf(kDecision, {{bob_, 40}})).rejection) << "exactly the rest";
  const auto decisions = *store_->ListDecisions("MN");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].executed_tco2e, 100);
  EXPECT_EQ(decisions[0].notified_tco2e, 100);
  ExpectAuditClean();
}

TEST_P(IssuanceDecisionTest, MalformedOrRepeatedDecisionRecordsAreRejected) {
  ExpectRejected(RecordDecision("", "MN", "MN003", kPeriod, 1), CheckCode::kDecisionRecordInvalid);
  ExpectRejected(RecordDecision("a|b", "MN", "MN003", kPeriod, 1),
                 CheckCode::kDecisionRecordInvalid);
  ExpectRejected(RecordDecision(kDecision, "MN", "MN3", kPeriod, 1),
                 CheckCode::kDecisionRecordInvalid);
  ExpectRejected(RecordDecision(kDecision, "MN", "MN003", kPeriod, 0),
                 CheckCode::kDecisionRecordInvalid);
  ExpectRejected(
      RecordDecision(kDecision, "MN", "MN003", kPeriod, ledger::kUnitsPerTransactionMax + 1),
      CheckCode::kDecisionRecordInvalid);
  const int64_t before = JournalSize();
  ASSERT_FALSE(RecordDecision(kDecision, "MN", "MN003", kPeriod, 5).rejection);
  ExpectRejected(RecordDecision(kDecision, "MN", "MN003", kPeriod, 5),
                 CheckCode::kDecisionRecordInvalid);
  EXPECT_EQ(JournalSize(), before + 1);
  ExpectAuditClean();
}

TEST_P(IssuanceDecisionTest, ExecutionCommitsIssuanceAndEventTogetherOrNotAtAll) {
  const Outcome recorded = RecordDecision(kDecision, "MN", "MN003", kPeriod, 100);
  ASSERT_FALSE(recorded.rejection);
  const int64_t last_event = recorded.entry.seq;  // the last cycle.* entry
  const int64_t before = JournalSize();
  // Rejected issuance: neither entry.
  ExpectRejected(Must(Execution(101, last_event)), CheckCode::kDecisionExceeded);
  // Stale cycle state: neither entry, though the issuance alone would pass.
  ExpectRejected(Must(Execution(100, last_event - 1)), CheckCode::kEventFamilyMoved);
  EXPECT_EQ(JournalSize(), before);
  EXPECT_EQ(Held(alice_), 0);
  const Outcome executed = Must(Execution(100, last_event));
  ASSERT_FALSE(executed.rejection) << executed.rejection->message;
  ASSERT_TRUE(executed.follow_entry);
  EXPECT_EQ(executed.entry.kind, "transaction");
  EXPECT_EQ(executed.follow_entry->kind, "cycle.issuance_executed");
  EXPECT_EQ(executed.follow_entry->seq, executed.entry.seq + 1);
  EXPECT_EQ(executed.follow_entry->prev_hash, executed.entry.hash);
  EXPECT_EQ(executed.follow_entry->body.Find("ledger_transaction"),
            std::to_string(executed.entry.seq));
  EXPECT_EQ(JournalSize(), before + 2);
  EXPECT_EQ(Held(alice_), 100);
  const Outcome retry = Must(Execution(100, last_event));
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.entry.seq, executed.entry.seq);
  EXPECT_EQ(JournalSize(), before + 2);
  ExpectAuditClean();
}

TEST_P(IssuanceDecisionTest, ImportedIssuanceNamesItsEvidenceAndIsFlagged) {
  ledger::TransactionRequest r = IssuanceOf("", {{alice_, 7}});
  r.project = "MN003";
  r.period = kPeriod;
  r.import_source = "data/jcm/issuances.csv";
  ExpectRejected(Must(r), CheckCode::kDetailsInvalid);  // evidence without its line
  r.import_line = 12;
  r.decision = kDecision;
  // An import that cites a decision is held to it (an executed decision of the public record).
  ExpectRejected(Must(r), CheckCode::kDecisionUnknown);
  ASSERT_FALSE(RecordDecision(kDecision, "MN", "MN003", kPeriod, 5).rejection);
  ExpectRejected(Must(r), CheckCode::kDecisionExceeded);
  r.decision.clear();
  const Outcome imported = Must(r);
  ASSERT_FALSE(imported.rejection) << imported.rejection->message;
  EXPECT_EQ(imported.entry.body.Find("import_source"), "data/jcm/issuances.csv");
  EXPECT_EQ(imported.entry.body.Find("import_line"), "12");
  ASSERT_FALSE(Transfer(alice_, bob_, 3).rejection);
  for (const std::string& account : {alice_, bob_}) {
    const std::vector<ledger::UnitBlock> blocks = *store_->LiveBlocks(account);
    for (const ledger::UnitBlock& b : blocks) {
      EXPECT_TRUE(b.imported) << "children inherit the flag";
    }
  }
  ExpectAuditClean();
}

TEST_P(IssuanceDecisionTest, PartnerRegistryPolicyDecidesItsRetirements) {
  Issue("MN003", kPeriod, {{alice_, 10}}, ledger::Authorization::kNone);
  // MN does not follow Japan's rule unless configured.
  ASSERT_FALSE(Retire(alice_, 2).rejection);
  ASSERT_FALSE(Must(ledger::SetRegistryPolicy{"MN", {true}, "mn-policy"}).rejection);
  ExpectRejected(Retire(alice_, 2), CheckCode::kUnitsNotAuthorised);
  EXPECT_TRUE(Must(ledger::SetRegistryPolicy{"MN", {true}, "mn-policy"}).replayed);
  ExpectRejected(Must(ledger::SetRegistryPolicy{"XX", {true}, ""}), CheckCode::kRegistryUnknown);
  ExpectRejected(Must(ledger::SetRegistryPolicy{"TH", {true}, ""}), CheckCode::kRegistryUnknown);
  ExpectAuditClean();
}

TEST_P(IssuanceDecisionTest, BalancesFollowEveryMovement) {
  Issue("MN003", kPeriod, {{alice_, 100}, {bob_, 20}});
  ASSERT_FALSE(Transfer(alice_, bob_, 30).rejection);
  ASSERT_FALSE(Transfer(bob_, alice_, 5, "105..109").rejection);
  ASSERT_FALSE(Retire(bob_, 10).rejection);
  ASSERT_FALSE(Cancel(alice_, 1, "correction").rejection);
  ExpectRejected(Transfer(alice_, bob_, 1000), CheckCode::kUnitsInsufficient);
  const std::vector<AccountBalance> balances = *store_->ListBalances(std::nullopt);
  for (const AccountBalance& balance : balances) {
    EXPECT_EQ(balance.units, Held(balance.account.number)) << balance.account.number;
  }
  const auto mn = *store_->ListBalances("MN");
  int64_t total = 0;
  for (const AccountBalance& balance : mn) total += balance.units;
  EXPECT_EQ(total, 120);
  ExpectAuditClean();
}

INSTANTIATE_TEST_SUITE_P(BothStores, IssuanceDecisionTest, ::testing::Values(false, true),
                         [](const auto& test) { return test.param ? "memory" : "sqlite"; });

}  // namespace
}  // namespace jcm::store
