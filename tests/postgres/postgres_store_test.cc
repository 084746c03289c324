// What only the PostgreSQL adapter has to show (the conformance suite covers the rest): which
// schemas it opens in which mode, that two stores (two connections, as two processes have)
// writing one registry at once keep one hash chain, and that a connection the server drops is
// re-established and the write still happens exactly once.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/testing/status_matchers.h"
#include "store/testing/fixed_clock.h"
#include "store/testing/postgres_test_server.h"

namespace jcm::store {
namespace {

using jcm_testing::StatusIs;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    uri_ = FreshPostgresSchema(TestSchemaName(std::string("pgstore-") + info->name()));
  }
  core::Result<std::unique_ptr<Store>> Open(OpenMode mode, const std::string& suffix = "") {
    return OpenPostgresStore(uri_ + suffix, clock_, {.mode = mode});
  }

  FixedClock clock_;
  std::string uri_;
};

TEST_F(PostgresStoreTest, OnlyCreateMakesAnEmptySchemaARegistry) {
  EXPECT_THAT(Open(OpenMode::kReadWrite).status(),
              StatusIs(core::StatusCode::kFailedPrecondition, ::testing::HasSubstr("empty")));
  EXPECT_THAT(Open(OpenMode::kReadOnly).status(),
              StatusIs(core::StatusCode::kFailedPrecondition, ::testing::HasSubstr("empty")));
  ASSERT_TRUE(Open(OpenMode::kCreate).ok());
  EXPECT_TRUE(Open(OpenMode::kReadWrite).ok());
  auto read_only = Open(OpenMode::kReadOnly);
  ASSERT_TRUE(read_only.ok());
  EXPECT_THAT((*read_only)->Submit(ledger::InitRegistry{"MN"}).status(),
              StatusIs(core::StatusCode::kFailedPrecondition, ::testing::HasSubstr("read-only")));
}

TEST_F(PostgresStoreTest, AnotherProgramsSchemaIsRefusedUntouched) {
  ASSERT_TRUE(ExecutePostgres(uri_, "CREATE TABLE orders (id int)").ok());
  EXPECT_THAT(Open(OpenMode::kCreate).status(),
              StatusIs(core::StatusCode::kFailedPrecondition,
                       ::testing::HasSubstr("is not a jcm registry: it holds 1 relations")));
  // Nothing was added: still one relation.
  EXPECT_THAT(Open(OpenMode::kCreate).status(), StatusIs(core::StatusCode::kFailedPrecondition));
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  EXPECT_THAT(OpenPostgresStore("postgresql://postgres@127.0.0.1:1/postgres", clock_).status(),
              StatusIs(core::StatusCode::kUnavailable, ::testing::HasSubstr("cannot connect")));
}

// Two stores, each with its connection (two processes), submitting at once: the advisory lock
// makes their write batches one sequence, so the journal is one chain and nothing is lost.
TEST_F(PostgresStoreTest, TwoWritersKeepOneHashChain) {
  auto first = Open(OpenMode::kCreate);
  auto second = Open(OpenMode::kReadWrite);
  ASSERT_TRUE(first.ok() && second.ok());
  constexpr int kOpensPerThread = 20;
  ASSERT_TRUE((*first)->Submit(ledger::InitRegistry{"MN"}).ok());
  std::vector<std::thread> threads;
  for (Store* store : {first->get(), second->get(), first->get(), second->get()}) {
    threads.emplace_back([store] {
      for (int i = 0; i < kOpensPerThread; ++i) {
        auto out = store->Submit(ledger::OpenAccount{
            "MN", ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""});
        EXPECT_TRUE(out.ok() && !out->rejection) << out.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  auto journal = (*first)->ReadJournal(1);
  auto state = (*second)->ReadState();
  ASSERT_TRUE(journal.ok() && state.ok());
  EXPECT_EQ(journal->size(), 1u + 4u * kOpensPerThread);
  EXPECT_TRUE(ledger::Audit(*journal, *state).empty());
}

// The server drops the store's connection (as on a restart); the next write reconnects and is
// applied once.
TEST_F(PostgresStoreTest, ADroppedConnectionIsReestablishedAndTheWriteAppliedOnce) {
  auto store = Open(OpenMode::kCreate, "&application_name=jcm_dropped");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->Submit(ledger::InitRegistry{"MN"}).ok());
  ASSERT_TRUE(ExecutePostgres(uri_,
                              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = 'jcm_dropped'")
                  .ok());
  auto opened = (*store)->Submit(ledger::OpenAccount{
      "MN", ledger::AccountType::kEntityHolding, {"After the drop", "", "", "", ""}, "k-drop"});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_FALSE(opened->rejection);
  EXPECT_FALSE(opened->replayed);
  auto accounts = (*store)->ListAccounts("MN");
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ(accounts->size(), 4u);  // three government accounts and this one, once
}

// A registry of schema version 7 (before the transparency log) with a journal: opening it runs
// migrations 8-11, and 11 builds the tree of the journal it finds (INV-25), as on SQLite.
TEST_F(PostgresStoreTest, MigrationElevenBuildsTheTreeOfAnExistingJournal) {
  {
    auto store = Open(OpenMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Submit(ledger::InitRegistry{"MN"}).ok());
    for (int i = 0; i < 6; ++i) {
      ASSERT_TRUE(
          (*store)
              ->Submit(ledger::OpenAccount{
                  "MN", ledger::AccountType::kEntityHolding, {"Holder", "", "", "", ""}, ""})
              .ok());
    }
  }
  ASSERT_TRUE(
      ExecutePostgres(uri_,
                      "DROP TABLE log_nodes; DROP TABLE log_heads; "
                      "DROP INDEX blocks_by_itmo; ALTER TABLE blocks DROP COLUMN "
                      "cooperative_approach; ALTER TABLE blocks DROP COLUMN itmo_registry; ALTER "
                      "TABLE blocks DROP COLUMN itmo_first; ALTER TABLE blocks DROP COLUMN "
                      "first_transferring_party; ALTER TABLE blocks DROP COLUMN vintage; "
                      "DROP INDEX live_blocks_by_article6; "
                      "ALTER TABLE blocks DROP COLUMN article6_authorisation; "
                      "UPDATE jcm_schema SET schema_version = 7")
          .ok());
  auto store = Open(OpenMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int64_t entries = static_cast<int64_t>((*store)->ReadJournal(1)->size());
  ASSERT_GE(entries, 7);  // the registry's entries and the six accounts'
  EXPECT_EQ(*(*store)->LogTreeSize(), entries);
  for (int64_t leaf = 0; leaf < entries; ++leaf) {
    EXPECT_EQ(*(*store)->LogSubtreeHash(0, leaf), *(*store)->Store::LogSubtreeHash(0, leaf));
  }
  EXPECT_EQ(*(*store)->LogSubtreeHash(2, 0), *(*store)->Store::LogSubtreeHash(2, 0));
  EXPECT_EQ((*store)->LogSubtreeHash(0, entries).status().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace jcm::store
