// The store's point reads behind the public API (store.h: FindLiveBlockBySerial and
// FindLiveBlockOverlapping, FindBlock,
// ReadJournalRange): the SQLite store answers them from indexes, the memory store from its
// defaults, both alike (and the PostgreSQL store, built as server_point_reads_postgres_test);
// the unit look-up and the journal feed use nothing else.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "service/public_queries.h"
#include "store/testing/forwarding_store.h"
#include "store/testing/ledger_fixture.h"
#include "store/testing/store_kind.h"

namespace jcm::service {
namespace {

// Forwards the reads the public queries may use; the whole-store reads fail, so a query that
// reads every block or the journal's whole tail fails the test.
class PointReadsOnly : public store::testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  core::Result<std::vector<ledger::JournalEntry>> ReadJournal(int64_t,
                                                              const std::string&) override {
    return core::Internal("the whole journal tail was read");
  }
  core::Result<ledger::StoredState> ReadState() override {
    return core::Internal("every block was read");
  }
  core::Result<std::unique_ptr<store::Store>> Snapshot() override {
    return core::Internal("a snapshot would read past this double");
  }
  core::Result<std::vector<ledger::JournalEntry>> ReadJournalRange(int64_t from,
                                                                   int64_t max) override {
    entries_read += max;
    return ForwardingStore::ReadJournalRange(from, max);
  }

  int64_t entries_read = 0;
};

class PointReadsTest : public store::LedgerFixture,
                       public ::testing::WithParamInterface<store::StoreKind> {
 protected:
  void SetUp() override {
    UseStore(GetParam());
    LedgerFixture::SetUp();
    Issue("MN003", "2018-01-01..2018-12-31", {{alice_, 100}});  // one block: serials 1..100
    Transfer(alice_, bob_, 60);  // 1..60 to bob, 61..100 stay with alice
    Retire(bob_, 10);            // 1..10 retired, 11..60 with bob
  }
};

TEST_P(PointReadsTest, LiveBlockBySerialIsTheOneHoldingIt) {
  for (const auto& [serial, first, last] : {std::tuple{1, 1, 10},
                                            {10, 1, 10},
                                            {11, 11, 60},
                                            {60, 11, 60},
                                            {61, 61, 100},
                                            {100, 61, 100}}) {
    const auto block = store_->FindLiveBlockBySerial("MN", serial);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    ASSERT_TRUE(block->has_value()) << serial;
    EXPECT_EQ((*block)->serial_first, first) << serial;
    EXPECT_EQ((*block)->serial_last(), last) << serial;
    EXPECT_TRUE((*block)->live());
  }
  EXPECT_FALSE(store_->FindLiveBlockBySerial("MN", 101)->has_value());
  EXPECT_FALSE(store_->FindLiveBlockBySerial("MN", 0)->has_value());
  EXPECT_FALSE(store_->FindLiveBlockBySerial("VN", 5)->has_value());
}

// Every run over serials 0..102 of MN, and of a registry with none, against the live blocks
// read whole: the one probe answers a block meeting the run exactly when one exists — one
// strictly inside it too (a receiver's check 834, docs/exchange.md).
TEST_P(PointReadsTest, LiveBlockOverlappingARunIsFoundByOneProbe) {
  Transfer(alice_, bob_, 20, "71..90");  // alice: 61..70 and 91..100; bob: 11..60 and 71..90
  const ledger::StoredState state = store_->ReadState().value();
  for (const std::string registry : {"MN", "VN"}) {
    for (int64_t first = 0; first <= 102; ++first) {
      for (int64_t last = first; last <= 102; ++last) {
        bool exists = false;
        for (const ledger::UnitBlock& b : state.blocks) {
          exists |= b.live() && b.registry.str() == registry && b.serial_first <= last &&
                    first <= b.serial_last();
        }
        const auto found = store_->FindLiveBlockOverlapping(registry, first, last);
        ASSERT_TRUE(found.ok()) << found.status().ToString();
        ASSERT_EQ(found->has_value(), exists) << registry << " " << first << ".." << last;
        if (!exists) continue;
        EXPECT_TRUE((*found)->live());
        EXPECT_LE((*found)->serial_first, last);
        EXPECT_GE((*found)->serial_last(), first);
      }
    }
  }
}

TEST_P(PointReadsTest, BlockByIdFindsEndedBlocksToo) {
  const auto held = store_->FindLiveBlockBySerial("MN", 5);
  ASSERT_TRUE(held.ok() && held->has_value());
  const auto parent = store_->FindBlock((*held)->parent_id);
  ASSERT_TRUE(parent.ok() && parent->has_value());
  EXPECT_FALSE((*parent)->live());  // bob's 1..60, ended by the retirement
  EXPECT_EQ((*parent)->serial_last(), 60);
  EXPECT_FALSE(store_->FindBlock(999'999)->has_value());
}

TEST_P(PointReadsTest, JournalRangeIsBounded) {
  const auto all = store_->ReadJournal(1);
  ASSERT_TRUE(all.ok());
  ASSERT_GE(all->size(), 5u);
  const auto two = store_->ReadJournalRange(3, 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].seq, 3);
  EXPECT_EQ((*two)[1].hash, (*all)[3].hash);
  EXPECT_EQ(store_->ReadJournalRange(static_cast<int64_t>(all->size()), 10)->size(), 1u);
}

TEST_P(PointReadsTest, UnitAndFeedUseOnlyPointReads) {
  PointReadsOnly store(*store_);
  const auto unit = FindUnit(store, "MN", 5);
  ASSERT_TRUE(unit.ok()) << unit.status().ToString();
  EXPECT_EQ(unit->status, "retired");
  ASSERT_EQ(unit->lineage.size(), 3u);
  EXPECT_EQ(unit->lineage.back().parent_id, 0);
  EXPECT_EQ(FindUnit(store, "MN", 101).status().code(), core::StatusCode::kNotFound);
  const auto page = ReadJournalPage(store, 1, 2);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->entries.size(), 2u);
  EXPECT_TRUE(page->more);
  EXPECT_EQ(store.entries_read, 3);  // the page and one entry to learn whether more follow
}

INSTANTIATE_TEST_SUITE_P(Stores, PointReadsTest,
                         ::testing::ValuesIn(store::ConformanceStoreKinds()),
                         [](const auto& param_info) { return StoreKindName(param_info.param); });

#ifndef JCM_TEST_POSTGRES_STATE
// The SQLite look-up is one probe of the index migration 7 adds, not a scan of the blocks.
class SqliteIndexTest : public store::LedgerFixture {};

TEST_F(SqliteIndexTest, SerialLookupUsesTheMigration7Index) {
  store_.reset();  // the fixture's database, reopened raw
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string plan;
  const auto collect = [](void* out, int columns, char** values, char**) {
    for (int i = 0; i < columns; ++i) *static_cast<std::string*>(out) += values[i] ? values[i] : "";
    return 0;
  };
  ASSERT_EQ(sqlite3_exec(db,
                         "EXPLAIN QUERY PLAN SELECT * FROM blocks WHERE registry = 'MN' AND "
                         "ended_seq = 0 AND serial_first <= 5 ORDER BY serial_first DESC LIMIT 1",
                         collect, &plan, nullptr),
            SQLITE_OK);
  EXPECT_NE(plan.find("live_blocks_by_serial"), std::string::npos) << plan;
  std::string version;
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version", collect, &version, nullptr), SQLITE_OK);
  EXPECT_GE(std::stoi(version), 7) << "the file is past migration 7";
  sqlite3_close(db);
}
#endif  // JCM_TEST_POSTGRES_STATE

}  // namespace
}  // namespace jcm::service
