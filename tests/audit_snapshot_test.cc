// Store::Snapshot and the audit on it (issue 8 item 3): a snapshot reads one committed state
// however many writes land meanwhile, so `jcm audit verify` never compares the journal of one
// moment with the tables of another and reports tampering that is not there. Both stores.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/testing/status_matchers.h"
#include "service/audit_service.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using core::StatusCode;
using jcm_testing::IsOk;
using jcm_testing::StatusIs;

class AuditSnapshotTest : public LedgerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  AuditSnapshotTest() { use_memory_store_ = GetParam(); }
  void SetUp() override {
    LedgerFixture::SetUp();
    // An import of a historical issuance: no decision, so no event of a kind only the ledger
    // tests write, which the full audit's cycle replay would report.
    ledger::TransactionRequest r;
    r.type = ledger::TransactionType::kIssuance;
    r.registry = "MN";
    r.project = "MN003";
    r.period = "2017-08-26..2018-05-31";
    r.authorization = ledger::Authorization::kNdc;
    r.targets = {{alice_, 1000}, {bob_, 1000}};
    r.import_source = "issuance_records.csv";
    r.import_line = 2;
    ASSERT_FALSE(Must(r).rejection);
  }
};

TEST_P(AuditSnapshotTest, ASnapshotKeepsItsStateWhileTheStoreMovesOn) {
  auto snapshot = store_->Snapshot();
  ASSERT_THAT(snapshot, IsOk());
  auto journal_before = (*snapshot)->ReadJournal(1);
  ASSERT_THAT(journal_before, IsOk());
  auto alice_before = (*snapshot)->ListBalances("MN");
  ASSERT_THAT(alice_before, IsOk());

  Transfer(alice_, bob_, 30);
  Transfer(bob_, alice_, 5);

  auto journal_after = (*snapshot)->ReadJournal(1);
  ASSERT_THAT(journal_after, IsOk());
  EXPECT_EQ(journal_after->size(), journal_before->size());
  auto balances_after = (*snapshot)->ListBalances("MN");
  ASSERT_THAT(balances_after, IsOk());
  for (size_t i = 0; i < balances_after->size(); ++i) {
    EXPECT_EQ((*balances_after)[i].units, (*alice_before)[i].units);
  }
  auto fresh = store_->Snapshot();
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ((*fresh)->ReadJournal(1)->size(), journal_before->size() + 2);

  EXPECT_THAT((*snapshot)->Submit(ledger::InitRegistry{"KH"}),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT((*snapshot)->Snapshot(), StatusIs(StatusCode::kFailedPrecondition));
}

// Before the audit read one snapshot, a write batch landing between its read of the journal and
// its read of the tables made it report INV-4/INV-9/INV-12 violations on a sound registry.
TEST_P(AuditSnapshotTest, TheAuditWhileAnotherThreadWritesFindsNothing) {
  std::atomic<bool> stop{false};
  std::atomic<int> transfers{0};
  std::thread writer([&] {
    while (!stop) {
      const bool forth = transfers % 2 == 0;
      auto outcome =
          store_->Submit(TransferRequest(forth ? alice_ : bob_, forth ? bob_ : alice_, 1));
      if (!outcome.ok() || outcome->rejection) break;
      ++transfers;
    }
  });
  for (int run = 0; run < 30; ++run) {
    auto report = service::AuditAll(*store_);
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->ok()) << "run " << run << ": " << report->violations[0].invariant << " "
                              << report->violations[0].message;
  }
  stop = true;
  writer.join();
  EXPECT_GT(transfers.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditSnapshotTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "memory" : "sqlite";
                         });

}  // namespace
}  // namespace jcm::store
