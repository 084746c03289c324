// The SQLite store's transparency log tree (INV-25): written with each entry in the entry's write
// batch, equal to the tree recomputed from the journal (Store's default), after rejections,
// group commits, reopening and the migration that builds it for an existing journal. Built
// twice: on SQLite and, with JCM_TEST_POSTGRES_STATE, on the PostgreSQL store
// (store_log_tree_postgres_test, tests/postgres).
#include <gtest/gtest.h>

#include <thread>

#include "core/merkle.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/ledger_fixture.h"

namespace jcm::store {
namespace {

// Every perfect subtree the store keeps equals the one Store's default recomputes from the
// journal, and the tree holds exactly the journal.
void ExpectTreeIsTheJournal(Store& store) {
  const int64_t entries = static_cast<int64_t>(store.ReadJournal(1)->size());
  ASSERT_EQ(*store.LogTreeSize(), entries);
  for (int level = 0; (int64_t{1} << level) <= entries; ++level) {
    for (int64_t index = 0; (index + 1) << level <= entries; ++index) {
      auto stored = store.LogSubtreeHash(level, index);
      ASSERT_TRUE(stored.ok()) << level << "/" << index << ": " << stored.status();
      EXPECT_EQ(*stored, *store.Store::LogSubtreeHash(level, index)) << level << "/" << index;
    }
  }
  EXPECT_EQ(store.LogSubtreeHash(0, entries).status().code(), core::StatusCode::kNotFound);
}

class LogTreeTest : public LedgerFixture {
 protected:
#ifdef JCM_TEST_POSTGRES_STATE
  LogTreeTest() { UseStore(StoreKind::kPostgres); }
#endif
};

TEST_F(LogTreeTest, TheLogTreeIsTheJournalAfterEveryKindOfWrite) {
  ExpectTreeIsTheJournal(*store_);
  Issue("MN003", "2017-08-26..2018-05-31", {{alice_, 100}});
  ASSERT_FALSE(Transfer(alice_, bob_, 30).rejection);
  ASSERT_TRUE(Transfer(alice_, bob_, 1000).rejection);  // rolled back: no leaf
  ExpectTreeIsTheJournal(*store_);
  // Group commit: many commands in one write batch.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i)
        (void)store_->Submit(ledger::OpenAccount{
            "MN", ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
    });
  }
  for (std::thread& thread : threads) thread.join();
  ExpectTreeIsTheJournal(*store_);
  Reopen();
  ExpectTreeIsTheJournal(*store_);
}

TEST_F(LogTreeTest, ASizeKeepsTheFirstHeadStoredForItAcrossReopening) {
  const int64_t size = *store_->LogTreeSize();
  EXPECT_EQ(*store_->FindLogHead(size), std::nullopt);
  const LogHead first{size, "aa", "2026-11-30T09:00:00Z", "bb", "cc"};
  EXPECT_EQ(*store_->PutLogHead(first), first);
  LogHead later = first;
  later.timestamp = "2026-11-30T10:00:00Z";
  EXPECT_EQ(*store_->PutLogHead(later), first);
  Reopen();
  EXPECT_EQ(*store_->FindLogHead(size), first);
  EXPECT_EQ(*store_->ListLogHeads(), std::vector<LogHead>{first});
}

}  // namespace
}  // namespace jcm::store
