// The SQLite store against the ledger: every check through the real write path, group commit,
// idempotency, durability across reopen. Cross-module tamper tests are in tests/audit_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/sha256.h"
#include "store/testing/fixed_clock.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

using ledger::CheckCode;

// These tests issue over one calendar year: one block per destination (a period over two years
// gives one per vintage too; tests/itmo_test.cc).
TEST_F(LedgerFixture, IssuesIntoHoldingAccountsWithConsecutiveSerials) {
  auto outcome = Issue("MN003", "2017-01-01..2017-12-31", {{alice_, 300}, {bob_, 200}});
  auto blocks = *ledger::CreatedBlocks(outcome.entry);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].serial_first, 1);
  EXPECT_EQ(blocks[0].unit_count, 300);
  EXPECT_EQ(blocks[1].serial_first, 301);
  EXPECT_EQ(Held(alice_), 300);
  EXPECT_EQ(Held(bob_), 200);
  auto second = Issue("MN003", "2018-06-01..2018-12-31", {{alice_, 10}});
  EXPECT_EQ(ledger::CreatedBlocks(second.entry)->at(0).issuance_number, 2);
  EXPECT_EQ(ledger::CreatedBlocks(second.entry)->at(0).serial_first, 501);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, PartialTransferEndsParentAndCreatesChildrenWithLineage) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}});
  auto outcome = Transfer(alice_, bob_, 30);
  ASSERT_FALSE(outcome.rejection);
  auto created = *ledger::CreatedBlocks(outcome.entry);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].account, bob_);
  EXPECT_EQ(created[0].serial_first, 1);
  EXPECT_EQ(created[0].unit_count, 30);
  EXPECT_EQ(created[1].account, alice_);
  EXPECT_EQ(created[1].serial_first, 31);
  EXPECT_EQ(created[0].parent_id, created[1].parent_id);
  EXPECT_EQ(Held(alice_), 70);
  EXPECT_EQ(Held(bob_), 30);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, NamedSerialsInTheMiddleSplitIntoThree) {
  Issue("MN003", "2017-01-01..2017-12-31", {{alice_, 100}});
  auto outcome = Transfer(alice_, bob_, 10, "41..50");
  ASSERT_FALSE(outcome.rejection);
  auto blocks = *store_->LiveBlocks(alice_);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].serial_last(), 40);
  EXPECT_EQ(blocks[1].serial_first, 51);
  auto bobs = *store_->LiveBlocks(bob_);
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].serial_first, 41);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, TransferThereAndBackRestoresBalances) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}});
  ASSERT_FALSE(Transfer(alice_, bob_, 64).rejection);
  ASSERT_FALSE(Transfer(bob_, alice_, 64).rejection);
  EXPECT_EQ(Held(alice_), 100);
  EXPECT_EQ(Held(bob_), 0);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, QuantityOnlyTransfersTakeLowestSerialsFirst) {
  Issue("MN003", "2017-01-01..2017-12-31", {{alice_, 10}});
  Issue("MN004", "2018-01-01..2018-12-31", {{alice_, 10}});
  ASSERT_FALSE(Transfer(alice_, bob_, 15).rejection);
  auto bobs = *store_->LiveBlocks(bob_);
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(bobs[0].project, "MN003");
  EXPECT_EQ(bobs[0].unit_count, 10);
  EXPECT_EQ(bobs[1].project, "MN004");
  EXPECT_EQ(bobs[1].serial_first, 11);
  EXPECT_EQ(bobs[1].unit_count, 5);
}

TEST_F(LedgerFixture, RetirementNeedsNdcAuthorisationAndIsFinal) {
  // Japan's rule, which MN (the fixture's registry) follows only when configured so.
  ASSERT_FALSE(Must(ledger::SetRegistryPolicy{"MN", {true}, ""}).rejection);
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 10}}, ledger::Authorization::kNone);
  ExpectRejected(Retire(alice_, 5), CheckCode::kUnitsNotAuthorised);
  Issue("MN003", "2018-06-01..2018-12-31", {{bob_, 10}}, ledger::Authorization::kNdc);
  auto retired = Retire(bob_, 4);
  ASSERT_FALSE(retired.rejection);
  EXPECT_EQ(Held(bob_), 6);
  EXPECT_EQ(Held(retirement_), 4);
  ExpectRejected(Transfer(retirement_, alice_, 1), CheckCode::kSourceAccountMayNotSend);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, EveryCheckRejectsAndChangesNothing) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 10}});
  const auto before = store_->ReadJournal(1)->size();
  ExpectRejected(Transfer(alice_, bob_, 0), CheckCode::kQuantityNotPositive);
  ExpectRejected(Transfer(alice_, bob_, ledger::kUnitsPerTransactionMax + 1),
                 CheckCode::kQuantityAboveLimit);
  ExpectRejected(Transfer(alice_, bob_, 2, "5..9"), CheckCode::kSerialRangeInvalid);
  ExpectRejected(Transfer(Mistyped(alice_), bob_, 1), CheckCode::kSourceAccountNumberInvalid);
  ExpectRejected(Transfer(Unknown(), bob_, 1), CheckCode::kSourceAccountUnknown);
  ExpectRejected(Transfer(alice_, Mistyped(bob_), 1), CheckCode::kDestinationAccountNumberInvalid);
  ExpectRejected(Transfer(alice_, Unknown(), 1), CheckCode::kDestinationAccountUnknown);
  ExpectRejected(Transfer(alice_, retirement_, 1), CheckCode::kDestinationAccountMayNotReceive);
  ExpectRejected(Transfer(alice_, alice_, 1), CheckCode::kSameAccount);
  ExpectRejected(Transfer(alice_, vn_holder_, 1), CheckCode::kDifferentRegistries);
  ExpectRejected(Transfer(alice_, bob_, 11), CheckCode::kUnitsInsufficient);
  ExpectRejected(Transfer(alice_, bob_, 2, "10..11"), CheckCode::kSerialsNotHeld);
  ExpectRejected(Cancel(alice_, 1, ""), CheckCode::kDetailsInvalid);
  // Naming a decision that was never recorded: these fail their earlier checks first.
  ExpectRejected(Issue("MN3", "2017-08-26..2018-05-31", {{alice_, 1}}, {}, false, "unrecorded"),
                 CheckCode::kDetailsInvalid);
  ExpectRejected(
      Issue("MN003", "2017-08-26..2018-05-31", {{vn_holder_, 1}}, {}, false, "unrecorded"),
      CheckCode::kDifferentRegistries);
  ASSERT_FALSE(SetState(bob_, ledger::AccountState::kSuspended).rejection);
  ExpectRejected(Transfer(alice_, bob_, 1), CheckCode::kDestinationAccountNotOpen);
  ExpectRejected(Transfer(bob_, alice_, 1), CheckCode::kSourceAccountNotOpen);
  ExpectRejected(SetState(alice_, ledger::AccountState::kClosed),
                 CheckCode::kAccountStateChangeInvalid);
  EXPECT_EQ(store_->ReadJournal(1)->size(), before + 1);  // only the suspension
  EXPECT_EQ(Held(alice_), 10);
  ExpectAuditClean();
}

TEST_F(LedgerFixture, IdempotentRetryReturnsFirstResultAndConflictIsRejected) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 10}});
  auto first = Transfer(alice_, bob_, 3, "", "key-1");
  auto retry = Transfer(alice_, bob_, 3, "", "key-1");
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.entry.seq, first.entry.seq);
  EXPECT_EQ(Held(bob_), 3);
  ExpectRejected(Transfer(alice_, bob_, 4, "", "key-1"), CheckCode::kIdempotencyKeyReused);
}

TEST_F(LedgerFixture, ConcurrentSubmittersAreGroupCommittedAndConserveUnits) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 1000}});
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        auto out = store_->Submit(TransferRequest(alice_, bob_, 10));
        if (out.ok() && !out->rejection) ++accepted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 100);  // 120 asked, 1000 units: exactly 100 fit
  EXPECT_EQ(Held(bob_), 1000);
  EXPECT_EQ(Held(alice_), 0);
  ExpectAuditClean();
}

// A clock whose every reading takes `pause`: a write batch reads it once, so each batch lasts
// long enough for the other submitters to queue behind it.
class SlowClock : public Clock {
 public:
  explicit SlowClock(std::chrono::milliseconds pause) : pause_(pause) {}
  std::string NowUtc() override {
    std::this_thread::sleep_for(pause_);
    return clock_.NowUtc();
  }

 private:
  std::chrono::milliseconds pause_;
  FixedClock clock_{"2026-11-30"};
};

// INV-71: the group commit's leader keeps leading while submissions are queued, but at most
// leader_batches_max batches in a row, so its own caller is answered under unbroken load.
// Six threads submit without pause into batches of two, so the queue is never empty when a
// batch ends. A Submit waits at most for the batch running when it queued, for those of the
// four others ahead of it in the queue (two batches), and for the batches it then leads; and
// one more commit may land between its reading of the count and its queueing. An unbounded
// leader would lead until every other thread had finished (about 60 batches); one that never
// kept the lead would span at most five commits.
TEST_F(LedgerFixture, TheLeaderKeepsTheLeadForAtMostLeaderBatchesMaxBatches) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 1000}});
  SqliteOptions options;
  options.batch_commands_max = 2;
  options.leader_batches_max = 6;
  SlowClock clock(std::chrono::milliseconds(2));
  auto opened = OpenSqliteStore(path_, clock, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  std::atomic<uint64_t> longest_wait_commits{0};
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const uint64_t before = store.LocalCommitCount().value();
        auto out = store.Submit(TransferRequest(alice_, bob_, 1));
        const uint64_t spanned = store.LocalCommitCount().value() - before;
        if (out.ok() && !out->rejection) ++accepted;
        uint64_t seen = longest_wait_commits.load();
        while (spanned > seen && !longest_wait_commits.compare_exchange_weak(seen, spanned)) {
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 120);
  EXPECT_GE(longest_wait_commits.load(), 6u) << "no leader kept the lead";
  EXPECT_LE(longest_wait_commits.load(), 1u + 2u + 6u + 1u) << "a leader led more than 6 in a row";
  EXPECT_EQ(Held(bob_), 120);
  ExpectAuditClean();
}

// LocalCommitCount (store.h): grows with every write committed through this store object,
// before the write is acknowledged, and never with another connection's.
TEST_F(LedgerFixture, TheLocalCommitCountGrowsWithEachWriteThroughThisStoreOnly) {
  const std::optional<uint64_t> start = store_->LocalCommitCount();
  ASSERT_TRUE(start.has_value());
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 10}});
  const uint64_t after_issue = store_->LocalCommitCount().value();
  EXPECT_GT(after_issue, *start);
  Transfer(alice_, bob_, 3);
  EXPECT_GT(store_->LocalCommitCount().value(), after_issue);
  const uint64_t before_other = store_->LocalCommitCount().value();
  {
    auto other = OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    auto out = (*other)->Submit(TransferRequest(alice_, bob_, 1));
    ASSERT_TRUE(out.ok() && !out->rejection);
    EXPECT_GT((*other)->LocalCommitCount().value(), 0u);
  }
  EXPECT_EQ(store_->LocalCommitCount().value(), before_other);

  FixedClock clock("2026-11-30");
  std::unique_ptr<Store> memory = NewMemoryStore(clock);
  ASSERT_EQ(memory->LocalCommitCount(), std::optional<uint64_t>(0));
  ASSERT_TRUE(memory->Submit(ledger::InitRegistry{"MN"}).ok());
  EXPECT_EQ(memory->LocalCommitCount(), std::optional<uint64_t>(1));
}

TEST_F(LedgerFixture, CommittedStateSurvivesReopen) {
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 10}});
  Reopen();
  EXPECT_EQ(Held(alice_), 10);
  ExpectAuditClean();
}

}  // namespace
}  // namespace jcm::store

namespace jcm::store {
namespace {

TEST_F(LedgerFixture, CycleEventsAppendOnlyAgainstTheLatestCycleState) {
  ASSERT_FALSE(RecordDecision("d1", "MN", "MN003", "2017-08-26..2018-05-31", 1).rejection);
  core::Record body;
  body.Add("project", "MN003");
  auto first = Must(ledger::AppendEvent{"cycle.test", body, "", 7});
  ASSERT_FALSE(first.rejection);
  // A ledger transaction in between does not move the cycle's family head.
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 1}}, ledger::Authorization::kNdc, true, "d1");
  body.Add("step", "2");
  auto second = Must(ledger::AppendEvent{"cycle.test", body, "", first.entry.seq});
  ASSERT_FALSE(second.rejection);
  // A writer still holding the state of the first event is refused.
  body.Add("step", "2b");
  auto stale = Must(ledger::AppendEvent{"cycle.test", body, "", first.entry.seq});
  ASSERT_TRUE(stale.rejection);
  EXPECT_EQ(stale.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  // Only the project cycle's events may be appended this way.
  EXPECT_EQ(store_->Submit(ledger::AppendEvent{"transaction", body, "", -1}).status().code(),
            core::StatusCode::kInvalidArgument);
  ExpectAuditClean();
}

}  // namespace
}  // namespace jcm::store

namespace jcm::store {
namespace {

// Check 23 scoped (INV-60): an entry journaled since the decision refuses it only when it
// concerns what the decision read, however its values are escaped in the journal, and a
// near-miss (a longer number, a line that merely contains the field's text) does not.
TEST_F(LedgerFixture, ScopedEventLocksAreMovedOnlyByEntriesThatConcernThem) {
  core::Record first_body;
  first_body.Add("proposal", "7");
  const int64_t head = Must(ledger::AppendEvent{"cycle.test", first_body, "", -1}).entry.seq;
  core::Record later;
  later.Add("proposal", "12").Add("key", "a\nb\\c").Add("note", "proposal=1");
  ASSERT_FALSE(Must(ledger::AppendEvent{"cycle.other", later, "", -1}).rejection);
  const auto decide = [&](std::vector<std::pair<std::string, std::string>> fields,
                          std::vector<std::string> kinds) {
    core::Record body;
    body.Add("step", "scoped");
    return Must(
        ledger::AppendEvent{"cycle.test", body, "", head, std::move(fields), std::move(kinds)});
  };
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"proposal", "1"}, {"proposal", "2"}, {"key", "a\nb"}, {"key", "a\nb\\"}}) {
    EXPECT_FALSE(decide({{field, value}}, {}).rejection) << field << "=" << value;
  }
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"proposal", "12"}, {"key", "a\nb\\c"}, {"note", "proposal=1"}}) {
    const auto moved = decide({{field, value}}, {});
    ASSERT_TRUE(moved.rejection) << field << "=" << value;
    EXPECT_EQ(moved.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  }
  const auto by_kind = decide({}, {"cycle.other"});
  ASSERT_TRUE(by_kind.rejection);
  EXPECT_EQ(by_kind.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  EXPECT_FALSE(decide({}, {"cycle.none"}).rejection);
  ExpectAuditClean();
}

// INV-72: check 23 reads the entries journaled since a decision from what this store's write
// batches wrote last — but never past an entry another connection wrote meanwhile.
TEST_F(LedgerFixture, AScopedLockSeesWhatAnotherConnectionJournaledBetweenBatches) {
  const auto event = [](const std::string& key, int64_t after,
                        std::vector<std::pair<std::string, std::string>> fields) {
    core::Record body;
    body.Add("request.key", key);
    return ledger::AppendEvent{"approval.test", body, "", after, std::move(fields), {}};
  };
  const int64_t head = Must(event("alice:1", -1, {})).entry.seq;
  ASSERT_FALSE(Must(event("alice:2", head, {{"request.key", "alice:3"}})).rejection);
  {
    auto other = OpenSqliteStore(path_, clock_);
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    auto written = (*other)->Submit(event("alice:4", -1, {}));
    ASSERT_TRUE(written.ok() && !written->rejection);
  }
  // Decided at `head`: entry alice:4 came from the other connection (and this store's next batch
  // is the first after it), alice:2 from this one.
  for (const char* key : {"alice:4", "alice:2"}) {
    const auto moved = Must(event("alice:5", head, {{"request.key", key}}));
    ASSERT_TRUE(moved.rejection) << key;
    EXPECT_EQ(moved.rejection->check, ledger::CheckCode::kEventFamilyMoved) << key;
  }
  const int64_t later = Must(event("alice:6", head, {{"request.key", "alice:9"}})).entry.seq;
  ASSERT_GT(later, 0);
  const auto moved = Must(event("alice:7", later - 1, {{"request.key", "alice:6"}}));
  ASSERT_TRUE(moved.rejection);
  EXPECT_EQ(moved.rejection->check, ledger::CheckCode::kEventFamilyMoved);
  EXPECT_FALSE(Must(event("alice:8", later - 1, {{"request.key", "alice:1"}})).rejection);
}

TEST_F(LedgerFixture, DocumentsAreStoredByContentAndSurviveReopen) {
  const std::string pdd("PDD of MN003, version 2\n\0binary\xff", 32);
  const std::string sha = core::Sha256Hex(pdd);
  ASSERT_TRUE(store_->PutDocument(sha, pdd).ok());
  ASSERT_TRUE(store_->PutDocument(sha, pdd).ok());  // the same content again: a no-op
  EXPECT_EQ(store_->PutDocument(core::Sha256Hex("other"), pdd).code(),
            core::StatusCode::kInvalidArgument);
  Reopen();
  auto read = store_->GetDocument(sha);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ(**read, pdd);
  EXPECT_FALSE(store_->GetDocument(core::Sha256Hex("never stored"))->has_value());
}

}  // namespace
}  // namespace jcm::store
