// Store::Snapshot and the audit on it (issue 8 item 3): a snapshot reads one committed state
// however many writes land meanwhile, so `jcm audit verify` never compares the journal of one
// moment with the tables of another and reports tampering that is not there. Both stores.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/testing/status_matchers.h"
#include "service/audit_service.h"
#include "store/testing/forwarding_store.h"
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

// Forwards to a store and, after every read the audit makes through it (the snapshot, the
// journal, the tables), lands a transfer on that store: the write between the audit's reads that
// made it report INV-4/INV-9/INV-12 violations on a sound registry before it read one snapshot.
// Deterministic, where the thread of the next test only makes that interleaving likely.
class WritesBetweenReadsStore : public testing::ForwardingStore {
 public:
  // `forth` and `back` are transfers that undo each other; the writes alternate them.
  WritesBetweenReadsStore(Store& inner, ledger::TransactionRequest forth,
                          ledger::TransactionRequest back)
      : ForwardingStore(inner), forth_(std::move(forth)), back_(std::move(back)) {}

  core::Result<std::unique_ptr<Store>> Snapshot() override {
    auto snapshot = ForwardingStore::Snapshot();
    WriteOne();
    return snapshot;
  }
  core::Result<std::vector<ledger::JournalEntry>> ReadJournal(
      int64_t from_seq, const std::string& kind_prefix) override {
    auto journal = ForwardingStore::ReadJournal(from_seq, kind_prefix);
    WriteOne();
    return journal;
  }
  core::Result<ledger::StoredState> ReadState() override {
    auto state = ForwardingStore::ReadState();
    WriteOne();
    return state;
  }

  int writes = 0;

 private:
  void WriteOne() {
    auto outcome = inner().Submit(writes % 2 == 0 ? forth_ : back_);
    ASSERT_TRUE(outcome.ok() && !outcome->rejection) << "the interleaved transfer landed";
    ++writes;
  }

  ledger::TransactionRequest forth_;
  ledger::TransactionRequest back_;
};

TEST_P(AuditSnapshotTest, TheAuditWithAWriteAfterEachOfItsReadsFindsNothing) {
  WritesBetweenReadsStore interleaving(*store_, TransferRequest(alice_, bob_, 1),
                                       TransferRequest(bob_, alice_, 1));
  auto report = service::AuditAll(interleaving);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->ok()) << report->violations[0].invariant << " "
                            << report->violations[0].message;
  EXPECT_GE(interleaving.writes, 1);
  // The writes landed in the store, after the state the audit read.
  auto after = service::AuditAll(*store_);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->entries, report->entries + interleaving.writes);
}

// The same on a real second thread: 30 audits, each racing up to kTransfersPerAudit transfers
// the writer lands while that audit runs. The writer is paced by the audits rather than free:
// a free writer on the memory store grew the journal as fast as it could, each audit reads the
// whole journal, so each audit ran longer than the last (204 CPU-s; docs/testing.md). The SQLite
// runs landed 55 to 81 transfers over the 30 audits when free; the pace allows 600.
TEST_P(AuditSnapshotTest, TheAuditWhileAnotherThreadWritesFindsNothing) {
  constexpr int kAudits = 30;
  constexpr int kTransfersPerAudit = 20;
  std::mutex mu;
  std::condition_variable audit_begun;
  int audits_begun = 0;  // guarded by mu
  bool stop = false;     // guarded by mu
  std::atomic<int> transfers{0};
  std::thread writer([&] {
    while (true) {
      {
        std::unique_lock lock(mu);
        audit_begun.wait(lock,
                         [&] { return stop || transfers < kTransfersPerAudit * audits_begun; });
        if (stop) return;
      }
      const bool forth = transfers % 2 == 0;
      auto outcome =
          store_->Submit(TransferRequest(forth ? alice_ : bob_, forth ? bob_ : alice_, 1));
      if (!outcome.ok() || outcome->rejection) return;
      ++transfers;
    }
  });
  for (int run = 0; run < kAudits; ++run) {
    {
      std::lock_guard lock(mu);
      ++audits_begun;
    }
    audit_begun.notify_one();
    auto report = service::AuditAll(*store_);
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->ok()) << "run " << run << ": " << report->violations[0].invariant << " "
                              << report->violations[0].message;
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  audit_begun.notify_one();
  writer.join();
  EXPECT_GT(transfers.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditSnapshotTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "memory" : "sqlite";
                         });

}  // namespace
}  // namespace jcm::store
